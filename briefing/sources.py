"""What a note's source must be: its describing fields (issuer, title, remarks, date) found in
its verbatim words, its url one web address."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from .dates import seireki, wareki
from .errors import Problem
from .i18n import _
from .models import place


def check_note(note) -> Iterator[Problem]:
    """A note's describing fields must agree with its verbatim text."""
    for name in ("issuer", "title", "remarks"):
        value = getattr(note, name)
        if value and value not in note.text:
            yield Problem(note.where, _("note '{id}': {name} '{value}' does not appear in its text")
                          .format(id=note.id, name=name, value=value))
    if note.date:
        compact = note.text.replace(" ", "")
        if seireki(note.date) not in compact and wareki(note.date) not in compact:
            yield Problem(note.where, _("note '{id}': date {date} ({seireki}, {wareki}) does not appear in its "
                                        "text").format(id=note.id, date=note.date, seireki=seireki(note.date),
                                                       wareki=wareki(note.date)))
    if note.url and not web_address(note.url):
        yield Problem(place(note, "url"), _("note '{id}': url must be one web address, starting with https:// or "
                                            "http://, with no spaces in it").format(id=note.id))
    elif note.url and (stray := note.url[-1]) in AROUND_A_URL:  # inside, it may be the address's own: 【第2.1版】.pdf
        yield Problem(place(note, "url"), _("note '{id}': url ends in '{char}', which came with the words around it, "
                                            "it seems: remove it")
                      .format(id=note.id, char=stray))


AROUND_A_URL = set("、。，．「」『』（）［］｛｝【】〈〉《》〔〕！？：；\u3000")  # Japanese punctuation, copied along with a link


def web_address(url: str) -> bool:
    """`url`, all of it, is one http(s) address: a host, no spaces, control characters, quotes or
    angle brackets anywhere (a browser's copy escapes them: "><img… is no address)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises on a port that is not a number)
    except ValueError:
        return False
    return (parts.scheme in ("http", "https") and bool(parts.hostname) and url.isprintable()
            and not re.search(r'[\s"<>\\^`{|}]', url))  # what a web address never holds as it is
