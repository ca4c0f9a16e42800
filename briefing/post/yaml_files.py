"""Write what each content file of an import says: hearing and report, bodies, notes, topics, answers."""

from __future__ import annotations

import re

from ..i18n import N_, _
from ..models import Body
from .bodies import KNOWN_BODIES
from .calls import Restored
from .discussion import discussion_topics
from .names import Names
from .parts import Discussion, Post, Question, Topic
from .writer import Writer, flow, scalar

HELD_THROUGH = re.compile(r"([^、。\s]+?)を通じて")
PARTICIPANTS = re.compile(r"(約?[0-9０-９]+名)の参加")
TO_FILL = "（要記入）"


def report_file(writer: Writer, post: Post, named: Names, texts: dict[int, Restored], missing: list[str]) -> Writer:
    """The hearing and the report, as far as the project lacks them."""
    ids = [named.bodies[name] for name in post.bodies]
    if "hearing" in missing:
        intro = " ".join(p.text for p in post.intro)
        writer.add(0, "hearing:")
        writer.pair(2, "title", scalar(post.series_title))
        writer.pair(2, "date", post.held.isoformat())
        for key, pattern, missing_words in (
                ("held_through", HELD_THROUGH, N_("the introduction does not say through whom the hearing was held: "
                                                  "fill it in")),
                ("participants", PARTICIPANTS, N_("the introduction does not say how many took part: fill it in"))):
            found = pattern.search(intro)
            writer.pair(2, key, scalar(found.group(1) if found else TO_FILL), check="" if found else _(missing_words))
        writer.pair(2, "bodies", flow(ids))
        writer.add(0)
    if "report" in missing:
        writer.add(0, "report:")
        for key, value in (("site", scalar(post.site)), ("author", scalar(post.author)),
                           ("posted", post.posted.isoformat()), ("post", scalar(post.post)),
                           ("title", scalar(post.title)), ("part", str(named.part)), ("tags", flow(post.tags))):
            writer.pair(2, key, value)
        writer.text(2, "intro", [texts[p.line] for p in post.intro])
        writer.add(0)
        writer.add(2, "series:")
        writer.pair(4, "heading", scalar(post.series_heading))
        writer.pair(4, "parts", flow(ids))
    return writer


def bodies_file(writer: Writer, bodies: list[Body]) -> Writer:
    """The bodies the project does not hold yet."""
    writer.add(0, "bodies:")
    for body in bodies:
        if body.name not in KNOWN_BODIES:
            writer.add(2, "# " + _("an id made up by the import: any other (a-z, 0-9, -) will do, the same in every file"))
        writer.pair(2, "id", body.id, item=True)
        writer.pair(4, "name", scalar(body.name))
        if body.short:
            writer.pair(4, "short", scalar(body.short))
    return writer


def notes_file(writer: Writer, named: Names, uncalled: list[tuple[int, str]]) -> Writer:
    """The notes the project does not hold yet, verbatim; one never called is flagged."""
    writer.add(0, "notes:")
    never = dict(uncalled)
    for note in named.new_notes:
        check = _("note *{number} is never called in the post: cite it as [^{id}] where it belongs").format(
            number=note.number, id=never[note.number]) if note.number in never else ""
        writer.pair(2, "id", named.notes[note.number], item=True, check=check)
        writer.pair(4, "text", scalar(note.text))
    return writer


def topics_file(writer: Writer, post: Post, named: Names, texts: dict[int, Restored], later: bool) -> Writer:
    """The topics: each question with the bodies it was put to, and the discussion under each topic."""
    if later:
        own_report(writer, post, texts)
    writer.add(0, "topics:")
    placed = discussion_topics(post)
    for index, (topic, (topic_id, number)) in enumerate(zip(post.topics, named.topics)):
        writer.pair(2, "id", topic_id, item=True)
        if number != topic.number:
            writer.add(4, "# " + _("{number}) in the post: numbered after the topics before it").format(number=topic.number))
        writer.pair(4, "number", str(number))
        writer.pair(4, "heading", scalar(topic.heading))
        writer.pair(4, "title", scalar(topic.heading.removesuffix("について") or topic.heading))
        writer.add(4, "questions:")
        for question in topic.questions:
            question_item(writer, post, topic, question, named, texts)
        topic_discussion(writer, topic, [(p, doubt) for p, (i, doubt) in zip(post.discussion, placed) if i == index],
                         texts)
        writer.add(0)
    return writer


def own_report(writer: Writer, post: Post, texts: dict[int, Restored]) -> None:
    """A later part's own title, byline, tags and introduction, as comments: the content holds one report."""
    writer.add(0, "# " + _("The post's own report, kept as it stands: the project's `report:` is an earlier part's."))
    writer.add(0, "#   " + _("{title} (post {post} of {posted}, by {author}; tags: {tags})").format(
        title=post.title, post=post.post, posted=post.posted, author=post.author, tags=" ".join(post.tags)))
    for para in post.intro:
        writer.add(0, f"#   {texts[para.line].text}")


def question_item(writer: Writer, post: Post, topic: Topic, question: Question, named: Names,
                  texts: dict[int, Restored]) -> None:
    """One question: to whom it was put (the bodies that answered, or whose answer is awaited), its words."""
    asked = [r.body or topic.section for r in (*question.answers, *question.remarks)] or [topic.section]
    writer.pair(6, "id", named.questions[question.line], item=True)
    writer.pair(8, "to", flow(dict.fromkeys(named.body(name, post) for name in asked)))
    if question.preamble:
        writer.text(8, "preamble", [texts[p.line] for p in question.preamble])
    if question.number:
        writer.pair(8, "number", str(question.number))
    writer.text(8, "text", [texts[p.line] for p in question.text])


def topic_discussion(writer: Writer, topic: Topic, parts: list[tuple[Discussion, str]],
                     texts: dict[int, Restored]) -> None:
    """A topic's discussion: the remarks on its questions still awaiting their answer, then the parts placed under it."""
    remarks = [(q, r) for q in topic.questions for r in q.remarks]
    if parts or remarks:
        writer.add(4, "discussion:")
    for question, reply in remarks:
        label = f"{f'({question.number}) ' if question.number else ''}{reply.body or topic.section}の回答"
        writer.pair(6, "heading", scalar(label), item=True, check=_(
            "the post gives no heading for its remark on a question still awaiting its answer: the remark stands "
            "here on the sheet, under this heading"))
        writer.text(8, "text", [texts[p.line] for p in reply.paragraphs])
    for part, doubt in parts:
        writer.pair(6, "heading", scalar(part.heading), item=True,
                    check=_("placed under this topic, but {doubt}").format(doubt=doubt) if doubt else "")
        writer.text(8, "text", [texts[p.line] for p in part.paragraphs])


def answers_file(writer: Writer, post: Post, body: str, named: Names, texts: dict[int, Restored]) -> Writer:
    """One body's answers, in the order of the post."""
    writer.add(0, "answers:")
    for question, answer in post.answers():
        if named.body(answer.body, post) == body:
            writer.pair(2, "question", named.questions[question.line], item=True)
            writer.pair(4, "body", body)
            writer.text(4, "text", [texts[p.line] for p in answer.paragraphs])
            writer.add(0)
    return writer
