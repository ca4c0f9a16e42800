"""Run the pipeline: load → check → assemble → HTML → render what changed → join → write.

Every document's HTML is made on each build (cheap); a document is rendered again only when
its HTML, fonts or rendering stack differ from what the manifest records for the file on
disk. The pack joins the sheets' own PDFs, so it never lays a sheet out a second time.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import sys
import threading
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, partial
from importlib.metadata import version
from pathlib import Path

from typing import TYPE_CHECKING

from . import __version__
from .errors import BriefingError, ContentError, Problem, RenderError
from .project import Project, content_files
from .write import locked, write_atomic, write_outputs

if TYPE_CHECKING:
    from .markup import Page
    from .models import Content
# The rest loads only when the content must be read: a build with nothing to do stays quick.

FONTS = ("BIZUDMincho-Regular.ttf", "BIZUDGothic-Regular.ttf", "BIZUDGothic-Bold.ttf")
MANIFEST = "manifest.json"
PARTS = ".briefing"  # the pack's own rendered pages (cover, contents, history), kept for reuse


@dataclass
class Output:
    file: str
    pages: int
    size: int


@dataclass
class BuildResult:
    written: list[Output] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # outputs whose inputs had not changed
    warnings: list[str] = field(default_factory=list)
    up_to_date: bool = False
    edition: str = ""


def validate(project: Project, strict: bool = False) -> tuple[Content, list[Problem]]:
    """Load and check the content; raise ContentError on errors (and on warnings when strict)."""
    from .check import check
    from .load import load

    content = load(project.content)
    problems = [*content.warnings, *check(content, charset(tuple(project.font(name) for name in FONTS)))]
    if any(not p.warning or strict for p in problems):
        raise ContentError(problems)
    return content, sorted(problems, key=lambda p: p.where)


@cache
def charset(fonts: tuple[Path, ...]) -> frozenset[int]:
    """The code points every bundled font has a glyph for; cached per font file version."""
    stamp = "|".join(f"{f.resolve()}:{f.stat().st_size}:{f.stat().st_mtime_ns}" for f in fonts)
    cached = cache_folder() / f"charset-{hashlib.sha256(stamp.encode()).hexdigest()[:20]}.bin"
    try:
        return frozenset(array("I", cached.read_bytes()))
    except OSError:
        pass
    from fontTools.ttLib import TTFont

    try:
        points = frozenset.intersection(*(frozenset(TTFont(f, lazy=True).getBestCmap()) for f in fonts))
    except Exception as error:  # a damaged font file fails in many ways inside fontTools
        raise BriefingError(f"a font in {', '.join(str(f) for f in fonts)} cannot be read ({error}): "
                            "restore the font files from the project") from None
    try:
        write_atomic(cached, array("I", sorted(points)).tobytes())
    except OSError:
        pass  # a read-only home only costs the next run half a second
    return points


def cache_folder() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "briefing"


@cache
def stack() -> str:
    """The tool (its code, not only its version) and the libraries that decide the PDF bytes:
    a change to any of them renders everything again."""
    code = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        code.update(path.read_bytes())
    return f"briefing {__version__} ({code.hexdigest()[:12]}); " + "; ".join(
        f"{name} {version(name)}" for name in ("weasyprint", "pydyf", "fonttools", "pikepdf", "jinja2"))


@dataclass(frozen=True)
class Job:
    """A document to produce: its file, the digest of what it is made from, how to make its HTML."""

    name: str
    source: str
    page: Callable[[], Page]


def resources(project: Project) -> str:
    """A digest of the templates' bytes, the fonts' size and date, and the tool."""
    digest = hashlib.sha256(stack().encode())
    for folder in project.templates:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(f"\0{path}\0".encode() + path.read_bytes())
    for folder in project.fonts:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            stat = path.stat()
            digest.update(f"\0{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def inputs(project: Project, strict: bool) -> str:
    """A digest of everything a build reads; equal digests and intact outputs mean nothing to do."""
    digest = hashlib.sha256(f"{resources(project)}|strict={strict}".encode())
    for path in [*content_files(project.content), project.content / "editions.yaml"]:
        if path.is_file():
            digest.update(f"\0{path}\0".encode() + path.read_bytes())
    return digest.hexdigest()


def read_manifest(output: Path) -> dict:
    try:
        manifest = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
        return manifest if isinstance(manifest, dict) else {}
    except (OSError, ValueError):
        return {}


def sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def entries(manifest: dict) -> dict[str, dict]:
    """The manifest's records by output file name, including the pack's own parts."""
    found = {}
    for entry in [*manifest.get("sheets", []), *manifest.get("questions", []), *manifest.get("parts", []),
                  manifest.get("pack") or {}]:
        if isinstance(entry, dict) and isinstance(entry.get("file"), str):
            found[entry["file"]] = entry
    return found


def intact(output: Path, manifest: dict) -> bool:
    records = entries(manifest)
    return bool(records) and all(sha256(output / file) == entry.get("sha256") for file, entry in records.items())


def build(project: Project, strict: bool = False, workers: int = 1,
          progress: Callable[[str], None] = lambda _: None) -> BuildResult:
    """Build what changed; nothing is written unless everything rendered."""
    stamp = inputs(project, strict)
    previous = read_manifest(project.output)
    if previous.get("inputs") == stamp and intact(project.output, previous):
        return BuildResult(kept=sorted(entries(previous)), warnings=previous.get("warnings", []),
                           up_to_date=True, edition=previous.get("edition", ""))
    if "briefing.render" not in sys.modules:  # likely needed: load WeasyPrint while the content is read
        threading.Thread(target=importlib.import_module, args=("briefing.render",), daemon=True).start()
    content, problems = validate(project, strict)
    with locked(project.output):
        return Build(project, content, previous, progress).run(stamp, problems, strict, workers)


class Build:
    """One build: decides what to render, renders it, joins the pack and writes it all at once."""

    def __init__(self, project: Project, content: Content, previous: dict, progress):
        from .markup import Markup

        self.project = project
        self.content = content
        self.previous = entries(previous)
        self.progress = progress
        self.markup = Markup(project, content)
        self.files: dict[str, bytes] = {}
        self.records: dict[str, dict] = {}
        self.result = BuildResult()
        self.resources = resources(project)

    def key(self, page: Page) -> str:
        return hashlib.sha256(f"{stack()}\0{page.html}".encode()).hexdigest()

    def produce(self, jobs: list[Job], workers: int) -> dict[str, dict]:
        """Render the documents whose inputs changed; return every document's record.

        A job whose source (its assembled context, the templates, fonts and tool) is what the
        manifest records, with its file intact, is kept without even making its HTML. Else
        its HTML is made, and it is rendered unless that HTML is what was rendered before.
        """
        fresh: list[tuple[Page, Job]] = []
        for job in jobs:
            record = self.previous.get(job.name)
            if record and record.get("source") == job.source and self.intact(job.name, record):
                self.keep(job.name, record)
                continue
            page = job.page()
            if record and record.get("key") == self.key(page) and self.intact(job.name, record):
                self.keep(job.name, {**record, "source": job.source})
            else:
                fresh.append((page, job))
        if fresh:
            from .render import render_all  # WeasyPrint loads only when something must be rendered

            rendered_all = render_all(self.project, [page for page, _ in fresh], workers, self.progress)
            for (page, job), rendered in zip(fresh, rendered_all):
                self.files[page.name] = rendered.data
                self.records[page.name] = {
                    "file": page.name, "pages": rendered.pages, "source": job.source, "key": self.key(page),
                    "sha256": hashlib.sha256(rendered.data).hexdigest(), "warnings": list(rendered.warnings)}
                self.result.written.append(Output(page.name, rendered.pages, len(rendered.data)))
        return {job.name: self.records[job.name] for job in jobs}

    def keep(self, name: str, record: dict) -> None:
        self.records[name] = record
        self.result.kept.append(name)

    def intact(self, name: str, record: dict) -> bool:
        return sha256(self.project.output / name) == record.get("sha256")

    def source(self, *context) -> str:
        """A digest of what a document is made from: its contexts (whose repr leaves out where in
        the files things were read), the templates, the fonts and the tool."""
        return hashlib.sha256("\0".join([self.resources, *map(repr, context)]).encode()).hexdigest()

    def data(self, name: str) -> bytes:
        return self.files[name] if name in self.files else (self.project.output / name).read_bytes()

    def run(self, stamp: str, problems: list[Problem], strict: bool, workers: int) -> BuildResult:
        from . import assemble, editions
        from .markup import Page

        content = self.content
        released = editions.read(self.project.content)
        current = editions.items(content) if released else {}
        state = editions.state(content, released, current)
        sheets = assemble.sheets(content, state.marks)
        questions = assemble.questions(content, state.marks)
        common = (content.hearing, content.report)
        sheet_records = self.produce(
            [Job(s.file, self.source(*common, s), partial(self.markup.sheet, s)) for s in sheets] +
            [Job(q.file, self.source(*common, q), partial(self.markup.questions, q)) for q in questions], workers)
        pages = {s.id: sheet_records[s.file]["pages"] for s in sheets}
        pack = assemble.pack(content, sheets, pages, state, editions.history(content, released, current))
        around = [self.markup.pack_front(pack), *([self.markup.pack_back(pack)] if pack.history else [])]
        parts = self.produce([Job(f"{PARTS}/{p.name}.pdf", self.source(p.html), partial(Page, f"{PARTS}/{p.name}.pdf", p.html, p.what))
                              for p in around], 1)
        self.join(pack, sheets, [*parts])

        warnings = [str(p) for p in problems]
        for record in self.records.values():
            warnings += record.get("warnings", [])
        if strict and len(warnings) > len(problems):
            raise RenderError("\n".join(warnings[len(problems):]) + "\n--strict: rendering warnings fail the build")
        manifest = {
            "inputs": stamp,
            "stack": stack(),
            "edition": state.label,
            "warnings": warnings,
            "pack": self.records[pack.file],
            "sheets": [{"id": s.id, "title": s.topic.title, **sheet_records[s.file],
                        "notes": [n.id for n in s.notes]} for s in sheets],
            "questions": [{"body": q.body.id, **sheet_records[q.file]} for q in questions],
            "parts": list(parts.values()),
        }
        produced = set(entries(manifest))
        stale = [name for name in self.previous if name not in produced]
        self.progress(f"writing {len(self.files)} files to {self.project.output}")
        try:
            write_outputs(self.project.output, self.files, manifest, remove=stale)
        except OSError as error:
            raise BriefingError(f"cannot write {error.filename or self.project.output}: {error.strerror or error}; "
                                "nothing was changed in the output folder") from None
        self.result.warnings = warnings
        self.result.edition = state.label
        return self.result

    def join(self, pack, sheets, parts: list[str]) -> None:
        """The pack: front matter, each sheet's PDF, the history; joined only if one of them changed."""
        names = [parts[0], *(s.file for s in sheets), *parts[1:]]
        shas = [(self.records[name]["sha256"]) for name in names]
        key = hashlib.sha256(f"{stack()}\0{pack.title}\0{shas}".encode()).hexdigest()
        record = self.previous.get(pack.file)
        if record and record.get("key") == key and sha256(self.project.output / pack.file) == record["sha256"]:
            self.records[pack.file] = record
            self.result.kept.append(pack.file)
            return
        from .merge import Part, merge

        self.progress(f"joining {pack.file} from {len(names)} parts")
        labels = ["", *(f"論点{s.topic.number}-" for s in sheets), "改訂履歴-"]
        data = merge([Part(self.data(name), label) for name, label in zip(names, labels)])
        pages = sum(self.records[name]["pages"] for name in names)
        self.files[pack.file] = data
        self.records[pack.file] = {"file": pack.file, "pages": pages, "key": key,
                                   "sha256": hashlib.sha256(data).hexdigest()}
        self.result.written.append(Output(pack.file, pages, len(data)))
