"""Turn the YAML files of a content folder into a Content model, every problem placed by line."""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import functools
import hashlib
import os
import re
import types
import typing
import unicodedata
from pathlib import Path

import yaml

from . import mistakes
from .jlreq import wide
from .errors import ContentError, Problem, Where, unknown
from .i18n import N_, _, language
from .project import display, scan_content
from .models import (
    Answer, Body, Call, Content, FollowUp, Hearing, Lost, Note, PackSpec, Paragraph, Question, Report, Source,
    Text, Topic, place,
)

MAX_FILE_BYTES = 1_000_000
# Limits on a whole report, far above any real one (the seed: 3 topics, 3 notes, 30 KB), so
# that a mistaken or hostile content folder stops at once instead of filling memory for minutes.
MAX_TOTAL_BYTES = 8_000_000
LIMITS = {"topics": 1_000, "notes": 5_000}  # items in the whole content
# libyaml's parser where PyYAML has it (several times faster); errors are read again with
# the pure-Python one, whose messages and marks the tests pin down.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SECTIONS = {
    "hearing": Hearing,
    "report": Report,
    "bodies": tuple[Body, ...],
    "topics": tuple[Topic, ...],
    "questions": tuple[FollowUp, ...],
    "answers": tuple[Answer, ...],
    "notes": tuple[Note, ...],
    "packs": tuple[PackSpec, ...],
}
SINGLE = ("hearing", "report")
KINDS = {Body: "body", Topic: "topic", Question: "question", FollowUp: "question", Note: "note", PackSpec: "pack"}
YAML_HINTS = [  # PyYAML's words, and what a person editing the file should do
    ("'\\t'", N_(" (a tab: indent with spaces only)")),
    ("end of stream", N_(": it is never closed")),
    ("could not find expected ':'", N_(" (this line or one above lacks the ':' after its key, or a text "
                                       "with ':' in it needs to be written after '|' on its own lines)")),
    ("expected <block end>", N_(" (the indentation is off: line this up with the lines at its level)")),
    ("mapping values are not allowed here", N_(" (the line above may lack the ':' after its key; or a text "
                                               "containing ': ' must be written after '|' on its own lines)")),
    ("did not find expected key", N_(" (the indentation is off: line this up with the lines at its level)")),
    ("did not find expected '-' indicator", N_(" (a list's items each start with '- ', lined up)")),
    ("expected ',' or ']'", N_(" (a list in brackets [a, b] lacks its ']' or a ',' between items)")),
    ("that cannot start any token", N_(" (a value cannot start with this character: put the value in "
                                       "quotes \"…\", or write it after '|' on its own lines)")),
    ("found undefined alias", N_(" (a value cannot start with '*': put the value in quotes \"…\")")),
    ("expected chomping or indentation indicators", N_(" (nothing may follow '|' on its line: start the text on the "
                                                       "next line)")),
]
LINE_BREAKS = re.compile("[\x85\u2028\u2029]")
CALL = re.compile(r"\[\^([^\]\[\n]*)\]")
ANY_CALL = re.compile(r"[\[［][\^＾]([^\]］\[［\n]*)[\]］]")  # half- or full-width brackets and caret
OPENER = re.compile(r"[\[［][\^＾]")
SPLIT = re.compile(r"[^\]\[\s]*\n[ \t]*[^\]\[\s]*\]")  # [^sec / ond]: a call over two lines
ID_PART = re.compile(r"[^\]\[］［\s]*")
TOP_KEYS = re.compile(r"^([A-Za-z_]+)[ \t]*[:：]", re.M)
NULL_TAG = "tag:yaml.org,2002:null"
PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}
INVALID = object()


