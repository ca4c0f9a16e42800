"""A schema that fits reports as they come: what content may leave out is derived, texts may come as
lists, a note as its fields, a body's answers as awaited."""

from __future__ import annotations

import datetime
import textwrap

import jsonschema
import pytest
import yaml

from briefing import schema
from briefing.assemble import sheets
from briefing.load.derive import citation
from briefing.editions import items
from briefing.load import load
from briefing.models import Call, Note

from .conftest import JAPANESE, MINIMAL, ROOT
from .test_schema import as_json

TWO_TOPICS = """
    topics:
      - id: portal
        heading: マイナポータルについて
        questions:
          - to: [digital]
            text: 一つ目の質問[^second]です。
          - to: [digital]
            text: 二つ目の質問です。
          - id: portal-own
            to: [digital]
            text: 三つ目の質問です。
      - id: card
        heading: カードについて
        questions:
          - to: [digital]
            text: カードの質問です。
    """
ANSWERS = """
    answers:
      - question: portal-own
        body: digital
        text: 三つ目への回答です。
    """


def test_topic_numbers_and_question_ids_left_out_are_derived(project, run):
    project.write("topics.yaml", TWO_TOPICS)
    project.write("answers/digital.yaml", ANSWERS)
    project.write("answers/more.yaml", """
        questions:
          - topic: portal
            to: [digital]
            text: 再質問です。
        """)
    content = load(project.content)
    assert [(t.id, t.number) for t in content.topics] == [("portal", 1), ("card", 2)]
    assert [[q.id for q in t.questions] for t in content.topics] == [
        ["portal-1", "portal-2", "portal-own", "portal-4"], ["card-1"]]
    assert run("check", "--strict").exit_code == 0


def test_topic_numbers_follow_file_order_across_files(project):
    project.write("topics.yaml", TWO_TOPICS)
    project.write("answers/digital.yaml", ANSWERS)
    project.write("topics-2.yaml", """
        topics:
          - id: later
            heading: 後の論点
            questions:
              - to: [digital]
                text: 後の質問です。
        """)  # topics-2.yaml sorts before topics.yaml
    assert [(t.id, t.number) for t in load(project.content).topics] == [("later", 1), ("portal", 2), ("card", 3)]


def test_a_derived_id_is_the_id_an_explicit_one_would_be(project):
    """Writing out a derived id later changes nothing a reader or an edition sees."""
    project.write("topics.yaml", TWO_TOPICS)
    project.write("answers/digital.yaml", ANSWERS)
    derived = load(project.content)
    project.write("topics.yaml", TWO_TOPICS.replace("      - id: portal\n        heading",
                                                    "      - id: portal\n        number: 1\n        heading")
                  .replace("          - to: [digital]\n            text: 二つ目",
                           "          - id: portal-2\n            to: [digital]\n            text: 二つ目"))
    explicit = load(project.content)
    assert explicit.topics == derived.topics
    fingerprints = [{key: item.fingerprint for key, item in items(content).items()} for content in (explicit, derived)]
    assert fingerprints[0] == fingerprints[1]


@pytest.mark.parametrize("env, expected", [
    (None, "content/topics.yaml:8:9: topics[0].questions[1]: this question has no id, so it is called 'portal-2' "
           "(its topic's id and its place there), as the question at content/topics.yaml:5:9 is: give it an id"),
    (JAPANESE, "content/topics.yaml:8:9: topics[0].questions[1]: この質問には id がないので「portal-2」（論点の id と"
               "何番目か）と呼ばれますが、content/topics.yaml:5:9 の質問が同じ id です。id を書いてください"),
])
def test_a_derived_id_taken_by_an_explicit_one_is_one_error_at_the_question_without_id(project, run, env, expected):
    project.write("topics.yaml", """
        topics:
          - id: portal
            heading: マイナポータルについて
            questions:
              - id: portal-2
                to: [digital]
                text: 質問[^second]です。
              - to: [digital]
                text: 二つ目の質問です。
        """)
    project.write("answers/digital.yaml", "answers: []\n")
    result = run("check", env=env)
    assert result.exit_code == 1
    assert result.output.splitlines() == [expected]


