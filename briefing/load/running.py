"""Running text as written in YAML: paragraphs split on blank lines, their lines joined, and note
calls `[^note-id]` found where they stand, or reported where they are miswritten."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from ..errors import Problem, Where
from ..i18n import _
from ..jlreq import wide
from ..models import Call, Paragraph, Source

CALL = re.compile(r"\[\^([^\]\[\n]*)\]")
ANY_CALL = re.compile(r"[\[［][\^＾]([^\]］\[［\n]*)[\]］]")  # half- or full-width brackets and caret
OPENER = re.compile(r"[\[［][\^＾]")
SPLIT = re.compile(r"[^\]\[\s]*\n[ \t]*[^\]\[\s]*\]")  # [^sec / ond]: a call over two lines
ID_PART = re.compile(r"[^\]\[］［\s]*")
ID_LIKE = re.compile(r"[0-9A-Za-z０-９Ａ-Ｚａ-ｚ_.\-]*")  # what of a call never closed can be its id: not the text after it


def paragraphs(value: str, source: Source, fallback: Where) -> tuple[Paragraph, ...]:
    """The paragraphs of `value` (a scalar's value, read from `source`), each call placed where it
    stands in the source (at `fallback` where it cannot be found there)."""
    places = [source.position(m.start()) for m in CALL.finditer(source.raw)]
    found = []
    count = 0
    for text, gap in split_paragraphs(value):
        spans: list[str | Call] = []
        position = 0
        for match in CALL.finditer(text):
            where = places[count] if count < len(places) else fallback
            count += 1
            if match.start() > position:
                spans.append(text[position:match.start()])
            spans.append(Call(match.group(1), where=where))
            position = match.end()
        if text[position:]:
            spans.append(text[position:])
        found.append(Paragraph(tuple(spans), gap))
    return tuple(found)


BRACKETED = re.compile(r"\[([0-9A-Za-z][0-9A-Za-z_.\-]*)\]")  # [note-id] with no '^': a call, if a note has the id


def bracketed(source: Source) -> tuple[Call, ...]:
    """Each `[word]` of a running text's source that would be a note call with a '^', where it stands."""
    return tuple(Call(match.group(1), where=source.position(match.start())) for match in BRACKETED.finditer(source.raw))


def miscalls(source: Source) -> list[Problem]:
    """The note calls in a running text's source written in full-width characters, split over two
    lines or never closed."""
    raw = source.raw
    found = []
    calls = set()
    for match in ANY_CALL.finditer(raw):
        calls.add(match.start())
        if not match.group().startswith("[^") or not match.group().endswith("]"):
            meant = unicodedata.normalize("NFKC", match.group(1)).strip()
            found.append(Problem(source.position(match.start()), _("note call '{call}' is written in full-width "
                                 "characters: write it in half-width, [^{id}]").format(call=match.group(),
                                                                                      id=meant or "note-id")))
    for match in OPENER.finditer(raw):
        if match.start() in calls:
            continue
        rest = raw[match.end():]
        if SPLIT.match(rest):
            message = _("a note call is split over two lines: write [^note-id] on one line")
        else:
            called = unicodedata.normalize("NFKC", ID_LIKE.match(rest).group()) or "note-id"
            message = _("note call '[^{id}' is not closed: write [^{id}]").format(id=called)
        found.append(Problem(source.position(match.start()), message))
    return found


def meant(value: str) -> Iterator[str | None]:
    """The note ids that `value` calls, as meant if not as written (None: a call split over two lines)."""
    for opener in OPENER.finditer(value):
        called = ID_PART.match(value, opener.end())
        split = value[called.end():called.end() + 1] == "\n"
        yield None if split else unicodedata.normalize("NFKC", called.group())


def split_paragraphs(value: str) -> list[tuple[str, bool]]:
    """Split text on blank lines and join each paragraph's lines; True marks 2+ blank lines before."""
    found: list[tuple[str, bool]] = []
    lines: list[str] = []
    blanks = 0
    for line in value.split("\n") + [""]:
        line = line.strip(" \t")
        if line.strip("\u3000"):  # a line of full-width spaces alone is a blank line too
            if not lines and found:
                gap = blanks >= 2
            elif not lines:
                gap = False
            lines.append(line)
            blanks = 0
            continue
        if lines:
            found.append((join_lines(lines), gap))
            lines = []
        blanks += 1
    return found


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines: no space where either side is Japanese, one space between Latin words."""
    joined = lines[0]
    for line in lines[1:]:
        latin = not (wide(joined[-1]) or wide(line[0]))
        joined += (" " if latin else "") + line
    return joined
