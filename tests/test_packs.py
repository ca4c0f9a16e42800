"""Packs defined in content: for lawmakers' offices, for hearing handouts, questions sent ahead."""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest

from .conftest import SECOND_TOPIC, read_pdf, set_lines
from .test_validators import VALIDATE, verapdf_required


def record(built, pack_id):
    return next(p for p in built.manifest["packs"] if p["pack"] == pack_id)


def test_the_default_content_ships_three_packs(built):
    assert [p.id for p in built.content.packs] == ["lawmakers", "handout", "questions"]
    assert {p["file"] for p in built.manifest["packs"]} == {
        "packs/lawmakers.pdf", "packs/handout.pdf", "packs/questions-digital.pdf",
        "packs/lawmakers-pdfua.pdf", "packs/lawmakers-pdfa.pdf"}


def test_lawmakers_pack_is_addressed_and_summarises_each_topic(built):
    pages = built.pages("packs/lawmakers.pdf")
    cover = " ".join(pages[0].lines)
    assert cover.startswith("福島みずほ参議院議員事務所")
    summary = next(p for p in pages if any(line.startswith("要点と回答状況") for line in p.lines))
    text = "".join(summary.lines).replace(" ", "")
    for topic in built.content.topics:
        assert topic.points
        for point in topic.points:
            assert point.replace(" ", "") in text
    assert "デジタル庁回答済" in text.replace("\u3000", "")


def test_points_are_the_reports_own_sentences(built):
    for topic in built.content.topics:
        words = "".join(p.plain for part in topic.discussion for p in part.text.paragraphs)
        for point in topic.points:
            assert point in words, point


def test_dates_follow_the_pack(built):
    lawmakers = built.pages("packs/lawmakers.pdf")
    handout = built.pages("packs/handout.pdf")
    assert any("令和5年9月28日" in line for line in lawmakers[3].lines)
    assert any("2023年9月28日" in line for line in handout[0].lines)


def test_handout_sheets_start_on_right_hand_pages_in_larger_type(built):
    pages = built.pdf("packs/handout.pdf").pages
    starts = [i + 1 for i, page in enumerate(pages) if any(c["size"] > 18 for c in page.chars)]  # a sheet's title
    blank = [i + 1 for i, page in enumerate(pages) if not page.chars]
    sizes = Counter(round(c["size"], 1) for page in pages for c in page.chars)
    assert len(starts) == len(built.content.topics)
    assert all(n % 2 == 1 for n in starts), starts
    assert blank and all(n % 2 == 0 for n in blank)
    assert sizes.most_common(1)[0][0] == 12.0  # running text, 10.5 pt in the other packs


def test_questions_pack_is_addressed_to_the_body(built):
    text = "".join(p.body for p in built.pages("packs/questions-digital.pdf"))
    assert "デジタル庁" in text
    for topic in built.content.topics:
        for question in topic.questions:
            assert question.text.paragraphs[0].plain in text
    assert not any(a.text.paragraphs[0].plain in text for a in built.content.answers)


def test_build_one_pack(project, run):
    project.write("packs.yaml", """
        packs:
          - id: office
            title: 事務所向け
            style: lawmakers
          - id: hand
            title: 配布用
            style: handout
        """)
    packs = project.root / "output" / "packs"
    result = run("build", "--pack", "hand")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in packs.iterdir()) == ["hand.pdf"]
    run("build")
    assert sorted(p.name for p in packs.iterdir()) == ["hand.pdf", "office.pdf"]
    run("build", "--pack", "hand")
    assert sorted(p.name for p in packs.iterdir()) == ["hand.pdf", "office.pdf"]
    result = run("build", "--pack", "nope")
    assert result.exit_code == 2
    assert "no pack 'nope'" in result.output and "the packs are office, hand" in result.output


