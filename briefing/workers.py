"""Rendering many documents at once: this process renders its share while forked helpers render
the rest, each sending its documents back on a pipe of its own.

No lock is shared, so a helper killed at any moment (or stopped) cannot hang the build; helpers
die with the build however it ends, and keep their temporary files in the output folder's
scratch space. The bytes of each document do not depend on how many processes made them.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import queue
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from .errors import RenderError
from .i18n import _
from .markup import Page
from .project import Project
from .render import Rendered, Renderer, renderer_of
from .state import scratch
from .write import fault

FEW = 4  # documents per worker below which starting processes costs more than it saves
WRITE = 0.5  # a document's writing, as a share of its layout


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
    groups = _alike(pages)
    workers = _processes(pages, groups, workers)
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

    # each longest first: a long document left to the end would finish alone, the other processes idle
    own, *others = shares(list(range(len(groups))), [cost(pages, g) for g in groups], workers)
    if workers > 1:
        progress(_("rendering {count} documents in {workers} processes").format(count=len(groups), workers=workers))
    parent, helpers = os.getpid(), []
    folder = scratch(project.output, f"{parent}-workers") if workers > 1 else None
    try:
        for share in others:
            helpers.append(_started([(index, [pages[i] for i in groups[index]]) for index in share],
                                    project, parent, folder, renderer))
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


def _processes(pages: Sequence[Page], groups: list[list[int]], workers: int) -> int:
    """How many processes are worth starting: one for each document written in several variants
    (a lawmakers' pack's part and its editions' parts), one for each FEW others."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    heavy = sum(any(pages[i].variant for i in group) for group in groups)
    return max(1, min(workers, heavy + -(-(len(groups) - heavy) // FEW)))


def _started(share: list, project: Project, parent: int, folder: Path | None, renderer: Renderer) -> tuple:
    """A forked helper rendering `share`, and the reading end of its pipe."""
    context = multiprocessing.get_context("fork")  # helpers inherit WeasyPrint, imported, and this renderer
    receiving, sending = context.Pipe(duplex=False)
    helper = context.Process(target=_helper, daemon=True, args=(sending, share, project, parent, folder, renderer))
    helper.start()
    sending.close()  # this process keeps the reading end alone: a helper that dies ends its pipe
    return helper, receiving, len(share)


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
