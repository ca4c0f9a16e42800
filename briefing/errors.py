"""Problems found in content or while rendering, and the exceptions that carry them."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from .i18n import N_, _


@dataclass(frozen=True, order=True)
class Where:
    """A place in a content file: 1-based line and column, and the field path there."""

    path: str
    line: int
    column: int
    field: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content, said to the person who wrote it."""

    where: Where
    message: str
    warning: bool = False

    def __str__(self) -> str:
        field = f"{self.where.field}: " if self.where.field else ""
        kind = _("warning: ") if self.warning else ""
        return printable(f"{self.where}: {kind}{field}{self.message}")


def printable(text: str) -> str:
    """`text` on one line: control and invisible characters (from keys or ids) shown as escapes."""
    return "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Cs") else c
                   for c in text)


UNKNOWN = {
    "body": N_("unknown body '{ref}'"),
    "topic": N_("unknown topic '{ref}'"),
    "question": N_("unknown question '{ref}'"),
    "note": N_("unknown note '{ref}'"),
}
NAMES = ("name", "short", "reading", "title", "heading")  # what people call a record instead of its id


def unknown(kind: str, ref: str, known: dict, hint: bool = True) -> str:
    """An unknown reference to a `kind` (`known`: its records by id), with the id likely meant:
    the one whose name it is, the ids it runs together with a Japanese comma or a space, or
    one spelt nearly alike; else, for a body and with `hint`, where a new body is listed."""
    message = _(UNKNOWN[kind]).format(ref=ref)
    parts = [part for part in SEPARATORS.split(bare(ref)) if part]
    if len(parts) > 1 and all(part in known for part in parts):
        return message + _(": '{ref}' is {count} ids run together: write them as [{ids}], with half-width commas"
                           ).format(ref=ref, count=len(parts), ids=", ".join(parts))
    named, close = likely(ref, known)
    if close and ref.strip() != ref and ref.strip() == close:  # 'digital　': a space the editor may not see
        return message + _(": '{id}' with a space before or after it (a full-width one, if you cannot see it): "
                           "delete the space").format(id=close)
    if named:
        return message + _(": write its id, '{id}', not its name").format(id=named)
    if close:
        return message + _(" (did you mean '{near}'?)").format(near=close)
    return message + (_(": a body new to the report is listed under bodies: with its id and name, and in "
                        "hearing.bodies if the hearing heard it") if kind == "body" and hint else "")


def likely(ref: str, known: dict) -> tuple[str | None, str | None]:
    """The id of `known` (records by id) that `ref` names, or else the one it is written as
    (in full-width characters, with a space or an invisible character), or one spelt nearly
    alike; ids that are not written as ids may be (their own error says so) are not offered."""
    named = next((id for id, record in known.items() if ref in (getattr(record, name, None) for name in NAMES)), None)
    if named:
        return named, None
    ids = [id for id in known if bare(id) == id]
    written = next((id for id in ids if id.lower() == bare(ref).lower()), None)
    return None, written or next(iter(difflib.get_close_matches(ref, ids, n=1, cutoff=0.6)), None)


SEPARATORS = re.compile(r"[、，,\s]+")


def bare(text: str) -> str:
    """`text` in half-width characters, without spaces or invisible characters around or in it."""
    return visible(unicodedata.normalize("NFKC", text).strip())


def visible(text: str) -> str:
    """`text` without its invisible characters (format and control characters)."""
    return "".join(c for c in text if unicodedata.category(c) not in ("Cf", "Cc"))


class BriefingError(Exception):
    """The root of every error the tool reports without a traceback: its message is said as it is,
    and the command line exits with `exit_code`."""

    exit_code = 1

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def format_message(self) -> str:
        return self.message


class UsageError(BriefingError):
    """The command was given something that cannot be (exit 2, as for any wrong usage); `option`
    names the command line option it came from."""

    exit_code = 2

    def __init__(self, message: str, option: str):
        super().__init__(message)
        self.option = option


class ContentError(BriefingError):
    """The content has problems; every one of them is listed."""

    SHOWN = 50  # a folder full of mistakes stays readable: the first ones, and how many more

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.where, p.message))
        lines = [str(p) for p in self.problems[:self.SHOWN]]
        if len(self.problems) > self.SHOWN:
            lines.append(_("… and {count:,} more problems").format(count=len(self.problems) - self.SHOWN))
        super().__init__("\n".join(lines))


class RenderError(BriefingError):
    """A sheet or pack could not be rendered; nothing was written."""