def test_packs_whose_files_would_meet_are_refused(project, run):
    project.write("packs.yaml", """
        packs:
          - id: questions
            title: 質問
            style: questions
          - id: questions-digital
            title: 配布
            style: handout
        """)
    result = run("check")
    assert result.exit_code == 1
    assert ("content/packs.yaml:5:9: packs[1].id: pack 'questions-digital' would write "
            "packs/questions-digital.pdf, as pack 'questions' does: choose another id") in result.output.splitlines()


@pytest.mark.parametrize("field, value, message", [
    ("style", "lawmaker", "style 'lawmaker' is not one of: lawmakers, handout, questions"),
    ("dates", "reiwa", "dates 'reiwa' is not one of: seireki, wareki"),
    ("topics", "[portl]", "unknown topic 'portl' (did you mean 'portal'?)"),
    ("large", "maybe", "expected true or false, got 'maybe'"),
])
def test_pack_mistakes_are_named(project, run, field, value, message):
    defaults = {"style": "handout", "dates": "seireki", "topics": "[portal]", "large": "false"}
    defaults[field] = value
    project.write("packs.yaml", "packs:\n  - id: p\n    title: 題\n" +
                  "".join(f"    {k}: {v}\n" for k, v in defaults.items()))
    result = run("check")
    assert result.exit_code == 1
    assert any(line.startswith("content/packs.yaml:") and line.endswith(message) for line in result.output.splitlines()), \
        result.output


def test_a_handout_s_pdf_editions_are_the_handout_page_for_page(project, run):
    """A handout for participants who use a screen reader: pdf: gives it PDF/UA and PDF/A
    editions, blank pages included, as it gives a lawmakers' pack."""
    project.write("second.yaml", SECOND_TOPIC)
    project.write("packs.yaml", """
        packs:
          - id: hand
            title: 配布
            style: handout
            pdf: [ua, a]
        """)
    result = run("build")
    assert result.exit_code == 0, result.output
    packs = project.root / "output" / "packs"
    assert sorted(p.name for p in packs.iterdir()) == ["hand-pdfa.pdf", "hand-pdfua.pdf", "hand.pdf"]
    joined = set_lines(read_pdf(packs / "hand.pdf"))
    assert len(joined) == 3 and joined[1] == []  # a blank page after the first sheet, of one page
    for edition in ("hand-pdfua.pdf", "hand-pdfa.pdf"):
        assert set_lines(read_pdf(packs / edition)) == joined, edition
    import pikepdf

    with pikepdf.open(packs / "hand-pdfua.pdf") as pdf:
        assert pdf.open_metadata().get("pdfuaid:part") == "1" and "/StructTreeRoot" in pdf.Root
    with pikepdf.open(packs / "hand-pdfa.pdf") as pdf:
        assert pdf.open_metadata().get("pdfaid:part") == "3"
    if verapdf_required():  # both at once: each starts a Java VM
        running = {flavour: subprocess.Popen([str(VALIDATE), flavour, str(packs / edition)], stdout=subprocess.PIPE,
                                             stderr=subprocess.STDOUT, text=True)
                   for flavour, edition in (("ua1", "hand-pdfua.pdf"), ("3u", "hand-pdfa.pdf"))}
        for flavour, process in running.items():
            said = process.communicate(timeout=180)[0]
            assert process.returncode == 0 and said.startswith(f"PASS {flavour}"), said


def test_asking_for_an_edition_leaves_the_pack_itself_alone(project):
    """Adding pdf: [ua] makes the edition; the handout, whose pages are the same, is not written again."""
    from briefing.build import build
    from briefing.project import Project

    handout = "packs:\n  - id: hand\n    title: 配布\n    style: handout\n"
    project.write("packs.yaml", handout)
    build(Project.at(project.root))
    project.write("packs.yaml", handout + "    pdf: [ua]\n")
    result = build(Project.at(project.root))
    assert [o.file for o in result.written] == [".briefing/pdfua/sheets/01-portal.pdf", "packs/hand-pdfua.pdf"]
    assert "packs/hand.pdf" in result.kept


