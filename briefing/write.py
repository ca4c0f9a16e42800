"""Write outputs safely: each file atomically, a whole build all-or-nothing.

The output folder holds what the tool wrote (`sheets/`, `packs/`, `manifest.json`) and its own
folder `.briefing/`: the lock, the journal of the write in progress, the files staged and kept
aside for it, and the renderers' temporary files. The tool removes or renames only files that
the manifest or the journal says it wrote; a write killed at any step is rolled back (or, past
the manifest, forward) by the next build before it decides anything.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import tempfile
from pathlib import Path

from .errors import BriefingError
from .i18n import N_, _
from .project import display

UMASK = os.umask(0)
os.umask(UMASK)
STATE = ".briefing"  # the tool's own folder inside the output folder
MANIFEST = "manifest.json"
JOURNAL = f"{STATE}/journal.json"
STAGING = f"{STATE}/staging"
KEPT = f"{STATE}/kept"
PLACEHOLDERS = {".gitkeep", ".keep", ".DS_Store"}
FOLDERS = {"project": N_("project"), "content": N_("content"), "templates": N_("templates"), "fonts": N_("fonts")}


def fault(point: str) -> None:
    """A test hook: BRIEFING_FAULT=POINT kills this process there (POINT:TERM sends SIGTERM, POINT:INT
    SIGINT, as Ctrl-C does)."""
    wanted = os.environ.get("BRIEFING_FAULT", "")
    if wanted.split(":")[0] == point:
        how = wanted.partition(":")[2]
        os.kill(os.getpid(), {"TERM": signal.SIGTERM, "INT": signal.SIGINT}.get(how, signal.SIGKILL))


def ours(name: str) -> bool:
    """A file name the tool writes: relative, inside the output folder's sheets/, packs/ or the
    tool's own folder (names read from a manifest or a journal are data too)."""
    parts = Path(name).parts
    return (bool(parts) and not Path(name).is_absolute() and ".." not in parts
            and parts[0] in ("sheets", "packs", STATE) and len(parts) > 1)


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder and rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        _fill(handle, data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _fill(handle: int, data: bytes) -> None:
    os.fchmod(handle, 0o666 & ~UMASK)  # mkstemp makes 0600; outputs are for sharing
    with os.fdopen(handle, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())


def sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def manifest_bytes(manifest: dict) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def claim(output: Path, keep_out: list[tuple[str, Path]]) -> None:
    """Refuse an output folder that is not the tool's to write: raise BriefingError saying why.

    `keep_out` names the folders an output must neither be nor lie in (the content, templates,
    fonts), and the project's own folder, which it must not be nor contain.
    """
    where = display(output)
    if output.exists() and not output.is_dir():
        raise BriefingError(_("--output {where} is not a folder: name a folder for the PDFs").format(where=where))
    target = output.resolve()
    home = Path.home().resolve()
    if target == Path(target.anchor) or target == home:
        raise BriefingError((_("--output {where} is your home folder: name a folder of its own for the PDFs, such as "
                               "output") if target == home else
                             _("--output {where} is the root folder: name a folder of its own for the PDFs, such as "
                               "output")).format(where=where))
    for name, folder in keep_out:
        folder = folder.resolve()
        if target == folder:
            message = _("--output {where} is the {name} folder ({folder}): name a folder of its own for the PDFs, "
                        "such as output")
        elif target.is_relative_to(folder) and name != "project":
            message = _("--output {where} is inside the {name} folder ({folder}): name a folder of its own for the "
                        "PDFs, such as output")
        elif folder.is_relative_to(target):
            message = _("--output {where} holds the {name} folder ({folder}): name a folder of its own for the PDFs, "
                        "such as output")
        else:
            continue
        raise BriefingError(message.format(where=where, name=_(FOLDERS[name]), folder=display(folder)))
    _no_links_in(output)
    if output.is_dir() and not (output / STATE).is_dir() and not _legacy(output):
        foreign = sorted(p.name for p in output.iterdir() if p.name not in PLACEHOLDERS)
        if foreign:
            raise BriefingError(_("--output {where} already holds files briefing did not write ({files}): "
                                  "name an empty or new folder for the PDFs")
                                .format(where=where, files=", ".join(foreign[:3]) + (", …" if len(foreign) > 3 else "")))


def _no_links_in(output: Path) -> None:
    """Refuse a link in what the tool writes of the output folder: its own folder, the sheets, the
    packs and the manifest."""
    for name in (STATE, "sheets", "packs", MANIFEST):
        _no_links(output / name)


def _no_links(path: Path) -> None:
    """Refuse a link at `path` or anywhere under it: the tool writes and removes only real files
    of its own output folder, never where a link would lead."""
    found = [path] if path.is_symlink() else []
    if path.is_dir() and not found:
        for parent, folders, names in os.walk(path):
            found += [Path(parent) / n for n in folders + names if (Path(parent) / n).is_symlink()]
    if found:
        raise BriefingError(_("{path} is a link (to {target}): briefing writes only real files in its output folder; "
                              "remove the link, then build again")
                            .format(path=display(found[0]), target=os.path.realpath(found[0])))


def _legacy(output: Path) -> bool:
    """An output folder of an earlier version: its manifest says briefing made it."""
    try:
        manifest = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and str(manifest.get("stack", "")).startswith("briefing ")


def _ours(output: Path, names: list[str], owned: dict[str, str | None]) -> None:
    """Raise BriefingError unless every file of `names` in the output folder is the tool's to replace
    or remove: `owned` gives the files the last manifest says the tool wrote, with their SHA-256; any
    other file in the way, or one of those changed since (a viewer saved notes into it, a file
    copied over it), is left alone, and so is a manifest that is not briefing's. Links are looked
    for again: one planted while the build rendered (seconds) would be written through."""
    _no_links_in(output)
    if (output / MANIFEST).exists() and not _legacy(output):
        raise BriefingError(_("{path} was not written by briefing: move it out of the output folder, then build "
                              "again").format(path=display(output / MANIFEST)))
    for name in names:
        if Path(name).parts[0] == STATE or not (output / name).exists():
            continue
        if name not in owned:
            raise BriefingError(_("{path} was not written by briefing (its manifest does not list it): move it out "
                                  "of the output folder, then build again").format(path=display(output / name)))
        if sha256(output / name) != owned[name]:
            raise BriefingError(_("{path} has changed since briefing wrote it (a viewer that saved notes into it, or "
                                  "a file copied over it): move it out of the output folder, or delete it if it is "
                                  "damaged, then build again").format(path=display(output / name)))


def write_outputs(output: Path, files: dict[str, bytes], manifest: dict, owned: dict[str, str | None],
                  remove: list[str] = ()) -> None:
    """Replace `files`, then the manifest, and delete `remove`, as one change.

    Every file is staged and synced first (where a full disk fails), then the journal records
    the change, then the current files are kept aside, the new ones renamed into place and the
    manifest last: renaming it commits the change. A failure before that puts everything back;
    a kill anywhere is put right by `recover`. `owned`: see `_ours`.
    """
    _ours(output, [*files, *remove], owned)
    changes = {**files, MANIFEST: manifest_bytes(manifest)}
    staging, kept = output / STAGING, output / KEPT
    staging.mkdir(parents=True, exist_ok=True)
    kept.mkdir(parents=True, exist_ok=True)
    plan = {"manifest": hashlib.sha256(changes[MANIFEST]).hexdigest(), "old_manifest": sha256(output / MANIFEST),
            "files": [], "remove": []}
    try:
        for index, (name, data) in enumerate(changes.items()):
            staged = staging / str(index)
            _fill(os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), data)
            plan["files"].append({"file": name, "staged": f"{STAGING}/{index}", "sha256": hashlib.sha256(data).hexdigest(),
                                  "kept": f"{KEPT}/{index}" if (output / name).exists() else None})
        for index, name in enumerate(remove):
            plan["remove"].append({"file": name, "kept": f"{KEPT}/r{index}"})
        fault("staged")
        write_atomic(output / JOURNAL, json.dumps(plan).encode())
        fault("journaled")
        for entry in [*plan["files"], *plan["remove"]]:
            if entry["kept"]:
                _keep(output / entry["file"], output / entry["kept"])
        fault("kept")
        for entry in plan["files"]:
            target = output / entry["file"]
            if entry["file"] == MANIFEST:
                for gone in plan["remove"]:
                    (output / gone["file"]).unlink(missing_ok=True)
                fault("removed")
                _sync_folders({(output / e["file"]).parent for e in plan["files"]})
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(output / entry["staged"], target)
            fault("replacing" if entry["file"] != MANIFEST else "committed")
        _sync_folders({output})
    except BaseException:
        recover(output, plan)
        raise
    _finish(output)
    _drop_emptied(output, [gone["file"] for gone in plan["remove"]])


