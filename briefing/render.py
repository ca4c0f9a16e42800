"""HTML to PDF with WeasyPrint, in worker processes when there is more than one document.

Content never reaches a file or the network: the fetcher serves only the project's own
templates and fonts, and any refused or missing resource, or any WeasyPrint error, stops the
render. Nothing here writes a file.
"""

from __future__ import annotations

import ctypes
import functools
import logging
import mimetypes
import multiprocessing
import os
import queue
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from . import justify
from .layout import (ROUNDS, breaking_before, ended_at_their_text, misplaced_notes, short_last_lines, tall_notes,
                     tightening, without_attachments)
from .errors import RenderError
from .i18n import _
from .markup import Page
from .project import Project
from .state import scratch
from .write import fault



@dataclass(frozen=True)
class Rendered:
    """A rendered document: its page count and PDF bytes, not yet written anywhere."""

    pages: int
    data: bytes
    warnings: tuple[str, ...] = ()
    misplaced: tuple[str, ...] = ()  # notes printed on another page than their call
    too_long: tuple[str, ...] = ()  # of those, the ones taller than half a page: no layout can place them


class ProjectFetcher(URLFetcher):
    """Serves the listed files (the project's templates and fonts) and refuses every other URL."""

    def __init__(self, files: tuple[Path, ...]):
        super().__init__(allow_redirects=False, fail_on_errors=True)
        self.files = {path.resolve() for path in files}

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise PermissionError(_("refused {url}: only the project's templates and fonts may be loaded")
                                  .format(url=url[:120]))
        path = Path(unquote(parts.path)).resolve()
        if path not in self.files:
            raise PermissionError(_("refused {path}: it is not one of the project's templates and fonts")
                                  .format(path=path))
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": kind})


class LogCapture(logging.Handler):
    """Collects WeasyPrint's log while a document renders: its errors are ours."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def captured_log():
    logger = logging.getLogger("weasyprint")
    handler = LogCapture()
    logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)


class Renderer:
    """Renders pages of one project; keeps the loaded fonts between documents."""

    def __init__(self, project: Project):
        self.project = project
        self.fetcher = ProjectFetcher(project.resources())
        self.fonts = FontConfiguration()

    def render_alike(self, pages: Sequence[Page]) -> list[Rendered]:
        """Render pages of one HTML (the PDF/UA and PDF/A editions of a pack): laid out once,
        written once per PDF variant."""
        first = pages[0]
        with justify.applied(), captured_log() as records:  # Japanese justification: see justify.py
            try:
                document, html, misplaced = self.notes_at_their_calls(first.html)
                document, misplaced = self.pulled_in(document, html, misplaced)
                without_attachments(document)
                ended_at_their_text(document)
                data = [document.write_pdf(pdf_variant=page.variant or None) for page in pages]
            except FatalURLFetchingError as error:
                raise RenderError(_("while rendering {what}: {error}").format(what=first.what,
                                                                             error=error.__cause__ or error)) from None
            except Exception as error:  # WeasyPrint's or ours: say which document, keep the cause
                raise RenderError(_("while rendering {what}: {error}").format(
                    what=first.what, error=f"{type(error).__name__}: {error}")) from error
        warnings = []
        for record in records:
            message = _("while rendering {what}: {error}").format(what=first.what, error=said(record))
            if record.levelno >= logging.ERROR or ".notdef" in message:
                raise RenderError(message)
            warnings.append(message)
        long = tall_notes(document, misplaced)
        return [Rendered(len(document.pages), pdf, tuple(dict.fromkeys(warnings)), misplaced, long) for pdf in data]

    def notes_at_their_calls(self, html: str):
        """The layout of `html`, laid out again with page breaks while WeasyPrint defers a note that
        fits (it can, backtracking over a page); with the HTML laid out and the notes still away."""
        document = self.layout(html)
        broken: list[str] = []
        bare: set[str] = set()  # those a break before their heading did not bring back
        for _round in range(ROUNDS):
            misplaced = misplaced_notes(document)
            deferred = [note for note in misplaced if note not in broken]
            stubborn = {note for note in misplaced if note in broken} - bare
            if not deferred and not stubborn:
                return document, breaking_before(html, broken, bare), misplaced  # or no break helped
            broken += deferred  # each break moves the pages after it: a later note may now be deferred
            bare |= stubborn
            document = self.layout(breaking_before(html, broken, bare))
        return document, breaking_before(html, broken, bare), misplaced_notes(document)

    def pulled_in(self, document, html: str, misplaced: tuple[str, ...]):
        """`document`, or, if some of its paragraphs end on a line of a character or two, the
        layout of `html` with those paragraphs' marks set half (追い込み), when that leaves fewer
        such lines and no more notes away from their calls; with its notes away."""
        short = short_last_lines(document)
        if not short:
            return document, misplaced
        again = self.layout(tightening(html, short))
        away = misplaced_notes(again)
        if len(short_last_lines(again)) < len(short) and len(away) <= len(misplaced):
            return again, away
        return document, misplaced

    def layout(self, html: str):
        return HTML(string=html, base_url=self.project.templates[0].as_uri() + "/",
                    url_fetcher=self.fetcher).render(font_config=self.fonts)


def said(record: logging.LogRecord) -> str:
    """A WeasyPrint log message, with the reason of an exception that has no words of its own."""
    args = record.args if isinstance(record.args, tuple) else ()
    return record.msg % tuple(reason(a) if isinstance(a, BaseException) else a for a in args) if args \
        else record.getMessage()


def reason(error: BaseException) -> str:
    """Why `error` happened: its kind and message, or its cause's where it has none."""
    while not str(error) and error.__cause__ is not None:
        error = error.__cause__
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def renderer_of(project: Project) -> Renderer:
    """This process's renderer for `project` while its fonts and its temporary folder stay as they are."""
    files = tuple((p, p.stat().st_mtime_ns) for p in project.resources())
    return renderer_for(project, files, scratch(project.output, str(os.getpid()), for_life=True).stat().st_ino)


