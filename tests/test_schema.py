"""The content files' JSON Schema: it accepts every real content file and what the loader reads, and
refuses unknown keys; `briefing init` names it on each file's first line."""

from __future__ import annotations

import datetime
import json
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml

from briefing import load, schema
from briefing.project import scan_content

from .conftest import ROOT

VALIDATOR = jsonschema.Draft7Validator(schema.schema())


def as_json(value):
    """A YAML value as the editor's YAML 1.2 reader gives it to the schema: dates are text."""
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    return value.isoformat() if isinstance(value, datetime.date) else value


def errors(text: str) -> list[str]:
    """The schema's complaints about a content file's text, each as 'path: message'."""
    found = VALIDATOR.iter_errors(as_json(yaml.safe_load(textwrap.dedent(text))))
    return sorted(f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in found)


def loader_problems(text: str) -> list[str]:
    """The loader's problems with the same text, read as one file."""
    read = load.read_file(Path("content/x.yaml"), textwrap.dedent(text).encode())
    return [problem.message for problem in read.problems]


@pytest.fixture(scope="module")
def initialized(tmp_path_factory) -> Path:
    """The content folder of a project made by `briefing init`."""
    from click.testing import CliRunner

    from briefing.cli import main

    folder = tmp_path_factory.mktemp("init") / "report"
    result = CliRunner().invoke(main, ["init", str(folder)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return folder / "content"


def test_the_schema_is_a_valid_draft_7_schema():
    jsonschema.Draft7Validator.check_schema(schema.schema())


@pytest.mark.parametrize("name", [path.relative_to(ROOT).as_posix() for path in scan_content(ROOT / "content")[0]])
def test_every_file_of_the_default_content_is_valid(name):
    assert errors((ROOT / name).read_text(encoding="utf-8")) == []


def test_every_file_init_writes_is_valid(initialized):
    files = scan_content(initialized)[0]
    assert len(files) == 6
    for path in files:
        assert (path.name, errors(path.read_text(encoding="utf-8"))) == (path.name, [])


def test_every_record_refuses_unknown_keys():
    records = schema.schema()["definitions"]
    assert set(records) == {"Hearing", "Report", "Series", "Body", "Topic", "Question", "Discussion", "FollowUp",
                            "Answer", "Note", "PackSpec"}
    assert all(record["additionalProperties"] is False for record in records.values())
    assert schema.schema()["additionalProperties"] is False


REFUSED = [  # (file, what the schema says, what `briefing check` says of it in a project)
    ("""
     topic:
       - id: a
     """, ": Additional properties are not allowed ('topic' was unexpected)",
     "content/extra.yaml:1:1: topic: unknown key 'topic' (did you mean 'topics'?)"),
    ("""
     bodies:
       - id: digital
         name: デジタル庁
         shrot: デジ庁
     """, "bodies.0: Additional properties are not allowed ('shrot' was unexpected)",
     "content/extra.yaml:4:5: bodies[0].shrot: unknown key 'shrot' (did you mean 'short'?)"),
    ("""
     topics:
       - id: portal
         number: 1
         heading: 見出し
         title: 題
         questions:
           - id: q
             to: [digital]
             text: 本文
             where: here
     """, "topics.0.questions.0: Additional properties are not allowed ('where' was unexpected)",
     "content/extra.yaml:10:9: topics[0].questions[0].where: unknown key 'where'; expected one of: id, to, text, "
     "preamble, number"),
    ("""
     answers:
       - question: q
         text: 本文
     """, "answers.0: 'body' is a required property",
     "content/extra.yaml:2:5: answers[0]: missing required key 'body'"),
    ("""
     packs:
       - id: p
         title: 題
         style: lawmaker
     """, "packs.0.style: 'lawmaker' is not one of ['lawmakers', 'handout', 'questions']",
     "content/extra.yaml:4:12: packs[0].style: style 'lawmaker' is not one of: lawmakers, handout, questions"),
    ("""
     packs:
       - id: p
         title: 題
         style: handout
         pdf: [ua, pdfa]
     """, "packs.0.pdf.1: 'pdfa' is not one of ['ua', 'a']",
     "content/extra.yaml:5:10: packs[0].pdf: pdf 'pdfa' is not one of: ua, a (ua: PDF/UA-1, tagged for "
     "accessibility; a: PDF/A-3u, for archives)"),
    ("""
     hearing:
       title: 題
       date: 2023/09/28
       held_through: 事務所
       participants: 10名
       bodies: [digital]
     """, "hearing.date: '2023/09/28' does not match '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'",
     "content/extra.yaml:3:9: hearing.date: expected a date as YYYY-MM-DD, got '2023/09/28': write 2023-09-28"),
    ("""
     notes:
       - id: n
         text:
     """, "notes.0.text: None is not of type 'string', 'number', 'boolean'",
     "content/extra.yaml:2:5: notes[0]: a note needs its 'text', or at least a 'title' (with 'issuer', 'date', "
     "'remarks' as known) for its text to be composed from"),
    ("""
     answers:
       - question: q
         body: digital
         text:
           - 一段落目。
           - {二: 段落目}
     """, "answers.0.text.1: {'二': '段落目'} is not of type 'string', 'number', 'boolean'",
     "content/extra.yaml:6:9: answers[0].text[1]: expected a paragraph of text, not a list or a mapping"),
    ("""
     answers: {question: q}
     """, "answers: {'question': 'q'} is expected to be empty",
     "content/extra.yaml:1:10: answers: expected a list (lines starting with '- ')"),
    ("""
     notes:
       - id: n
         issuer: デジタル庁
     """, "notes.0: 'text' is a required property",
     "content/extra.yaml:2:5: notes[0]: a note needs its 'text', or at least a 'title' (with 'issuer', 'date', "
     "'remarks' as known) for its text to be composed from"),
    ("""
     questions:
       - id: q
         to: digital
         text: 本文
         topic: portal
     """, "questions.0.to: 'digital' is not of type 'array'",
     "content/extra.yaml:3:9: questions[0].to: expected a list (lines starting with '- ')"),
]


@pytest.mark.parametrize("text, error, checked", REFUSED, ids=[e.split(":")[0] or "top" for _t, e, _c in REFUSED])
def test_what_check_refuses_for_its_shape_the_schema_refuses(project, run, text, error, checked):
    assert errors(text) == [error]
    project.write("extra.yaml", text)
    result = run("check")
    assert result.exit_code == 1 and checked in result.output.splitlines(), result.output


ACCEPTED = [  # files the loader reads without a problem, written as editors do
    """
    topics:
      - id: portal
        number: "3"
        heading: 見出し
        title: 2023
        questions:
          - id: q
            to: [digital]
            text: |
              1段落目。

              2段落目[^n]。
            number: 2
    """,
    """
    bodies:
      - id: digital
        name: デジタル庁
        short:
    """,
    """
    packs:
      - id: p
        title: 題
        style: handout
        large: yes
        dates: wareki
        pdf: [a]
    notes:
      - id: n
        text: 注。
        date: 2023-09-28
    """,
    """
    topics:
      - id: portal
        heading: 番号も質問の id もない論点
        questions:
          - to: [digital]
            text:
              - 段落をリストで書いた1段落目[^n]。
              - |
                2段落目。
    notes:
      - id: n
        issuer: デジタル庁
        title: 文書の題
        date: 2023-10-05
        url: https://www.digital.go.jp/
    """,
    "answers: {}\n",
    "answers: []\n",
    "answers:\n",
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_what_the_loader_reads_the_schema_accepts(text):
    assert loader_problems(text) == []
    assert errors(text) == []


def test_init_names_the_schema_on_each_file_s_first_line(initialized):
    assert (initialized / schema.FILE).read_text(encoding="utf-8") == schema.text()
    for path in scan_content(initialized)[0]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith(schema.MODELINE)
        named = path.parent / first.removeprefix(schema.MODELINE)
        assert named.resolve() == (initialized / schema.FILE).resolve()
    assert (initialized / "answers" / "example-ministry.yaml").read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../.schema.json\n")


def test_the_schema_file_is_not_read_as_content(initialized):
    assert load.load(initialized).problems == ()


def test_the_schema_command_prints_or_writes_the_schema(run, project):
    result = run("schema")
    assert result.exit_code == 0 and json.loads(result.output) == schema.schema()
    result = run("schema", "--output", "content/.schema.json")
    assert result.exit_code == 0 and result.output == "wrote content/.schema.json\n"
    assert (project.content / ".schema.json").read_text(encoding="utf-8") == schema.text()
    assert run("check", "--strict").exit_code == 0
    assert run("schema", "--help").exit_code == 0
