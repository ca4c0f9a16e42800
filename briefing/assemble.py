"""Turn a checked Content model into plain sheet and pack contexts for the templates; no I/O."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from . import editions
from .errors import Where
from .models import Body, Call, Content, FollowUpQuestion, Hearing, Note, PackSpec, Question, Report, Text, Topic
from .outputs import questions_file, sheet_file


@dataclass(frozen=True)
class Span:
    """A piece of a paragraph: text, or a note call numbered for its sheet."""

    text: str = ""
    number: int = 0
    note: Note | None = None
    first: bool = False
    mark: str = ""  # the note's edition mark: new or changed


@dataclass(frozen=True)
class Para:
    spans: tuple[Span, ...]
    gap: bool = False


@dataclass(frozen=True)
class AnswerBlock:
    body: Body
    paragraphs: tuple[Para, ...]
    mark: str = ""


@dataclass(frozen=True)
class QuestionBlock:
    question: Question
    to: tuple[Body, ...]
    preamble: tuple[Para, ...]
    paragraphs: tuple[Para, ...]
    answers: tuple[AnswerBlock, ...]
    awaiting: tuple[Body, ...]
    mark: str = ""
    follow_up: bool = False  # a 再質問, added to the topic by a later round

    @property
    def replies(self) -> tuple[AnswerBlock | Body, ...]:
        """Each body's answer, or the body while it has not answered, in the order the question
        names them (`to:`); answers from bodies it does not name come last."""
        asked = [b.id for b in self.to]

        def rank(reply: AnswerBlock | Body) -> int:
            body = reply.body.id if isinstance(reply, AnswerBlock) else reply.id
            return asked.index(body) if body in asked else len(asked)

        return tuple(sorted([*self.answers, *self.awaiting], key=rank))


@dataclass(frozen=True)
class DiscussionBlock:
    heading: str
    paragraphs: tuple[Para, ...]
    mark: str = ""


@dataclass(frozen=True)
class Sheet:
    """One topic, complete on its own: questions, each body's answers, discussion, notes."""

    id: str
    file: str
    topic: Topic
    questions: tuple[QuestionBlock, ...]
    discussion: tuple[DiscussionBlock, ...]
    notes: tuple[Note, ...]
    mark: str = ""  # the topic's own words (title, heading, key points) new or changed
    calls: dict = field(default_factory=dict, compare=False, repr=False)  # `Numbering.calls`


@dataclass(frozen=True)
class BodyStatus:
    """A body heard: its part of the report series, questions put to it, answers received."""

    body: Body
    part: int | None
    questions: int
    answers: int


@dataclass(frozen=True)
class Entry:
    """A sheet as the pack's contents lists it."""

    sheet: Sheet
    pages: int
    new: int  # items marked new, and changed
    changed: int
    start: int = 0  # the pack's page number of the sheet's first page


@dataclass(frozen=True)
class Revision:
    """A row of the revision history: an edition (or the unreleased changes) and what it changed."""

    edition: str
    date: datetime.date | None
    changes: tuple[tuple[str, str], ...]  # (mark, label)


@dataclass(frozen=True)
class Status:
    """How far a body has answered the questions of one topic put to it."""

    body: Body
    asked: int
    answered: int


@dataclass(frozen=True)
class Summary:
    """A topic on the summary page: its key points (要点) and each body's answer status."""

    topic: Topic
    points: tuple[str, ...]
    status: tuple[Status, ...]


@dataclass(frozen=True)
class Variant:
    """How a pack prints its sheets: date style and type size."""

    dates: str = "seireki"
    large: bool = False

    @property
    def name(self) -> str:
        return f"{self.dates}{'-large' if self.large else ''}"


DEFAULT = Variant()


@dataclass(frozen=True)
class Pack:
    """The front matter (cover, summary, contents) and the revision history around the sheets."""

    spec: PackSpec
    title: str
    edition: str
    hearing: Hearing
    report: Report
    intro: tuple[Para, ...]
    bodies: tuple[BodyStatus, ...]
    entries: tuple[Entry, ...]
    history: tuple[Revision, ...]
    summary: tuple[Summary, ...]
    mark: str = ""  # the cover's facts (hearing, report, bodies) new or changed
    calls: dict = field(default_factory=dict, compare=False, repr=False)  # the introduction's (`Numbering.calls`)