def test_an_edition_no_longer_asked_for_leaves_the_output_as_a_first_build_would(project, tmp_path):
    """Its PDF, its parts and the folders that held them go; a file someone put in such a folder
    stays, with its folder."""
    from briefing.build import build
    from briefing.project import Project

    def tree(output: Path) -> list[str]:  # but the renderer's scratch space, which lives as long as this process
        return sorted(f"{p.relative_to(output)}{'/' if p.is_dir() else ''}" for p in output.rglob("*")
                      if p.name != "manifest.json" and ".briefing/tmp/" not in f"{p.relative_to(output)}/")

    handout = "packs:\n  - id: hand\n    title: 配布\n    style: handout\n"
    project.write("packs.yaml", handout + "    pdf: [ua, a]\n")
    build(Project.at(project.root))
    assert (project.root / "output/.briefing/pdfa/sheets/01-portal.pdf").exists()
    (project.root / "output/.briefing/pdfa/notes.txt").write_text("mine", encoding="utf-8")
    project.write("packs.yaml", handout + "    pdf: [ua]\n")
    build(Project.at(project.root))
    project.write("packs.yaml", handout)
    build(Project.at(project.root))
    build(Project.at(project.root, output=tmp_path / "first"))
    assert tree(project.root / "output") == sorted([*tree(tmp_path / "first"), ".briefing/pdfa/", ".briefing/pdfa/notes.txt"])

    # killed once the change is made, before its emptied folders go: the next build's recovery takes them
    from .test_safety import forked

    project.write("packs.yaml", handout + "    pdf: [ua]\n")
    build(Project.at(project.root))
    project.write("packs.yaml", handout)
    assert forked("build", "--workers", "1", cwd=project.root, fault="committed")[0] == -9
    (project.root / "said.txt").unlink()
    assert (project.root / "output/.briefing/pdfua").is_dir()
    build(Project.at(project.root))
    assert tree(project.root / "output") == sorted([*tree(tmp_path / "first"), ".briefing/pdfa/", ".briefing/pdfa/notes.txt"])


def test_pdf_editions_of_a_questions_pack_are_refused_where_asked(project, run):
    project.write("packs.yaml", """
        packs:
          - id: q
            title: 質問
            style: questions
            pdf: [a]
        """)
    result = run("check")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "content/packs.yaml:5:10: packs[0].pdf: a questions pack has no PDF/UA or PDF/A edition: remove pdf:, "
        "or ask for it in a lawmakers or handout pack"], result.output


def test_an_edition_asked_for_twice_is_made_once_with_a_warning(project, run):
    project.write("packs.yaml", """
        packs:
          - id: pack
            title: 資料
            style: lawmakers
            pdf: [ua, ua]
        """)
    result = run("build")
    assert result.exit_code == 0, result.output
    assert "content/packs.yaml:5:10: warning: packs[0].pdf: pdf 'ua' is given twice: once is enough" \
        in result.output.splitlines()
    manifest = json.loads((project.root / "output" / "manifest.json").read_text(encoding="utf-8"))
    assert [p["file"] for p in manifest["packs"]] == ["packs/pack.pdf", "packs/pack-pdfua.pdf"]
    assert "built 3 PDFs" in result.output  # the sheet, the pack and its one edition


def test_an_edition_s_file_name_may_not_meet_another_pack_s(project, run):
    project.write("packs.yaml", """
        packs:
          - id: hand
            title: 配布
            style: handout
            pdf: [ua]
          - id: hand-pdfua
            title: 配布
            style: handout
        """)
    result = run("check")
    assert result.exit_code == 1
    assert ("content/packs.yaml:6:9: packs[1].id: pack 'hand-pdfua' would write packs/hand-pdfua.pdf, as pack "
            "'hand' does: choose another id") in result.output.splitlines(), result.output


