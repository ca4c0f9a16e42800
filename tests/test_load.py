"""One mistake, one error: a record that fails to read takes with it the errors that only follow from it."""

from __future__ import annotations

import pytest

from briefing.load import load

from .conftest import MINIMAL

FOLLOW_UP = """
    questions:
      - topic: portal
        id: portal-again
        to: [digital]
        text: 再質問です。
    answers:
      - question: portal-again
        body: digital
        text: 再質問への回答です。
    packs:
      - id: pack
        title: 資料
        style: lawmakers
        topics: [portal]
    """


def test_a_misspelt_key_is_one_error_not_every_reference_to_its_topic(project, run):
    project.write("answers/later.yaml", FOLLOW_UP)
    project.write("topics.yaml", MINIMAL["topics.yaml"].replace("title: マイナポータル", "titel: マイナポータル"))
    result = run("check")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "content/topics.yaml:5:5: topics[0].titel: unknown key 'titel' (did you mean 'title'?)"]


def test_an_unknown_body_in_to_is_not_also_an_answer_put_to_no_one(project, run):
    project.write("topics.yaml", MINIMAL["topics.yaml"].replace("to: [digital]", "to: [digitl]"))
    result = run("check")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "content/topics.yaml:8:14: topics[0].questions[0].to[0]: unknown body 'digitl' (did you mean 'digital'?)"]


def test_a_file_that_cannot_be_read_is_not_also_every_section_it_holds_missing(project, run):
    project.write("report.yaml", MINIMAL["report.yaml"].replace("  title: テスト ヒアリング", "  title：テスト ヒアリング"))
    result = run("check")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "content/report.yaml:2:8: full-width colon '：' after 'title': write a half-width ':' and a space (title: …)"]


def test_a_yaml_error_loses_only_the_sections_of_its_file(project, run):
    project.write("answers/digital.yaml", 'answers:\n  - question: portal\n    body: digital\n    text: "回答\n')
    project.write("packs.yaml", "packs:\n  - {id: pack, title: 資料, style: lawmakers, topics: [portl]}\n")
    result = run("check")
    assert result.output.splitlines() == [
        "content/answers/digital.yaml:4:11: the quote \" that opens this value is not closed on its line: end the "
        "value with \", or write it without quotes",
        "content/packs.yaml:2:54: packs[0].topics[0]: unknown topic 'portl' (did you mean 'portal'?)",
    ]


def test_errors_of_reading_and_of_checking_come_in_one_run_in_file_order(project, run):
    project.write("report.yaml", MINIMAL["report.yaml"].replace("date: 2024-01-15", "date: 2024-1-15"))
    project.write("answers/digital.yaml", MINIMAL["answers/digital.yaml"].replace("body: digital", "body: digitl"))
    result = run("check")
    assert result.output.splitlines() == [
        "content/answers/digital.yaml:3:11: answers[0].body: unknown body 'digitl' (did you mean 'digital'?)",
        "content/report.yaml:3:9: hearing.date: expected a date as YYYY-MM-DD, got '2024-1-15': write 2024-01-15",
    ]


def test_what_a_failed_record_would_have_defined_is_lost(project):
    project.write("topics.yaml", MINIMAL["topics.yaml"].replace("number: 1", "number: one"))
    project.write("more.yaml", "bodies:\n  - id: ppc\n  - id: cao\n    name: 内閣府\n")
    content = load(project.content, partial=True)
    assert content.topics == ()
    assert [b.id for b in content.bodies] == ["cao", "digital"]  # a list keeps the items that read (more.yaml first)
    assert content.lost.ids == {"topic": {"portal"}, "question": {"portal"}, "cited": {"second"}, "body": {"ppc"}}
    assert content.lost.covers("question", "portal") and not content.lost.covers("question", "other")


def test_a_file_that_cannot_be_parsed_loses_the_sections_it_names(project):
    project.write("report.yaml", MINIMAL["report.yaml"].replace("  title: テスト ヒアリング", "  title：テスト"))
    content = load(project.content, partial=True)
    assert content.hearing is None and content.report is None
    for kind in ("hearing", "report", "body", "note", "cited"):
        assert content.lost.covers(kind, "anything")
    assert not content.lost.covers("topic", "anything")


