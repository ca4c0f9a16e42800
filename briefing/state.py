"""The tool's own folder inside the output folder: the lock that lets one build at a time write
there, and the temporary folders of the processes that render.

The lock is a POSIX record lock, which the kernel drops when its process dies; each temporary
folder is named for the process that owns it, so the next build removes what a killed one left.
"""

from __future__ import annotations

import atexit
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import BriefingError
from .i18n import _
from .project import display
from .write import STATE, UMASK, recover

SCRATCH = f"{STATE}/tmp"
LOCK = f"{STATE}/lock"


def scratch(output: Path, owner: str, for_life: bool = False) -> Path:
    """A temporary folder inside the tool's own folder, named for the process that owns it
    (its pid first): removed by its owner, or by the next build once that process is gone.
    `for_life`: removed when this process exits."""
    folder = output / SCRATCH / owner
    if for_life and not folder.is_dir():
        atexit.register(shutil.rmtree, folder, True)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def sweep_scratch(output: Path) -> None:
    """Remove the temporary folders of processes that are gone (killed builds and their workers),
    and the temporary files `write_atomic` leaves in the tool's folder when killed mid-write
    (.journal.json.XXXX.tmp): called under the lock, no other build is writing one."""
    for left in (output / STATE).glob(".*.tmp"):
        if left.is_file() and not left.is_symlink():
            left.unlink(missing_ok=True)
    try:
        folders = list((output / SCRATCH).iterdir())
    except OSError:
        return
    for folder in folders:
        owner = folder.name.split("-")[0]
        if not owner.isdigit() or not _alive(int(owner)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def locked(output: Path, wait: bool = False, say: Callable[[str], None] = lambda _: None) -> Iterator[None]:
    """Hold the output folder's lock, after putting right what a killed build left.

    A second build on the same folder stops with a clear message, or with `wait` waits for
    the first. The lock is a POSIX record lock: the kernel drops it when its process dies,
    and render workers, forked from the build, never hold it.
    """
    path = output / LOCK
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o666 & ~UMASK)
    except OSError as error:
        raise BriefingError(_("cannot write to {output} ({reason}): the output folder is read-only or belongs to "
                              "another user; choose another --output")
                            .format(output=display(output), reason=error.strerror or error)) from None
    try:
        _acquire(handle, output, wait, say)
        left = os.pread(handle, 64, 0).decode(errors="replace").strip()
        if left and left != str(os.getpid()):
            say(_("a build that was stopped (process {pid}) left its lock: taking it over").format(pid=left))
        os.ftruncate(handle, 0)
        os.pwrite(handle, str(os.getpid()).encode(), 0)
        if recover(output):
            say(_("a build was stopped while writing to {output}: its change was undone or completed")
                .format(output=display(output)))
        sweep_scratch(output)
        try:
            yield
        finally:
            os.ftruncate(handle, 0)
    finally:
        os.close(handle)  # releases the lock


def _acquire(handle: int, output: Path, wait: bool, say: Callable[[str], None]) -> None:
    told = False
    while True:
        try:
            _lock(handle)
            return
        except OSError:
            if not wait:
                raise BriefingError(_("another build is writing to {output}; wait for it to finish, then build again")
                                    .format(output=display(output))) from None
        if not told:
            say(_("another build is writing to {output}: waiting for it to finish").format(output=display(output)))
            told = True
        time.sleep(0.1)


try:
    import fcntl

    def _lock(handle: int) -> None:
        fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
except ImportError:  # Windows
    import msvcrt

    def _lock(handle: int) -> None:
        msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