class Numbering:
    """Numbers a sheet's notes in order of first call; a note cited again keeps its number."""

    def __init__(self, notes: dict[str, Note], marks: dict[str, str] | None = None):
        self.notes = notes
        self.marks = marks or {}
        self.order: list[Note] = []
        self.calls: dict = {}  # where each note is first called; by (note id, n), where it is called again the nth time
        self.again: dict[str, int] = {}  # each note's repeated calls so far, less one

    def paragraphs(self, text: Text | None) -> tuple[Para, ...]:
        if text is None:
            return ()
        return tuple(Para(tuple(self.span(s) for s in p.spans), p.gap) for p in text.paragraphs)

    def span(self, span: str | Call) -> Span:
        if isinstance(span, str):
            return Span(text=span)
        note = self.notes[span.note]
        first = note not in self.order
        if first:
            self.order.append(note)
            self.calls[note.id] = span.where
        else:  # counted in the order the HTML has its repeated calls (`footnotes.calls_alone`)
            self.again[note.id] = self.again.get(note.id, -1) + 1
            self.calls[note.id, self.again[note.id]] = span.where
        return Span(number=self.order.index(note) + 1, note=note, first=first,
                    mark=self.marks.get(f"note/{note.id}", "") if first else "")


def sheets(content: Content, marks: dict[str, str] | None = None) -> tuple[Sheet, ...]:
    """One sheet per topic, in content order; `marks` maps edition item keys to new or changed."""
    return tuple(sheet(content, topic, marks or {}) for topic in content.topics)


def sheet(content: Content, topic: Topic, marks: dict[str, str]) -> Sheet:
    numbering = Numbering({n.id: n for n in content.notes}, marks)
    questions = question_blocks(content, topic.questions, numbering, marks)
    discussion = tuple(DiscussionBlock(d.heading, numbering.paragraphs(d.text),
                                       marks.get(f"discussion/{topic.id}/{index}", ""))
                       for index, d in enumerate(topic.discussion, 1))
    return Sheet(
        id=topic.id,
        file=sheet_file(topic.number, topic.id),
        topic=topic,
        questions=questions,
        discussion=discussion,
        notes=tuple(numbering.order),
        mark=marks.get(f"topic/{topic.id}", ""),
        calls=numbering.calls,
    )


@dataclass(frozen=True)
class Questions:
    """The questions put to one body, topic by topic, without answers: sent ahead of a hearing."""

    file: str
    body: Body
    topics: tuple[tuple[Topic, tuple[QuestionBlock, ...]], ...]
    notes: tuple[Note, ...]
    calls: dict = field(default_factory=dict, compare=False, repr=False)  # `Numbering.calls`


def questions(content: Content, spec: PackSpec, marks: dict[str, str] | None = None) -> tuple[Questions, ...]:
    """The questions pack `spec`: one document per body asked anything (or per body it names)."""
    documents = []
    chosen = chosen_topics(content, spec)
    for body in content.bodies:
        if spec.bodies and body.id not in spec.bodies:
            continue
        numbering = Numbering({n.id: n for n in content.notes}, marks)
        topics = tuple((topic, question_blocks(content, asked, numbering, marks or {}, answers=False))
                       for topic in chosen
                       if (asked := tuple(q for q in topic.questions if body.id in addressed_to(content, q))))
        if topics:
            documents.append(Questions(questions_file(spec.id, body.id), body, topics, tuple(numbering.order),
                                       numbering.calls))
    return tuple(documents)


def chosen_topics(content: Content, spec: PackSpec) -> tuple[Topic, ...]:
    """The topics of a pack, in its order; all of them, by number, when it names none."""
    if not spec.topics:
        return content.topics
    by_id = {t.id: t for t in content.topics}
    return tuple(by_id[t] for t in spec.topics)


def addressed_to(content: Content, question: Question) -> tuple[str, ...]:
    """The bodies a question was put to: its to: list, then any other body that answers it (an
    editor adds a body's answers in a file of its own, without touching the question)."""
    answering = [a.body for a in content.answers_to.get(question.id, ()) if a.body not in question.to]
    return (*question.to, *sorted(set(answering), key=answering.index))


