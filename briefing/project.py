"""Where a report project keeps its content, templates and fonts, and where the built-in ones are."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def content_files(content_dir: Path) -> list[Path]:
    """The YAML files that hold content: all of them but the editions record and hidden files."""
    editions = content_dir / "editions.yaml"
    return sorted(p for p in content_dir.rglob("*")
                  if p.suffix.lower() in (".yaml", ".yml") and p.is_file() and p != editions
                  and not any(part.startswith(".") for part in p.relative_to(content_dir).parts))


def display(path: Path) -> str:
    """The path as the user should see it: relative to the working folder when inside it."""
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


def builtin(name: str) -> Path:
    """A built-in folder: packaged inside the wheel, or beside the package in a source checkout."""
    packaged = PACKAGE / "_builtin" / name
    return packaged if packaged.is_dir() else PACKAGE.parent / name


@dataclass(frozen=True)
class Project:
    """A report project's folders; the user's templates and fonts come before the built-in ones."""

    content: Path
    output: Path
    templates: tuple[Path, ...]
    fonts: tuple[Path, ...]

    @classmethod
    def at(cls, root: Path, content: Path | None = None, output: Path | None = None) -> Project:
        def ours_then_builtin(name: str) -> tuple[Path, ...]:
            folders = [root / name, builtin(name)]
            resolved = []
            for folder in folders:
                if folder.is_dir() and folder.resolve() not in resolved:
                    resolved.append(folder.resolve())
            return tuple(resolved)

        return cls(
            content=content or root / "content",
            output=output or root / "output",
            templates=ours_then_builtin("templates"),
            fonts=ours_then_builtin("fonts"),
        )

    def font(self, name: str) -> Path:
        for folder in self.fonts:
            if (folder / name).is_file():
                return folder / name
        raise FileNotFoundError(f"font {name} not found in {', '.join(map(str, self.fonts))}")
