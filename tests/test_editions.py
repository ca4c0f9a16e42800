"""New answers arrive: editions, marks, the revision history, and rebuilding only what changed."""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path

import pdfplumber
import pytest

from briefing.build import build
from briefing.project import Project

from .conftest import ENGLISH, Scratch, invoke

MARK_SIZE = 7.0

PPC = """
    bodies:
      - id: ppc
        name: 個人情報保護委員会
    questions:
      - topic: portal
        id: portal-ppc
        to: [ppc]
        text: 委員会の見解を問う。
    answers:
      - question: portal-ppc
        body: ppc
        text: 委員会としての見解を述べた回答です。
    """


def add_ppc(project) -> None:
    """A new body heard: its file of questions and answers, and its id in the hearing's bodies."""
    project.write("answers/ppc.yaml", PPC)
    report = project.content / "report.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace("bodies: [digital]", "bodies: [digital, ppc]"),
                      encoding="utf-8")


def marks(path) -> list[str]:
    """The edition marks printed in a PDF, in reading order, by their size of their own."""
    with pdfplumber.open(path) as pdf:
        words = []
        for page in pdf.pages:
            chars = [c for c in page.chars if abs(c["size"] - MARK_SIZE) < 0.01]
            text = "".join(c["text"] for c in chars)
            words += re.findall("更新|新", text)
        return words


def text_of(path, size=10.5) -> str:
    with pdfplumber.open(path) as pdf:
        return "".join(c["text"] for page in pdf.pages for c in page.chars if c["size"] >= size - 0.01)


