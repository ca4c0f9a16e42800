"""Run the pipeline: load → check → assemble → HTML → render what changed → join → write.

Every document's HTML is made on each build (cheap); a document is rendered again only when
its HTML, fonts or rendering stack differ from what the manifest records for the file on
disk. The pack joins the sheets' own PDFs, so it never lays a sheet out a second time.
"""

from __future__ import annotations

import hashlib
import importlib
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache, partial
from pathlib import Path

from typing import TYPE_CHECKING

from .errors import BriefingError, ContentError, Problem, RenderError, UsageError, Where
from .i18n import N_, _
from .incremental import (Job, Templates, entries, inputs, intact, on_disk, read_manifest, resources, stack,
                          template_sources, unchanged)
from .project import EDITIONS, Project, display
from .packing import PARTS, PDF_VARIANTS, Fronts, Output, Packing, editions, sheet_file  # noqa: F401 (the API)
from .state import locked
from .write import claim, write_outputs

if TYPE_CHECKING:
    from .markup import Page
    from .models import Content
# The rest loads only when the content must be read: a build with nothing to do stays quick.

LONG_NOTE = N_("{where}: note '{note}' is longer than the foot of a page holds, so it cannot be printed on its "
               "call's page in {file}: give its text as a paragraph of the report instead, or as two notes")
ALONE_CALL = N_("{where}: note '{note}' is called again here, on page {page} of {file}, and could not be printed "
                "again on that page: it is printed on an earlier page only. To have it on this page too, call it "
                "from a paragraph further on")
DEFERRED_NOTE = N_("{where}: note '{note}' would be printed on a later page than its call in {file}: WeasyPrint "
                   "sent it on, and starting the paragraph on a new page did not bring it back. Call it from another "
                   "paragraph, or divide this paragraph before the call (a blank line)")
@dataclass
class BuildResult:
    written: list[Output] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # outputs whose inputs had not changed
    warnings: list[str] = field(default_factory=list)
    up_to_date: bool = False
    edition: str = ""
    removed: list[str] = field(default_factory=list)  # outputs of the last build no longer made

    @property
    def unchanged(self) -> bool:
        """Nothing a reader sees changed: no PDF written or removed (a comment or a blank line was edited)."""
        return self.up_to_date or not any(not name.startswith(".") for name in
                                          [*(o.file for o in self.written), *self.removed])


def validate(project: Project, strict: bool = False) -> tuple[Content, list[Problem]]:
    """Load and check the content; raise ContentError on errors (and on warnings when strict)."""
    content, problems, _record = checked(project, strict)
    return content, problems


def checked(project: Project, strict: bool = False) -> tuple[Content, list[Problem], tuple[bytes | None, tuple]]:
    """`validate`'s content and problems, and the editions file as read with them (its bytes, None if
    there is none, and its editions): `check` says what `build` would refuse in it too, and `build`
    reads it once."""
    from . import editions
    from .characters import FONTS, charset
    from .check import check
    from .load import load

    content = load(project.content, partial=True)  # checked even where it failed to load: every error in one run
    problems = [*content.problems, *check(content, charset(tuple(project.font(name) for name in FONTS)))]
    path, record = project.content / EDITIONS, (None, ())
    if display(path) not in {problem.where.path for problem in problems}:  # a link or no file: the scan's error
        try:
            data = editions.recorded(path)
            record = (data, editions.parse(path, data) if data is not None else ())
        except ContentError as error:
            problems += error.problems
    if any(not p.warning or strict for p in problems):
        raise ContentError(problems)
    return content, sorted(problems, key=lambda p: p.where), record


def _preload() -> None:
    try:
        from . import engine

        engine.load()
        importlib.import_module("briefing.render")
    except Exception:
        pass  # the build imports it again where it is needed, and reports the failure there


