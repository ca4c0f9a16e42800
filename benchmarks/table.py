"""Print the speed table of issue 14 for the current code: briefing against WeasyPrint alone.

    .venv/bin/python benchmarks/table.py [--runs 3] [--topics 200]

Rows, each the median of --runs whole-process runs (interleaved where two are compared):
- cold, "same work": the default content with packs.yaml holding only the lawmakers' pack in
  西暦 without pdf: (3 sheets + that pack), against WeasyPrint alone writing the same HTML
  documents in one process (the engine's floor, without our pipeline);
- cold, the default project (8 PDFs, PDF/UA + PDF/A + large-type handout), beside WeasyPrint alone
  laying out each document that build renders once and writing it once per PDF variant, in a
  fresh process, and what two cores sharing that work perfectly would take at best;
- one answer edited: one-shot `build`, and under `watch` (same work, default project), beside
  the work WeasyPrint alone does on the documents the edit changes (each laid out once and
  written once per variant, warm, with none of the tries that set a sheet well);
- nothing changed;
- the 200-topic corpus: cold with 1 and 2 workers, an edit under watch, peak memory, and the
  growth of temporary space (/tmp/weasyprint-*, output/.briefing/tmp) over the whole run.
Figures, not assertions: the machines are small and shared; read them as ranges.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build import WATCH_DEBOUNCE, build, edit_one_answer, watched_edit  # noqa: E402
from corpus import make  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAME_WORK = """packs:
  - id: lawmakers
    title: 議員事務所向け資料
    audience: 議員事務所
    addressee: 福島みずほ参議院議員事務所　御中
    style: lawmakers
    dates: seireki
"""
# WeasyPrint alone, in a fresh process: each HTML file given, written to PDF with the fonts.
BY_HAND = """
import sys
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
fonts = FontConfiguration()
for path in sys.argv[2:]:
    HTML(filename=path, base_url=sys.argv[1]).write_pdf(font_config=fonts)
"""

# The documents a build of a project renders, recorded: each one's HTML and the PDF variants
# written of it. With the benchmarks' folder given, the project is built first and one answer
# edited: the documents an edit changes.
RECORD = """
import json, sys
from pathlib import Path
from briefing import render
from briefing.build import build
from briefing.project import Project
root = Path(sys.argv[1])
if len(sys.argv) > 3:
    sys.path.insert(0, sys.argv[3])
    from build import edit_one_answer
    build(Project.at(root))
    edit_one_answer(root)
recorded, rendering = [], render.Renderer.render_alike
def record(self, pages):
    recorded.append((pages[0].html, [p.variant or None for p in pages]))
    return rendering(self, pages)
render.Renderer.render_alike = record
build(Project.at(root))
Path(sys.argv[2]).write_text(json.dumps(recorded), encoding="utf-8")
"""
# WeasyPrint alone on those documents, in a fresh process: each laid out once and written once
# per variant, as a build with no tries to set it well would; the seconds of each of N passes
# (the first loads the fonts; WeasyPrint's import is not in it).
FLOOR = """
import json, sys, time
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
fonts, documents = FontConfiguration(), json.loads(open(sys.argv[2], encoding="utf-8").read())
for _ in range(int(sys.argv[3])):
    started = time.perf_counter()
    for html, variants in documents:
        document = HTML(string=html, base_url=sys.argv[1]).render(font_config=fonts)
        for variant in variants:
            document.write_pdf(pdf_variant=variant)
    print(time.perf_counter() - started)
"""


def floor(root: Path, scratch: Path, passes: int, edited: bool = False) -> tuple[list, float, list[float]]:
    """WeasyPrint alone on the documents a cold build of `root` renders (or, `edited`, an edit of
    one answer): (the documents, the whole process's seconds, each pass's seconds)."""
    documents = scratch / f"documents-{root.name}.json"
    shutil.rmtree(root / "output", ignore_errors=True)
    subprocess.run([sys.executable, "-c", RECORD, str(root), str(documents),
                    *([str(Path(__file__).resolve().parent)] if edited else [])], capture_output=True, check=True,
                   cwd=ROOT)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", FLOOR, (ROOT / "templates").as_uri() + "/", str(documents),
                           str(passes)], capture_output=True, text=True, check=True, cwd=root)
    whole = time.perf_counter() - started
    return json.loads(documents.read_text(encoding="utf-8")), whole, [float(line) for line in done.stdout.split()]


def edit_floor(root: Path, scratch: Path) -> tuple[int, int, float]:
    """WeasyPrint alone on the documents one edited answer changes, warm: (documents, writes, seconds
    of work in one process: the median of three passes after a first)."""
    documents, _whole, passes = floor(root, scratch, 4, edited=True)
    return len(documents), sum(len(variants) for _html, variants in documents), statistics.median(passes[1:])


def cold_floor(root: Path, scratch: Path) -> tuple[float, float, int]:
    """WeasyPrint alone on every document a cold build of `root` renders, in a fresh process:
    (its whole time, the part that two cores could share, the documents)."""
    documents, whole, passes = floor(root, scratch, 1)
    return whole, passes[0], len(documents)


def project(scratch: Path, name: str, packs: str | None = None) -> Path:
    root = scratch / name
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(ROOT / "content", root / "content")
    if packs is not None:
        (root / "content" / "packs.yaml").write_text(packs, encoding="utf-8")
    return root


def cold(root: Path, scratch: Path, workers: int = 2) -> float:
    shutil.rmtree(root / "output", ignore_errors=True)
    cache = scratch / f"cache-{root.name}"
    shutil.rmtree(cache, ignore_errors=True)
    return build(root, workers, cache).wall


def html_of(root: Path, folder: Path) -> list[Path]:
    """The HTML of every document a cold build of `root` renders, written to `folder`."""
    sys.path.insert(0, str(ROOT))
    from briefing import assemble
    from briefing.build import validate
    from briefing.incremental import template_sources
    from briefing.markup import Markup
    from briefing.project import Project

    built = Project.at(root)
    content, _ = validate(built)
    markup = Markup(built, content, template_sources(built))
    sheets = assemble.sheets(content)
    spec = content.packs[0]
    pack = assemble.pack(content, spec, sheets, {s.id: 1 for s in sheets})
    pages = [markup.sheet(s, s.file) for s in sheets] + [markup.pack_front(pack, "front.pdf", assemble.DEFAULT)]
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for index, page in enumerate(pages):
        files.append(folder / f"{index}.html")
        files[-1].write_text(page.html, encoding="utf-8")
    return files


def by_hand(root: Path, files: list[Path]) -> float:
    """WeasyPrint alone on `files`, as a whole process (start and imports included, as ours are)."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", BY_HAND, (ROOT / "templates").as_uri() + "/", *map(str, files)],
                   capture_output=True, check=True, cwd=root)
    return time.perf_counter() - started