def stamps(output):
    return {str(p.relative_to(output)): (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
            for p in output.rglob("*.pdf")}


@pytest.fixture(scope="module")
def released_once(tmp_path_factory, two_sheets_built) -> Path:
    """Two topics, built and released as edition 1 on 2024-03-01, once for the module."""
    root = tmp_path_factory.mktemp("released")
    Scratch(root).take(two_sheets_built)
    result = invoke(root, "release", "--date", "2024-03-01", env=ENGLISH)
    assert result.exit_code == 0, result.output
    assert "edition 1 of 2024-03-01" in result.output
    return root


@pytest.fixture
def released(project, released_once):
    """Two topics, built and released as edition 1 on 2024-03-01."""
    project.take(released_once)
    return project


def test_new_body_and_edited_answer_rebuild_only_what_they_touch(released, run):
    output = released.root / "output"
    before = stamps(output)
    add_ppc(released)
    released.write("answers/digital.yaml", """
        answers:
          - question: portal
            body: digital
            text: |
              回答の本文を改めました。
        """)
    result = run("build", "--workers", "2")
    assert result.exit_code == 0, result.output
    after = stamps(output)

    # The second topic's sheet is untouched: same file, same bytes, not even rewritten.
    assert after["sheets/02-second.pdf"] == before["sheets/02-second.pdf"]
    changed = {name for name in after if after[name] != before.get(name)}
    assert changed == {"sheets/01-portal.pdf", "packs/questions-ppc.pdf", "packs/pack.pdf",
                       ".briefing/pack-front.pdf", ".briefing/pack-history.pdf",
                       ".briefing/pack-folios.pdf"}  # the pack has more pages: the new question's
    assert "packs/questions-digital.pdf" not in changed  # digital's questions did not change

    # Marks beside the items, in reading order: the edited answer, the new question, its answer.
    assert marks(output / "sheets/01-portal.pdf") == ["更新", "新", "新"]
    assert marks(output / "sheets/02-second.pdf") == []
    assert "回答の本文を改めました。" in text_of(output / "sheets/01-portal.pdf")
    # A sheet with marks says what they compare with; one without says nothing of it.
    assert "新更新は第1版（2024年3月1日）からの変更" in text_of(output / "sheets/01-portal.pdf", 6.5)
    assert "からの変更" not in text_of(output / "sheets/02-second.pdf", 6.5)
    assert "委員会としての見解を述べた回答です。" in text_of(output / "sheets/01-portal.pdf")

    history = text_of(output / ".briefing/pack-history.pdf", size=8.5).replace(" ", "")
    assert "第1版" in history and "2024年3月1日" in history and "未発行の変更" in history
    assert "論点1「マイナポータル」質問(1)へのデジタル庁の回答" in history
    assert "portal" not in history  # readers' words, never ids

    result = run("changes")
    assert result.output.splitlines() == [
        "第1版 2024-03-01：初版",
        "未発行の変更（前版以降）",
        "  更新 表紙の事項（ヒアリング・報告・機関）  content/report.yaml:8",  # a body was added
        "  更新 論点1「マイナポータル」 質問(1)へのデジタル庁の回答  content/answers/digital.yaml:2",
        "  新　 論点1「マイナポータル」 質問(2)  content/answers/ppc.yaml:5",
        "  新　 論点1「マイナポータル」 質問(2)への個人情報保護委員会の回答  content/answers/ppc.yaml:10",
    ]


def test_marks_stay_after_release_and_survive_deleting_the_output(released, run):
    released.write("answers/digital.yaml", """
        answers:
          - question: portal
            body: digital
            text: 書き換えた回答です。
        """)
    assert run("release", "--date", "2024-04-01").exit_code == 0
    output = released.root / "output"
    for _ in range(2):  # once as built, once after the output folder is gone
        assert run("build", "--workers", "1").exit_code == 0
        assert marks(output / "sheets/01-portal.pdf") == ["更新"]  # edition 2 against edition 1
        cover = text_of(output / "packs/pack.pdf", size=10)
        assert "第2版" in cover and "未発行" not in cover
        for path in sorted(output.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
    result = run("release")
    assert result.exit_code == 1 and "nothing changed since edition 2" in result.output


def test_a_no_op_build_writes_nothing(released, run):
    output = released.root / "output"
    assert run("build").exit_code == 0  # the release changed the cover and the history
    before = {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file() and p.name != "lock"}
    result = run("build")
    assert result.exit_code == 0 and "up to date (第1版)" in result.output
    assert {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file() and p.name != "lock"} == before


def test_an_output_changed_since_it_was_written_stops_the_build_until_it_is_moved(released, run):
    """A sheet someone changed (a viewer saving notes into it, a copy over it, a damaged file) was
    written over: it is not the file briefing wrote, so it is left alone and named; once it is
    moved away, the sheet is rendered again."""
    sheet = released.root / "output" / "sheets" / "02-second.pdf"
    good = sheet.read_bytes()
    sheet.write_bytes(good[:100])
    result = run("build")
    assert result.exit_code == 1 and "output/sheets/02-second.pdf has changed since briefing wrote it" in result.output
    assert sheet.read_bytes() == good[:100]
    sheet.unlink()
    assert run("build").exit_code == 0
    assert sheet.read_bytes() == good


def test_a_renumbered_topic_leaves_no_stale_file(released, run):
    path = released.content / "second.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("number: 2", "number: 3"), encoding="utf-8")
    assert run("build").exit_code == 0
    sheets = sorted(p.name for p in (released.root / "output" / "sheets").iterdir())
    assert sheets == ["01-portal.pdf", "03-second.pdf"]


def test_questions_sheet_has_the_questions_alone(minimal_built):
    path = minimal_built / "output" / "packs" / "questions-digital.pdf"
    text = text_of(path)
    assert "質問の本文" in text and "回答の本文" not in text
    assert "デジタル庁御中" in text_of(path, size=14).replace("\u3000", "")


def test_follow_up_to_an_unknown_topic_is_an_error(project, run):
    project.write("round2.yaml", """
        questions:
          - topic: portl
            id: again
            to: [digital]
            text: 再質問です。
        """)
    result = run("check")
    assert result.exit_code == 1
    assert "content/round2.yaml:2:12: questions[0].topic: unknown topic 'portl' (did you mean 'portal'?)" in result.output.splitlines()


def test_editions_file_damaged_is_a_clear_error(released, run):
    (released.content / "editions.yaml").write_text("editions:\n  - number: 1\n", encoding="utf-8")
    result = run("build")
    assert result.exit_code == 1
    assert result.output.startswith("content/editions.yaml:2:5: editions[0]: is not as `briefing release` wrote it")


@pytest.mark.parametrize("edit, line", [
    # a date as people write it: the form to write, where it stands (was 1:1, "not as release wrote it")
    (lambda text: text.replace("date: 2024-03-01", "date: 令和6年3月1日"),
     "content/editions.yaml:6:9: editions[0].date: expected a date as YYYY-MM-DD, got '令和6年3月1日': write 2024-03-01"),
    # a line indented out of place: said as a content file's is (was PyYAML's own words, at 1:1)
    (lambda text: text.replace("\n    question/", "\n   question/", 1),
     "(the indentation is off: line this up with the lines at its level)"),
    # a day that does not exist: said as in a content file (an internal error)
    (lambda text: text.replace("date: 2024-03-01", "date: 2024-02-30"),
     "content/editions.yaml:6:9: editions[0].date: there is no such date as '2024-02-30': 2024-02 has 29 days"),
    # emptied: the editions released were forgotten, and the packs printed no history
    (lambda text: "", "content/editions.yaml:1:1: the editions file is empty, so the editions released are no "
                      "longer known"),
])
def test_a_mistake_in_the_editions_file_is_said_by_check_where_it_stands(released, run, edit, line):
    """`check` said nothing of them, and `build` then refused the content."""
    path = released.content / "editions.yaml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    for command in ("check", "build"):
        result = run(command)
        assert result.exit_code == 1 and len(result.output.splitlines()) == 1 and line in result.output, result.output


def test_release_date_defaults_to_today(project, run):
    assert run("release").exit_code == 0
    assert f"date: {datetime.date.today().isoformat()}" in (project.content / "editions.yaml").read_text()


def test_watch_rebuilds_on_save_and_keeps_the_last_good_pdfs(project):
    import queue
    import subprocess
    import sys
    import threading

    process = subprocess.Popen([sys.executable, "-m", "briefing", "watch", "--workers", "1"], cwd=project.root,
                               stderr=subprocess.PIPE, text=True, encoding="utf-8")
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stderr], daemon=True).start()

    def wait_for(text: str) -> list[str]:
        seen = []
        while True:
            try:
                line = lines.get(timeout=60)
            except queue.Empty:
                raise AssertionError(f"no {text!r} after: {seen}") from None
            seen.append(line)
            if text in line:
                return seen

    sheet = project.root / "output" / "sheets" / "01-portal.pdf"
    try:
        wait_for("watching")
        good = sheet.read_bytes()
        project.write("answers/digital.yaml", "answers:\n  - question: portal\n    body: digital\n    text: 回答[^nope]\n")
        seen = wait_for("not built")
        assert any("content/answers/digital.yaml:4:13: answers[0].text: unknown note 'nope'" in line for line in seen)
        assert sheet.read_bytes() == good
        project.write("answers/digital.yaml", "answers:\n  - question: portal\n    body: digital\n    text: 直した回答。\n")
        wait_for("built ")
        assert "直した回答。" in text_of(sheet)
        assert process.poll() is None  # errors never stopped it
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_replaced_font_renders_everything_again(project):
    import shutil

    from .conftest import ROOT

    shutil.copytree(ROOT / "fonts", project.root / "fonts")
    built = Project.at(project.root)
    build(built)
    sheet = project.root / "output" / "sheets" / "01-portal.pdf"
    before = sheet.read_bytes()
    mincho = project.root / "fonts" / "BIZUDMincho-Regular.ttf"
    mincho.write_bytes((project.root / "fonts" / "BIZUDGothic-Regular.ttf").read_bytes())
    result = build(built)
    assert "sheets/01-portal.pdf" in [o.file for o in result.written]
    assert sheet.read_bytes() != before


