"""Write outputs safely: each file atomically, a whole build all-or-nothing, one build at a time."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import BriefingError

UMASK = os.umask(0)
os.umask(UMASK)
LOCK = ".briefing.lock"


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder and rename: readers never see half a file."""
    os.replace(_stage(path, data), path)


def _stage(path: Path, data: bytes) -> Path:
    """Write `data` to a synced temporary file beside `path`, ready to be renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(temporary, 0o666 & ~UMASK)  # mkstemp makes 0600; outputs are for sharing
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def manifest_bytes(manifest: dict) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_outputs(output: Path, files: dict[str, bytes], manifest: dict, remove: list[str] = ()) -> None:
    """Replace `files`, then the manifest, and delete `remove`, as one change: if a step fails,
    every file stays as it was.

    Every new file is written and synced first (where a full disk fails); only then are they
    renamed into place, each old file kept aside until the manifest, renamed last, says the
    change is done. A build killed in between leaves the kept files, which the next build puts
    back before it starts, so that the outputs again match the manifest beside them.
    """
    recover(output)
    changes = {output / name: data for name, data in files.items()}
    changes[output / "manifest.json"] = manifest_bytes(manifest)
    staged: dict[Path, Path] = {}
    kept: dict[Path, Path] = {}
    done: list[Path] = []
    restored = True
    try:
        for path, data in changes.items():
            staged[path] = _stage(path, data)
        gone = [output / name for name in remove if (output / name).is_file()]
        for path in [*changes, *gone]:
            if path.exists():
                kept[path] = _keep(path)
        for path, temporary in staged.items():
            os.replace(temporary, path)
            done.append(path)
        for path in gone:
            path.unlink()
            done.append(path)
        _sync_folders({path.parent for path in done})
    except BaseException:
        for path in reversed(done):  # put every replaced or deleted file back
            try:
                if path in kept:
                    os.replace(kept.pop(path), path)
                else:
                    path.unlink(missing_ok=True)
            except OSError:
                restored = False  # the copy aside stays, and the next build puts it back
        raise
    finally:
        for temporary in staged.values():
            temporary.unlink(missing_ok=True)
        if restored:
            for previous in kept.values():
                previous.unlink(missing_ok=True)


PREVIOUS = ".previous"


def _keep(path: Path) -> Path:
    """Keep the current `path` aside, as a hard link, or a copy where links are not allowed (FAT)."""
    previous = path.with_name(f".{path.name}{PREVIOUS}")
    previous.unlink(missing_ok=True)
    try:
        os.link(path, previous)
    except OSError:
        shutil.copy2(path, previous)
    return previous


def recover(output: Path) -> None:
    """Put back the files a killed build had kept aside, and drop its temporary files."""
    if not output.is_dir():
        return
    for previous in output.rglob(f".*{PREVIOUS}"):
        os.replace(previous, previous.with_name(previous.name[1:-len(PREVIOUS)]))
    for temporary in output.rglob(".*.tmp"):
        temporary.unlink(missing_ok=True)


def _sync_folders(folders) -> None:
    """Make the renames durable (POSIX: a folder's entries are synced through the folder)."""
    for folder in folders:
        try:
            handle = os.open(folder, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.fsync(handle)
        except OSError:
            pass  # not supported for folders here (Windows)
        finally:
            os.close(handle)


@contextmanager
def locked(output: Path) -> Iterator[None]:
    """Hold the output folder's lock; a second build on the same folder stops with a clear message."""
    output.mkdir(parents=True, exist_ok=True)
    path = output / LOCK
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o666 & ~UMASK)
    try:
        try:
            _lock(handle)
        except OSError:
            raise BriefingError(f"another build is writing to {output} (it holds {path}); "
                                "wait for it to finish, then build again") from None
        try:
            yield
        finally:
            _unlock(handle)
    finally:
        os.close(handle)


try:
    import fcntl

    def _lock(handle: int) -> None:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle: int) -> None:
        fcntl.flock(handle, fcntl.LOCK_UN)
except ImportError:  # Windows
    import msvcrt

    def _lock(handle: int) -> None:
        msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)

    def _unlock(handle: int) -> None:
        msvcrt.locking(handle, msvcrt.LK_UNLCK, 1)
