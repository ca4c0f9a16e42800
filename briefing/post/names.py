"""Name the post's bodies, notes, topics and questions as the project will: its own ids, new ones for the rest."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Body
from .bodies import KNOWN_BODIES, body_of
from .existing import Existing
from .parts import Note, Post


@dataclass
class Names:
    """How the project names the post's bodies, notes, topics and questions."""

    part: int
    bodies: dict[str, str]  # the post's body names (and the short names it uses) → id
    new_bodies: list[Body]
    notes: dict[int, str]  # note number → id
    new_notes: list[Note]  # notes the project does not hold yet
    topics: list[tuple[str, int]]  # for each topic of the post: id and number
    questions: dict[int, str]  # a question's line in the post → id

    def body(self, name: str, post: Post) -> str:
        """The id of the body the post names `name`, in full or by its short name."""
        return self.bodies[body_of(name, post.bodies)]


def names(post: Post, existing: Existing) -> Names:
    """Ids for everything the post holds: those the project has already, new ones for the rest."""
    bodies, new_bodies = body_ids(post, existing)
    part = post.bodies.index(body_of(post.topics[0].section, post.bodies)) + 1
    taken = set(existing.notes.values())
    notes, new_notes = {}, []
    for note in post.notes:
        if note.text in existing.notes:
            notes[note.number] = existing.notes[note.text]
        else:
            notes[note.number] = free(f"part{part}-note{note.number}", taken)
            new_notes.append(note)
    topics, questions = topic_ids(post, existing, bodies, part)
    return Names(part, bodies, new_bodies, notes, new_notes, topics, questions)


def body_ids(post: Post, existing: Existing) -> tuple[dict[str, str], list[Body]]:
    """The id of every body of the series, and the bodies the project lacks."""
    known = {name: b.id for b in existing.bodies for name in (b.name, b.short) if name}
    taken = {b.id for b in existing.bodies}
    words = " ".join(p.text for p in post.running_text())
    ids, new = {}, []
    for position, name in enumerate(post.bodies, 1):
        made, short = KNOWN_BODIES.get(name, (f"body-{position}", ""))
        short = short if short and short in words else None
        ids[name] = known.get(name) or known.get(short or "")
        if not ids[name]:
            ids[name] = free(made, taken)
            new.append(Body(ids[name], name, short))
        if short:
            ids[short] = ids[name]
    return ids, new


def topic_ids(post: Post, existing: Existing, bodies: dict[str, str], part: int):
    """Each topic's id and number (after the project's own), and each question's id."""
    topic_ids, question_ids = set(existing.topics), set(existing.questions)
    numbers = set(existing.topics.values())
    offset = max(numbers, default=0)
    topics, questions = [], {}
    for topic in post.topics:
        made = f"{bodies[body_of(topic.section, post.bodies)]}-{topic.number}"
        topic_id = free(made if made not in topic_ids else f"{made}-part{part}", topic_ids)
        number = existing.numbers.get(topic_id) or topic.number + offset
        number = number if number not in numbers else max(numbers) + 1
        numbers.add(number)
        topics.append((topic_id, number))
        for index, question in enumerate(topic.questions, 1):
            wanted = topic_id if len(topic.questions) == 1 else f"{topic_id}-{question.number or index}"
            questions[question.line] = free(wanted, question_ids)
    return topics, questions


def free(wanted: str, taken: set[str]) -> str:
    """`wanted`, or `wanted-2`, `wanted-3`… if it is taken; the id is taken as well."""
    chosen = wanted
    count = 1
    while chosen in taken:
        count += 1
        chosen = f"{wanted}-{count}"
    taken.add(chosen)
    return chosen