def test_an_edited_template_is_rendered_by_the_next_build_of_the_same_process(project):
    """`watch` keeps its templates compiled between builds: a template edited between two builds
    (however soon, and of the same size) is the one the second build fills in."""
    import shutil

    from .conftest import ROOT

    shutil.copytree(ROOT / "templates", project.root / "templates")
    built = Project.at(project.root)
    build(built)
    sheet_html = project.root / "templates" / "sheet.html"
    text = sheet_html.read_text(encoding="utf-8")
    assert text.count("論点") >= 1
    mtime = sheet_html.stat().st_mtime_ns
    sheet_html.write_text(text.replace("論点", "課題", 1), encoding="utf-8")
    os.utime(sheet_html, ns=(mtime, mtime))  # as if saved within the same tick of the clock
    result = build(built)
    assert "sheets/01-portal.pdf" in [o.file for o in result.written]
    with pdfplumber.open(project.root / "output" / "sheets" / "01-portal.pdf") as pdf:
        assert "課題1" in pdf.pages[0].extract_text().replace(" ", "")


def test_a_template_saved_during_a_build_is_the_next_build_s_and_an_undo_is_undone(project, monkeypatch):
    """A build fills in the templates as it read them for its digest: one saved while it runs is
    left to the next build, and saving the old one back builds the old one again."""
    import shutil

    from briefing import build as building

    from .conftest import ROOT

    shutil.copytree(ROOT / "templates", project.root / "templates")
    sheet_html = project.root / "templates" / "sheet.html"
    first = sheet_html.read_text(encoding="utf-8")
    second = first.replace("論点", "課題", 1)
    read = building.template_sources

    def saved_meanwhile(project_):
        sources = read(project_)
        sheet_html.write_text(second, encoding="utf-8")  # saved just after the build read it
        return sources

    def label() -> str:
        with pdfplumber.open(project.root / "output" / "sheets" / "01-portal.pdf") as pdf:
            text = pdf.pages[0].extract_text().replace(" ", "")
        return "課題1" if "課題1" in text else "none"  # the sheet's label as sheet.html has it

    built = Project.at(project.root)
    monkeypatch.setattr(building, "template_sources", saved_meanwhile)
    build(built)
    assert label() == "none"
    monkeypatch.setattr(building, "template_sources", read)
    build(built)
    assert label() == "課題1"
    sheet_html.write_text(first, encoding="utf-8")  # undone
    build(built)
    assert label() == "none"


