"""Each record's id and number its own: ids used once and fit to name files, topic numbers and
a topic's question numbers not given twice. Records in, problems out (`check`'s first step)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from .errors import Problem, visible
from .i18n import N_, _
from .models import Content, FollowUpQuestion, given, place

MAX_ID = 64
KIND_WORDS = {"body": N_("body"), "topic": N_("topic"), "question": N_("question"), "note": N_("note"),
              "pack": N_("pack")}
SAFE_ID = re.compile(r"[a-z0-9]+(?:[-_.][a-z0-9]+)*")


def check_numbers(content: Content) -> Iterator[Problem]:
    """Each topic's number is its own, whether given or derived from its place in file order."""
    numbered: dict[int, object] = {}
    for topic in content.topics:
        if topic.number not in numbered:
            numbered[topic.number] = topic
            continue
        derived, other = taken(topic, numbered[topic.number], "number")
        if given(derived, "number"):
            yield Problem(place(topic, "number"), _("topic number {number} is taken by topic '{id}' (at {where})")
                          .format(number=topic.number, id=other.id, where=other.where))
        elif not content.lost.ids.get("topic"):  # a topic that failed to read has moved the places after it
            yield Problem(derived.where, _("topic '{id}' has no number, so it takes its place in file order, "
                                           "{number}, which topic '{other}' has (at {where}): give it a number")
                          .format(id=derived.id, number=topic.number, other=other.id, where=other.where))


def hidden(text: str) -> bool:
    """Whether `text` has an invisible character in it (which the characters' check names)."""
    return visible(text) != text


def question_numbers(content: Content) -> Iterator[Problem]:
    """A question's number is printed before it, (1), (2): two of one topic's questions put to one
    body (printed together in its questions) may not have the same; a follow-up (再質問(1)) is
    numbered apart from them."""
    for topic in content.topics:
        numbered: dict = {}
        for question in topic.questions:
            if question.number is None:
                continue
            keys = [(isinstance(question, FollowUpQuestion), body, question.number) for body in question.to]
            other = next((numbered[key] for key in keys if key in numbered), None)  # printed to one body twice
            if other is not None:
                yield Problem(place(question, "number"), _("question number {number} is taken by question '{id}' of "
                                                           "this topic (at {where})")
                              .format(number=question.number, id=other.id, where=other.where))
            for key in keys:
                numbered.setdefault(key, question)


def unique(items: Iterable, kind: str, problems: list[Problem], twice: set | None = None) -> dict:
    """Index records by id, reporting unsafe and duplicate ids (kept in `twice`)."""
    seen: dict = {}
    twice = set() if twice is None else twice
    for item in items:
        if item.id != item.id.strip() and SAFE_ID.fullmatch(item.id.strip()):  # 'portal　': a space typed after it
            problems.append(Problem(place(item, "id"), _("{kind} id '{id}' has a space before or after it (a full-width "
                                    "one, if you cannot see it): delete the space").format(kind=_(KIND_WORDS[kind]),
                                                                                          id=item.id)))
        elif not SAFE_ID.fullmatch(item.id) and not (SAFE_ID.fullmatch(visible(item.id)) and hidden(item.id)):
            problems.append(Problem(place(item, "id"), _("{kind} id '{id}' may use only a-z, 0-9 and - _ . between "
                                    "them: ids name output files").format(kind=_(KIND_WORDS[kind]), id=item.id[:80])))
        elif len(item.id) > MAX_ID:
            problems.append(Problem(place(item, "id"), _("{kind} id is {length} characters long; the limit is "
                                    "{limit}: ids name output files").format(kind=_(KIND_WORDS[kind]),
                                                                             length=len(item.id), limit=MAX_ID)))
        if item.id not in seen:
            seen[item.id] = item
            continue
        twice.add(item.id)
        derived, other = taken(item, seen[item.id], "id")
        if kind == "question" and not given(derived, "id"):  # only a question's id may be left out
            problems.append(Problem(derived.where, _("this question has no id, so it is called '{id}' (its topic's "
                                    "id and its place there), as the question at {where} is: give it an id")
                                    .format(id=item.id, where=other.where)))
        else:
            problems.append(Problem(place(item, "id"), _("duplicate {kind} id '{id}' (first at {where})")
                                    .format(kind=_(KIND_WORDS[kind]), id=item.id, where=seen[item.id].where)))
    return seen


def taken(record, first, name: str) -> tuple:
    """Of two records with the same `name`, the one that left it out to be derived, if one did, and the other."""
    return (first, record) if given(record, name) and not given(first, name) else (record, first)
