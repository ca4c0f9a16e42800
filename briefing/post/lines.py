"""The lines of a post and a cursor over them, for reading it part by part."""

from __future__ import annotations

from pathlib import Path

from ..i18n import _
from .parts import misfit


class Lines:
    """The post's lines and a cursor over them; `fail` names the line that does not fit the form."""

    def __init__(self, path: Path, lines: list[str]):
        self.path = path
        self.lines = lines
        self.at = 0

    @property
    def number(self) -> int:
        """The line at the cursor, 1-based."""
        return self.at + 1

    def peek(self, ahead: int = 0) -> str | None:
        """The line `ahead` of the cursor (before it, if negative); None past either end."""
        index = self.at + ahead
        return self.lines[index] if 0 <= index < len(self.lines) else None

    def take(self) -> str:
        """The line at the cursor; the cursor moves on."""
        self.at += 1
        return self.lines[self.at - 1]

    def skip_blank(self) -> None:
        """Move the cursor past blank lines."""
        while (line := self.peek()) is not None and not line.strip():
            self.at += 1

    def fail(self, expected: str, number: int | None = None):
        """Raise ContentError: the line `number` (the cursor's) is not what the form has there."""
        number = number or self.number
        found = self.lines[number - 1].strip() if number <= len(self.lines) else ""
        shown = _("found '{line}'").format(line=found[:40] + ("…" if len(found) > 40 else "")) if found \
            else _("found the end of the post")
        raise misfit(self.path, min(number, len(self.lines)), 1,
                     _("not a report post as expected: {expected}; {found}").format(expected=expected, found=shown))