def _drop_emptied(output: Path, removed: list[str]) -> None:
    """The tool's own folders under .briefing that the removed files left empty (the parts of an
    edition no longer asked for): the output folder as a first build of the same content leaves it.
    A folder holding anything stays, with what it holds."""
    state = output / STATE
    for name in removed:
        folder = (output / name).parent
        while state in folder.parents:
            try:
                folder.rmdir()  # only an empty one
            except OSError:
                break
            folder = folder.parent


def recover(output: Path, plan: dict | None = None) -> bool:
    """Finish or undo a write that did not end (read from the journal); True if there was one.

    Idempotent: killed while recovering, the next build recovers again from the same journal.
    """
    journal = output / JOURNAL
    if plan is None:
        try:
            plan = json.loads(journal.read_text(encoding="utf-8"))
        except FileNotFoundError:
            _finish(output)
            return False
        except (OSError, ValueError):
            plan = {}
        if not _well_formed(plan):  # not as the tool writes it (atomically): act on none of it
            plan = {}
    committed = bool(plan) and sha256(output / MANIFEST) == plan["manifest"] != plan["old_manifest"]
    if plan and not committed:
        for entry in [*plan["files"], *plan["remove"]]:
            target, kept = output / entry["file"], entry["kept"] and output / entry["kept"]
            if kept and kept.exists():
                os.replace(kept, target)
                fault("recovering")
            elif not entry["kept"] and "sha256" in entry and sha256(target) == entry["sha256"]:
                target.unlink()  # a new file of this change, not there before it
    _finish(output)
    if committed:  # killed before the folders its removed files left empty went
        _drop_emptied(output, [entry["file"] for entry in plan["remove"]])
    return True