def edited(root: Path, scratch: Path) -> float:
    cache = scratch / f"cache-{root.name}"
    edit_one_answer(root)
    return build(root, 2, cache).wall


def temp_space(outputs: list[Path]) -> tuple[int, int]:
    system = sum(1 for _ in Path(tempfile.gettempdir()).glob("weasyprint-*"))
    ours = sum(p.stat().st_size for o in outputs for p in (o / ".briefing" / "tmp").rglob("*") if p.is_file())
    return system, ours


def corpus_rows(corpus: Path, scratch: Path, topics: int) -> list[tuple[str, str, str]]:
    steps = {}
    for workers in (1, 2):
        shutil.rmtree(corpus / "output", ignore_errors=True)
        steps[workers] = build(corpus, workers, scratch / "cache-corpus")
    watched = watched_edit(corpus, scratch / "cache-corpus")
    return [(f"{topics} topics: cold, 1 worker / 2 workers", "–",
             f"{steps[1].wall:.1f} s / {steps[2].wall:.1f} s ({steps[1].wall / steps[2].wall:.2f}x)"),
            (f"{topics} topics: one answer edited, under watch", "–", f"{watched:.2f} s"),
            (f"{topics} topics: peak memory (largest process)", "–", f"{max(s.rss for s in steps.values()) / 2**20:.0f} MB")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--topics", type=int, default=200)
    options = parser.parse_args()
    median = statistics.median
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        before = temp_space([])
        same, whole = project(scratch, "same", SAME_WORK), project(scratch, "default")
        files = html_of(same, scratch / "html")
        ours, hand = [], []
        for _ in range(options.runs):  # interleaved: the machine's load falls on both alike
            ours.append(cold(same, scratch))
            hand.append(by_hand(same, files))
        rows = [("cold, same work (3 sheets + the lawmakers' pack, 西暦, no pdf:)",
                 f"{median(hand):.2f} s", f"{median(ours):.2f} s ({median(ours) / median(hand):.2f}x)")]
        floors, colds = [], []
        for _ in range(options.runs):  # interleaved
            floors.append(cold_floor(whole, scratch))
            colds.append(cold(whole, scratch))
        alone, work, documents = (median(figures) for figures in zip(*floors))
        rows.append(("cold, the default project (8 PDFs)",
                     f"{alone:.2f} s ({documents:.0f} documents laid out once; on 2 cores ≥ {alone - work / 2:.2f} s)",
                     f"{median(colds):.2f} s"))
        cold_default = cold(whole, scratch)
        one_shot = median([edited(whole, scratch) for _ in range(options.runs)])
        rows.append(("one answer edited, one-shot build, default project", "–",
                     f"{one_shot:.2f} s ({one_shot / cold_default:.0%} of cold)"))
        for label, root in (("same work", same), ("default project", whole)):
            seconds = median([watched_edit(root, scratch / f"cache-{root.name}") for _ in range(options.runs)])
            documents, writes, work = edit_floor(project(scratch, f"floor-{root.name}",
                                                         SAME_WORK if root is same else None), scratch)
            rows.append((f"one answer edited, under watch, {label}",
                         f"{work:.2f} s of work ({documents} documents laid out once, {writes} writes)",
                         f"{seconds:.2f} s (after its {WATCH_DEBOUNCE} s wait for more saves)"))
        noop = median([build(whole, 2, scratch / "cache-default").wall for _ in range(options.runs)])
        rows.append(("nothing changed", "–", f"{noop:.2f} s"))

        corpus = scratch / f"corpus-{options.topics}"
        if options.topics:  # --topics 0: the default content's rows only
            make(corpus, options.topics)
            try:
                rows += corpus_rows(corpus, scratch, options.topics)
            except SystemExit as failure:  # the build refused: say so, with its first lines
                rows.append((f"{options.topics} topics", "–",
                             "build stopped: " + str(failure).splitlines()[1][:150]))
        after = temp_space([same / "output", whole / "output", corpus / "output"])
        rows.append(("temporary space after all of the above", "–",
                     f"/tmp/weasyprint-*: {after[0] - before[0]:+d} folders; output/.briefing/tmp: {after[1]} bytes"))
    width = max(len(r[0]) for r in rows)
    print(f"| {'work':{width}} | WeasyPrint alone | briefing |")
    print(f"|{'-' * (width + 2)}|---|---|")
    for work, hand_figure, ours_figure in rows:
        print(f"| {work:{width}} | {hand_figure} | {ours_figure} |")


if __name__ == "__main__":
    main()
