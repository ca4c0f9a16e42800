"""Rendering: content cannot reach files or the network, output is deterministic, no tofu."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError

from briefing.build import build
from briefing.errors import RenderError
from briefing.project import Project
from briefing.boundary import ProjectFetcher

from .conftest import PACK_WITH_UA, ROOT

EDITED_ANSWER = "answers:\n  - question: portal\n    body: digital\n    text: 直した回答の本文です。\n"


@pytest.fixture
def fetcher():
    project = Project.at(ROOT)
    return ProjectFetcher(project.resources())


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    (ROOT / "content" / "topics.yaml").as_uri(),
    (ROOT / "templates" / ".." / "pyproject.toml").as_uri(),
    "https://example.org/x.png",
    "http://127.0.0.1/",
    "data:text/plain,hello",
])
def test_fetcher_refuses_everything_outside_templates_and_fonts(fetcher, url):
    with pytest.raises(PermissionError):
        fetcher.fetch(url)


def test_fetcher_serves_bundled_fonts(fetcher):
    response = fetcher.fetch((ROOT / "fonts" / "BIZUDGothic-Regular.ttf").as_uri())
    assert response.read(4) == b"\x00\x01\x00\x00"


@pytest.mark.parametrize("html", [
    '<img src="file:///etc/hostname">',
    '<link rel="attachment" href="file:///etc/hostname">',
    '<link rel="stylesheet" href="https://example.org/x.css">',
])
def test_a_refused_resource_stops_the_render(fetcher, html):
    with pytest.raises(FatalURLFetchingError):
        HTML(string=html, url_fetcher=fetcher).render().write_pdf()


def test_content_is_escaped_never_markup(project, tmp_path):
    project.write("answers/digital.yaml", """
        answers:
          - question: portal
            body: digital
            text: |
              <img src="file:///etc/hostname"> &amp; {{ 7 * 7 }}
        """)
    result = build(Project.at(project.root))
    assert result.written
    import pdfplumber
    with pdfplumber.open(project.root / "output" / "sheets" / "01-portal.pdf") as pdf:
        text = "".join(c["text"] for c in pdf.pages[0].chars)
    assert '<imgsrc="file:///etc/hostname">&amp;{{7*7}}' in text.replace(" ", "")


def test_a_missing_template_is_a_render_error(project):
    (project.root / "templates").mkdir()
    (project.root / "templates" / "sheet.html").write_text('{% include "nowhere.html" %}')
    with pytest.raises(RenderError, match="template 'nowhere.html' not found in"):
        build(Project.at(project.root))
    assert not [p for p in (project.root / "output").rglob("*") if p.relative_to(project.root / "output").parts[0] != ".briefing"]


def test_a_user_template_overrides_one_block(project):
    (project.root / "templates").mkdir()
    (project.root / "templates" / "sheet-section.html").write_text(
        '{% extends "default/sheet-section.html" %}{% block discussion %}<p>独自の結び</p>{% endblock %}')
    build(Project.at(project.root))
    import pdfplumber
    with pdfplumber.open(project.root / "output" / "sheets" / "01-portal.pdf") as pdf:
        text = "".join(c["text"] for c in pdf.pages[0].chars)
    assert "独自の結び" in text and "質問の本文" in text


def test_same_content_gives_the_same_bytes_with_any_number_of_workers(project, tmp_path):
    """One process, or this one and a forked worker (with a PDF/UA edition, whose parts are laid out
    with the pack's)."""
    from .test_safety import several_sheets

    several_sheets(project)
    project.write("packs.yaml", PACK_WITH_UA)

    def digests(output: Path, workers: int):
        said = []
        build(Project.at(project.root, output=output), workers=workers, progress=said.append)
        return said, {str(p.relative_to(output)): hashlib.sha256(p.read_bytes()).hexdigest()
                      for p in [*output.rglob("*.pdf"), output / "manifest.json"]}

    said, one = digests(tmp_path / "one", 1)
    # five sheets, the pack, its PDF/UA edition, its front matter and its folios; the front matter
    # and the five sheets written for the edition; and the manifest, with the layouts each took
    assert len(one) == 16
    said, two = digests(tmp_path / "two", 2)
    assert any("in 2 processes" in line for line in said)  # a worker did render
    assert one == two
    # the progress counts one document however many variants it is written in, as it starts so it ends
    started = next(re.match(r"rendering (\d+) documents in 2 processes", line) for line in said if "rendering" in line)
    assert f"rendered {started[1]}/{started[1]} in 2 processes" in said[said.index(started[0]) + int(started[1])]


def test_a_rebuild_after_an_edit_writes_what_a_cold_build_of_the_edit_writes(project, tmp_path):
    """The manifest too, byte for byte: its records, warnings and layout counts in one order,
    whichever documents were kept and whichever rendered now."""
    from .test_safety import several_sheets

    several_sheets(project, 3)
    project.write("packs.yaml", PACK_WITH_UA)
    project.write("warned.yaml", "notes:\n  - id: unused\n    text: 使われない注。\n")  # a warning
    build(Project.at(project.root))
    project.write("answers/digital.yaml", EDITED_ANSWER)
    rebuilt = build(Project.at(project.root), workers=2)
    assert rebuilt.kept and rebuilt.written, rebuilt  # a rebuild, not a cold build
    build(Project.at(project.root, output=tmp_path / "cold"), workers=2)
    output = project.root / "output"
    files = {p.relative_to(output) for p in output.rglob("*") if p.is_file() and p.suffix in (".pdf", ".json")}
    assert len(files) == 12 and Path("manifest.json") in files  # 3 sheets, the pack, its edition and their parts
    assert {f for f in files if (output / f).read_bytes() != (tmp_path / "cold" / f).read_bytes()} == set()


def test_templates_are_sandboxed(project):
    folder = project.root / "templates"
    folder.mkdir()
    (folder / "sheet.html").write_text('{{ cycler.__init__.__globals__.os.popen("id").read() }}')
    with pytest.raises(RenderError, match="template error"):
        build(Project.at(project.root))


def test_a_template_that_is_not_utf8_is_named_and_an_image_beside_the_templates_is_no_matter(project, run):
    folder = project.root / "templates"
    folder.mkdir()
    (folder / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64)  # never a template
    (folder / "sheet.html").write_bytes('{% extends "default/sheet.html" %}{# 論点 #}'.encode("shift_jis"))
    result = run("build")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"template 'sheet.html' ({(folder / 'sheet.html').resolve()}) is not UTF-8 text: save it as UTF-8" \
        in result.output
    (folder / "sheet.html").write_text('{% extends "default/sheet.html" %}{# 論点 #}', encoding="utf-8")
    (folder / "default").mkdir()  # a folder of the project's own named default: default/NAME is still built in
    (folder / "default" / "sheet.html").write_text("{{ no_such_value }}", encoding="utf-8")
    assert run("build").exit_code == 0


def test_the_bytes_do_not_depend_on_where_the_project_lies(project, tmp_path):
    import shutil

    digests = []
    for root in (tmp_path / "a", tmp_path / "b" / "deeper"):
        shutil.copytree(project.content, root / "content")
        shutil.copytree(ROOT / "fonts", root / "fonts")  # font files at another path, as on another machine
        build(Project.at(root))
        output = root / "output"
        digests.append({str(p.relative_to(output)): hashlib.sha256(p.read_bytes()).hexdigest()
                        for p in output.rglob("*.pdf")})
    assert digests[0] == digests[1]


def test_a_reading_prints_above_its_name(project):
    import pdfplumber

    path = project.content / "report.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "    name: デジタル庁\n", "    name: デジタル庁\n    reading: でじたるちょう\n"), encoding="utf-8")
    build(Project.at(project.root))
    with pdfplumber.open(project.root / "output" / "sheets" / "01-portal.pdf") as pdf:
        chars = pdf.pages[0].chars
    reading = [c for c in chars if abs(c["size"] - 5) < 0.01]
    assert "".join(c["text"] for c in reading) == "でじたるちょう"
    name = next(c for i, c in enumerate(chars) if "".join(x["text"] for x in chars[i:i + 5]) == "デジタル庁"
                and c["size"] > 9)
    name_end = next(c for c in chars if c["text"] == "庁" and c["size"] > 9)
    assert all(c["bottom"] <= name["top"] + 1 for c in reading)  # above the name
    middle = (name["x0"] + name_end["x1"]) / 2
    assert abs((reading[0]["x0"] + reading[-1]["x1"]) / 2 - middle) < 1  # centred over it


def test_the_processes_take_the_costliest_document_left_each_time_they_are_free(project, tmp_path, monkeypatch):
    """Longest first, to whichever process is free: a document that costs far more than it was
    guessed to (a first build does not know which sheets cut a note over pages) is rendered by one
    process while the other renders all the rest, not half the rest after it."""
    import os
    import time

    from briefing.markup import Page
    from briefing.render import Rendered, Renderer
    from briefing.workers import longest_first, render_all

    assert longest_first(["a", "b", "c", "d"], [3, 10, 1, 5]) == ["b", "d", "a", "c"]
    pages = [Page(f"{n}.pdf", f"<p>{n}</p>", f"document {n}") for n in range(8)]  # guessed alike
    done = tmp_path / "done"
    done.mkdir()

    def render_alike(self, group):  # document 0 lasts until the seven others are rendered (20 s at most)
        if group[0].name == "0.pdf":
            waited = time.monotonic() + 20
            while len(list(done.iterdir())) < 7 and time.monotonic() < waited:
                time.sleep(0.01)
        else:
            (done / group[0].name).touch()
        return [Rendered(1, str(os.getpid()).encode(), (), (), (), 1) for _page in group]

    monkeypatch.setattr(Renderer, "render_alike", render_alike)
    made_by = [int(r.data) for r in render_all(Project.at(project.root), pages, 2)]
    assert len(set(made_by)) == 2  # two processes rendered
    assert made_by.count(made_by[0]) == 1  # the one that took the long document took nothing more


def test_work_made_ready_while_rendering_is_handed_out_at_once(project, tmp_path, monkeypatch):
    """A pack's front matter can be rendered once its sheets are, not after every document: the
    pages it waits for go first, and a page `more` returns is handed to the process that is
    free, while another is still busy with a longer one."""
    import os
    import time

    from briefing.markup import Page
    from briefing.render import Rendered, Renderer
    from briefing.workers import render_all

    made = tmp_path / "front-made"

    def render_alike(self, group):  # the long document lasts until the front is rendered (20 s at most)
        if group[0].name == "long.pdf":
            waited = time.monotonic() + 20
            while not made.exists() and time.monotonic() < waited:
                time.sleep(0.01)
        elif group[0].name == "front.pdf":
            made.touch()
        return [Rendered(1, f"{os.getpid()} {made.exists()}".encode(), (), (), (), 1) for _page in group]

    front = Page("front.pdf", "<p>front</p>", "the front matter")

    def more(done):
        return [front] if [page.name for page, rendered in done] == ["sheet.pdf"] else []

    monkeypatch.setattr(Renderer, "render_alike", render_alike)
    pages = [Page("sheet.pdf", "<p>sheet</p>", "a sheet"), Page("long.pdf", "<p>" + "long " * 99 + "</p>", "long")]
    rendered = render_all(Project.at(project.root), pages, 2, more=more, waited=frozenset({"sheet.pdf"}))
    by, front_seen = zip(*(r.data.decode().split() for r in rendered))
    assert len(rendered) == 3 and rendered[2] is not None  # the front's document follows the pages given
    assert front_seen[1] == "True" and by[1] != by[2]  # the long one ended after the front, made elsewhere


def test_a_second_build_in_one_process_with_helpers_has_every_font_and_the_bytes_of_one_process(
        project, tmp_path, monkeypatch):
    """As under `watch`: a first build whose helpers rendered everything (this process loading
    one font since, for the folios), then an edit of both sheets built with helpers again, this
    process slowed as a busy core would: each process loads the fonts it lacks into a folder of
    its own. In the build's folder, one took the other's file as loaded and printed a sheet in
    Gothic Bold alone, or wrote over a font the other had mapped (SIGBUS)."""
    import os
    import time

    from briefing.render import Renderer

    from .conftest import SECOND_TOPIC, Scratch

    build_process, slowed, rendering = os.getpid(), [], Renderer.render_alike

    def render_alike(self, group):
        if slowed and os.getpid() == build_process:
            time.sleep(0.5)
        return rendering(self, group)

    monkeypatch.setattr(Renderer, "render_alike", render_alike)
    project.write("second.yaml", SECOND_TOPIC)
    build(Project.at(project.root), workers=2)
    edited = {"answers/digital.yaml": "answers:\n  - question: portal\n    body: digital\n    text: 書き換えた回答です。\n",
              "second.yaml": SECOND_TOPIC.replace("二つ目の回答です。", "二つ目の回答を改めました。")}
    for name, text in edited.items():
        project.write(name, text)
    slowed.append(True)
    build(Project.at(project.root), workers=2)
    alone = Scratch(tmp_path / "alone")
    for name, text in edited.items():
        alone.write(name, text)
    build(Project.at(alone.root), workers=1)
    for sheet in ("01-portal.pdf", "02-second.pdf"):
        assert (project.root / "output/sheets" / sheet).read_bytes() == (alone.root / "output/sheets" / sheet).read_bytes()


def test_an_error_in_a_helper_is_said_as_that_error(project, tmp_path, monkeypatch):
    """Whatever a helper's rendering raises, an EOFError too, is said with its words: not taken
    for the helper's end, which would tell the editor it was killed."""
    import os
    import time

    from briefing.markup import Page
    from briefing.render import Renderer
    from briefing.workers import render_all

    build_process, started = os.getpid(), tmp_path / "helper-started"

    def render_alike(self, group):
        if os.getpid() != build_process:
            started.touch()
            raise EOFError("a font file ended early")
        waited = time.monotonic() + 20  # this process waits for the helper to take one (20 s at most)
        while not started.exists() and time.monotonic() < waited:
            time.sleep(0.01)
        return []  # this process's documents: not read, the helper's error stops the build

    monkeypatch.setattr(Renderer, "render_alike", render_alike)
    pages = [Page(f"{n}.pdf", f"<p>{n}</p>", f"document {n}") for n in range(4)]
    with pytest.raises(RenderError) as error:
        render_all(Project.at(project.root), pages, 2)
    assert "EOFError: a font file ended early" in str(error.value) and "stopped from outside" not in str(error.value)


def test_a_worker_killed_from_outside_stops_the_build_with_a_message(project):
    """The out-of-memory killer or a stray kill ends a worker: the pool would wait for its lost task
    forever; the build stops instead, writes nothing and leaves no process."""
    import os
    import signal
    import subprocess
    import sys

    from .test_safety import several_sheets

    several_sheets(project)
    output = project.root / "output"
    build_process = subprocess.Popen(
        [sys.executable, "-m", "briefing", "build", "--workers", "2"], cwd=project.root, start_new_session=True,
        stderr=subprocess.PIPE, text=True, env={**os.environ, "BRIEFING_FAULT": "worker"})
    try:
        assert build_process.wait(90) == 1
    finally:
        if build_process.poll() is None:
            os.killpg(build_process.pid, signal.SIGKILL)
    said = build_process.stderr.read()
    assert "a rendering process was stopped from outside" in said and "Traceback" not in said
    with pytest.raises(ProcessLookupError):
        os.killpg(build_process.pid, 0)  # no process of the build is left
    assert not (output / "manifest.json").exists()


def test_the_work_is_taken_by_what_each_document_cost_the_last_time(tmp_path):
    """A large-type sheet that took three layouts weighs more than a sheet written in three
    variants from one layout: it is taken first."""
    from briefing.markup import Page
    from briefing.workers import _alike, cost, longest_first

    large = Page("large.pdf", "大" * 1000, "large", layouts=3)
    wareki = [Page(f"wareki-{v}.pdf", "和" * 1000, "wareki", variant=v) for v in ("", "pdf/ua-1", "pdf/a-3u")]
    sheet = Page("sheet.pdf", "西" * 1000, "sheet")
    pages = [sheet, *wareki, large]
    groups = _alike(pages)
    order = longest_first(list(range(len(groups))), [cost(pages, group) for group in groups])
    assert [pages[groups[g][0]].name for g in order] == ["large.pdf", "wareki-.pdf", "sheet.pdf"]


def test_a_build_records_how_many_layouts_each_document_took(built):
    """What the next build shares the work out by: one layout for most, more where a large-type
    sheet's short last page or line was seen to (the default handout's sheets)."""
    records = [*built.manifest["sheets"], *built.manifest["parts"]]
    layouts = {r["file"]: r["layouts"] for r in records}
    assert set(layouts) == {r["file"] for r in records} and min(layouts.values()) == 1
    assert max(n for file, n in layouts.items() if "-large/" in file) > 1


def test_weasyprint_is_imported_without_the_library_search_or_as_it_would_be(tmp_path):
    """engine.load() opens the same libraries without ctypes' search, and puts the search back;
    where the first import fails (a library only the search finds), WeasyPrint is imported again."""
    import subprocess
    import sys

    probe = ("import ctypes.util, sys\n"
             "search = ctypes.util.find_library\n"
             "FAIL = sys.argv[1] == 'fail'\n"
             "class Failing:\n"
             "    def find_spec(self, name, path, target=None):\n"
             "        global FAIL\n"
             "        if name == 'weasyprint.text.ffi' and FAIL:\n"
             "            FAIL = False\n"
             "            print('advice printed before failing')\n"
             "            raise OSError('cannot load library')\n"
             "sys.meta_path.insert(0, Failing())\n"
             "from briefing import engine\n"
             "engine.load()\n"
             "from weasyprint.text import ffi\n"
             "assert ctypes.util.find_library is search\n"
             "print(sorted(n for n in ('gobject', 'pango', 'harfbuzz', 'harfbuzz_subset', 'fontconfig', 'pangoft2')\n"
             "             if getattr(ffi, n) is not None))\n")
    for mode in ("fast", "fail"):
        done = subprocess.run([sys.executable, "-c", probe, mode], capture_output=True, text=True, cwd=ROOT)
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines()[-1:] == [
            "['fontconfig', 'gobject', 'harfbuzz', 'harfbuzz_subset', 'pango', 'pangoft2']"], (mode, done.stdout)


@pytest.mark.parametrize("layouts", [None, "3", -1, 2.5])
def test_a_manifest_s_damaged_layout_count_only_goes_unused(project, minimal_built, layouts):
    """What the last build says a document cost is a hint for sharing the work out: a damaged
    one is left alone, never an internal error."""
    import json

    project.take(minimal_built)
    path = project.root / "output" / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    for record in [*manifest["sheets"], *manifest["parts"]]:
        record["layouts"] = layouts
    path.write_text(json.dumps(manifest), encoding="utf-8")
    project.write("answers/digital.yaml", EDITED_ANSWER)
    result = build(Project.at(project.root), workers=2)
    assert "sheets/01-portal.pdf" in [o.file for o in result.written]


def test_html_laid_out_already_for_a_document_is_not_laid_out_again(project):
    """Two steps of setting a document well may try the same HTML: it is laid out once, and the
    layouts are not kept past the document (`watch` keeps the renderer)."""
    from briefing.adjust import Adjusted
    from briefing.markup import Page
    from briefing.render import Renderer

    renderer = Renderer(Project.at(project.root))

    def set_well(html):  # as steps do: one HTML tried twice, another once
        first, again, other = renderer.layout(html), renderer.layout(html), renderer.layout(html + "<p>two</p>")
        assert again is first and other is not first
        return first, (), Adjusted()

    renderer.set_well = set_well
    rendered = renderer.render_alike([Page("x.pdf", "<p>one document</p>", "x")])
    assert rendered[0].layouts == 2 and rendered[0].pages == 1 and renderer.laid == {}
