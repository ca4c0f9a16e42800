"""Turn a checked Content model into plain sheet and pack contexts for the templates; no I/O."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Body, Call, Content, Hearing, Note, Question, Report, Text, Topic


@dataclass(frozen=True)
class Span:
    """A piece of a paragraph: text, or a note call numbered for its sheet."""

    text: str = ""
    number: int = 0
    note: Note | None = None
    first: bool = False


@dataclass(frozen=True)
class Para:
    spans: tuple[Span, ...]
    gap: bool = False


@dataclass(frozen=True)
class AnswerBlock:
    body: Body
    paragraphs: tuple[Para, ...]


@dataclass(frozen=True)
class QuestionBlock:
    question: Question
    to: tuple[Body, ...]
    preamble: tuple[Para, ...]
    paragraphs: tuple[Para, ...]
    answers: tuple[AnswerBlock, ...]
    awaiting: tuple[Body, ...]


@dataclass(frozen=True)
class DiscussionBlock:
    heading: str
    paragraphs: tuple[Para, ...]


@dataclass(frozen=True)
class Sheet:
    """One topic, complete on its own: questions, each body's answers, discussion, notes."""

    id: str
    file: str
    topic: Topic
    questions: tuple[QuestionBlock, ...]
    discussion: tuple[DiscussionBlock, ...]
    notes: tuple[Note, ...]


@dataclass(frozen=True)
class BodyStatus:
    """A body heard: its part of the report series, questions put to it, answers received."""

    body: Body
    part: int | None
    questions: int
    answers: int


@dataclass(frozen=True)
class Pack:
    """The cover with the introduction, a contents page, and every sheet."""

    file: str
    title: str
    hearing: Hearing
    report: Report
    intro: tuple[Para, ...]
    bodies: tuple[BodyStatus, ...]
    sheets: tuple[Sheet, ...]


class Numbering:
    """Numbers a sheet's notes in order of first call; a note cited again keeps its number."""

    def __init__(self, notes: dict[str, Note]):
        self.notes = notes
        self.order: list[Note] = []

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
        return Span(number=self.order.index(note) + 1, note=note, first=first)


def sheets(content: Content) -> tuple[Sheet, ...]:
    """One sheet per topic, in content order."""
    return tuple(sheet(content, topic) for topic in content.topics)


def sheet(content: Content, topic: Topic) -> Sheet:
    bodies = {b.id: b for b in content.bodies}
    order = [b.id for b in content.bodies]
    numbering = Numbering({n.id: n for n in content.notes})
    questions = []
    for question in topic.questions:
        preamble = numbering.paragraphs(question.preamble)
        paragraphs = numbering.paragraphs(question.text)
        answers = sorted((a for a in content.answers if a.question == question.id),
                         key=lambda a: order.index(a.body))
        blocks = tuple(AnswerBlock(bodies[a.body], numbering.paragraphs(a.text)) for a in answers)
        answered = {a.body for a in answers}
        questions.append(QuestionBlock(
            question=question,
            to=tuple(bodies[b] for b in question.to),
            preamble=preamble,
            paragraphs=paragraphs,
            answers=blocks,
            awaiting=tuple(bodies[b] for b in question.to if b not in answered),
        ))
    discussion = tuple(DiscussionBlock(d.heading, numbering.paragraphs(d.text)) for d in topic.discussion)
    return Sheet(
        id=topic.id,
        file=f"sheets/{topic.number:02d}-{topic.id}.pdf",
        topic=topic,
        questions=tuple(questions),
        discussion=discussion,
        notes=tuple(numbering.order),
    )


def pack(content: Content, sheets: tuple[Sheet, ...]) -> Pack:
    bodies = {b.id: b for b in content.bodies}
    numbering = Numbering({n.id: n for n in content.notes})
    intro = numbering.paragraphs(content.report.intro)
    parts = content.report.series.parts
    heard = sorted(content.hearing.bodies, key=lambda b: parts.index(b) if b in parts else len(parts))
    status = []
    for body_id in heard:
        asked = [q for t in content.topics for q in t.questions if body_id in q.to]
        answers = [a for a in content.answers if a.body == body_id]
        part = parts.index(body_id) + 1 if body_id in parts else None
        status.append(BodyStatus(bodies[body_id], part, len(asked), len(answers)))
    return Pack(
        file="pack.pdf",
        title=f"{content.hearing.title} {content.report.title}",
        hearing=content.hearing,
        report=content.report,
        intro=intro,
        bodies=tuple(status),
        sheets=sheets,
    )
