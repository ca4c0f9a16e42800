"""Rendering many documents at once: forked helpers each take the costliest document left
whenever they are free, handed out by this process, which takes in what they send back; a
helper is handed its documents on a pipe of its own and sends them back on another.

No lock is shared, so a helper killed at any moment (or stopped) cannot hang the build; helpers
die with the build however it ends, and keep their temporary files in the output folder's
scratch space. The bytes of each document do not depend on how many processes made them.
"""

from __future__ import annotations

import collections
import ctypes
import gc
import multiprocessing
import os
import queue
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from multiprocessing import connection
from pathlib import Path

from .errors import RenderError
from .i18n import _
from .markup import Page
from .project import Project
from .render import Rendered, Renderer, renderer_of
from .state import scratch
from .write import fault

WRITE = 0.5  # a document's writing, as a share of its layout


def _helper(tasks, results, groups: list[list[Page]], parent: int, folder: Path, warm: Renderer) -> None:
    """A helper process: renders the groups the build hands it, one at a time, with the build's own
    renderer (forked with its fonts loaded: `watch` keeps them warm), and sends each back as it
    comes, or the error that stopped it. It stops when handed None, dies with the build, and keeps
    new temporary files in `folder`: the fonts it loads that the build had not, too, in a folder of
    its own (WeasyPrint writes each font to its configuration's folder, and takes a file there as
    loaded: in the build's folder, this process and the build could each take the other's half-written
    file, or write over a font the other has mapped)."""
    _die_with_parent(parent)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle, not each helper's
    tempfile.tempdir = str(folder)
    warm.fonts._folder = None  # WeasyPrint 70's FontConfiguration: made again, in `folder`, when a font is added
    try:
        while (task := _handed(tasks)) is not None:
            index, group = task if isinstance(task, tuple) else (task, groups[task])  # one added since: sent whole
            fault("worker")  # a test kills a helper here, as the out-of-memory killer would
            results.send((index, warm.render_alike(group)))
    except BaseException as error:  # said in words: any exception need not cross a pipe
        results.send((None, error.message if isinstance(error, RenderError) else f"{type(error).__name__}: {error}"))
    finally:
        results.close()


