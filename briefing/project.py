"""Where a report project keeps its content, templates and fonts, and where the built-in ones are.

A project's folders are read only as what they are: a link (or a folder holding one) would
let content or a template reach files elsewhere, so links are refused, never followed.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BriefingError, Problem, Where
from .i18n import _

PACKAGE = Path(__file__).resolve().parent
YAML = (".yaml", ".yml")
EDITIONS = "editions.yaml"  # the editions record beside the content, written by `briefing release`


def display(path: Path) -> str:
    """The path as the user should see it: relative to the working folder when inside it."""
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


def scan_content(content_dir: Path) -> tuple[list[Path], list[Problem]]:
    """The YAML files that hold content, and a problem for everything else found there.

    Hidden files and folders and `editions.yaml` (the editions record) are left out. A link
    or a folder that cannot be read is an error: skipping it would drop content silently.
    """
    files: list[Path] = []
    problems: list[Problem] = []

    def visit(folder: Path) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as error:
            problems.append(Problem(Where(display(folder), 1, 1), _("this folder cannot be read ({reason}): allow "
                                    "reading it, or move it out of the content").format(reason=error.strerror or error)))
            return
        for entry in entries:
            path = Path(entry.path)
            if entry.name.startswith("."):
                continue
            where = Where(display(path), 1, 1)
            if entry.is_symlink():
                target = os.path.realpath(path)
                problems.append(Problem(where, (_("is a link (to {target}): links are not read; copy the folder into "
                                                  "the content folder instead") if os.path.isdir(target) else
                                                _("is a link (to {target}): links are not read; copy the file into "
                                                  "the content folder instead")).format(target=target)))
            elif entry.is_dir(follow_symlinks=False):
                visit(path)
            elif not entry.is_file(follow_symlinks=False):
                problems.append(Problem(where, _("not a regular file: only .yaml files hold content")))
            elif path.suffix.lower() in YAML:
                original = copied_from(path)
                if original is not None:  # an error, not a warning: the build stops, nothing is dropped unseen
                    problems.append(Problem(where, _("not read: a copy of {name}, it seems (a file manager names "
                                                     "copies so); move it out of the content folder, or, if it is "
                                                     "the one to keep, delete {name} and give this one its name")
                                            .format(name=original.name)))
                elif path != content_dir / EDITIONS:
                    files.append(path)
            elif any(s.lower() in YAML for s in path.suffixes):
                base = re.match(r"(.*)\.ya?ml", path.name, re.IGNORECASE)  # up to its last .yaml or .yml
                there = [path.with_name(base.group(0)), path.with_name(base.group(1) + ".yaml")]
                meant = next((name for name in there if name.exists()), there[1])
                if path.suffix.lower() in BACKUPS and meant.exists():  # digital.yaml.bak: a copy, not to rename over it
                    problems.append(Problem(where, _("not read: the name ends in '{suffix}', beside {name}: a copy of "
                                                     "it, it seems; if it is, move it out of the content folder")
                                            .format(suffix=path.suffix, name=meant.name), warning=True))
                elif meant.exists():
                    problems.append(Problem(where, _("not read: the name ends in '{suffix}'; {name} is there already: "
                                                     "keep the one you mean, named {name}")
                                            .format(suffix=path.suffix, name=meant.name)))
                else:
                    problems.append(Problem(where, _("not read: the name ends in '{suffix}'; rename it to end in "
                                                     "'.yaml' ({name})").format(suffix=path.suffix, name=meant.name)))
            else:
                problems.append(Problem(where, _("not read: only files ending in .yaml hold content"), warning=True))

    visit(content_dir)
    return files, problems


BACKUPS = {".bak", ".backup", ".old", ".orig", ".tmp", ".swp", ".sav"}  # a copy kept aside by an editor or a program
# how file managers and browsers name a copy of NAME: Windows (「NAME - コピー」, 「NAME - Copy (2)」,
# 「コピー ～ NAME」), macOS (「NAME のコピー 2」, 「NAME copy」), GNOME (「NAME (copy)」, 「NAME (コピー)」,
# 「NAME (another copy)」, 「NAME (3rd copy)」), a second download (「NAME (1)」)
COPY_NAMES = (re.compile(r"(?P<name>.+?)(?: - (?:コピー|Copy)(?: \(\d+\))?| ?のコピー(?: \d+)?| copy(?: \d+)?"
                         r"| ?\((?:copy|another copy|\d+(?:st|nd|rd|th) copy|コピー|\d+)\))", re.IGNORECASE),
              re.compile(r"(?:コピー ～ |コピー ~ |Copy of )(?P<name>.+)", re.IGNORECASE))


def copied_from(path: Path) -> Path | None:
    """The file beside `path` that `path` is named as a copy of, if there is one."""
    for pattern in COPY_NAMES:
        named = pattern.fullmatch(path.stem)
        if named:
            beside = (path.with_name(named["name"] + suffix) for suffix in dict.fromkeys((path.suffix, *YAML)))
            original = next((other for other in beside if other.is_file()), None)
            if original is not None:
                return original
    return None


def plain_files(folder: Path) -> list[Path]:
    """Every file in `folder`, which must hold no links; raise BriefingError naming the first link."""
    found = []
    for parent, folders, names in os.walk(folder, onerror=_unreadable):
        for name in sorted(folders + names):
            path = Path(parent) / name
            if path.is_symlink():
                raise BriefingError(_("{path} is a link (to {target}): a project's templates and fonts may not link "
                                      "elsewhere; copy the file in instead")
                                    .format(path=display(path), target=os.path.realpath(path)))
        found += [Path(parent) / name for name in names if stat.S_ISREG(os.lstat(Path(parent) / name).st_mode)]
    return sorted(found)


def _unreadable(error: OSError) -> None:
    raise BriefingError(_("{path} cannot be read ({reason}): allow reading it")
                        .format(path=display(Path(error.filename)), reason=error.strerror))


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
    root: Path = field(default=Path("."), compare=False)

    @classmethod
    def at(cls, root: Path, content: Path | None = None, output: Path | None = None) -> Project:
        def ours_then_builtin(name: str) -> tuple[Path, ...]:
            ours = root / name
            if ours.is_symlink():
                raise BriefingError(_("{path} is a link (to {target}): a project's {name} folder must be a real "
                                      "folder inside the project")
                                    .format(path=display(ours), target=os.path.realpath(ours), name=name))
            resolved = []
            for folder in (ours, builtin(name)):
                if folder.is_dir() and folder.resolve() not in resolved:
                    resolved.append(folder.resolve())
            return tuple(resolved)

        return cls(
            content=content or root / "content",
            output=output or root / "output",
            templates=ours_then_builtin("templates"),
            fonts=ours_then_builtin("fonts"),
            root=root,
        )

    def resources(self) -> tuple[Path, ...]:
        """Every file a rendered document may load: the templates' and the fonts' files, no others."""
        return tuple(path for folder in (*self.templates, *self.fonts) for path in plain_files(folder))

    def font(self, name: str) -> Path:
        for folder in self.fonts:
            if (folder / name).is_file():
                return folder / name
        raise FileNotFoundError(_("font {name} not found in {folders}")
                                .format(name=name, folders=", ".join(map(str, self.fonts))))
