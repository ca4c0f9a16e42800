"""The packs of a build: their front matter (cover, summary, contents, history), rendered once
the sheets' page counts are known (or foreseen from the last build's), and each pack joined
from its parts' PDFs with its folios laid over. A pack's PDF/UA and PDF/A editions are joined
the same way, from its parts written again in that variant from the same layout (`editions`).

`Packing` is part of `build.Build`, whose bookkeeping (`produce`, `records`, `files`) it uses.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import RenderError
from .i18n import _
from .incremental import Job, stack
from .outputs import STYLES_WITH_EDITIONS, PDF_NAMES, pack_file
from .write import STATE

if TYPE_CHECKING:
    from .build import Build

PARTS = STATE  # the packs' own rendered pages (cover, contents, history) and variant sheets, kept for reuse
PDF_VARIANTS = {"ua": "pdf/ua-1", "a": "pdf/a-3u"}  # a pack's pdf: values, as WeasyPrint names them
FRONT_FITS = 12  # sheets whose summary and contents fit the front matter's first guess of 2 pages



@dataclass
class Output:
    file: str
    pages: int
    size: int


def edition_file(file: str, pdf: str) -> str:
    """Where a pack's part is kept written in a PDF variant (a pack's pdf: value), for its edition."""
    return f"{PARTS}/{PDF_NAMES[pdf]}/{file.removeprefix(PARTS + '/')}"


def edition_part(file: str, pdf: str) -> str:
    """The part an edition's part (in folder `pdf`) is written from."""
    return f"{PARTS}/{file.removeprefix(f'{PARTS}/{pdf}/')}"


def editions(job: Job, pdfs) -> list[Job]:
    """The job's part written in each of these PDF variants too: the same HTML, so the same
    layout (`workers` lays out the documents of one HTML once), written once more each."""
    return [replace(job, name=edition_file(job.name, pdf), source=f"{job.source}\0{pdf}", page=partial(_in_variant, job, pdf))
            for pdf in pdfs]


def _in_variant(job: Job, pdf: str):
    """The job's page, to be written in the PDF variant `pdf` under its edition's name."""
    return replace(job.page(), name=edition_file(job.name, pdf), variant=PDF_VARIANTS[pdf])


def front_file(pack: str) -> str:
    """Where a lawmakers' pack's front matter (cover, summary, contents) is kept, as a part."""
    return f"{PARTS}/{pack}-front.pdf"


def history_file(pack: str) -> str:
    """Where a lawmakers' pack's revision history is kept, as a part."""
    return f"{PARTS}/{pack}-history.pdf"


HISTORY_LABEL = "改訂履歴-"  # the page label prefix of a pack's history: 改訂履歴-1


def sheet_label(sheet) -> str:
    """The page label prefix of a sheet's pages in a pack: 論点2- gives 論点2-1, 論点2-2."""
    return f"論点{sheet.topic.number}-"


def sheet_file(sheet, variant) -> str:
    """Where a sheet in `variant` is written: the sheet's own file, or a pack's part."""
    from .assemble import DEFAULT

    return sheet.file if variant == DEFAULT else f"{PARTS}/{variant.name}/{Path(sheet.file).name}"


class Fronts:
    """For `Build.produce`: each lawmakers' pack's front matter, made as soon as its sheets' page
    counts are known (and every part foreseen, if some were: the front's length is the guess it
    is made with, and no part is made while one of its name is still to come), so that it is
    rendered beside the documents its pack does not hold (the handout's, the questions), not
    after them all; `front_matter` then finds it made, or renders it again as it would have."""

    def __init__(self, build: Build, planned, state, history, foreseen: list[Job]):
        self.build, self.planned, self.state, self.history = build, planned, state, history
        self.waiting = {spec.id: {sheet_file(s, variant) for s in chosen} | {job.name for job in foreseen}
                        for spec, variant, chosen in planned if spec.style == "lawmakers"}
        # a first build hands out first what the fronts wait for; a later one could foresee them
        self.first = not all(name in build.previous for names in self.waiting.values() for name in names)

    def waited(self) -> frozenset[str]:
        """The documents to render before the others: those the fronts wait for, on a first build."""
        return frozenset(name for names in self.waiting.values() for name in names) if self.first else frozenset()

    def ready(self) -> list[Job]:
        """The jobs of the fronts that can be made now, each once."""
        now = [pack for pack in self.waiting if self.waiting[pack] <= set(self.build.records)]
        for pack in now:
            del self.waiting[pack]
        if not now:
            return []
        packs = [(spec, variant, chosen) for spec, variant, chosen in self.planned if spec.id in now]
        fronts = self.build.front_pages(packs, self.build.records, self.state, self.history,
                                        self.build.front_guesses(packs))
        return self.build.front_jobs(self.planned, fronts)