def _handed(tasks) -> int | tuple | None:
    """The next group the build hands this helper (its index, with the group itself if it was added
    after the helper started); None when there is none left, or the build ended."""
    try:
        return tasks.recv()
    except EOFError:
        return None


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
               progress: Callable[[str], None] = lambda _: None,
               more: Callable[[list[tuple[Page, Rendered]]], list[Page]] | None = None,
               waited: frozenset[str] = frozenset()) -> list[Rendered]:
    """Render `pages` in order, in up to `workers` processes; the bytes do not depend on how many.

    Each process, when free, takes the costliest document left (by what it cost the last time),
    so that all end about together even where the guess was wrong (a first build does not know
    which sheets cut a note over pages). This process renders too, beside forked helpers, each
    handed its documents by a thread of this process; or, where pages wait for others (`waited`:
    a pack's front matter, for its sheets' page counts), those go first, the helpers render them
    all, and this process only hands them out, to hand out at once what they make ready.
    Temporary files stay inside the output folder's scratch space: this process's for as long
    as it lives (`watch` keeps its fonts loaded), the helpers' until they end. Helpers die with
    this process, however it ends.

    `more`, if given, is told of each document as it is rendered, in this process's main thread
    (where templates have their time limit), and returns the pages that can be rendered now that
    it is: they are handed out before those left, and their documents follow `pages`' in the list
    returned.
    """
    work = Work(pages, more, waited)
    workers = _processes(len(work.groups) + bool(waited), workers)  # what waits comes later: a document more
    work.said = (lambda done, total, what: progress(
        (_("rendered {done}/{total}: {what}") if workers == 1 else
         _("rendered {done}/{total} in {workers} processes: {what}")).format(
            done=done, total=total, workers=workers, what=what)))
    renderer = renderer_of(project)  # this process's: under `watch`, its fonts are loaded already
    if workers > 1:
        progress(_("rendering {count} documents in {workers} processes").format(count=len(work.groups),
                                                                                workers=workers))
    parent, helpers = os.getpid(), []
    folder = scratch(project.output, f"{parent}-workers") if workers > 1 else None
    try:
        if workers > 1:
            gc.freeze()  # what is here now stays out of the helpers' collections: not copied to them page by page
            try:
                helpers.extend(Helper(work.groups, parent, folder, renderer)
                               for _number in range(workers if waited else workers - 1))
            finally:
                gc.unfreeze()
        fault("rendering")
        if waited and helpers:
            _handed_out(helpers, work)
        else:
            with temporary_files_in(scratch(project.output, str(parent), for_life=True)):
                _rendered_beside(helpers, work, renderer)
        return work.results
    finally:  # on any error, Ctrl-C or SIGTERM too: no helper outlives the build
        for helper in helpers:
            helper.stop()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def _rendered_beside(helpers: list[Helper], work: Work, renderer: Renderer) -> None:
    """The work rendered by this process and its helpers: a thread for each helper hands it the
    next group as soon as it sends one back (None when none is left); this process takes in
    what they send between its own documents, and renders what is added meanwhile itself."""
    arrived: queue.SimpleQueue = queue.SimpleQueue()

    def pump(helper: Helper) -> None:
        try:
            while (index := work.next()) is not None:
                helper.hand(index, work)
                arrived.put(helper.sent())
            helper.hand(None, work)  # it ends
        except BaseException as error:  # raised in this process's main thread
            arrived.put(error)

    def take_in(came) -> None:
        if isinstance(came, BaseException):
            raise came
        work.took(*came)

    threads = [threading.Thread(target=pump, args=(helper,), daemon=True) for helper in helpers]
    for thread in threads:
        thread.start()
    try:
        while not work.finished():
            index = work.next()
            if index is not None:
                work.took(index, renderer.render_alike(work.groups[index]))
            elif not work.finished():
                take_in(arrived.get())  # nothing left for this process: it waits for a helper's
            while not arrived.empty():
                take_in(arrived.get())
    finally:  # no thread of this build outlives it (`watch` builds again in this process)
        for helper in helpers:
            helper.kill()  # a thread waiting for what it sends is told it ended
        for thread in threads:
            thread.join()


def _handed_out(helpers: list[Helper], work: Work) -> None:
    """The work rendered by the helpers: each free one is handed the next group, and what each
    sends back is taken in as it comes (what that makes ready is handed out at once)."""
    idle = list(helpers)
    while True:
        while idle and (index := work.next()) is not None:
            idle.pop(0).hand(index, work)
        if work.finished():
            for helper in helpers:
                helper.hand(None, work)  # it ends
            return
        busy = {helper.receiving: helper for helper in helpers if helper.handed is not None}
        for receiving in connection.wait(list(busy)):
            helper = busy[receiving]
            index, rendered = helper.sent()
            idle.append(helper)
            work.took(index, rendered)


class Work:
    """The documents of one `render_all`, grouped by HTML, the groups left, and what came of them."""

    def __init__(self, pages: Sequence[Page], more, waited: frozenset[str]):
        self.more = more
        self.pages: list[Page] = []
        self.indexes: list[list[int]] = []
        self.groups: list[list[Page]] = []
        self.results: list[Rendered | None] = []
        self.done = 0
        self.left: collections.deque[int] = collections.deque()
        self.lock = threading.Lock()  # for the groups left, which threads of this process hand out
        self.said: Callable[[int, int, str], None] = lambda done, total, what: None
        self.added(pages, waited)
        self.inherited = len(self.groups)  # the groups a helper has had since it was forked

    def next(self) -> int | None:
        with self.lock:
            return self.left.popleft() if self.left else None

    def finished(self) -> bool:
        return self.done == len(self.groups)

    def took(self, index: int, rendered: list[Rendered]) -> None:
        """A group's documents, rendered: recorded, said, and what they make ready left to render first."""
        for i, one in zip(self.indexes[index], rendered):
            self.results[i] = one
        self.done += 1
        self.said(self.done, len(self.groups), self.groups[index][0].what)
        if self.more is not None:
            self.added(self.more([(self.pages[i], one) for i, one in zip(self.indexes[index], rendered)]))

    def added(self, new: Sequence[Page], waited: frozenset[str] = frozenset()) -> None:
        """New pages, grouped by HTML, each group handed out before those left: the costliest first,
        those holding a page named in `waited` before all."""
        start, first = len(self.pages), len(self.groups)
        self.pages.extend(new)
        self.results.extend([None] * len(new))
        self.indexes.extend([start + i for i in group] for group in _alike(new))
        self.groups.extend([self.pages[i] for i in group] for group in self.indexes[first:])
        order = longest_first(list(range(first, len(self.groups))), [cost(self.pages, g) for g in self.indexes[first:]])
        waits = {index for index in order if any(page.name in waited for page in self.groups[index])}
        with self.lock:
            self.left.extendleft(reversed([index for index in order if index in waits] +
                                          [index for index in order if index not in waits]))


