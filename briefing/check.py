"""Check a Content model's references, notes and characters: Content in, problems out."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit

from .dates import seireki, wareki
from .errors import Problem, Where
from .jlreq import variation_selector
from .models import Content, Text, place

MAX_ID = 64
STYLES = ("lawmakers", "handout", "questions")
DATE_STYLES = ("seireki", "wareki")
PDF_VARIANTS = ("ua", "a")
SAFE_ID = re.compile(r"[a-z0-9]+(?:[-_.][a-z0-9]+)*")
INVISIBLE = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}
BLANK_LOOKING = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}


def check(content: Content, charset: frozenset[int]) -> list[Problem]:
    """Every problem of the content, errors and warnings, in no particular order."""
    problems: list[Problem] = []
    bodies = unique(content.bodies, "body", problems)
    unique(content.topics, "topic", problems)
    numbered: dict[int, object] = {}
    for topic in content.topics:
        if topic.number in numbered:
            problems.append(Problem(place(topic, "number"), f"topic number {topic.number} is taken by topic "
                                    f"'{numbered[topic.number].id}' (at {numbered[topic.number].where})"))
        numbered.setdefault(topic.number, topic)
    questions = unique((q for t in content.topics for q in t.questions), "question", problems)
    notes = unique(content.notes, "note", problems)

    def refer(ids: Iterable[str], known: dict, kind: str, where: Where) -> None:
        for ref in ids:
            if ref not in known:
                problems.append(Problem(where, f"unknown {kind} '{ref}'{suggest(ref, known)}"))

    refer(content.hearing.bodies, bodies, "body", place(content.hearing, "bodies"))
    refer(content.report.series.parts, bodies, "body", place(content.report.series, "parts"))
    for topic in content.topics:
        if not topic.questions:
            problems.append(Problem(topic.where, "topic has no questions", warning=True))
        for question in topic.questions:
            refer(question.to, bodies, "body", place(question, "to"))
    answered: dict[tuple[str, str], Where] = {}
    for answer in content.answers:
        refer([answer.body], bodies, "body", place(answer, "body"))
        refer([answer.question], questions, "question", place(answer, "question"))
        key = (answer.question, answer.body)
        if key in answered:
            problems.append(Problem(answer.where, f"'{answer.body}' already answers '{answer.question}' at "
                                    f"{answered[key]}: put both in one text"))
        answered.setdefault(key, answer.where)
        question = questions.get(answer.question)
        if question and answer.body in bodies and answer.body not in question.to:
            problems.append(Problem(answer.where, f"question '{question.id}' was not put to "
                                    f"'{answer.body}': add it to the question's 'to'"))

    topics = {t.id: t for t in content.topics}
    unique(content.packs, "pack", problems)
    for pack in content.packs:
        for name, value, allowed in (("style", pack.style, STYLES), ("dates", pack.dates, DATE_STYLES)):
            if value not in allowed:
                problems.append(Problem(place(pack, name), f"{name} '{value}' is not one of: {', '.join(allowed)}"))
        for value in pack.pdf:
            if value not in PDF_VARIANTS:
                problems.append(Problem(place(pack, "pdf"), f"pdf '{value}' is not one of: {', '.join(PDF_VARIANTS)} "
                                        "(ua: PDF/UA-1, tagged for accessibility; a: PDF/A-3u, for archives)"))
        refer(pack.topics, topics, "topic", place(pack, "topics"))
        refer(pack.bodies, bodies, "body", place(pack, "bodies"))
    files: dict[str, object] = {}
    for pack in content.packs:  # ids are joined with '-' into file names: two packs may meet
        names = [f"{pack.id}-{body}" for body in (pack.bodies or bodies)] if pack.style == "questions" else \
            [pack.id, *(f"{pack.id}-pdf{variant}" for variant in pack.pdf)]
        for name in names:
            if name in files and files[name] is not pack:
                problems.append(Problem(place(pack, "id"), f"pack '{pack.id}' would write packs/{name}.pdf, as "
                                        f"pack '{files[name].id}' does: choose another id"))
            files.setdefault(name, pack)

    cited = set()
    for text in texts(content):
        for call in text.calls():
            cited.add(call.note)
            if call.note not in notes:
                problems.append(Problem(call.where, f"unknown note '{call.note}'{suggest(call.note, notes)}"))
    for note in content.notes:
        if note.id not in cited:
            problems.append(Problem(note.where, f"note '{note.id}' is never cited: cite it as "
                                    f"[^{note.id}] or remove it", warning=True))
        problems.extend(check_note(note))
    problems.extend(check_characters(content, charset))
    return problems


def unique(items: Iterable, kind: str, problems: list[Problem]) -> dict:
    """Index records by id, reporting unsafe and duplicate ids."""
    seen: dict = {}
    for item in items:
        if not SAFE_ID.fullmatch(item.id):
            problems.append(Problem(place(item, "id"), f"{kind} id '{item.id[:80]}' may use only a-z, 0-9 and - _ . "
                                    "between them: ids name output files"))
        elif len(item.id) > MAX_ID:
            problems.append(Problem(place(item, "id"), f"{kind} id is {len(item.id)} characters long; the limit is "
                                    f"{MAX_ID}: ids name output files"))
        if item.id in seen:
            problems.append(Problem(place(item, "id"), f"duplicate {kind} id '{item.id}' (first at {seen[item.id].where})"))
        else:
            seen[item.id] = item
    return seen


def suggest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def texts(content: Content) -> Iterator[Text]:
    """All running text in reading order: introduction, then per topic questions and discussion, then answers."""
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


def check_note(note) -> Iterator[Problem]:
    """A note's describing fields must agree with its verbatim text."""
    for name in ("issuer", "title", "remarks"):
        value = getattr(note, name)
        if value and value not in note.text:
            yield Problem(note.where, f"note '{note.id}': {name} '{value}' does not appear in its text")
    if note.date:
        compact = note.text.replace(" ", "")
        if seireki(note.date) not in compact and wareki(note.date) not in compact:
            yield Problem(note.where, f"note '{note.id}': date {note.date} ({seireki(note.date)}, "
                          f"{wareki(note.date)}) does not appear in its text")
    if note.url and not web_address(note.url):
        yield Problem(place(note, "url"), f"note '{note.id}': url must be one web address, starting with "
                                          "https:// or http://, with no spaces in it")