def question_blocks(content: Content, asked, numbering: Numbering, marks: dict[str, str],
                    answers: bool = True) -> tuple[QuestionBlock, ...]:
    bodies = {b.id: b for b in content.bodies}
    order = [b.id for b in content.bodies]
    questions = []
    for question in asked:
        preamble = numbering.paragraphs(question.preamble)
        paragraphs = numbering.paragraphs(question.text)
        asked = list(addressed_to(content, question))  # answers read, and notes numbered, in the to: order
        given = sorted((a for a in content.answers_to.get(question.id, ()) if answers),
                       key=lambda a: (asked.index(a.body) if a.body in asked else len(asked), order.index(a.body)))
        blocks = tuple(AnswerBlock(bodies[a.body], numbering.paragraphs(a.text),
                                   marks.get(f"answer/{a.question}/{a.body}", "")) for a in given)
        answered = {a.body for a in given}
        questions.append(QuestionBlock(
            question=question,
            to=tuple(bodies[b] for b in asked),
            preamble=preamble,
            paragraphs=paragraphs,
            answers=blocks,
            awaiting=tuple(bodies[b] for b in asked if b not in answered) if answers else (),
            mark=marks.get(f"question/{question.id}", ""),
            follow_up=isinstance(question, FollowUpQuestion),
        ))
    return tuple(questions)


def pack(content: Content, spec: PackSpec, sheets: tuple[Sheet, ...], pages: dict[str, int],
         state: editions.State | None = None, history=(), front_pages: int = 2) -> Pack:
    """The pack `spec` around `sheets`, whose page counts are known, after `front_pages` of
    cover, summary and contents."""
    bodies = {b.id: b for b in content.bodies}
    numbering = Numbering({n.id: n for n in content.notes})
    intro = numbering.paragraphs(content.report.intro)
    parts = content.report.series.parts
    heard = sorted(content.hearing.bodies, key=lambda b: parts.index(b) if b in parts else len(parts))
    status = []
    for body_id in heard:
        asked = [q for t in content.topics for q in t.questions if body_id in addressed_to(content, q)]
        answers = [a for a in content.answers if a.body == body_id]
        part = parts.index(body_id) + 1 if body_id in parts else None
        status.append(BodyStatus(bodies[body_id], part, len(asked), len(answers)))
    entries = []
    start = front_pages + 1
    for sheet in sheets:
        counts = [m for m in marks_of(sheet) if m]
        entries.append(Entry(sheet, pages[sheet.id], counts.count(editions.NEW), counts.count(editions.CHANGED), start))
        start += pages[sheet.id]
    answered = {(a.question, a.body) for a in content.answers}
    summary = []
    for sheet in sheets:
        progress = []
        for body in content.bodies:
            asked = [q for q in sheet.topic.questions if body.id in addressed_to(content, q)]
            if asked:
                progress.append(Status(body, len(asked), sum((q.id, body.id) in answered for q in asked)))
        summary.append(Summary(sheet.topic, sheet.topic.points, tuple(progress)))
    return Pack(
        spec=spec,
        title=f"{spec.title} {content.hearing.title}",
        edition=state.label if state else "",
        hearing=content.hearing,
        report=content.report,
        intro=intro,
        bodies=tuple(status),
        entries=tuple(entries),
        history=tuple(Revision(f"第{e.number}版" if e else "未発行の変更", e.date if e else None,
                               tuple((editions.MARKS[c.status], c.label) for c in changes))
                      for e, changes in history),
        summary=tuple(summary),
        mark=state.marks.get("front", "") if state else "",
        calls=numbering.calls,
    )


def marks_of(sheet: Sheet):
    """Every edition mark on a sheet."""
    yield sheet.mark
    for q in sheet.questions:
        yield q.mark
        yield from (a.mark for a in q.answers)
    yield from (d.mark for d in sheet.discussion)
    for block in sheet.questions:
        for para in (*block.preamble, *block.paragraphs, *(p for a in block.answers for p in a.paragraphs)):
            yield from (s.mark for s in para.spans)
    for d in sheet.discussion:
        for para in d.paragraphs:
            yield from (s.mark for s in para.spans)


DEFAULT_PACKS = (
    PackSpec(id="pack", title="ブリーフィング資料", style="lawmakers"),
    PackSpec(id="questions", title="質問事項", style="questions"),
)