def cost(pages: Sequence[Page], group: list[int]) -> float:
    """What rendering a group may cost: its HTML's length for each layout it took the last time
    (a large-type sheet takes three or more, as its pages are balanced), and about half that for
    each of its documents written (measured: 70 ms a write, 150 ms a layout of a two-page sheet)."""
    first = pages[group[0]]
    return len(first.html) * (first.layouts + WRITE * len(group))


def _alike(pages: Sequence[Page]) -> list[list[int]]:
    """The pages' indexes, grouped by HTML: the documents of one HTML are laid out once."""
    alike: dict[str, list[int]] = {}
    for index, page in enumerate(pages):
        alike.setdefault(page.html, []).append(index)
    return list(alike.values())


def _processes(documents: int, workers: int) -> int:
    """How many processes to render in: one for each document, up to `workers` (helpers, this one
    handing out the work; or this one alone). A helper is forked with WeasyPrint loaded: even a
    second document is worth one (the default content's 3 sheets with the lawmakers' pack, built
    cold: 1.44 s in two processes, 1.63 s in one)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(workers, documents))


class Helper:
    """A forked helper: it inherits WeasyPrint, imported, and this process's renderer with its
    fonts loaded (`watch` keeps them warm); the writing end of the pipe that hands it groups, the
    reading end of the pipe it sends them back on, and the group it was handed last."""

    def __init__(self, groups: list[list[Page]], parent: int, folder: Path, renderer: Renderer):
        context = multiprocessing.get_context("fork")
        handed, self.tasks = context.Pipe(duplex=False)
        self.receiving, sending = context.Pipe(duplex=False)
        self.process = context.Process(target=_helper, daemon=True,
                                       args=(handed, sending, groups, parent, folder, renderer))
        self.process.start()
        handed.close()  # the helper's ends are the helper's alone: one that dies ends both pipes
        sending.close()
        self.handed: int | None = None

    def hand(self, index: int | None, work: Work) -> None:
        """Hand it group `index` (sent whole if it was made after the helper started), or None: it ends."""
        self.handed = index
        try:
            self.tasks.send(index if index is None or index < work.inherited else (index, work.groups[index]))
        except OSError:
            pass  # it is gone: its pipe's end tells, with the group it was handed

    def sent(self) -> tuple[int, list[Rendered]]:
        """What it sent back: its group's index and documents. Its error is raised, and its end
        with a group handed to it (killed from outside) is an error."""
        try:
            index, rendered = self.receiving.recv()
        except (EOFError, OSError):  # it ended, its pipe with it
            self.process.join()
            raise RenderError(_("a rendering process was stopped from outside (exit status {code}), "
                                "perhaps for lack of memory: nothing was written; build again")
                              .format(code=self.process.exitcode)) from None
        if index is None:
            raise RenderError(rendered)
        self.handed = None
        return index, rendered

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()  # SIGKILL: ends a stopped process too

    def stop(self) -> None:
        self.kill()
        self.process.join()
        self.tasks.close()
        self.receiving.close()


def longest_first(groups: list, costs: list[float]) -> list:
    """The groups in the order processes take them: the costliest first, so that a long one does
    not start last and finish alone, the other processes idle."""
    return [group for _cost, group in sorted(zip(costs, groups), key=lambda pair: -pair[0])]