def load(content_dir: Path, partial: bool = False) -> Content:
    """Read every `*.yaml` under `content_dir`; raise ContentError listing all problems.

    With `partial`, content with errors comes back too, holding what did read (the hearing or
    the report None if they did not), its problems, and what the records that failed to read
    would have defined (`lost`), so that checks can go on without reporting what only follows.
    """
    problems: list[Problem] = []
    sections: dict[str, list] = {name: [] for name in SECTIONS}
    first: dict[str, Where] = {}
    sources: list[Source] = []
    digests: list[tuple[str, str]] = []
    lost = Lost()
    counts = dict.fromkeys(LIMITS, 0)
    files, found = scan_content(content_dir)
    problems.extend(found)
    if any(not p.warning for p in found):
        lose_sections(lost, SECTIONS)  # a file that is not read may hold anything
    if not files:
        raise ContentError([*problems, Problem(Where(display(content_dir), 1, 1), _("no .yaml files in this folder"))])
    total = 0
    for path in files:
        try:
            with path.open("rb") as file:
                data = file.read(MAX_FILE_BYTES + 1)  # a huge file is not read whole
        except OSError as error:
            problems.append(Problem(Where(display(path), 1, 1), _("this file cannot be read ({reason}): allow "
                                    "reading it, or move it out of the content").format(reason=error.strerror or error)))
            lose_sections(lost, SECTIONS)
            continue
        if len(data) > MAX_FILE_BYTES:
            problems.append(Problem(Where(display(path), 1, 1), _("file is {size:,} bytes; the limit is {limit:,}: "
                                    "split it into several files").format(size=path.stat().st_size,
                                                                          limit=MAX_FILE_BYTES)))
            lose_sections(lost, SECTIONS)
            continue
        total += len(data)
        if total > MAX_TOTAL_BYTES:
            problems.append(Problem(Where(display(path), 1, 1), _("the content folder holds more than {limit:,} "
                                    "bytes of YAML, far more than any report: is it the right folder?")
                                    .format(limit=MAX_TOTAL_BYTES)))
            raise ContentError(problems)
        read = read_file(path, data)
        digests.append((display(path), read.digest))
        problems.extend(read.problems)
        for kind, ids in read.lost.ids.items():
            for id in ids:
                lost.add(kind, id)
        for name, where, value in read.items:
            if name in SINGLE:
                if name in first:
                    problems.append(Problem(where, _("'{name}' is already defined at {where}")
                                            .format(name=name, where=first[name])))
                    continue
                first[name] = where
                if value is not INVALID:
                    sections[name].append(value)
            elif value is not INVALID:
                sections[name].extend(value)
        sources.extend(read.sources)
        for name, where, count in read.sizes:
            counts[name] += count
            if counts[name] > LIMITS[name]:  # stop at once, before the next file
                problems.append(Problem(where, _("more than {limit:,} {name}: a report this large is not supported; "
                                                 "split it into several projects").format(limit=LIMITS[name],
                                                                                         name=name)))
                raise ContentError(problems)
    for name in SINGLE:
        if name not in first and not lost.covers(name):
            problems.append(Problem(Where(display(content_dir), 1, 1),
                                    _("no file defines '{name}': add a '{name}:' section").format(name=name)))
    topics = with_follow_ups(titled(sections["topics"]), sections["questions"], problems, lost)
    if not partial and any(not p.warning for p in problems):
        raise ContentError(problems)
    return Content(
        hearing=next(iter(sections["hearing"]), None),
        report=next(iter(sections["report"]), None),
        bodies=tuple(sections["bodies"]),
        topics=topics,
        answers=tuple(sections["answers"]),
        notes=tuple(sections["notes"]),
        packs=tuple(sections["packs"]),
        sources=tuple(sources),
        problems=tuple(problems),
        digests=tuple(digests),
        lost=lost,
    )


@dataclasses.dataclass(frozen=True)
class Read:
    """One file as read: its sections (name, place, value), the sources of its scalars, its problems,
    the digest of its bytes, the sizes of its limited sections (name, place, items) and what its
    records that failed to read would have defined."""

    items: list
    sources: list[Source]
    problems: list[Problem]
    digest: str
    sizes: list
    lost: Lost


_READ: dict[tuple[str, bytes, str], Read] = {}  # files read in this process, by name, digest and language


def read_file(path: Path, data: bytes) -> Read:
    """One file, read; a file read before in this process with the same bytes is not parsed again
    (`watch` rebuilds on every save)."""
    key = (display(path), hashlib.sha256(data).digest(), language())
    if key not in _READ:
        if len(_READ) > 2000:
            _READ.clear()
        problems: list[Problem] = []
        reader = Reader(key[0], problems)
        items = [(name, reader.where(node, name), value) for name, node, value in reader.read_file(data)]
        _READ[key] = Read(items, reader.sources, problems, key[1].hex(), reader.sizes, reader.lost)
    return _READ[key]


def lose_sections(lost: Lost, names) -> None:
    """Whatever the sections `names` of a file that could not be read might have defined is lost."""
    for name in names:
        if name in SINGLE:
            lost.add(name)
        lose(lost, SECTIONS[name], None)


