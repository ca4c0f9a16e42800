"""The parts of a report post as read: each paragraph with its line, nothing interpreted yet."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from ..errors import ContentError, Problem, Where
from ..project import display


@dataclass(frozen=True)
class Para:
    """A paragraph of the post: one line's text, leading spaces aside; `gap`: a blank line before it."""

    text: str
    line: int
    column: int  # where the text starts on its line, 1-based
    gap: bool = False


@dataclass(frozen=True)
class Reply:
    """What follows a question for one body: its answer, or a remark that the answer is awaited."""

    body: str  # the body as the post names it
    paragraphs: tuple[Para, ...]
    line: int


@dataclass(frozen=True)
class Question:
    """A (質問) block: its preamble, its number (n), its text, and each body's reply."""

    line: int
    preamble: tuple[Para, ...]
    number: int | None
    text: tuple[Para, ...]
    answers: tuple[Reply, ...]
    remarks: tuple[Reply, ...]  # questions still awaiting their answer, as the post says


@dataclass(frozen=True)
class Topic:
    """A numbered topic 「N)…について」 of a 【…からの回答】 section, with its questions."""

    line: int
    number: int
    heading: str
    section: str  # the body whose answers the section gives, as the post names it
    section_line: int
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Discussion:
    """A headed part of 【回答に対する質疑と会場意見など】."""

    line: int
    heading: str
    paragraphs: tuple[Para, ...]


@dataclass(frozen=True)
class Note:
    """A note `*N text` of the Note section."""

    number: int
    text: str
    line: int


@dataclass(frozen=True)
class Post:
    """A report post, read: every part it holds, verbatim, with the line it stands on."""

    path: Path
    site: str
    author: str
    posted: datetime.date
    post: str  # the post's number on the site, "#360"
    tags: tuple[str, ...]
    title: str
    series_title: str
    intro: tuple[Para, ...]
    series_heading: str
    series_line: int
    held: datetime.date  # the hearing's date, as the series heading gives it
    bodies: tuple[str, ...]  # the series' parts, one body each, in order
    topics: tuple[Topic, ...]
    discussion: tuple[Discussion, ...]
    notes: tuple[Note, ...]

    def running_text(self) -> list[Para]:
        """Every paragraph that may call a note, in the order of the post's lines."""
        paragraphs = list(self.intro)
        for topic in self.topics:
            for question in topic.questions:
                paragraphs += [*question.preamble, *question.text]
                paragraphs += [p for reply in (*question.answers, *question.remarks) for p in reply.paragraphs]
        paragraphs += [p for part in self.discussion for p in part.paragraphs]
        return sorted(paragraphs, key=lambda p: p.line)

    def answers(self) -> list[tuple[Question, Reply]]:
        """Every answer with the question it answers, in the order of the post."""
        return [(q, a) for topic in self.topics for q in topic.questions for a in q.answers]


def misfit(path: Path, line: int, column: int, message: str) -> ContentError:
    """The error of a post that does not fit: `message` at a line and column of the file at `path`."""
    return ContentError([Problem(Where(display(path), line, column), message)])