def test_init_makes_a_project_that_builds_at_once(tmp_path, run):
    result = run("init", "report", folder=tmp_path)
    assert result.exit_code == 0, result.output
    result = run("build", "--strict", folder=tmp_path / "report")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "report" / "output" / "packs").iterdir()) == [
        "handout.pdf", "lawmakers.pdf", "questions-example-ministry.pdf"]
    assert (tmp_path / "report" / "templates").is_dir()
    result = run("init", "report", folder=tmp_path)
    assert result.exit_code == 2 and "is not empty" in result.output


def test_pdf_ua_and_pdf_a_variants_carry_what_they_claim(built):
    import pikepdf

    records = {p.get("pdf"): p for p in built.manifest["packs"] if p.get("pdf")}
    assert set(records) == {"pdf/ua-1", "pdf/a-3u"}
    with pikepdf.open(built.output / records["pdf/ua-1"]["file"]) as pdf:
        meta = pdf.open_metadata()
        assert meta.get("pdfuaid:part") == "1"
        assert pdf.Root.MarkInfo.Marked is True and "/StructTreeRoot" in pdf.Root
        assert str(pdf.Root.Lang) == "ja" and pdf.Root.ViewerPreferences.DisplayDocTitle is True
        titles = [item.title for item in pdf.open_outline().root]
        assert any("マイナポータル" in t for t in titles)
    with pikepdf.open(built.output / records["pdf/a-3u"]["file"]) as pdf:
        meta = pdf.open_metadata()
        assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("3", "U")
        assert "/OutputIntents" in pdf.Root and str(pdf.Root.Lang) == "ja"
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                for descendant in font.get("/DescendantFonts", []):
                    assert "/FontFile2" in descendant.FontDescriptor  # every font embedded
    for record in records.values():  # the same words as the joined pack
        whole = "".join(p.body for p in built.pages(record["file"]))
        for topic in built.content.topics:
            for question in topic.questions:
                assert question.text.paragraphs[-1].plain in whole


def test_the_pdf_ua_and_pdf_a_editions_set_every_page_as_the_joined_pack(built):
    """The editions are laid out as one document, with each sheet (and the front matter) changed
    as it was to set well on its own (追い込み, page breaks, notes cut: `adjust`): page for page,
    line for line, they hold the joined pack's words."""
    joined = set_lines(built.pages("packs/lawmakers.pdf"))
    for record in (p for p in built.manifest["packs"] if p.get("pdf")):
        assert set_lines(built.pages(record["file"])) == joined, record["file"]


def test_the_contents_heading_stays_with_its_table(project):
    """After a summary that fills its page, 「目次」 and its note were left at the page foot, the table
    on the next page."""
    from briefing.build import build
    from briefing.project import Project

    point = "      - " + "要点の文章がここに入ります。" * 4 + "\n"
    project.write("topics.yaml", "topics:\n" + "".join(
        f"  - id: t{i}\n    number: {i}\n    heading: 論点{i}について\n    title: 題目{i}\n    points:\n" + point * 4
        + f"    questions:\n      - id: q{i}\n        to: [digital]\n        text: 質問{i}です。\n" for i in range(1, 4)))
    project.write("answers/digital.yaml", "answers:\n  - question: q1\n    body: digital\n    text: 回答です。\n")
    project.write("packs.yaml", "packs:\n  - id: pack\n    title: 資料\n    style: lawmakers\n")
    build(Project.at(project.root), pack="pack")
    with pdfplumber.open(project.root / "output/packs/pack.pdf") as pdf:
        title = [p.page_number for p in pdf.pages if any(c["text"] == "目" and abs(c["size"] - 16) < 0.1 for c in p.chars)]
        head = [p.page_number for p in pdf.pages if any(c["text"] == "題" and abs(c["size"] - 8) < 0.1 for c in p.chars)]
    assert len(title) == 1 and title == head[:1], (title, head)