def lose(lost: Lost, kind, node) -> None:
    """Add to `lost` what a value of `kind` read from `node` would have defined (None: its contents
    are not known, so any id of each kind it may hold)."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        (kind,) = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        origin = typing.get_origin(kind)
    if origin is tuple:
        items = node.value if isinstance(node, yaml.SequenceNode) else [None]
        for item in items:
            lose(lost, typing.get_args(kind)[0], item)
    elif kind is Text:
        cited(lost, node)
    elif dataclasses.is_dataclass(kind) and kind not in SCALARS:
        values = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)} \
            if isinstance(node, yaml.MappingNode) else None
        if kind in KINDS:
            id_node = (values or {}).get("id")
            lost.add(KINDS[kind], id_node.value if isinstance(id_node, yaml.ScalarNode) else None)
        for name, hint in type_hints(kind).items():
            if name in schema_fields(kind) and (values is None or name in values):
                lose(lost, hint, None if values is None else values[name])
        for name, value in (values or {}).items():
            if name not in schema_fields(kind):
                cited(lost, value)  # a misspelt `text:` still calls its notes


def cited(lost: Lost, node) -> None:
    """Add the notes that the text under `node` calls, as meant if not as written (None: any note)."""
    if node is None:
        lost.add("cited")
        return
    nodes, seen = [node], set()
    while nodes:
        node = nodes.pop()
        if id(node) in seen:  # an alias may refer back to its own node
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            for opener in OPENER.finditer(node.value):
                called = ID_PART.match(node.value, opener.end())
                split = node.value[called.end():called.end() + 1] == "\n"
                lost.add("cited", None if split else unicodedata.normalize("NFKC", called.group()))
        else:
            nodes += [each for child in node.value for each in (child if isinstance(child, tuple) else (child,))]


def compose(text: str):
    """The YAML node tree of `text`; a failure is raised by the pure-Python parser, for its words."""
    try:
        return yaml.compose(text, Loader=LOADER)
    except Exception:
        if LOADER is yaml.SafeLoader:
            raise
    return yaml.compose(text, Loader=yaml.SafeLoader)


def titled(topics: list[Topic]) -> list[Topic]:
    """Each topic with a title: its heading where the content gives none."""
    return [t if t.title else dataclasses.replace(t, title=t.heading) for t in topics]


def with_follow_ups(topics: list[Topic], follow_ups: list[FollowUp], problems: list[Problem],
                    lost: Lost) -> tuple[Topic, ...]:
    """Each topic with the follow-up questions addressed to it appended, in file order."""
    added: dict[str, list] = {topic.id: [] for topic in topics}
    for follow_up in follow_ups:
        if follow_up.topic in added:
            added[follow_up.topic].append(follow_up.question())
        elif lost.covers("topic", follow_up.topic):
            lost.add("question", follow_up.id)  # its topic failed to read: the question is lost with it
        else:
            problems.append(Problem(place(follow_up, "topic"),
                                    unknown("topic", follow_up.topic, {t.id: t for t in topics})))
    topics = sorted(topics, key=lambda t: t.number if isinstance(t.number, int) else 0)  # files may come in any order
    return tuple(dataclasses.replace(t, questions=t.questions + tuple(added[t.id])) if added.get(t.id) else t
                 for t in topics)


def split_paragraphs(value: str) -> list[tuple[str, bool]]:
    """Split text on blank lines and join each paragraph's lines; True marks 2+ blank lines before."""
    paragraphs: list[tuple[str, bool]] = []
    lines: list[str] = []
    blanks = 0
    for line in value.split("\n") + [""]:
        line = line.strip(" \t")
        if line.strip("\u3000"):  # a line of full-width spaces alone is a blank line too
            if not lines and paragraphs:
                gap = blanks >= 2
            elif not lines:
                gap = False
            lines.append(line)
            blanks = 0
            continue
        if lines:
            paragraphs.append((join_lines(lines), gap))
            lines = []
        blanks += 1
    return paragraphs


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines: no space where either side is Japanese, one space between Latin words."""
    joined = lines[0]
    for line in lines[1:]:
        latin = not (wide(joined[-1]) or wide(line[0]))
        joined += (" " if latin else "") + line
    return joined


class Reader:
    """Reads one file's YAML nodes into model records, following the records' type hints."""

    def __init__(self, path: str, problems: list[Problem]):
        self.path = path
        self.problems = problems
        self.sources: list[Source] = []
        self.text = ""
        self.seen: set[int] = set()
        self.sizes: list[tuple[str, Where, int]] = []  # the limited sections: name, place, items
        self.lost = Lost()

    def where(self, node, field: str) -> Where:
        return Where(self.path, node.start_mark.line + 1, node.start_mark.column + 1, field)

    def at(self, index: int) -> Where:
        """The place of the character at `index` in the file's text."""
        before = self.text[:index]
        return Where(self.path, before.count("\n") + 1, index - before.rfind("\n"))

    def problem(self, node, field: str, message: str) -> object:
        self.problems.append(Problem(self.where(node, field), message))
        return INVALID

    def unreadable(self, where: Where, message: str) -> None:
        """The file cannot be read at all: one problem, and its sections are lost."""
        self.problems.append(Problem(where, message))
        names = [key for key in TOP_KEYS.findall(self.text) if key in SECTIONS]
        lose_sections(self.lost, names or SECTIONS)

    def read_file(self, data: bytes):
        """Yield (section name, node, value) for each top-level section of the file."""
        at_start = Where(self.path, 1, 1)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            self.unreadable(_byte_position(self.path, data, error.start), _not_utf8(data))
            return
        self.text = text.replace("\r\n", "\n").replace("\r", "\n")
        breaks = [(m.start(), m.group()) for m in LINE_BREAKS.finditer(self.text)]
        for index, char in breaks:  # YAML reads these as line breaks: the error would point elsewhere
            self.unreadable(self.at(index), _("character U+{code:04X} ({name}) breaks the line invisibly: delete it")
                            .format(code=ord(char), name=unicodedata.name(char, "NEXT LINE")))
        if breaks:
            return
        failure = None
        try:
            root = compose(self.text)
        except yaml.MarkedYAMLError as error:
            failure = error
        except yaml.reader.ReaderError as error:
            char = chr(error.character) if isinstance(error.character, int) else error.character
            self.unreadable(self.at(error.position), _("character U+{code:04X} ({name}) is not allowed in YAML and "
                                                       "would print as nothing: delete it")
                            .format(code=ord(char), name=unicodedata.name(char, None) or _("a control character")))
            return
        except RecursionError:
            self.unreadable(at_start, _("nesting is too deep: the content needs only a few levels; "
                                        "check the brackets and indentation"))
            return
        if failure or "：" in self.text:  # the editors' mistakes, where they stand, before the parser's words
            found = mistakes.structural(self.text, KEYS, failure)
            for line, column, message in found:
                self.unreadable(Where(self.path, line, column), message)
            if found:
                return
        if failure:
            self.unreadable(*self.syntax(failure))
            return
        if root is None:
            self.problems.append(Problem(at_start, _("file is empty"), warning=True))
            return
        if not isinstance(root, yaml.MappingNode):
            self.problem(root, "", _("expected sections such as {sections}").format(sections=", ".join(SECTIONS)))
            lose_sections(self.lost, SECTIONS)
            return
        for key, node in self.pairs(root, "", SECTIONS)[0]:
            if key in LIMITS and isinstance(node, yaml.SequenceNode):
                over = len(node.value) > LIMITS[key]
                where = self.where(node.value[LIMITS[key]], f"{key}[{LIMITS[key]}]") if over else self.where(node, key)
                self.sizes.append((key, where, len(node.value)))
                if over:
                    continue  # not even read: the load stops at this file
            yield key, node, self.section(key, node)

    def syntax(self, error: yaml.MarkedYAMLError) -> tuple[Where, str]:
        """Where PyYAML gave up, and its words with what to do."""
        mark = error.problem_mark or error.context_mark
        words = " ".join(filter(None, [error.context, error.problem]))
        if error.context_mark and "end of stream" in (error.problem or ""):
            mark = error.context_mark  # where the unclosed thing opened, not the file's end
        hint = next((_(h) for pattern, h in YAML_HINTS if pattern in words), "")
        return (Where(self.path, mark.line + 1, mark.column + 1),
                _("YAML syntax: {words}{hint}").format(words=words, hint=hint))

    def section(self, key: str, node):
        """A top-level section's value; a list keeps the items that read, the others are lost."""
        kind = SECTIONS[key]
        if typing.get_origin(kind) is not tuple or not isinstance(node, yaml.SequenceNode) or id(node) in self.seen:
            value = self.read(kind, node, key)
            if value is INVALID:
                if key in SINGLE:
                    self.lost.add(key)
                lose(self.lost, kind, node)
            return value
        self.seen.add(id(node))
        items = []
        for index, item in enumerate(node.value):
            value = self.read(typing.get_args(kind)[0], item, f"{key}[{index}]")
            if value is INVALID:
                lose(self.lost, typing.get_args(kind)[0], item)
            else:
                items.append(value)
        return tuple(items)

    def pairs(self, node, field: str, known) -> tuple[list[tuple[str, object]], set[str]]:
        """A mapping's (key, value node) pairs, reporting duplicate and unknown keys; and the known
        keys that unknown ones were likely meant as (their suggestions)."""
        seen: dict[str, int] = {}
        found, meant = [], set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            path = f"{field}.{key}" if field else str(key)
            if key is None:
                self.problem(key_node, field, _("a key must be a plain name"))
            elif key in seen:
                self.problem(key_node, path, _("duplicate key '{key}' (first at line {line}): the second would "
                                               "silently replace the first").format(key=key, line=seen[key]))
            elif key not in known:
                hint = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
                meant.update(hint)
                self.problem(key_node, path, _("unknown key '{key}' (did you mean '{near}'?)").format(key=key, near=hint[0])
                             if hint else _("unknown key '{key}'; expected one of: {known}").format(
                                 key=key, known=", ".join(known)))
            else:
                seen[key] = key_node.start_mark.line + 1
                found.append((key, value_node))
        return found, meant

    def read(self, kind, node, field: str):
        """Read `node` as `kind` (a record class, tuple[...], str, Text, int, date, or X | None)."""
        origin = typing.get_origin(kind)
        if origin in (typing.Union, types.UnionType):
            (kind,) = [arg for arg in typing.get_args(kind) if arg is not type(None)]
            if isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG:
                return None
            return self.read(kind, node, field)
        if id(node) in self.seen:
            return self.problem(node, field, _("YAML aliases (*name) are not supported: write the value out"))
        self.seen.add(id(node))
        if origin is tuple:
            if not isinstance(node, yaml.SequenceNode):
                return self.problem(node, field, _("expected a list (lines starting with '- ')"))
            items = [self.read(typing.get_args(kind)[0], item, f"{field}[{i}]")
                     for i, item in enumerate(node.value)]
            return INVALID if INVALID in items else tuple(items)
        if dataclasses.is_dataclass(kind) and kind not in SCALARS:
            return self.record(kind, node, field)
        if not isinstance(node, yaml.ScalarNode):
            return self.problem(node, field, _("expected a single value, not a list or a mapping"))
        if node.tag not in PLAIN_TAGS:
            return self.problem(node, field, _("YAML tag {tag} is not supported: write the value as plain text")
                                .format(tag=node.tag.replace("tag:yaml.org,2002:", "!!")))
        if node.tag == NULL_TAG and node.value in ("", "~", "null", "Null", "NULL"):
            return self.problem(node, field, _("value is empty"))
        self.sources.append(Source(self.where(node, field),
                                   self.text[node.start_mark.index:node.end_mark.index], node.value))
        if not node.style and mistakes.curly_quoted(node.value):  # a plain value, not one in straight quotes
            return self.problem(node, field, _(mistakes.CURLY_QUOTES))
        return SCALARS[kind](self, node, field)

    def record(self, kind, node, field: str):
        if not isinstance(node, yaml.MappingNode):
            known = ", ".join(schema_fields(kind))
            return self.problem(node, field, _("expected a mapping of {keys}").format(keys=known))
        hints = type_hints(kind)
        known = schema_fields(kind)
        values, places = {}, {}
        pairs, meant = self.pairs(node, field, known)
        for key, value_node in pairs:
            path = f"{field}.{key}" if field else key
            values[key] = self.read(hints[key], value_node, path)
            places[key] = self.where(value_node, path)
        missing = [name for name, f in known.items() if name not in values
                   and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
        for name in missing:
            if name not in meant:  # a misspelt key is reported once, as unknown
                self.problem(node, field, _("missing required key '{key}'").format(key=name))
        if missing or INVALID in values.values():
            return INVALID
        return kind(**values, where=self.where(node, field), places=places)

    def string(self, node, field: str):
        paragraphs = split_paragraphs(node.value)
        if len(paragraphs) > 1:
            return self.problem(node, field, _("expected one line of text here, found several paragraphs"))
        if not paragraphs:
            return self.problem(node, field, _("value is empty"))
        if CALL.search(paragraphs[0][0]):
            return self.problem(node, field, _("a note call belongs in running text (intro, preamble, text), "
                                               "not here: it would print as [^...] and leak into bookmarks"))
        return paragraphs[0][0]

    def text_(self, node, field: str):
        """Read running text: paragraphs, with `[^note-id]` calls placed where they stand."""
        raw = self.text[node.start_mark.index:node.end_mark.index]
        source = self.sources[-1]
        if self.miscalled(raw, source):
            return INVALID
        raw_calls = [source.position(m.start()) for m in CALL.finditer(raw)]
        paragraphs = []
        count = 0
        for value, gap in split_paragraphs(node.value):
            spans: list[str | Call] = []
            position = 0
            for match in CALL.finditer(value):
                where = raw_calls[count] if count < len(raw_calls) else self.where(node, field)
                count += 1
                if match.start() > position:
                    spans.append(value[position:match.start()])
                spans.append(Call(match.group(1), where=where))
                position = match.end()
            if value[position:]:
                spans.append(value[position:])
            paragraphs.append(Paragraph(tuple(spans), gap))
        if not paragraphs:
            return self.problem(node, field, _("value is empty"))
        return Text(tuple(paragraphs))

    def miscalled(self, raw: str, source: Source) -> bool:
        """Report the note calls in `raw` (a running text's source) written in full-width characters,
        split over two lines or never closed; True if there was one."""
        found = []
        calls = set()
        for match in ANY_CALL.finditer(raw):
            calls.add(match.start())
            if not match.group().startswith("[^") or not match.group().endswith("]"):
                meant = unicodedata.normalize("NFKC", match.group(1)).strip()
                found.append(Problem(source.position(match.start()), _("note call '{call}' is written in full-width "
                                     "characters: write it in half-width, [^{id}]").format(call=match.group(),
                                                                                          id=meant or "note-id")))
        for match in OPENER.finditer(raw):
            if match.start() in calls:
                continue
            rest = raw[match.end():]
            if SPLIT.match(rest):
                message = _("a note call is split over two lines: write [^note-id] on one line")
            else:
                called = ID_PART.match(rest).group() or "note-id"
                message = _("note call '[^{id}' is not closed: write [^{id}]").format(id=called)
            found.append(Problem(source.position(match.start()), message))
        self.problems.extend(found)
        return bool(found)

    def integer(self, node, field: str):
        value = node.value.strip()
        if not re.fullmatch(r"[0-9]{1,4}", value) or int(value) == 0:
            shown = value if len(value) <= 20 else value[:20] + "…"
            return self.problem(node, field, _("expected a whole number from 1 to 9999, got '{value}'")
                                .format(value=shown))
        return int(value)

    def boolean(self, node, field: str):
        value = node.value.strip().lower()
        if value not in ("true", "false", "yes", "no"):
            return self.problem(node, field, _("expected true or false, got '{value}'").format(value=node.value[:20]))
        return value in ("true", "yes")

    def date(self, node, field: str):
        day = mistakes.date(node.value)
        return self.problem(node, field, day) if isinstance(day, str) else day


SCALARS = {str: Reader.string, Text: Reader.text_, int: Reader.integer, datetime.date: Reader.date,
           bool: Reader.boolean}


@functools.cache
def type_hints(kind) -> dict:
    return typing.get_type_hints(kind)


@functools.cache
def schema_fields(kind) -> dict[str, dataclasses.Field]:
    """A record's fields that content may set: all but the positions the loader fills."""
    return {f.name: f for f in dataclasses.fields(kind) if f.name not in ("where", "places")}


def _keys(kind) -> set[str]:
    """Every key a value of `kind` may hold, at any depth."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType, tuple):
        return set().union(*(_keys(arg) for arg in typing.get_args(kind)))
    if not dataclasses.is_dataclass(kind) or kind in SCALARS:
        return set()
    return set(schema_fields(kind)).union(*(_keys(hint) for name, hint in type_hints(kind).items()
                                            if name in schema_fields(kind)))


KEYS = frozenset(SECTIONS).union(*(_keys(kind) for kind in SECTIONS.values()))  # the names a key may have


def _byte_position(path: str, data: bytes, index: int) -> Where:
    line_start = data.rfind(b"\n", 0, index) + 1
    return Where(path, data.count(b"\n", 0, index) + 1, index - line_start + 1)


def _not_utf8(data: bytes) -> str:
    try:
        data.decode("cp932")
    except UnicodeDecodeError:
        return _("file is not UTF-8. Re-save it as UTF-8: in Notepad or VS Code, "
                 "「名前を付けて保存」で文字コードに「UTF-8」を選んでください.")
    return _("file is not UTF-8. It looks like Shift_JIS (CP932). Re-save it as UTF-8: in Notepad or VS Code, "
             "「名前を付けて保存」で文字コードに「UTF-8」を選んでください.")