def _well_formed(plan) -> bool:
    """A journal as `write_outputs` writes it: every name one the tool writes, every kept or
    staged copy in the tool's own folders."""
    def entry(item, kinds: tuple[str, ...]) -> bool:
        return (isinstance(item, dict) and isinstance(item.get("file"), str)
                and (ours(item["file"]) or item["file"] == MANIFEST)
                and all(_inside(item.get(kind), folder) for kind, folder in zip(kinds, (KEPT, STAGING)))
                and isinstance(item.get("sha256", ""), str))

    return (isinstance(plan, dict) and isinstance(plan.get("manifest"), str)
            and isinstance(plan.get("old_manifest"), (str, type(None)))
            and isinstance(plan.get("files"), list) and isinstance(plan.get("remove"), list)
            and all(entry(item, ("kept", "staged")) for item in plan["files"])
            and all(entry(item, ("kept",)) for item in plan["remove"]))


def _inside(name, folder: str) -> bool:
    """`name` is None, or a plain file name inside `folder` (as the journal records kept copies)."""
    return name is None or (isinstance(name, str) and name.startswith(folder + "/")
                            and "/" not in name[len(folder) + 1:] and name[len(folder) + 1:] not in ("", ".", ".."))


def _finish(output: Path) -> None:
    """Drop the journal's staged and kept files, then the journal: the folders are the tool's own."""
    for folder in (STAGING, KEPT):
        shutil.rmtree(output / folder, ignore_errors=True)
    (output / JOURNAL).unlink(missing_ok=True)


def _keep(path: Path, kept: Path) -> None:
    """Keep the current `path` aside, as a hard link, or a copy where links are not allowed (FAT)."""
    kept.unlink(missing_ok=True)
    try:
        os.link(path, kept)
    except OSError:
        shutil.copy2(path, kept)


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
