"""Check a Content model's references, numbers, notes and packs, and its characters
(`characters.py`): Content in, problems out."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator

from .characters import check_characters
from .errors import Problem, Where, bare, likely, unknown
from .ids import KIND_WORDS, SAFE_ID, check_numbers, hidden, question_numbers, unique
from .i18n import _
from .models import Content, Text, given, place
from .sources import check_note
from .outputs import STYLES_WITH_EDITIONS, pack_files

STYLES = ("lawmakers", "handout", "questions")
DATE_STYLES = ("seireki", "wareki")
PDF_VARIANTS = ("ua", "a")


def check(content: Content, charset: frozenset[int]) -> list[Problem]:
    """Every problem of the content, errors and warnings, in no particular order.

    Content that failed to load in part is checked too: what its failed records would have
    defined (`content.lost`) is not reported unknown, nor a note they cite uncited.
    """
    checking = Checking(content)
    checking.renamed()
    checking.references()
    checking.answers()
    checking.bodies_heard()
    checking.packs()
    checking.notes()
    checking.problems.extend(check_characters(content, charset))
    return checking.problems


class Checking:
    """The checks across records: ids unique, references known, notes cited, packs apart."""

    def __init__(self, content: Content):
        self.content = content
        self.problems: list[Problem] = []
        self.bodies = unique(content.bodies, "body", self.problems)
        unique(content.topics, "topic", self.problems)
        self.problems.extend(check_numbers(content))
        self.problems.extend(question_numbers(content))
        self.twice: set[str] = set()  # question ids given twice: not offered for an unknown one (their error says)
        self.questions = unique((q for t in content.topics for q in t.questions), "question", self.problems, self.twice)
        self.notes_by_id = unique(content.notes, "note", self.problems)
        self.no_bodies = False  # said that no bodies are listed
        self.meant: dict[str, dict[str, str]] = {}  # by kind: an id used but defined nowhere, the id defined as it

    def refer(self, ids: Iterable[str], known: dict, kind: str, where: Where, listed: bool = False,
              record=None, field: str = "") -> None:
        """Report the unknown ones of `ids`, but not those a record that failed to load would have defined,
        nor those a record defines with its id miswritten (that id's own error says so). Each is said
        where it stands in its list, `record`'s `field`, if given; else at `where`."""
        ids = list(ids)

        def at(ref: str, index: int | None = None) -> Where:
            index = ids.index(ref) if index is None else index
            return record.places.get(f"{field}[{index}]", where) if record is not None else where

        for index, ref in enumerate(ids):
            if ref in ids[:index] and ref not in ids[index + 1:]:  # said once, at its last copy
                self.problems.append(Problem(at(ref, index), _("'{id}' is listed twice here: list it once").format(id=ref)))
        for ref in dict.fromkeys(ids):
            where_ref = at(ref)
            if ref in self.meant.get(kind, {}):
                continue  # its definition's id is said to be miswritten, once
            if ref not in known and not self.content.lost.covers(kind, ref) and not miswritten(ref, known):
                if kind == "body" and not known:  # no bodies at all: said once, not at every reference
                    if not self.no_bodies:
                        self.problems.append(Problem(where_ref, _("no bodies are listed: write the bodies: list, each "
                                                              "body's id and name, in a file of the content "
                                                              "(bodies.yaml)")))
                    self.no_bodies = True
                    continue
                offered = {id: record for id, record in known.items() if kind != "question" or id not in self.twice}
                self.problems.append(Problem(where_ref, unknown(kind, ref, offered, hint=not listed)))

    def uses(self) -> dict[str, dict[str, list[Where]]]:
        """Where each body and note id is used, by kind."""
        content, uses = self.content, {"body": {}, "note": {}}

        def used(kind: str, ids: Iterable[str], where: Where) -> None:
            for id in ids:
                uses[kind].setdefault(id, []).append(where)

        if content.hearing:
            used("body", content.hearing.bodies, place(content.hearing, "bodies"))
        if content.report:
            used("body", content.report.series.parts, place(content.report.series, "parts"))
        for question in self.questions.values():
            used("body", question.to, place(question, "to"))
        for answer in content.answers:
            used("body", [answer.body], place(answer, "body"))
        for pack in content.packs:
            used("body", pack.bodies, place(pack, "bodies"))
        for text in texts(content):
            for call in text.calls():
                used("note", [call.note], call.where)
        return uses

    def renamed(self) -> None:
        """An id defined and used nowhere, while one spelt nearly alike is used, twice or more, and
        defined nowhere: the definition's id is the one likely miswritten (bodies.yaml's 'digtal',
        and 'digital' used ten times). Said once, at the definition; those uses are not said
        unknown each. Used once, the use may be the slip: said there, as unknown."""
        defined = {"body": self.bodies, "note": self.notes_by_id}  # a question unanswered is used nowhere as it is
        for kind, uses in self.uses().items():
            known = defined[kind]
            unused = [id for id in known if id not in uses and SAFE_ID.fullmatch(id)]
            for ref, places in sorted(uses.items()):
                if ref in known or self.content.lost.covers(kind, ref) or miswritten(ref, known) \
                        or not SAFE_ID.fullmatch(ref) or len(places) < 2:  # used once: that use may be the slip
                    continue
                # ids of a series (manual-2, manual-3) are not one miswritten: both may be meant
                close = [id for id in difflib.get_close_matches(ref, unused, n=1, cutoff=0.75)
                         if re.sub(r"\d+", "#", id) != re.sub(r"\d+", "#", ref)]
                if close and close[0] not in self.meant.get(kind, {}).values():
                    self.meant.setdefault(kind, {})[ref] = close[0]
                    self.problems.append(Problem(place(known[close[0]], "id"), _(
                        "{kind} id '{id}' is used nowhere, and '{used}', defined nowhere, is used {count} time(s) "
                        "(first at {where}): write this id as '{used}'").format(
                        kind=_(KIND_WORDS[kind]), id=close[0], used=ref, count=len(places), where=min(places))))

    def references(self) -> None:
        content = self.content
        if content.hearing:
            self.refer(content.hearing.bodies, self.bodies, "body", place(content.hearing, "bodies"), listed=True,
                       record=content.hearing, field="bodies")
        if content.report:
            self.refer(content.report.series.parts, self.bodies, "body", place(content.report.series, "parts"),
                       record=content.report.series, field="parts")
        for topic in content.topics:
            if not topic.questions:
                self.problems.append(Problem(topic.where, _("topic has no questions"), warning=True))
            for question in topic.questions:
                self.refer(question.to, self.bodies, "body", place(question, "to"), record=question, field="to")

    def answers(self) -> None:
        answered: dict[tuple[str, str], Where] = {}
        for answer in self.content.answers:
            self.refer([answer.body], self.bodies, "body", place(answer, "body"))
            self.refer([answer.question], self.questions, "question", place(answer, "question"))
            asked = self.questions.get(answer.question)
            if asked is not None and not given(asked, "id"):
                self.problems.append(Problem(place(answer, "question"), _(
                    "question '{id}' has no id of its own: '{id}' is its place in its topic, which moves when a "
                    "question is added before it, and this answer would then print under another question; write "
                    "`id: {id}` on the question at {where}").format(id=answer.question, where=asked.where)))
            key = (answer.question, answer.body)
            if key in answered:
                self.problems.append(Problem(answer.where, _("'{body}' already answers '{question}' at {where}: put "
                                             "both in one text").format(body=answer.body, question=answer.question,
                                                                        where=answered[key])))
            answered.setdefault(key, answer.where)

    def bodies_heard(self) -> None:
        """Every body that is asked or answers is one the hearing heard: said once, where it is first used."""
        hearing = self.content.hearing
        if not hearing:
            return
        unheard: dict[str, Where] = {}
        heard = set(hearing.bodies) | {id for ref in hearing.bodies if ref not in self.bodies  # 'digitl' is said
                                       for id in likely(ref, self.bodies) if id}                # unknown, once
        for where, body in sorted([*((place(q, "to"), b) for q in self.questions.values() for b in q.to),
                                   *((place(a, "body"), a.body) for a in self.content.answers)]):
            if body in self.bodies and body not in heard:
                unheard.setdefault(body, where)
        self.problems += [Problem(where, _("'{body}' is not one of the hearing's bodies: add it to hearing.bodies")
                                  .format(body=body)) for body, where in unheard.items()]

    def packs(self) -> None:
        topics = {t.id: t for t in self.content.topics}
        unique(self.content.packs, "pack", self.problems)
        for pack in self.content.packs:
            for name, value, allowed in (("style", pack.style, STYLES), ("dates", pack.dates, DATE_STYLES)):
                if value not in allowed:
                    self.problems.append(Problem(place(pack, name), _("{name} '{value}' is not one of: {allowed}")
                                                 .format(name=name, value=value, allowed=", ".join(allowed))))
            for index, value in enumerate(pack.pdf):
                if value in pack.pdf[:index]:
                    self.problems.append(Problem(place(pack, "pdf"), _("pdf '{value}' is given twice: once is enough")
                                                 .format(value=value), warning=True))
                elif value not in PDF_VARIANTS:
                    self.problems.append(Problem(place(pack, "pdf"), _(
                        "pdf '{value}' is not one of: {allowed} (ua: PDF/UA-1, tagged for accessibility; a: PDF/A-3u, "
                        "for archives)").format(value=value, allowed=", ".join(PDF_VARIANTS))))
            if pack.pdf and pack.style in STYLES and pack.style not in STYLES_WITH_EDITIONS:
                self.problems.append(Problem(place(pack, "pdf"), _(
                    "a {style} pack has no PDF/UA or PDF/A edition: remove pdf:, or ask for it in a lawmakers or "
                    "handout pack").format(style=pack.style)))
            self.refer(pack.topics, topics, "topic", place(pack, "topics"), record=pack, field="topics")
            self.refer(pack.bodies, self.bodies, "body", place(pack, "bodies"), record=pack, field="bodies")
            if pack.style == "questions":  # a body asked nothing gets no questions-BODY.pdf: not left unsaid
                put = {q.id for t in self.content.topics if not pack.topics or t.id in pack.topics for q in t.questions}
                asked = {body for id in put for body in self.questions[id].to if id in self.questions} | \
                    {a.body for a in self.content.answers if a.question in put}
                for body in dict.fromkeys(b for b in pack.bodies if b in self.bodies and b not in asked):
                    self.problems.append(Problem(place(pack, "bodies"), _(
                        "no question is put to '{body}', so pack '{id}' makes no questions for it: put a question "
                        "to it (to: [{body}]), or take it out of this list").format(body=body, id=pack.id),
                        warning=True))
        files: dict[str, object] = {}
        for pack in self.content.packs:  # ids are joined with '-' into file names: two packs may meet
            for name in pack_files(pack, self.bodies):
                if name in files and files[name] is not pack:
                    self.problems.append(Problem(place(pack, "id"), _(
                        "pack '{id}' would write {name}, as pack '{other}' does: choose another id")
                        .format(id=pack.id, name=name, other=files[name].id)))
                files.setdefault(name, pack)

    def notes(self) -> None:
        lost, cited, bracketed, empty, unknown_calls = self.content.lost, set(), [], [], []
        for text in texts(self.content):
            bracketed += [call for call in text.bracketed if call.note in self.notes_by_id]
            for call in text.calls():
                cited.update((call.note, bare(call.note)))  # one with a hidden character: that character's error
                if not bare(call.note):
                    empty.append(call)  # said below, with the note it may be
                    continue
                if call.note in self.meant.get("note", {}):
                    cited.add(self.meant["note"][call.note])  # its definition's id is said miswritten, once
                    continue
                if call.note not in self.notes_by_id and not lost.covers("note", call.note) \
                        and not miswritten(call.note, self.notes_by_id):
                    unknown_calls.append(call)
        cited.update(self.unknown_calls(unknown_calls, cited | {call.note for call in bracketed}))
        for call in bracketed:  # '[id]' of a note: meant as its call if it is cited nowhere else, else maybe so
            self.problems.append(Problem(call.where, _("'[{id}]' is not a note call and would print as it is: write "
                                                       "[^{id}]").format(id=call.note), warning=call.note in cited))
        cited.update(call.note for call in bracketed)
        uncited = [note.id for note in self.content.notes if note.id not in cited and SAFE_ID.fullmatch(note.id)]
        for call in empty:  # '[^]': the note cited nowhere else, if one only, is likely the one meant
            self.problems.append(Problem(call.where, _("[^] has no note id: write the id of the note it calls "
                                                       "between ^ and ]") + (_(" (note '{id}' is cited nowhere: "
                                                       "that one?)").format(id=uncited[0]) if len(uncited) == 1 else "")))
        if empty and len(uncited) == 1:
            cited.add(uncited[0])  # not also said uncited
        for note in self.content.notes:
            if note.id not in cited and bare(note.id) not in cited and SAFE_ID.fullmatch(note.id) \
                    and not lost.covers("cited", note.id):  # a miswritten id: its own error
                self.problems.append(Problem(note.where, _("note '{id}' is never cited: cite it as [^{id}] or "
                                                          "remove it").format(id=note.id), warning=True))
            self.problems.extend(check_note(note))


    def unknown_calls(self, calls: list, cited: set[str]) -> set[str]:
        """Said: each call of a note defined nowhere. The note it likely meant is named, and where it
        is defined when it is cited nowhere (the slip may be in its id: "iss-proposl"); with no note
        spelt alike, the notes cited nowhere are offered (a call written as the note's printed number,
        [^3], or a note's id renamed). The notes named are returned: not said "never cited" too."""
        if calls and not self.notes_by_id:  # no notes at all (notes.yaml emptied): said once, not at every call
            self.problems.append(Problem(calls[0].where, _(
                "no notes are listed, and the text calls {count} note(s), the first here: write the notes: list, "
                "each note's id and text, in a file of the content (notes.yaml)").format(count=len(calls))))
            return set()
        uncited = {id: note for id, note in self.notes_by_id.items() if id not in cited and SAFE_ID.fullmatch(id)}
        named: set[str] = set()
        for call in calls:
            meant = [id for id in likely(call.note, self.notes_by_id) if id]
            message = unknown("note", call.note, self.notes_by_id)
            if meant and meant[0] in uncited:
                message += _(": note '{id}', at {where}, is cited nowhere: if one of the two is miswritten, "
                             "write them alike").format(id=meant[0], where=uncited[meant[0]].where)
            elif not meant and len(uncited) == 1:
                meant = list(uncited)
                message += _(" (note '{id}', at {where}, is cited nowhere: that one?)").format(
                    id=meant[0], where=uncited[meant[0]].where)
            elif not meant and uncited:
                meant = list(uncited)[:3]
                message += _(" (cited nowhere: {notes}; one of these?)").format(notes=_(", ").join(
                    _("'{id}' ({where})").format(id=id, where=uncited[id].where) for id in meant))
            self.problems.append(Problem(call.where, message))
            named.update(meant)
        return named


def miswritten(ref: str, known: dict) -> bool:
    """Whether `ref` is the id of a record of `known` whose id is written otherwise (with a space or
    an invisible character, in full-width characters): not an id, which its own error says; or
    `ref` is such an id with an invisible character in it, which the characters' check names."""
    return any(id != ref and bare(id) == ref for id in known) or hidden(ref) and bare(ref) in known


def texts(content: Content) -> Iterator[Text]:
    """All running text in reading order: introduction, then per topic questions and discussion, then answers."""
    if content.report:
        yield content.report.intro
    for topic in content.topics:
        for question in topic.questions:
            if question.preamble:
                yield question.preamble
            yield question.text
        for part in topic.discussion:
            yield part.text
    for answer in content.answers:
        yield answer.text