def build(project: Project, strict: bool = False, workers: int = 1,
          progress: Callable[[str], None] = lambda _: None, pack: str | None = None, wait: bool = False) -> BuildResult:
    """Build what changed (of one pack, if `pack` names it); nothing is written unless all rendered.

    With `wait`, a build already writing to the same output folder is waited for, not refused.
    """
    claim(project.output, [("project", project.root), ("content", project.content),
                           *(("templates", f) for f in project.templates), *(("fonts", f) for f in project.fonts)])
    with locked(project.output, wait, progress):  # first: a killed build's change is put right
        templates = template_sources(project)
        digest = resources(project, templates)
        previous = read_manifest(project.output)
        now = on_disk(project)
        if now is not None and previous.get("inputs") == inputs(digest, strict, pack, now) and intact(project.output, previous):
            return BuildResult(kept=sorted(entries(previous)), warnings=previous.get("warnings", []),
                               up_to_date=True, edition=previous.get("edition", ""))
        if "briefing.render" not in sys.modules:  # likely needed: load WeasyPrint while the content is read
            threading.Thread(target=_preload, daemon=True).start()
        content, problems, (data, released) = checked(project, strict)
        from .assemble import DEFAULT_PACKS

        read = [*content.digests, (display(project.content / EDITIONS),
                                   None if data is None else hashlib.sha256(data).hexdigest())]
        specs = content.packs or DEFAULT_PACKS
        if pack and pack not in [p.id for p in specs]:
            known = ", ".join(p.id for p in specs)
            raise UsageError(_("no pack '{pack}' in {content}: the packs are {known}")
                             .format(pack=pack, content=project.content, known=known), "--pack")
        return Build(project, content, previous, digest, templates, progress).run(
            inputs(digest, strict, pack, read), released, problems, strict, workers, pack)


