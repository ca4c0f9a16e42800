"""Run the pipeline: load → check → assemble → render → write."""

from __future__ import annotations

import hashlib
import os
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from . import assemble
from .check import check
from .errors import ContentError, Problem, RenderError
from .load import load
from .models import Content
from .project import Project
from .write import locked, write_atomic, write_outputs

FONTS = ("BIZUDMincho-Regular.ttf", "BIZUDGothic-Regular.ttf", "BIZUDGothic-Bold.ttf")


@dataclass
class Output:
    file: str
    pages: int
    size: int


@dataclass
class BuildResult:
    outputs: list[Output] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def validate(project: Project, strict: bool = False) -> tuple[Content, list[Problem]]:
    """Load and check the content; raise ContentError on errors (and on warnings when strict)."""
    content = load(project.content)
    problems = [*content.warnings, *check(content, charset(tuple(project.font(name) for name in FONTS)))]
    if any(not p.warning or strict for p in problems):
        raise ContentError(problems)
    return content, sorted(problems, key=lambda p: p.where)


@cache
def charset(fonts: tuple[Path, ...]) -> frozenset[int]:
    """The code points every bundled font has a glyph for; cached per font file version."""
    stamp = "|".join(f"{f.resolve()}:{f.stat().st_size}:{f.stat().st_mtime_ns}" for f in fonts)
    cached = cache_folder() / f"charset-{hashlib.sha256(stamp.encode()).hexdigest()[:20]}.bin"
    try:
        return frozenset(array("I", cached.read_bytes()))
    except OSError:
        pass
    from fontTools.ttLib import TTFont

    points = frozenset.intersection(*(frozenset(TTFont(f, lazy=True).getBestCmap()) for f in fonts))
    try:
        write_atomic(cached, array("I", sorted(points)).tobytes())
    except OSError:
        pass  # a read-only home only costs the next run half a second
    return points


def cache_folder() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "briefing"


def build(project: Project, strict: bool = False, progress: Callable[[str], None] = lambda _: None) -> BuildResult:
    """Build every sheet and the pack; nothing is written unless everything rendered."""
    content, problems = validate(project, strict)
    with locked(project.output):
        return _build(project, content, problems, strict, progress)


def _build(project, content, problems, strict, progress) -> BuildResult:
    result = BuildResult(warnings=[str(p) for p in problems])
    sheets = assemble.sheets(content)
    pack = assemble.pack(content, sheets)

    from .render import Renderer  # WeasyPrint loads only when something is rendered

    renderer = Renderer(project, content)
    files: dict[str, bytes] = {}

    def keep(file: str, rendered) -> str:
        """Hold a rendered file for writing; return its SHA-256 for the manifest."""
        files[file] = rendered.data
        result.outputs.append(Output(file, rendered.pages, len(rendered.data)))
        return hashlib.sha256(rendered.data).hexdigest()

    entries = []
    for sheet in sheets:
        progress(f"rendering {sheet.file}")
        rendered = renderer.sheet(sheet)
        entries.append({
            "id": sheet.id,
            "title": sheet.topic.title,
            "file": sheet.file,
            "pages": rendered.pages,
            "sha256": keep(sheet.file, rendered),
            "notes": [note.id for note in sheet.notes],
        })
    progress(f"rendering {pack.file}")
    rendered = renderer.pack(pack)
    manifest = {
        "pack": pack.file,
        "pack_pages": rendered.pages,
        "pack_sha256": keep(pack.file, rendered),
        "sheets": entries,
    }
    result.warnings.extend(renderer.warnings)
    if strict and renderer.warnings:
        raise RenderError("\n".join(renderer.warnings) + "\n--strict: rendering warnings fail the build")
    progress(f"writing {len(files)} files to {project.output}")
    write_outputs(project.output, files, manifest)
    return result