@functools.lru_cache(maxsize=2)
def renderer_for(project: Project, files: tuple, folder: int) -> Renderer:
    """One renderer per project, state of its template and font files, temporary folder and
    process: `watch` keeps its loaded fonts, and starts a new renderer when a file was added or
    changed, or the output folder was deleted meanwhile."""
    return Renderer(project)


FEW = 4  # documents per worker below which starting processes costs more than it saves


def _helper(results, shares: list[tuple[int, list[Page]]], project: Project, parent: int, folder: Path,
            warm: Renderer) -> None:
    """A helper process: renders its share of the groups with the build's own renderer (forked with
    its fonts loaded: `watch` keeps them warm) and sends each group's documents back as they come,
    or the error that stopped it. It dies with the build, and keeps new temporary files in `folder`."""
    _die_with_parent(parent)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle, not each helper's
    tempfile.tempdir = str(folder)
    try:
        for index, group in shares:
            fault("worker")  # a test kills a helper here, as the out-of-memory killer would
            results.send((index, warm.render_alike(group)))
    except BaseException as error:  # said in words: any exception need not cross a pipe
        results.send((None, error.message if isinstance(error, RenderError) else f"{type(error).__name__}: {error}"))
    finally:
        results.close()


PR_SET_PDEATHSIG = 1  # prctl(2): the signal this process gets when its parent dies


def _die_with_parent(parent: int) -> None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # not Linux: the build's own shutdown stops the helpers
    if os.getppid() != parent:  # the build died before the line above took effect
        os._exit(1)


@contextmanager
def temporary_files_in(folder: Path):
    """WeasyPrint's temporary files (the fonts it hands to Fontconfig) go into `folder` meanwhile."""
    before, tempfile.tempdir = tempfile.tempdir, str(folder)
    try:
        yield
    finally:
        tempfile.tempdir = before