class Packing:
    """The packs' side of a build."""

    printed_in: dict[str, tuple[str, str]]  # a pack's part: the pack file it is printed in, its pages' label

    def printed(self, packs) -> None:
        """Where each pack's part is printed, for messages: a sheet in the pack's dates or type, its
        front matter and history; an editor opens the pack, not the part the build keeps."""
        for spec, variant, chosen in packs:
            for sheet in chosen:
                if sheet_file(sheet, variant) != sheet.file:
                    self.printed_in.setdefault(sheet_file(sheet, variant), (pack_file(spec.id), sheet_label(sheet)))
            self.printed_in[front_file(spec.id)] = (pack_file(spec.id), "")
            self.printed_in[history_file(spec.id)] = (pack_file(spec.id), HISTORY_LABEL)

    def shown(self, file: str, page: int | None = None) -> tuple[str, str]:
        """A document (and a page of it) as an editor finds it: (file, page or its label in the pack)."""
        base = next((edition_part(file, pdf) for pdf in PDF_NAMES.values() if file.startswith(f"{PARTS}/{pdf}/")),
                    file)
        pack, label = self.printed_in.get(base, (file, ""))
        return pack, ("" if page is None else f"{label}{page}")

    def joined(self, packs, fronts, workers: int) -> list[dict]:
        """Each pack, and each of its editions, joined from its parts' PDFs, with its folios laid over."""
        folios, laid = {}, {}
        for spec, variant, chosen in packs:
            laid[spec.id] = self.layout(spec, chosen, [p.name for p in fronts.get(spec.id, [])], variant)
            folios[spec.id] = self.markup.folios(self.packs[spec.id], f"{PARTS}/{spec.id}-folios.pdf", variant,
                                                 [kind for name, label, kind in laid[spec.id]])
        self.produce([Job(p.name, self.source(p.html), partial(lambda p: p, p)) for p in folios.values()], workers)
        return [self.join(spec, laid[spec.id], folios[spec.id].name, pdf)
                for spec, variant, chosen in packs for pdf in [None, *self.editions_of(spec)]]

    @staticmethod
    def editions_of(spec) -> list[str]:
        """The pack's PDF/UA and PDF/A editions (its pdf: values): lawmakers' packs and handouts have them."""
        return list(dict.fromkeys(spec.pdf)) if spec.style in STYLES_WITH_EDITIONS else []

    def front_matter(self, packs, records, state, history, workers):
        """Render each lawmakers' pack's cover, summary and contents, and its history (in its
        editions' variants too); return the front parts by pack.

        The contents list the page each sheet starts on, which depends on how many pages the
        front matter takes: taken from the last build (2 at first), and rendered again if wrong.
        """
        guesses = self.front_guesses(packs)
        for _ in range(3):
            fronts = self.front_pages(packs, records, state, history, guesses)
            self.produce(self.front_jobs(packs, fronts), workers)
            wrong = {pack: self.records[parts[0].name]["pages"] for pack, parts in fronts.items()
                     if self.records[parts[0].name]["pages"] != guesses[pack]}
            if not wrong:
                return fronts
            guesses.update(wrong)
        raise RenderError(_("the front matter of a pack changes length with its own page numbers: "
                            "check the project's pack templates"))

    def foreseen(self, packs, state, history) -> list[Job]:
        """The front matter as it will be if every sheet keeps its page count, to render beside
        the sheets (an edit seldom changes a count; `produce` renders again whatever came out
        otherwise). At a first build of more sheets than FRONT_FITS, with each sheet taken as one
        page: its contents' page numbers are wrong, but its own length, which they wait for, is
        learnt beside the sheets instead of after them."""
        files = [sheet_file(s, variant) for spec, variant, chosen in packs for s in chosen]
        if not any(spec.style == "lawmakers" for spec, variant, chosen in packs):
            return []
        if not all(file in self.previous for file in files):
            if len(files) <= FRONT_FITS:  # the 2 pages guessed hold them: nothing to learn
                return []
            fronts = self.front_pages(packs, {file: {"pages": 1} for file in files}, state, history,
                                      self.front_guesses(packs))
            return self.front_jobs(packs, fronts)
        return self.front_jobs(packs, self.front_pages(packs, self.previous, state, history, self.front_guesses(packs)))

    def front_guesses(self, packs) -> dict[str, int]:
        """Each pack's front matter's page count as this build (foreseen) or the last found it (2 at first)."""
        found = {**self.previous, **self.records}
        return {spec.id: found.get(front_file(spec.id), {}).get("pages", 2)
                for spec, variant, chosen in packs}

    def front_pages(self, packs, records, state, history, guesses):
        """Each lawmakers' pack's front parts, for sheets as `records` has them: of so many pages."""
        from . import assemble

        fronts = {}
        for spec, variant, chosen in packs:
            pages = {s.id: records[sheet_file(s, variant)]["pages"] for s in chosen}
            key = (spec.id, tuple(pages.items()), guesses[spec.id])  # foreseen, then made: assembled once
            if key not in self.assembled:
                self.assembled[key] = assemble.pack(self.content, spec, tuple(chosen), pages, state, history,
                                                    guesses[spec.id])
            pack = self.packs[spec.id] = self.assembled[key]
            if spec.style != "lawmakers":
                continue
            fronts[spec.id] = [self.markup.pack_front(pack, front_file(spec.id), variant)]
            if pack.history:
                fronts[spec.id].append(self.markup.pack_back(pack, history_file(spec.id), variant))
        return fronts

    def front_jobs(self, packs, fronts) -> list[Job]:
        jobs = []
        for spec, variant, chosen in packs:
            for page in fronts.get(spec.id, []):  # its notes are called from the introduction
                job = Job(page.name, self.source(page.html, page.variant), partial(lambda p: p, page),
                          self.packs[spec.id].calls)
                jobs += [job, *editions(job, self.editions_of(spec))]
        return jobs

    def layout(self, spec, sheets, around: list[str], variant) -> list[tuple[str | None, str, str]]:
        """A pack's pages as (part file or None for a blank page, page label, folio kind).

        lawmakers: cover and contents, the sheets, the history. handout: the sheets, each
        starting on a right-hand page, a blank page after a sheet of odd length.
        """
        files = [sheet_file(sheet, variant) for sheet in sheets]
        names = [*around[:1], *files, *around[1:]]
        labels = {**{f: sheet_label(s) for f, s in zip(files, sheets)}, **dict(zip(around, ["", HISTORY_LABEL]))}
        parts = []
        for name in names:
            kinds = ["cover" if name == names[0] and around else ""] + [""] * (self.records[name]["pages"] - 1)
            parts += [(name, labels[name], kind) for kind in kinds]
            if spec.style == "handout" and self.records[name]["pages"] % 2 and name != names[-1]:
                parts.append((None, "白紙", "blank"))
        return parts

    def join(self, spec, pages: list[tuple[str | None, str, str]], folios: str, pdf: str | None = None) -> dict:
        """A pack's PDF (or its edition in a PDF variant) from its parts' PDFs and its folios;
        joined again only if one of them changed."""
        parts = [(name if pdf is None or name is None else edition_file(name, pdf), label)
                 for index, (name, label, kind) in enumerate(pages)
                 if name is None or index == 0 or pages[index - 1][0] != name]
        file = pack_file(spec.id, pdf)
        shas = [self.records[name]["sha256"] if name else "blank" for name, label in parts]
        made = replace(spec, pdf=())  # which editions it has is not what this file is made of: `pdf` is
        key = hashlib.sha256(f"{stack()}\0{made!r}\0{pdf}\0{self.content.hearing.title}\0{shas}\0"
                             f"{self.records[folios]['sha256']}".encode()).hexdigest()
        shown = {"pack": spec.id, **({"pdf": PDF_VARIANTS[pdf]} if pdf else {})}
        record = self.previous.get(file)
        if record and record.get("key") == key and self.intact(file, record):
            self.keep(file, record)
            return {**shown, **record}
        from .merge import Part, merge

        self.progress(_("joining {file} from {count} parts").format(file=file, count=len(parts)))
        data = merge([Part(self.data(name) if name else None, label) for name, label in parts],
                     title=f"{spec.title} — {self.content.hearing.title}", folios=self.data(folios),
                     tagged=pdf == "ua")
        self.files[file] = data
        self.records[file] = {"file": file, "pages": len(pages), "key": key, "sha256": hashlib.sha256(data).hexdigest(),
                              "style": spec.style}
        self.result.written.append(Output(file, len(pages), len(data)))
        return {**shown, **self.records[file]}
