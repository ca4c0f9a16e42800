"""Fill in what content may leave out: a topic's title and number, a question's id, a note's text.

What is filled in is derived from the content alone, so that it stays the same from build to
build: a question's id from its topic and its place there (`portal-2`), a topic's number from its
place in file order, a note's text from its fields. A derived id or number that is already
taken is `check`'s to report, at the record that left it out.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable

from ..dates import seireki
from ..models import Note, Question, Topic

BRACKETS = ("「", "『")  # a title that opens with one is already quoted, as the group writes some


def topic(read: Topic) -> Topic:
    """A topic as read, with its title (its heading where none is given) and its questions' ids."""
    return dataclasses.replace(read, title=read.title or read.heading, questions=named(read.id, read.questions))


def named(topic_id: str, questions: tuple[Question, ...], before: int = 0) -> tuple[Question, ...]:
    """`questions`, placed after `before` others in their topic, each with an id: `<topic id>-<place>`
    where none is given."""
    return tuple(q if q.id is not None else dataclasses.replace(q, id=f"{topic_id}-{before + place}")
                 for place, q in enumerate(questions, 1))


def numbered(topics: list[Topic]) -> list[Topic]:
    """`topics`, in file order, each with a number: its place in that order where none is given."""
    return [t if t.number is not None else dataclasses.replace(t, number=place) for place, t in enumerate(topics, 1)]


def note(read: Note) -> Note:
    """A note with its text: as given, never altered; else composed from its fields."""
    return read if read.text is not None else dataclasses.replace(read, text=citation(read))


def citation(note: Note, dated: Callable[[datetime.date], str] = seireki) -> str:
    """A note's fields cited the way the group's notes are written, as
    `デジタル庁 » 「題」(2023年10月5日)。デジタル庁提供資料。`: issuer, title in 「」, date (`dated`: in
    西暦, or 和暦 in a pack that prints dates so), remarks; ` » ` (their mark of a link) only when
    there is a url, which prints below the text."""
    title = note.title if note.title.startswith(BRACKETS) else f"「{note.title}」"
    text = (" » " if note.url else "").join(filter(None, (note.issuer, title)))
    if note.date:
        text += f"({dated(note.date)})"
    return f"{text}。{note.remarks}" if note.remarks else text
