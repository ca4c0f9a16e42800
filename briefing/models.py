"""The report as the rest of the pipeline sees it: plain, frozen records."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field, fields

from .errors import Where


@dataclass(frozen=True, kw_only=True)
class Record:
    """Where a record was read: `where` for the record, `places` for each of its fields, for
    messages. Not part of the schema (the loader fills them) nor of a record's value."""

    where: Where = field(default=Where("", 0, 0), compare=False, repr=False)
    places: dict = field(default_factory=dict, compare=False, repr=False)


def place(record, name: str) -> Where:
    """Where a record's field was read (the record's own place if it was not)."""
    return record.places.get(name, record.where)


def given(record, name: str) -> bool:
    """Whether the content gave a record's field, rather than the loader filling it in."""
    return name in record.places


@dataclass(frozen=True)
class Call(Record):
    """A footnote call in running text: `[^note-id]`."""

    note: str


@dataclass(frozen=True)
class Paragraph:
    """A paragraph as text pieces and note calls; `gap` marks an extra blank line before it."""

    spans: tuple[str | Call, ...]
    gap: bool = False

    @property
    def plain(self) -> str:
        """The paragraph's words without its note calls."""
        return "".join(s for s in self.spans if isinstance(s, str))


@dataclass(frozen=True)
class Text:
    """Running text: one or more paragraphs, which may call notes."""

    paragraphs: tuple[Paragraph, ...]
    # [note-id] written without its '^', where it stands: printed as it is, unless a note has that id
    bracketed: tuple[Call, ...] = field(default=(), repr=False, compare=False)

    def calls(self):
        for paragraph in self.paragraphs:
            yield from (s for s in paragraph.spans if isinstance(s, Call))


@dataclass(frozen=True)
class Hearing(Record):
    title: str
    date: datetime.date
    held_through: str
    participants: str
    bodies: tuple[str, ...]


@dataclass(frozen=True)
class Series(Record):
    heading: str
    parts: tuple[str, ...]


@dataclass(frozen=True)
class Report(Record):
    posted: datetime.date
    title: str
    part: int
    intro: Text
    series: Series
    # Where and by whom it was published: printed only where given.
    site: str | None = None
    author: str | None = None
    post: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Body(Record):
    """A ministry or commission that was questioned."""

    id: str
    name: str
    short: str | None = None
    reading: str | None = None  # furigana for the name, printed above it


@dataclass(frozen=True)
class Question(Record):
    # When not given, the loader fills it in: <topic id>-<place in the topic>, portal-2.
    id: str | None = field(default=None, kw_only=True)
    to: tuple[str, ...]
    text: Text
    preamble: Text | None = None
    number: int | None = None


@dataclass(frozen=True)
class FollowUp(Question):
    """A question added to a topic from another file, as a follow-up round (再質問) does."""

    topic: str = field(kw_only=True)

    def question(self) -> Question:
        return FollowUpQuestion(**{f.name: getattr(self, f.name) for f in fields(Question)})


@dataclass(frozen=True)
class FollowUpQuestion(Question):
    """A follow-up question (再質問) in its topic, among the topic's own questions."""


@dataclass(frozen=True)
class Discussion(Record):
    """The group's report of the discussion at the venue and its analysis, under a heading."""

    heading: str
    text: Text


@dataclass(frozen=True)
class Topic(Record):
    id: str
    # When not given, the loader fills it in: the topic's place in file order.
    number: int | None = field(default=None, kw_only=True)
    heading: str
    questions: tuple[Question, ...]
    title: str | None = None  # the sheet's title; its heading when not given (the loader fills it in)
    discussion: tuple[Discussion, ...] = ()
    points: tuple[str, ...] = ()  # 要点: the report's own key sentences, for a pack's summary page


@dataclass(frozen=True)
class PackSpec(Record):
    """A pack as content defines it: for whom, which topics, in which style."""

    id: str
    title: str
    style: str  # lawmakers: cover, summary, contents, sheets, history; handout: sheets on rectos;
    #             questions: the questions alone, one document per body
    audience: str | None = None
    addressee: str | None = None  # the cover's 御中 line
    topics: tuple[str, ...] = ()  # in this order; all topics when empty
    bodies: tuple[str, ...] = ()  # questions style: to whom; every body asked when empty
    dates: str = "seireki"  # seireki: 2023年9月28日; wareki: 令和5年9月28日
    large: bool = False  # larger type, for reading at a hearing
    pdf: tuple[str, ...] = ()  # ua: PDF/UA-1 (tagged); a: PDF/A-3u


@dataclass(frozen=True)
class Answer(Record):
    question: str
    body: str
    text: Text


@dataclass(frozen=True)
class Note(Record):
    """A footnote; `text` is printed verbatim, the other fields describe its source (the loader composes
    the text from them when it is not given)."""

    id: str
    text: str | None = None
    issuer: str | None = None
    title: str | None = None
    date: datetime.date | None = None
    remarks: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Source:
    """The raw source of one scalar, kept so characters can be traced to line and column."""

    where: Where
    raw: str
    value: str

    def position(self, offset: int) -> Where:
        """The place of the character at `offset` in `raw`."""
        before = self.raw[:offset]
        newlines = before.count("\n")
        column = offset - before.rfind("\n") if newlines else self.where.column + offset
        return Where(self.where.path, self.where.line + newlines, column, self.where.field)


@dataclass
class Lost:
    """What content that failed to read would have defined, so that the errors which only follow
    from its failure are not reported too: ids by kind (body, topic, question, note, pack),
    `cited` for the notes its text calls, `hearing` and `report`; None stands for any id."""

    ids: dict[str, set[str | None]] = field(default_factory=dict)

    def add(self, kind: str, id: str | None = None) -> None:
        self.ids.setdefault(kind, set()).add(id)

    def covers(self, kind: str, id: str | None = None) -> bool:
        """Whether `id` of `kind` may be one of the lost ones."""
        lost = self.ids.get(kind, ())
        return None in lost or id in lost


@dataclass(frozen=True)
class Content:
    """Everything read from a content folder, in file order."""

    hearing: Hearing | None  # None only in content that failed to load, while it is checked
    report: Report | None
    bodies: tuple[Body, ...]
    topics: tuple[Topic, ...]
    answers: tuple[Answer, ...]
    notes: tuple[Note, ...]
    packs: tuple[PackSpec, ...] = ()
    sources: tuple[Source, ...] = field(default=(), compare=False, repr=False)
    problems: tuple = field(default=(), compare=False, repr=False)  # found while loading
    lost: Lost = field(default_factory=Lost, compare=False, repr=False)
    digests: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)  # (file, SHA-256) as read

    @functools.cached_property
    def answers_to(self) -> dict[str, tuple[Answer, ...]]:
        """Each question's answers, by the question's id, in file order."""
        found: dict[str, list[Answer]] = {}
        for answer in self.answers:
            found.setdefault(answer.question, []).append(answer)
        return {question: tuple(answers) for question, answers in found.items()}
