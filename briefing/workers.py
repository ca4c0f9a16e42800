"""Rendering many documents at once: this process and forked helpers each take the costliest
document left whenever they are free; a helper is handed its documents on a pipe of its own and
sends them back on another.

No lock is shared, so a helper killed at any moment (or stopped) cannot hang the build; helpers
die with the build however it ends, and keep their temporary files in the output folder's
scratch space. The bytes of each document do not depend on how many processes made them.
"""

from __future__ import annotations

import collections
import ctypes
import multiprocessing
import os
import queue
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Sequence
from contextlib import contextmanager
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
    new temporary files in `folder`."""
    _die_with_parent(parent)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle, not each helper's
    tempfile.tempdir = str(folder)
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
               more: Callable[[list[tuple[Page, Rendered]]], list[Page]] | None = None) -> list[Rendered]:
    """Render `pages` in order, in up to `workers` processes; the bytes do not depend on how many.

    This process renders too, beside forked helpers; each process, when free, takes the longest
    document left (by what it cost the last time), so that all end about together even where the
    guess was wrong (a first build does not know which sheets cut a note over pages). A helper is
    handed its documents and sends them back on pipes of its own: no lock is shared, so a helper
    killed at any moment (or stopped) cannot hang the build, which then stops with a message.
    Temporary files stay inside the output folder's scratch space: this process's for as long as
    it lives (`watch` keeps its fonts loaded), the helpers' until they end. Helpers die with this
    process, however it ends.

    `more`, if given, is told of each document as it is rendered and returns the pages that can be
    rendered now that it is (a pack's front matter, once its sheets' page counts are known): they
    are handed out like the rest, and their documents follow `pages`' in the list returned.
    """
    work = Work(list(pages), more)
    workers = _processes(len(work.groups) + (more is not None), workers)
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
        for _helper_number in range(workers - 1):
            helpers.append(_started(work.groups, parent, folder, renderer))
        arriving = Helpers(helpers, work)
        fault("rendering")
        with temporary_files_in(scratch(project.output, str(parent), for_life=True)):
            while not work.finished():  # this process renders too: one helper fewer to start
                index = work.left.take()
                if index is not None:
                    work.took(index, renderer.render_alike(work.groups[index]))
                arriving.check(wait=index is None)
        return work.results
    finally:  # on any error, Ctrl-C or SIGTERM too: no helper outlives the build
        work.left.close()  # a helper's thread waiting for work hands it None
        for helper, tasks, receiving in helpers:
            if helper.is_alive():
                helper.kill()  # SIGKILL: ends a stopped process too
            helper.join()
            tasks.close()
            receiving.close()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


class Work:
    """The documents of one `render_all`, grouped by HTML, and what came of them; taken in by this
    process's thread and by the threads that take the helpers' in, one at a time."""

    def __init__(self, pages: list[Page], more):
        self.pages, self.more = pages, more
        self.indexes = _alike(pages)
        self.groups = [[pages[i] for i in group] for group in self.indexes]
        self.results: list[Rendered | None] = [None] * len(pages)
        self.done = 0
        self.lock = threading.Lock()  # this process's threads' alone: no helper can hold it
        self.left = Left(longest_first(list(range(len(self.groups))), [cost(pages, g) for g in self.indexes]))
        self.said: Callable[[int, int, str], None] = lambda done, total, what: None

    def finished(self) -> bool:
        with self.lock:
            return self.done == len(self.groups)

    def took(self, index: int, rendered: list[Rendered]) -> None:
        """A group's documents, rendered: recorded, said, and what they make ready left to render."""
        with self.lock:
            for i, one in zip(self.indexes[index], rendered):
                self.results[i] = one
            self.done += 1
            self.said(self.done, len(self.groups), self.groups[index][0].what)
            if self.more is not None:
                self.added(self.more([(self.pages[i], one) for i, one in zip(self.indexes[index], rendered)]))

    def added(self, new: list[Page]) -> None:
        """New pages, grouped by HTML as the first were, each group left to the next free process."""
        start, first = len(self.pages), len(self.groups)
        self.pages.extend(new)
        self.results.extend([None] * len(new))
        self.indexes.extend([start + i for i in group] for group in _alike(new))
        self.groups.extend([self.pages[i] for i in group] for group in self.indexes[first:])
        self.left.add(longest_first(list(range(first, len(self.groups))),
                                    [cost(self.pages, g) for g in self.indexes[first:]]))


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
    """How many processes to render in: one for each document, up to `workers`. A helper is forked
    with WeasyPrint loaded: even a second document is worth one (the default content's 3 sheets
    with the lawmakers' pack, built cold: 1.44 s in two processes, 1.63 s in one)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(workers, documents))


def _started(groups: list[list[Page]], parent: int, folder: Path | None, renderer: Renderer) -> tuple:
    """A forked helper, the writing end of the pipe that hands it groups, and the reading end of
    the pipe it sends them back on."""
    context = multiprocessing.get_context("fork")  # helpers inherit WeasyPrint, imported, and this renderer
    handed, tasks = context.Pipe(duplex=False)
    receiving, sending = context.Pipe(duplex=False)
    helper = context.Process(target=_helper, daemon=True, args=(handed, sending, groups, parent, folder, renderer))
    helper.start()
    handed.close()  # the helper's ends are the helper's alone: one that dies ends both pipes
    sending.close()
    return helper, tasks, receiving


class Left:
    """The groups not yet handed to a process, longest first; taken by this process and by the
    threads that hand the helpers theirs, which wait while more may come (`render_all`'s `more`)."""

    def __init__(self, order: list[int]):
        self.order = collections.deque(order)
        self.closed = False
        self.changed = threading.Condition()  # this process's threads' alone: no helper can hold it

    def take(self, wait: bool = False) -> int | None:
        """The next group; None if there is none left now (with `wait`: none until the end)."""
        with self.changed:
            while wait and not self.order and not self.closed:
                self.changed.wait()
            return self.order.popleft() if self.order else None

    def add(self, order: list[int]) -> None:
        """Groups made while rendering, in the order they are to be taken, before those left."""
        with self.changed:
            self.order.extendleft(reversed(order))
            self.changed.notify_all()

    def close(self) -> None:
        """No more will come: every thread waiting is answered None."""
        with self.changed:
            self.closed = True
            self.changed.notify_all()


class Helpers:
    """The helpers' side of the work: a thread for each hands it a group and takes in what it sends
    back as it comes (what that makes ready is handed out at once, not after this process's
    document), handing it the next group (None when none is left, or when none will come); a
    helper blocks on a full pipe until its documents are read."""

    def __init__(self, helpers: list, work: Work):
        self.work = work
        self.inherited = len(work.groups)  # the groups each helper has had since it was forked
        self.arrived: queue.SimpleQueue = queue.SimpleQueue()  # (helper, group handed, what came), for this process
        for helper, tasks, receiving in helpers:
            threading.Thread(target=self.pump, args=(helper, tasks, receiving), daemon=True).start()

    def pump(self, helper, tasks, receiving) -> None:
        left = self.work.left
        handed = self.hand(tasks, left.take(wait=True))
        while True:
            try:
                index, rendered = receiving.recv()
            except (EOFError, OSError):  # it ended, its pipe with it (or this build closed the pipe)
                self.arrived.put((helper, handed, None))
                return
            if index is None:  # its error, in words: it ends
                self.arrived.put((helper, handed, RenderError(rendered)))
                continue
            following = left.take()
            if following is not None:
                handed = self.hand(tasks, following)  # before its documents are taken in: it goes on meanwhile
            try:
                self.work.took(index, rendered)
            except BaseException as error:  # the build's own, raised in this process's thread
                self.arrived.put((helper, handed, error))
                return
            self.arrived.put((helper, handed, index))  # this process, waiting for work, looks again
            if following is None:
                handed = self.hand(tasks, left.take(wait=True))

    def hand(self, tasks, index: int | None) -> int | None:
        try:
            tasks.send(index if index is None or index < self.inherited else (index, self.work.groups[index]))
        except OSError:
            pass  # the helper is gone: its pipe's end tells, with the group it was handed
        return index

    def check(self, wait: bool = False) -> None:
        """Raise the error a helper sent, or met, or that taking in its documents raised; one that
        ended with a group handed to it was killed from outside. With `wait`, first wait for one of
        them to send something."""
        while wait or not self.arrived.empty():
            helper, handed, came = self.arrived.get()
            wait = False
            if came is None and handed is not None:
                helper.join()
                raise RenderError(_("a rendering process was stopped from outside (exit status {code}), "
                                    "perhaps for lack of memory: nothing was written; build again")
                                  .format(code=helper.exitcode))
            if isinstance(came, BaseException):
                raise came


def longest_first(groups: list, costs: list[float]) -> list:
    """The groups in the order processes take them: the costliest first, so that a long one does
    not start last and finish alone, the other processes idle."""
    return [group for _cost, group in sorted(zip(costs, groups), key=lambda pair: -pair[0])]