class Build(Packing):
    """One build: decides what to render, renders it, joins the pack and writes it all at once."""

    def __init__(self, project: Project, content: Content, previous: dict, resources: str, templates: Templates,
                 progress):
        from .markup import Markup

        self.project = project
        self.content = content
        self.manifest = previous
        self.previous = entries(previous)
        self.progress = progress
        self.markup = Markup(project, content, templates)
        self.files: dict[str, bytes] = {}
        self.records: dict[str, dict] = {}
        self.result = BuildResult()
        self.packs: dict = {}  # pack id: its assembled context, once its sheets' page counts are known
        self.assembled: dict = {}  # (pack id, its sheets' page counts, its front's): the context made of them
        self.resources = resources
        self.printed_in = {}  # `Packing.printed`, once planned

    def key(self, page: Page) -> str:
        """What a rendered file depends on: its HTML and every file it loads (fonts, by URL)."""
        return hashlib.sha256(f"{self.resources}\0{page.variant}\0{page.html}".encode()).hexdigest()

    def produce(self, jobs: list[Job], workers: int, later: Fronts | None = None) -> dict[str, dict]:
        """Render the documents whose inputs changed; return every document's record.

        A job whose source (its assembled context, the templates, fonts and tool) is what the
        manifest records, with its file intact, is kept without even making its HTML. Else
        its HTML is made, and it is rendered unless that HTML is what was rendered before.
        Each document is recorded as it comes; `later`, if given, is asked each time for the
        jobs that can be made now (a pack's front matter, once its sheets' page counts are
        known), which are rendered beside the documents left and recorded too.
        """
        fresh = self.fresh(jobs)
        if later is not None:
            fresh += self.fresh(later.ready())  # the documents kept may be all it waits for
        if not fresh:
            return {job.name: self.records[job.name] for job in jobs}
        from . import engine

        engine.load()  # WeasyPrint loads only when something must be rendered, and fast
        from .workers import render_all

        made_by = {id(page): job for page, job in fresh}  # each page is its own job's, whatever its name

        def arrived(done: list) -> list[Page]:  # each document as it comes
            for page, rendered in done:
                self.record(page, made_by[id(page)], rendered)
            made = self.fresh(later.ready()) if later is not None else []
            fresh.extend(made)
            made_by.update((id(page), job) for page, job in made)
            return [page for page, job in made]

        waited = later.waited() if later is not None else frozenset()
        rendered_all = render_all(self.project, [page for page, job in fresh], workers, self.progress, arrived, waited)
        misplaced = [_(LONG_NOTE if note in rendered.too_long else DEFERRED_NOTE)
                     .format(where=job.calls.get(note, job.name), note=note, file=self.shown(job.name)[0])
                     for (page, job), rendered in zip(fresh, rendered_all) for note in rendered.misplaced]
        if misplaced:
            raise RenderError("\n".join(misplaced))
        return {job.name: self.records[job.name] for job in jobs}

    def record(self, page: Page, job: Job, rendered) -> None:
        self.files[page.name] = rendered.data
        self.records[page.name] = {
            "file": page.name, "pages": rendered.pages, "source": job.source, "key": self.key(page),
            "sha256": hashlib.sha256(rendered.data).hexdigest(), "layouts": rendered.layouts,
            "warnings": [*rendered.warnings, *(self.alone_call(job, alone) for alone in rendered.alone)]}
        self.result.written = [o for o in self.result.written if o.file != page.name]  # rendered again
        self.result.written.append(Output(page.name, rendered.pages, len(rendered.data)))

    def alone_call(self, job: Job, alone: tuple[tuple[str, int], int]) -> str:
        """The warning for a repeated call of `job`'s document left without its note on its page."""
        (note, which), number = alone
        file, page = self.shown(job.name, number)
        return _(ALONE_CALL).format(where=job.calls.get((note, which), job.name), note=note, file=file, page=page)

    def fresh(self, jobs: list[Job]) -> list[tuple[Page, Job]]:
        """The jobs to render, each with its page; those whose file stands are kept meanwhile."""
        fresh: list[tuple[Page, Job]] = []
        for job in jobs:
            if self.records.get(job.name, {}).get("source") == job.source:
                continue  # made earlier in this build (foreseen) from the very same source
            record = self.previous.get(job.name)
            same_source = bool(record) and record.get("source") == job.source
            if same_source and self.intact(job.name, record):
                self.keep(job.name, record)
                continue
            page = job.page()  # the file is hashed at most once: a damaged file fails both tests
            if record and not same_source and record.get("key") == self.key(page) and self.intact(job.name, record):
                self.keep(job.name, {**record, "source": job.source})
            else:  # with what it cost the last time, for sharing the work out
                layouts = record.get("layouts") if record else None  # a damaged manifest's: left alone
                fresh.append((replace(page, layouts=layouts) if type(layouts) is int and layouts > 0 else page, job))
        return fresh

    def keep(self, name: str, record: dict) -> None:
        self.records[name] = record
        self.result.kept.append(name)

    def intact(self, name: str, record: dict) -> bool:
        return unchanged(self.project.output, name, record)

    def source(self, *context) -> str:
        """A digest of what a document is made from: its contexts (whose repr leaves out where in
        the files things were read), the templates, the fonts and the tool."""
        return hashlib.sha256("\0".join([self.resources, *map(repr, context)]).encode()).hexdigest()

    def data(self, name: str) -> bytes:
        return self.files[name] if name in self.files else (self.project.output / name).read_bytes()

    def run(self, stamp: str, released, problems: list[Problem], strict: bool, workers: int,
            only: str | None) -> BuildResult:
        """plan → render the sheets (and what can be foreseen) → front matter from the page
        counts → the packs → the manifest → write, all at once."""
        from . import assemble, editions

        content = self.content
        current = editions.items(content) if released else {}
        state = editions.state(content, released, current)
        history = editions.history(content, released, current)
        sheets = assemble.sheets(content, state.marks)
        jobs, packs, documents = self.plan(sheets, state, only)
        foreseen = self.foreseen(packs, state, history) if workers > 1 else []  # in parallel with the sheets
        later = Fronts(self, packs, state, history, foreseen) if workers > 1 else None
        records = self.produce([*jobs, *foreseen], workers, later)
        fronts = self.front_matter(packs, records, state, history, workers)
        pack_records = [*self.joined(packs, fronts, workers),
                        *({"pack": spec.id, "body": doc.body.id, **records[doc.file]} for spec, doc in documents)]
        warnings = self.warnings(problems, strict)
        manifest = {
            "inputs": stamp,
            "stack": stack(),
            "edition": state.label,
            "warnings": warnings,
            "sheets": [{"id": s.id, "title": s.topic.title, **records[s.file], "notes": [n.id for n in s.notes]}
                       for s in sheets],
            "packs": pack_records,
            "parts": [self.records[name] for name in sorted(self.records) if name.startswith(PARTS + "/")],
        }
        self.write(self.with_other_packs(manifest, only))
        self.result.warnings = warnings
        self.result.edition = state.label
        return self.result

    def plan(self, sheets, state, only: str | None):
        """The documents to render (each sheet, and each pack's own variant of it; each body's
        questions), the packs to join from them, and the questions documents by pack."""
        from . import assemble
        from .markup import Since

        content = self.content
        common = (content.hearing, content.report)
        marked = frozenset(s.id for s in sheets if any(assemble.marks_of(s)))
        since = self.markup.since = Since(state.base.number, state.base.date, marked) if state.base and marked else None

        def source(sheet, *variant) -> str:  # the legend of its marks is the sheet's own
            return self.source(*common, since and since.of(sheet), sheet, *variant)

        jobs = {s.file: Job(s.file, source(s), partial(self.markup.sheet, s, s.file), s.calls) for s in sheets}
        by_id = {s.id: s for s in sheets}
        packs, documents = [], []
        for spec in [p for p in content.packs or assemble.DEFAULT_PACKS if only in (None, p.id)]:
            variant = assemble.Variant(spec.dates, spec.large)
            if spec.style == "questions":
                for doc in assemble.questions(content, spec, state.marks):
                    documents.append((spec, doc))
                    jobs[doc.file] = Job(doc.file, self.source(*common, doc, variant, spec.title),
                                         partial(self.markup.questions, doc, spec.title, variant), doc.calls)
                continue
            chosen = [by_id[t.id] for t in assemble.chosen_topics(content, spec)]
            for sheet in chosen:  # a variant another pack (or the handouts) has is planned once
                file = sheet_file(sheet, variant)
                if file not in jobs:
                    jobs[file] = Job(file, source(sheet, variant), partial(self.markup.sheet, sheet, file, variant),
                                     sheet.calls)
                if self.editions_of(spec):  # its HTML made once for the sheet and its editions' parts
                    jobs[file] = replace(jobs[file], page=cache(jobs[file].page))
                    jobs.update((job.name, job) for job in editions(jobs[file], self.editions_of(spec)))
            packs.append((spec, variant, chosen))
        self.printed(packs)
        return list(jobs.values()), packs, documents

    def warnings(self, problems: list[Problem], strict: bool) -> list[str]:
        # in one order, whichever were rendered now; once each (a pack's part and its editions' say the same)
        rendered = list(dict.fromkeys(warning for name in sorted(self.records)
                                      for warning in self.records[name].get("warnings", [])))
        if strict and rendered:
            raise RenderError("\n".join([*rendered, _("--strict: rendering warnings fail the build")]))
        return [str(p) for p in problems] + rendered

    def with_other_packs(self, manifest: dict, only: str | None) -> dict:
        """With --pack, the other packs stay as they were, with their files, if the content still has them."""
        if not only:
            return manifest
        from .assemble import DEFAULT_PACKS

        kept_packs = {p.id for p in self.content.packs or DEFAULT_PACKS} - {only}
        manifest["packs"] += [r for r in self.manifest.get("packs", [])
                              if isinstance(r, dict) and r.get("pack") in kept_packs]
        listed = entries(manifest)
        manifest["parts"] += [r for r in self.manifest.get("parts", []) if isinstance(r, dict)
                              and r.get("file") not in listed and str(r.get("file", "")).startswith(PARTS)]
        return manifest

    def write(self, manifest: dict) -> None:
        """Every file rendered or joined, and the manifest, at once; the last build's files no longer made go."""
        produced = set(entries(manifest))
        stale = [name for name in self.previous if name not in produced]
        shown = [name for name in self.files if not name.startswith(PARTS + "/")]  # not the packs' own parts
        self.result.removed = stale
        if shown:
            self.progress(_("writing {count} PDFs to {output}").format(count=len(shown),
                                                                        output=display(self.project.output)))
        try:
            write_outputs(self.project.output, self.files, manifest, remove=stale,
                          owned={name: entry.get("sha256") for name, entry in self.previous.items()})
        except OSError as error:
            where = error.filename2 or error.filename or self.project.output
            raise BriefingError(_("cannot write {file}: {reason}; nothing was changed in the output folder")
                                .format(file=display(Path(where)), reason=error.strerror or error)) from None