def test_a_body_answers_a_question_not_put_to_it_and_prints(project):
    """Adding a body's answer to an existing question needs no edit of topics.yaml."""
    from briefing.build import build
    from briefing.project import Project

    from .test_print import label_order

    report = project.content / "report.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace("bodies: [digital]", "bodies: [digital, ppc]")
                      .replace("  - id: digital\n    name: デジタル庁\n",
                               "  - id: digital\n    name: デジタル庁\n  - id: ppc\n    name: 個人情報保護委員会\n"),
                      encoding="utf-8")
    project.write("answers/ppc.yaml", """
        answers:
          - question: portal
            body: ppc
            text: 委員会からも回答があった。
        """)
    build(Project.at(project.root))
    assert label_order(project.root / "output/sheets/01-portal.pdf") == [
        ("質問", "デジタル庁"), ("回答", "デジタル庁"), ("回答", "個人情報保護委員会")]


def test_a_body_not_heard_is_one_error_where_it_is_first_used(project, run):
    project.write("answers/mof.yaml", """
        bodies:
          - id: mof
            name: 財務省
        questions:
          - topic: portal
            id: portal-mof
            to: [mof]
            text: 財務省に問う。
        answers:
          - question: portal-mof
            body: mof
            text: 財務省の回答。
        """)
    result = run("check")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "content/answers/mof.yaml:7:9: questions[0].to: 'mof' is not one of the hearing's bodies: "
        "add it to hearing.bodies"]


def test_report_metadata_is_optional_and_a_title_defaults_to_the_heading(project):
    """A report that arrives without site, author, post number or tags, and a topic without a title."""
    from briefing.build import build
    from briefing.project import Project

    report = project.content / "report.yaml"
    text = report.read_text(encoding="utf-8")
    for line in ("  site: テストの会\n", "  author: tester\n", '  post: "#1"\n', "  tags: [テスト]\n"):
        assert line in text
        text = text.replace(line, "")
    report.write_text(text, encoding="utf-8")
    topics = project.content / "topics.yaml"
    topics.write_text(topics.read_text(encoding="utf-8").replace("    title: マイナポータル\n", ""), encoding="utf-8")
    build(Project.at(project.root))
    import pdfplumber

    with pdfplumber.open(project.root / "output/packs/pack.pdf") as pdf:
        text = "".join(page.extract_text() for page in pdf.pages)
    assert "None" not in text and "記載なし" not in text and "post by" not in text
    with pdfplumber.open(project.root / "output/sheets/01-portal.pdf") as pdf:
        assert "マイナポータルについて" in pdf.pages[0].extract_text().splitlines()[2].replace(" ", "")


def test_the_hearing_written_twice_is_said_at_the_copy_saved_last(project, run):
    """An editor pastes the hearing into an answers file: the message stands at the paste (the
    file saved last), names the other place and asks for the copy to go; saved the other way
    round, it stands in report.yaml."""
    import os

    report = project.content / "report.yaml"
    hearing = MINIMAL["report.yaml"].split("        report:")[0]
    answers = project.write("answers/digital.yaml", MINIMAL["answers/digital.yaml"] + hearing)
    for newer, older, said_at, other in ((answers, report, "content/answers/digital.yaml:8:", "content/report.yaml:2:"),
                                         (report, answers, "content/report.yaml:2:", "content/answers/digital.yaml:8:")):
        os.utime(older, ns=(10**18, 10**18))
        os.utime(newer, ns=(2 * 10**18, 2 * 10**18))
        result = run("check")
        assert result.exit_code == 1
        said = [line for line in result.output.splitlines() if "twice" in line]
        assert len(said) == 1 and said[0].startswith(said_at), result.output
        assert f"here and at {other}" in said[0] and said[0].endswith("delete the copy")


@pytest.mark.parametrize("name", ["digital - コピー.yaml", "digital - Copy (2).yaml", "digital のコピー 2.yaml",
                                  "digital copy.yaml", "digital (コピー).yaml", "digital (1).yaml",
                                  "コピー ～ digital.yaml", "Copy of digital.yaml"])
def test_a_file_manager_s_copy_of_a_content_file_is_one_error_not_its_duplicates(project, run, name):
    """A copy made beside its file is not read (every answer in it would be a duplicate): one
    error at the copy, naming the file it copies. Without that file there, it is content."""
    original = project.content / "answers" / "digital.yaml"
    (original.parent / name).write_bytes(original.read_bytes())
    result = run("check")
    assert result.exit_code == 1
    assert result.output.splitlines() == [f"content/answers/{name}:1:1: not read: a copy of digital.yaml, it seems "
                                          "(a file manager names copies so); move it out of the content folder, or, "
                                          "if it is the one to keep, delete digital.yaml and give this one its name"]
    original.unlink()
    assert run("check").exit_code == 0
