"""What a build can keep: digests of what it reads, the last build's manifest, the documents to produce.

A build is skipped when the digest of its inputs is the manifest's and every file the manifest
lists is intact; a document is rendered again only when its source or HTML digest changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .errors import BriefingError
from .i18n import _, language
from .project import EDITIONS, Project, display, plain_files, scan_content
from .write import MANIFEST, ours, sha256

if TYPE_CHECKING:
    from .markup import Page


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
    calls: dict = field(default_factory=dict, compare=False)  # where its notes are called, for messages (`assemble.Numbering`)


@dataclass(frozen=True, eq=False)
class Templates:
    """Every template file's bytes, read once (`template_sources`), and their digest: a build's
    digest of its inputs (`resources`) and the templates it fills in (`markup.environment`) are
    of the same bytes, however they are saved meanwhile."""

    files: dict[Path, bytes]
    digest: str  # of the files' paths and bytes


def template_sources(project: Project) -> Templates:
    try:
        files = {path: path.read_bytes() for folder in project.templates for path in plain_files(folder)}
    except OSError as error:
        raise BriefingError(_("{file} cannot be read ({reason}): allow reading it, or remove it from the project")
                            .format(file=display(Path(error.filename)), reason=error.strerror)) from None
    digest = hashlib.sha256()
    for path, data in files.items():
        digest.update(f"\0{path}\0".encode() + data)
    return Templates(files, digest.hexdigest())


def resources(project: Project, templates: Templates) -> str:
    """A digest of the templates' bytes (`template_sources`), the fonts' size and date, and the tool."""
    digest = hashlib.sha256(f"{stack()}\0{templates.digest}".encode())
    try:
        for folder in project.fonts:
            for path in plain_files(folder):
                stat = path.stat()
                digest.update(f"\0{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    except OSError as error:
        raise BriefingError(_("{file} cannot be read ({reason}): allow reading it, or remove it from the project")
                            .format(file=display(Path(error.filename)), reason=error.strerror)) from None
    return digest.hexdigest()


def inputs(resources: str, strict: bool, pack: str | None, files: list[tuple[str, str | None]]) -> str:
    """A digest of everything a build reads (`files`: each content file's name and SHA-256);
    equal digests and intact outputs mean nothing to do. The language is one: the warnings kept
    in the manifest are in it."""
    digest = hashlib.sha256(f"{resources}|strict={strict}|pack={pack}|language={language()}".encode())
    for name, sha in sorted(files, key=lambda f: f[0]):
        digest.update(f"\0{name}\0{sha}".encode())
    return digest.hexdigest()


def on_disk(project: Project) -> list[tuple[str, str | None]] | None:
    """Each content file's name and SHA-256 as it is now, the editions record included; None if
    the content folder holds something wrong (a link, a folder that cannot be read)."""
    files, problems = scan_content(project.content)
    if any(not p.warning for p in problems):
        return None
    return [(display(p), sha256(p)) for p in [*files, project.content / EDITIONS]]


def read_manifest(output: Path) -> dict:
    try:
        manifest = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
        return manifest if isinstance(manifest, dict) else {}
    except (OSError, ValueError):
        return {}


def entries(manifest: dict) -> dict[str, dict]:
    """The manifest's records by output file name, including the packs' own parts."""
    found = {}
    for entry in [*manifest.get("sheets", []), *manifest.get("packs", []), *manifest.get("parts", [])]:
        if isinstance(entry, dict) and isinstance(entry.get("file"), str) and ours(entry["file"]):
            found[entry["file"]] = entry
    return found


def intact(output: Path, manifest: dict) -> bool:
    records = entries(manifest)
    return bool(records) and all(unchanged(output, file, entry) for file, entry in records.items())


def unchanged(output: Path, name: str, record: dict) -> bool:
    """The file on disk is the one the manifest's record describes."""
    return sha256(output / name) == record.get("sha256")