@pytest.mark.parametrize("env, expected", [
    (None, "content/topics.yaml:10:5: topics[1]: topic 'card' has no number, so it takes its place in file order, 2, "
           "which topic 'portal' has (at content/topics.yaml:2:5): give it a number"),
    (JAPANESE, "content/topics.yaml:10:5: topics[1]: 論点「card」には number がないので、ファイルの順番から番号は 2 に"
               "なりますが、その番号は論点「portal」がすでに使っています（content/topics.yaml:2:5）。number を書いてください"),
])
def test_a_derived_number_taken_by_an_explicit_one_is_one_error_at_the_topic_without_number(project, run, env,
                                                                                            expected):
    project.write("topics.yaml", """
        topics:
          - id: portal
            number: 2
            heading: マイナポータルについて
            questions:
              - id: portal
                to: [digital]
                text: 質問[^second]です。
        # the explicit number comes first here; the error is still at the topic that left it out
          - id: card
            heading: カードについて
            questions:
              - to: [digital]
                text: カードの質問です。
        """)
    result = run("check", env=env)
    assert result.exit_code == 1
    assert result.output.splitlines() == [expected]


def test_a_topic_that_fails_to_read_moves_no_derived_number_into_an_error(project, run):
    project.write("topics.yaml", """
        topics:
          - id: first
            questions: []
          - id: card
            heading: カードについて
            questions:
              - to: [digital]
                text: カードの質問です。
          - id: portal
            number: 1
            heading: マイナポータルについて
            questions:
              - id: portal
                to: [digital]
                text: 質問[^second]です。
        """)  # card would be numbered 1 if `first` were not counted, 2 as it is
    assert run("check").output.splitlines() == ["content/topics.yaml:2:5: topics[0]: missing required key 'heading'"]


PARAGRAPHS_AS_LIST = """
    topics:
      - id: portal
        number: 1
        heading: マイナポータルについて
        questions:
          - id: portal
            to: [digital]
            text:
              - 一段落目[^second]です。
              - |
                二段落目の
                続きです。

                三段落目です。
              - "四段落目[^first]。"
    """


def test_paragraphs_may_be_given_as_a_list(project):
    project.write("topics.yaml", PARAGRAPHS_AS_LIST)
    text = load(project.content).topics[0].questions[0].text
    assert [p.plain for p in text.paragraphs] == ["一段落目です。", "二段落目の続きです。", "三段落目です。", "四段落目。"]
    calls = list(text.calls())
    assert [(c.note, c.where.line, c.where.column) for c in calls] == [("second", 9, 17), ("first", 15, 18)]
    assert calls[0] == Call("second")


def test_a_list_of_paragraphs_reads_as_the_same_block(project):
    project.write("topics.yaml", PARAGRAPHS_AS_LIST)
    listed = load(project.content).topics
    project.write("topics.yaml", PARAGRAPHS_AS_LIST.replace("""
            text:
              - 一段落目[^second]です。
              - |
                二段落目の
                続きです。

                三段落目です。
              - "四段落目[^first]。"
    """, """
            text: |
              一段落目[^second]です。

              二段落目の
              続きです。

              三段落目です。

              四段落目[^first]。
    """))
    assert load(project.content).topics == listed


@pytest.mark.parametrize("second, expected", [
    ("二段落目[^second", "content/report.yaml:17:11: report.intro[1]: note call '[^second' is not closed: "
                       "write [^second]"),
    ("二段落目[^secnd]。", "content/report.yaml:17:11: report.intro[1]: unknown note 'secnd' (did you mean 'second'?)"),
    ("“二段落目”", "content/report.yaml:17:7: report.intro[1]: curly quotes “…” do not quote a value in YAML: write the "
                "value without them, or in straight quotes \"…\""),
    ("[一, 二]", "content/report.yaml:17:7: report.intro[1]: expected a paragraph of text, not a list or a mapping"),
    ("", "content/report.yaml:17:6: report.intro[1]: value is empty"),
], ids=["unclosed call", "unknown note", "curly quotes", "a list in a list", "empty"])
def test_a_mistake_in_a_list_of_paragraphs_is_placed_in_its_item(project, run, second, expected):
    report = textwrap.dedent(MINIMAL["report.yaml"])
    assert "  intro: |\n    はじめに[^first]。\n" in report
    project.write("report.yaml", report.replace("  intro: |\n    はじめに[^first]。\n",
                                                f"  intro:\n    - はじめに[^first]。\n    - {second}\n"))
    assert run("check").output.splitlines() == [expected]


def test_a_mapping_where_running_text_is_expected_says_what_text_may_be(project, run):
    project.write("answers/digital.yaml", "answers:\n  - question: portal\n    body: digital\n    text: {回答: あり}\n")
    assert run("check", env=JAPANESE).output.splitlines() == [
        "content/answers/digital.yaml:4:11: answers[0].text: ここには本文を書きます（「|」の後の行に書くか、段落の"
        "リストにします。キーの組ではなく）"]