def web_address(url: str) -> bool:
    """`url`, all of it, is one http(s) address: a host, no spaces or control characters anywhere."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises on a port that is not a number)
    except ValueError:
        return False
    return (parts.scheme in ("http", "https") and bool(parts.hostname) and url.isprintable()
            and not re.search(r"\s", url))


def check_characters(content: Content, charset: frozenset[int]) -> Iterator[Problem]:
    """Every character must print: no invisible characters, none the bundled fonts lack."""
    verdicts: dict[str, str | None] = {}
    good = {"\n"}

    def problem(char: str) -> str | None:
        if char not in verdicts:
            verdicts[char] = character_problem(char, charset)
            if verdicts[char] is None:
                good.add(char)
        return verdicts[char]

    for source in content.sources:
        bad = {char for char in set(source.raw) - good if problem(char)}  # mostly empty: done
        if bad:
            for offset, char in enumerate(source.raw):
                if char in bad:
                    yield Problem(source.position(offset), verdicts[char])
        for char in sorted(set(source.value) - set(source.raw) - {"\n"}):
            if problem(char):
                yield Problem(source.where, verdicts[char])


def character_problem(char: str, charset: frozenset[int]) -> str | None:
    if variation_selector(char):
        return None  # it picks a glyph form; the fonts map these sequences
    name = unicodedata.name(char, "unnamed")
    code = f"U+{ord(char):04X}"
    if char == "\t":
        return "tab character: use spaces"
    if unicodedata.category(char) == "Co":
        return f"private-use character {code} has no agreed glyph and would print as a blank box: replace it"
    if unicodedata.category(char) in INVISIBLE or char in BLANK_LOOKING:
        return f"invisible character {code} ({name}) would print as nothing: delete it"
    if ord(char) not in charset and not char.isspace():
        return (f"character '{char}' ({code} {name}) is not in the bundled fonts and would print as a "
                "blank box: replace it")
    return None