def test_a_changed_title_is_a_change_too(released, run):
    path = released.content / "topics.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: マイナポータル", "title: マイナポータルの根拠"),
                    encoding="utf-8")
    result = run("changes")
    assert "  更新 論点1「マイナポータルの根拠」 題・見出し・要点  content/topics.yaml:2" in result.output.splitlines()
    assert run("build").exit_code == 0
    assert marks(released.root / "output" / "sheets/01-portal.pdf") == ["更新"]  # beside 論点 1
    assert run("release", "--date", "2024-04-01").exit_code == 0


def test_history_names_notes_and_removed_items_as_readers_see_them(released, run):
    """A note by its sheet and number; a question removed after a release by the name it had then."""
    path = released.content / "second.yaml"
    path.unlink()
    released.write("notes.yaml", """
        notes:
          - id: extra
            text: 追加した注。
        """)
    released.write("answers/digital.yaml", """
        answers:
          - question: portal
            body: digital
            text: 書き直した回答[^extra]です。
        """)
    result = run("changes")
    assert result.exit_code == 0, result.output
    assert "新　 論点1 注2" in result.output  # the sheet calls second, then extra
    assert "削除 論点2「二つ目」 質問(1)" in result.output
    assert "second" not in result.output and "extra" not in result.output


def test_projects_with_the_same_templates_share_their_compiled_templates_and_no_others(tmp_path):
    """Projects built one after another in a process (a library user's, the test suite's) compile
    the same templates once; a project with a template of its own gets its own."""
    import shutil

    from briefing.incremental import template_sources
    from briefing.markup import environment

    from .conftest import ROOT, Scratch

    first, second, own = (Project.at(Scratch(tmp_path / name).root) for name in ("first", "second", "own"))
    shutil.copytree(ROOT / "templates", own.root / "templates")
    (own.root / "templates" / "sheet.html").write_text("{# its own #}\n" + (ROOT / "templates" / "sheet.html")
                                                       .read_text(encoding="utf-8"), encoding="utf-8")
    shared = environment(first, template_sources(first))
    assert environment(second, template_sources(second)) is shared
    assert environment(own, template_sources(Project.at(own.root))) is not shared