FIELDS = {"issuer": "デジタル庁", "title": "マイナンバー利用事務におけるマイナンバー登録事務に係る横断的なガイドライン【第1.0版】",
          "date": datetime.date(2023, 10, 5), "remarks": "デジタル庁提供資料。"}


@pytest.mark.parametrize("fields, expected", [
    (FIELDS, "デジタル庁「マイナンバー利用事務におけるマイナンバー登録事務に係る横断的なガイドライン【第1.0版】」"
             "(2023年10月5日)。デジタル庁提供資料。"),
    ({**FIELDS, "url": "https://www.digital.go.jp/"},
     "デジタル庁 » 「マイナンバー利用事務におけるマイナンバー登録事務に係る横断的なガイドライン【第1.0版】」"
     "(2023年10月5日)。デジタル庁提供資料。"),
    ({"issuer": "情報システム学会マイナンバー制度研究会", "title": "「マイナンバー制度の問題点と解決策」に関する提言",
      "date": datetime.date(2023, 10, 10)},
     "情報システム学会マイナンバー制度研究会「マイナンバー制度の問題点と解決策」に関する提言(2023年10月10日)"),
    ({"issuer": "デジタル庁", "title": "自己情報取得API", "url": "https://myna.go.jp/html/api/selfinfo/index.html"},
     "デジタル庁 » 「自己情報取得API」"),
    ({"title": "総点検マニュアル", "remarks": "デジタル庁提供資料。"}, "「総点検マニュアル」。デジタル庁提供資料。"),
])
def test_a_note_s_text_is_composed_from_its_fields_as_the_group_writes_notes(fields, expected):
    assert citation(Note("n", **fields)) == expected


def test_a_note_given_as_fields_prints_its_composed_text_and_a_given_text_as_is(project, run):
    project.write("notes.yaml", """
        notes:
          - id: guideline
            issuer: デジタル庁
            title: 横断的なガイドライン
            date: 2023-10-05
            remarks: デジタル庁提供資料。
          - id: verbatim
            issuer: デジタル庁
            title: 横断的なガイドライン
            text: "デジタル庁 »  「横断的なガイドライン」 (令和5年10月5日)"
        """)
    project.write("answers/digital.yaml", MINIMAL["answers/digital.yaml"].replace(
        "回答の本文です。", "回答の本文[^guideline]です[^verbatim]。"))
    notes = {n.id: n.text for n in load(project.content).notes}
    assert notes["guideline"] == "デジタル庁「横断的なガイドライン」(2023年10月5日)。デジタル庁提供資料。"
    assert notes["verbatim"] == "デジタル庁 »  「横断的なガイドライン」 (令和5年10月5日)"
    assert run("check", "--strict").exit_code == 0


@pytest.mark.parametrize("env, expected", [
    (None, "content/notes.yaml:2:5: notes[0]: a note needs its 'text', or at least a 'title' (with 'issuer', 'date', "
           "'remarks' as known) for its text to be composed from"),
    (JAPANESE, "content/notes.yaml:2:5: notes[0]: 注には「text」を書くか、少なくとも「title」を書きます（わかれば"
               "「issuer」「date」「remarks」も）。text がなければ、これらから注の文が作られます"),
])
def test_a_note_with_neither_text_nor_title_is_one_error(project, run, env, expected):
    project.write("notes.yaml", "notes:\n  - id: guideline\n    issuer: デジタル庁\n    date: 2023-10-05\n")
    project.write("answers/digital.yaml", MINIMAL["answers/digital.yaml"].replace("回答の本文です。", "回答[^guideline]。"))
    result = run("check", env=env)
    assert result.output.splitlines() == [expected]  # and not also the call to it unknown


def test_a_misspelt_title_in_a_note_without_text_is_one_error(project, run):
    project.write("notes.yaml", "notes:\n  - id: guideline\n    issuer: デジタル庁\n    titel: ガイドライン\n")
    assert run("check").output.splitlines() == [
        "content/notes.yaml:4:5: notes[0].titel: unknown key 'titel' (did you mean 'title'?)"]


@pytest.mark.parametrize("awaiting", ["answers: {}\n", "answers: []\n", "answers:\n"])
def test_an_empty_answers_section_means_the_answers_are_awaited(project, run, awaiting):
    project.write("answers/digital.yaml", awaiting)
    content = load(project.content)
    assert content.answers == ()
    assert run("check", "--strict").exit_code == 0
    (question,) = sheets(content)[0].questions
    assert question.answers == () and [b.id for b in question.awaiting] == ["digital"]  # printed 回答待ち