def render_all(project: Project, pages: Sequence[Page], workers: int,
               progress: Callable[[str], None] = lambda _: None) -> list[Rendered]:
    """Render `pages` in order, in up to `workers` processes; the bytes do not depend on how many.

    This process renders its share, forked helpers the rest, each sending its documents back on a
    pipe of its own: no lock is shared, so a helper killed at any moment (or stopped) cannot hang
    the build, which then stops with a message. Temporary files stay inside the output folder's
    scratch space: this process's for as long as it lives (`watch` keeps its fonts loaded), the
    helpers' until they end. Helpers die with this process, however it ends.
    """
    alike: dict[str, list[int]] = {}  # documents of one HTML are laid out once
    for index, page in enumerate(pages):
        alike.setdefault(page.html, []).append(index)
    groups = list(alike.values())
    heavy = sum(any(pages[i].variant for i in group) for group in groups)  # whole packs: worth a process each
    workers = max(1, min(workers, heavy + -(-(len(groups) - heavy) // FEW)))
    if "fork" not in multiprocessing.get_all_start_methods():
        workers = 1
    results: list[Rendered | None] = [None] * len(pages)
    renderer = renderer_of(project)  # this process's: under `watch`, its fonts are loaded already
    done = 0

    def render(group: list[int], rendered: list[Rendered]) -> None:
        nonlocal done
        for i, one in zip(group, rendered):
            results[i] = one
        done += 1
        progress((_("rendered {done}/{total}: {what}") if workers == 1 else
                  _("rendered {done}/{total} in {workers} processes: {what}")).format(
            done=done, total=len(groups), workers=workers, what=pages[group[0]].what))

    own, *others = [sorted(share) for share in  # each in document order: what is shared out is the load
                    shares(list(range(len(groups))), [len(pages[g[0]].html) * len(g) for g in groups], workers)]
    if workers > 1:
        progress(_("rendering {count} documents in {workers} processes").format(count=len(pages), workers=workers))
    parent, helpers = os.getpid(), []
    folder = scratch(project.output, f"{parent}-workers") if workers > 1 else None
    try:
        for share in others:
            context = multiprocessing.get_context("fork")  # helpers inherit WeasyPrint, imported, and this renderer
            receiving, sending = context.Pipe(duplex=False)
            helper = context.Process(target=_helper, daemon=True, args=(
                sending, [(index, [pages[i] for i in groups[index]]) for index in share], project, parent, folder,
                renderer))
            helper.start()
            sending.close()  # this process keeps the reading end alone: a helper that dies ends its pipe
            helpers.append((helper, receiving, len(share)))
        arriving = Received(helpers)
        fault("rendering")
        with temporary_files_in(scratch(project.output, str(parent), for_life=True)):
            for index in own:  # this process renders its share meanwhile: one process fewer to start
                render(groups[index], renderer.render_alike([pages[i] for i in groups[index]]))
        for index, rendered in arriving:
            render(groups[index], rendered)
        return results
    finally:  # on any error, Ctrl-C or SIGTERM too: no helper outlives the build
        for helper, receiving, _count in helpers:
            if helper.is_alive():
                helper.kill()  # SIGKILL: ends a stopped process too
            helper.join()
            receiving.close()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


class Received:
    """What the helpers send, taken off their pipes as it comes, by a thread, while this process
    renders its own share: a helper blocks on a full pipe until its documents are read."""

    def __init__(self, helpers: list):
        self.helpers = helpers
        self.arrived: queue.SimpleQueue = queue.SimpleQueue()
        for helper, receiving, _count in helpers:
            threading.Thread(target=self.pump, args=(helper, receiving), daemon=True).start()

    def pump(self, helper, receiving) -> None:
        while True:
            try:
                self.arrived.put((helper, receiving.recv()))
            except (EOFError, OSError):  # it ended, its pipe with it (or this build closed the pipe)
                self.arrived.put((helper, None))
                return

    def __iter__(self) -> Iterator[tuple[int, list[Rendered]]]:
        """Each group a helper rendered (its index, its documents); a helper's error is raised, and
        one that ended before sending all its groups (killed from outside) is an error."""
        left = {helper: count for helper, _receiving, count in self.helpers}
        while any(left.values()):
            helper, message = self.arrived.get()
            if message is None:
                if left[helper]:
                    helper.join()
                    raise RenderError(_("a rendering process was stopped from outside (exit status {code}), "
                                        "perhaps for lack of memory: nothing was written; build again")
                                      .format(code=helper.exitcode))
                continue
            index, rendered = message
            if index is None:
                raise RenderError(rendered)
            left[helper] -= 1
            yield index, rendered


def shares(groups: list, costs: list[int], workers: int) -> list[list]:
    """The groups each of `workers` processes renders, this one's first: longest first, each to
    whichever process has the least to do so far, so that all end about together."""
    shared: list[list] = [[] for _ in range(workers)]
    loads = [0] * workers
    for cost, group in sorted(zip(costs, groups), key=lambda pair: -pair[0]):
        least = loads.index(min(loads))
        shared[least].append(group)
        loads[least] += cost
    return shared