def test_the_guide_s_examples_are_yaml_and_its_sections_meet_the_schema():
    guide = (ROOT / "README.md").read_text(encoding="utf-8").split("## 編集する人へ")[1].split("\n## ")[0]
    blocks = [block.split("```")[0] for block in guide.split("```yaml\n")[1:]]
    assert len(blocks) >= 8
    validator = jsonschema.Draft7Validator(schema.schema())
    for block in blocks:
        value = yaml.safe_load(block.replace("      ...\n", ""))
        if isinstance(value, dict) and set(value) <= set(schema.SECTIONS):
            assert [e.message for e in validator.iter_errors(as_json(value))] == [], block


def test_the_guide_s_examples_are_read_by_the_tool_as_they_are_written(tmp_path):
    """Pasted into content/, no example of the guide is taken for a value YAML would change (a
    comment after it, a text over several lines without '|'): the other files may disagree with
    it, its own words stand."""
    import shutil

    guide = (ROOT / "README.md").read_text(encoding="utf-8").split("## 編集する人へ")[1].split("\n## ")[0]
    blocks = [block.split("```")[0].replace("      ...\n", "") for block in guide.split("```yaml\n")[1:]]
    shutil.copytree(ROOT / "content", tmp_path / "content")
    for index, block in enumerate(blocks):
        (tmp_path / "content" / f"guide-{index}.yaml").write_text(block, encoding="utf-8")
    problems = load(tmp_path / "content", partial=True).problems
    assert [str(p) for p in problems if "guide-" in p.where.path and ("comment" in p.message
                                                                      or "several lines" in p.message)] == []


@pytest.mark.parametrize("env, expected", [
    (None, "content/answers/digital.yaml:2:15: answers[0].question: question 'portal-2' has no id of its own: "
           "'portal-2' is its place in its topic, which moves when a question is added before it, and this answer "
           "would then print under another question; write `id: portal-2` on the question at content/topics.yaml:7:9"),
    (JAPANESE, "content/answers/digital.yaml:2:15: answers[0].question: 質問「portal-2」には自分の id がありません。"
               "「portal-2」は論点の中で何番目かを表すだけなので、前に質問が足されると番号がずれ、この回答が別の質問の下"
               "に印刷されてしまいます。content/topics.yaml:7:9 の質問に `id: portal-2` と書いてください"),
])
def test_an_answer_to_a_question_whose_id_is_derived_is_one_error(project, run, env, expected):
    """A derived id moves when a question is added before it: an answer naming it would follow the
    wrong question, silently. The answer is refused until the question has its id written out."""
    project.write("topics.yaml", TWO_TOPICS)
    project.write("answers/digital.yaml", ANSWERS.replace("portal-own", "portal-2"))
    result = run("check", env=env)
    assert result.exit_code == 1
    assert result.output.splitlines() == [expected]
    project.write("topics.yaml", TWO_TOPICS.replace("          - to: [digital]\n            text: 二つ目",
                                                    "          - id: portal-2\n            to: [digital]\n"
                                                    "            text: 二つ目"))
    assert run("check").exit_code == 0


def test_a_composed_note_prints_its_date_as_the_pack_prints_dates(project):
    """In a 和暦 pack a note made from its fields says 令和5年10月5日; a given text stays as written."""
    import pdfplumber

    from briefing.build import build
    from briefing.project import Project

    project.write("notes.yaml", """
        notes:
          - id: guideline
            issuer: デジタル庁
            title: 横断的なガイドライン
            date: 2023-10-05
        """)
    project.write("answers/digital.yaml", MINIMAL["answers/digital.yaml"].replace("回答の本文です。",
                                                                                   "回答の本文[^guideline]です。"))
    project.write("packs.yaml", """
        packs:
          - id: lawmakers
            title: 議員事務所向け資料
            style: lawmakers
            dates: wareki
        """)
    build(Project.at(project.root))

    def text(file):
        with pdfplumber.open(project.root / "output" / file) as pdf:
            return "".join((page.extract_text() or "").replace("\n", "") for page in pdf.pages)

    assert "「横断的なガイドライン」(2023年10月5日)" in text("sheets/01-portal.pdf").replace(" ", "")
    assert "「横断的なガイドライン」(令和5年10月5日)" in text("packs/lawmakers.pdf").replace(" ", "")
