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

from .errors import ContentError, Problem, Where
from .project import display, scan_content
from .models import (
    Answer, Body, Call, Content, FollowUp, Hearing, Note, PackSpec, Paragraph, Report, Source, Text, Topic,
    place,
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
YAML_HINTS = [  # PyYAML's words, and what a person editing the file should do
    ("'\\t'", " (a tab: indent with spaces only)"),
    ("could not find expected ':'", " (this line or one above lacks the ':' after its key, or a text "
                                    "with ':' in it needs to be written after '|' on its own lines)"),
    ("expected <block end>", " (the indentation is off: line this up with the lines at its level)"),
    ("mapping values are not allowed here", " (the line above may lack the ':' after its key; or a text "
                                            "containing ': ' must be written after '|' on its own lines)"),
]
LINE_BREAKS = re.compile("[\x85\u2028\u2029]")
SPLIT_CALL = re.compile(r"\[\^[^\]\n]*\n")
CALL = re.compile(r"\[\^([^\]\n]*)\]")
NULL_TAG = "tag:yaml.org,2002:null"
PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}
INVALID = object()


def load(content_dir: Path) -> Content:
    """Read every `*.yaml` under `content_dir`; raise ContentError listing all problems."""
    problems: list[Problem] = []
    sections: dict[str, list] = {name: [] for name in SECTIONS}
    first: dict[str, Where] = {}
    sources: list[Source] = []
    digests: list[tuple[str, str]] = []
    counts = dict.fromkeys(LIMITS, 0)
    files, found = scan_content(content_dir)
    problems.extend(found)
    if not files:
        raise ContentError([*problems, Problem(Where(display(content_dir), 1, 1), "no .yaml files in this folder")])
    total = 0
    for path in files:
        try:
            with path.open("rb") as file:
                data = file.read(MAX_FILE_BYTES + 1)  # a huge file is not read whole
        except OSError as error:
            problems.append(Problem(Where(display(path), 1, 1), f"this file cannot be read "
                                    f"({error.strerror or error}): allow reading it, or move it out of the content"))
            continue
        if len(data) > MAX_FILE_BYTES:
            problems.append(Problem(Where(display(path), 1, 1), f"file is {path.stat().st_size:,} bytes; the limit "
                                    f"is {MAX_FILE_BYTES:,}: split it into several files"))
            continue
        total += len(data)
        if total > MAX_TOTAL_BYTES:
            problems.append(Problem(Where(display(path), 1, 1), f"the content folder holds more than "
                                    f"{MAX_TOTAL_BYTES:,} bytes of YAML, far more than any report: is it the right folder?"))
            raise ContentError(problems)
        items, file_sources, file_problems, digest, sizes = read_file(path, data)
        digests.append((display(path), digest))
        problems.extend(file_problems)
        for name, where, value in items:
            if name in SINGLE:
                if name in first:
                    problems.append(Problem(where, f"'{name}' is already defined at {first[name]}"))
                    continue
                first[name] = where
                sections[name].append(value)
            elif value is not INVALID:
                sections[name].extend(value)
        sources.extend(file_sources)
        for name, where, count in sizes:
            counts[name] += count
            if counts[name] > LIMITS[name]:  # stop at once, before the next file
                problems.append(Problem(where, f"more than {LIMITS[name]:,} {name}: a report this large is "
                                               "not supported; split it into several projects"))
                raise ContentError(problems)
    for name in SINGLE:
        if name not in first:
            problems.append(Problem(Where(display(content_dir), 1, 1),
                                    f"no file defines '{name}': add a '{name}:' section"))
    topics = with_follow_ups(sections["topics"], sections["questions"], problems)
    if any(not p.warning for p in problems):
        raise ContentError(problems)
    return Content(
        hearing=sections["hearing"][0],
        report=sections["report"][0],
        bodies=tuple(sections["bodies"]),
        topics=topics,
        answers=tuple(sections["answers"]),
        notes=tuple(sections["notes"]),
        packs=tuple(sections["packs"]),
        sources=tuple(sources),
        warnings=tuple(problems),
        digests=tuple(digests),
    )


_READ: dict[tuple[str, bytes], tuple] = {}  # files read in this process, by name and digest


def read_file(path: Path, data: bytes) -> tuple[list, list[Source], list[Problem], str, list]:
    """One file's sections (name, place, value), scalar sources, problems, the digest of its bytes
    and the sizes of its limited sections (name, place, items); a file read before in this
    process with the same bytes is not parsed again (`watch` rebuilds on every save)."""
    key = (display(path), hashlib.sha256(data).digest())
    if key not in _READ:
        if len(_READ) > 2000:
            _READ.clear()
        problems: list[Problem] = []
        reader = Reader(key[0], problems)
        items = [(name, reader.where(node, name), value) for name, node, value in reader.read_file(data)]
        _READ[key] = (items, reader.sources, problems, key[1].hex(), reader.sizes)
    return _READ[key]


def compose(text: str):
    """The YAML node tree of `text`; a failure is raised by the pure-Python parser, for its words."""
    try:
        return yaml.compose(text, Loader=LOADER)
    except Exception:
        if LOADER is yaml.SafeLoader:
            raise
    return yaml.compose(text, Loader=yaml.SafeLoader)


def with_follow_ups(topics: list[Topic], follow_ups: list[FollowUp], problems: list[Problem]) -> tuple[Topic, ...]:
    """Each topic with the follow-up questions addressed to it appended, in file order."""
    added: dict[str, list] = {topic.id: [] for topic in topics}
    for follow_up in follow_ups:
        if follow_up.topic in added:
            added[follow_up.topic].append(follow_up.question())
        else:
            near = difflib.get_close_matches(follow_up.topic, list(added), n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            problems.append(Problem(place(follow_up, "topic"), f"unknown topic '{follow_up.topic}'{hint}"))
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
        latin = not (is_wide(joined[-1]) or is_wide(line[0]))
        joined += (" " if latin else "") + line
    return joined


def is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


class Reader:
    """Reads one file's YAML nodes into model records, following the records' type hints."""

    def __init__(self, path: str, problems: list[Problem]):
        self.path = path
        self.problems = problems
        self.sources: list[Source] = []
        self.text = ""
        self.seen: set[int] = set()
        self.sizes: list[tuple[str, Where, int]] = []  # the limited sections: name, place, items

    def where(self, node, field: str) -> Where:
        return Where(self.path, node.start_mark.line + 1, node.start_mark.column + 1, field)

    def problem(self, node, field: str, message: str) -> object:
        self.problems.append(Problem(self.where(node, field), message))
        return INVALID

    def read_file(self, data: bytes):
        """Yield (section name, node, value) for each top-level section of the file."""
        at_start = Where(self.path, 1, 1)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            self.problems.append(Problem(_byte_position(self.path, data, error.start), _not_utf8(data)))
            return
        self.text = text.replace("\r\n", "\n").replace("\r", "\n")
        breaks = [(m.start(), m.group()) for m in LINE_BREAKS.finditer(self.text)]
        for index, char in breaks:  # YAML reads these as line breaks: the error would point elsewhere
            before = self.text[:index]
            where = Where(self.path, before.count("\n") + 1, index - before.rfind("\n"))
            self.problems.append(Problem(where, f"character U+{ord(char):04X} ({unicodedata.name(char, 'NEXT LINE')})"
                                                " breaks the line invisibly: delete it"))
        if breaks:
            return
        try:
            root = compose(self.text)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            message = " ".join(filter(None, [error.context, error.problem]))
            if error.context_mark and "end of stream" in (error.problem or ""):
                mark = error.context_mark  # where the unclosed thing opened, not the file's end
                message += ": it is never closed"
            hint = next((h for pattern, h in YAML_HINTS if pattern in message), "")
            self.problems.append(Problem(Where(self.path, mark.line + 1, mark.column + 1),
                                         f"YAML syntax: {message}{hint}"))
            return
        except yaml.reader.ReaderError as error:
            before = self.text[:error.position]
            where = Where(self.path, before.count("\n") + 1, error.position - before.rfind("\n"))
            char = chr(error.character) if isinstance(error.character, int) else error.character
            name = unicodedata.name(char, "a control character")
            self.problems.append(Problem(where, f"character U+{ord(char):04X} ({name}) is not allowed in YAML "
                                                "and would print as nothing: delete it"))
            return
        except RecursionError:
            self.problems.append(Problem(at_start, "nesting is too deep: the content needs only a few levels; "
                                                   "check the brackets and indentation"))
            return
        if root is None:
            self.problems.append(Problem(at_start, "file is empty", warning=True))
            return
        if not isinstance(root, yaml.MappingNode):
            self.problem(root, "", f"expected sections such as {', '.join(SECTIONS)}")
            return
        for key, node in self.pairs(root, "", SECTIONS):
            if key in LIMITS and isinstance(node, yaml.SequenceNode):
                over = len(node.value) > LIMITS[key]
                where = self.where(node.value[LIMITS[key]], f"{key}[{LIMITS[key]}]") if over else self.where(node, key)
                self.sizes.append((key, where, len(node.value)))
                if over:
                    continue  # not even read: the load stops at this file
            yield key, node, self.read(SECTIONS[key], node, key)

    def pairs(self, node, field: str, known) -> typing.Iterator[tuple[str, object]]:
        """Yield a mapping's (key, value node), reporting duplicate and unknown keys."""
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            path = f"{field}.{key}" if field else str(key)
            if key is None:
                self.problem(key_node, field, "a key must be a plain name")
            elif key in seen:
                self.problem(key_node, path, f"duplicate key '{key}' (first at line {seen[key]}): "
                             "the second would silently replace the first")
            elif key not in known:
                hint = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
                suggestion = f" (did you mean '{hint[0]}'?)" if hint else f"; expected one of: {', '.join(known)}"
                self.problem(key_node, path, f"unknown key '{key}'{suggestion}")
            else:
                seen[key] = key_node.start_mark.line + 1
                yield key, value_node

    def read(self, kind, node, field: str):
        """Read `node` as `kind` (a record class, tuple[...], str, Text, int, date, or X | None)."""
        origin = typing.get_origin(kind)
        if origin in (typing.Union, types.UnionType):
            (kind,) = [arg for arg in typing.get_args(kind) if arg is not type(None)]
            if isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG:
                return None
            return self.read(kind, node, field)
        if id(node) in self.seen:
            return self.problem(node, field, "YAML aliases (*name) are not supported: write the value out")
        self.seen.add(id(node))
        if origin is tuple:
            if not isinstance(node, yaml.SequenceNode):
                return self.problem(node, field, "expected a list (lines starting with '- ')")
            items = [self.read(typing.get_args(kind)[0], item, f"{field}[{i}]")
                     for i, item in enumerate(node.value)]
            return INVALID if INVALID in items else tuple(items)
        if dataclasses.is_dataclass(kind) and kind not in SCALARS:
            return self.record(kind, node, field)
        if not isinstance(node, yaml.ScalarNode):
            return self.problem(node, field, "expected a single value, not a list or a mapping")
        if node.tag not in PLAIN_TAGS:
            return self.problem(node, field, f"YAML tag {node.tag.replace('tag:yaml.org,2002:', '!!')} is not "
                                "supported: write the value as plain text")
        if node.tag == NULL_TAG and node.value in ("", "~", "null", "Null", "NULL"):
            return self.problem(node, field, "value is empty")
        self.sources.append(Source(self.where(node, field),
                                   self.text[node.start_mark.index:node.end_mark.index], node.value))
        return SCALARS[kind](self, node, field)

    def record(self, kind, node, field: str):
        if not isinstance(node, yaml.MappingNode):
            known = ", ".join(schema_fields(kind))
            return self.problem(node, field, f"expected a mapping of {known}")
        hints = type_hints(kind)
        known = schema_fields(kind)
        values, places = {}, {}
        for key, value_node in self.pairs(node, field, known):
            path = f"{field}.{key}" if field else key
            values[key] = self.read(hints[key], value_node, path)
            places[key] = self.where(value_node, path)
        missing = [name for name, f in known.items() if name not in values
                   and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
        for name in missing:
            self.problem(node, field, f"missing required key '{name}'")
        if missing or INVALID in values.values():
            return INVALID
        return kind(**values, where=self.where(node, field), places=places)

    def string(self, node, field: str):
        paragraphs = split_paragraphs(node.value)
        if len(paragraphs) > 1:
            return self.problem(node, field, "expected one line of text here, found several paragraphs")
        if not paragraphs:
            return self.problem(node, field, "value is empty")
        if CALL.search(paragraphs[0][0]):
            return self.problem(node, field, "a note call belongs in running text (intro, preamble, text), "
                                "not here: it would print as [^...] and leak into bookmarks")
        return paragraphs[0][0]

    def text_(self, node, field: str):
        """Read running text: paragraphs, with `[^note-id]` calls placed where they stand."""
        raw = self.text[node.start_mark.index:node.end_mark.index]
        source = self.sources[-1]
        if split := SPLIT_CALL.search(raw):
            self.problems.append(Problem(source.position(split.start()), "a note call is split over two lines: "
                                         "write [^note-id] on one line"))
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
                spans.append(Call(match.group(1), where))
                position = match.end()
            rest = value[position:]
            if "[^" in rest:
                self.problems.append(Problem(source.position(raw.find("[^")) if "[^" in raw else source.where,
                                             "a note call is not closed: write [^note-id]"))
            if rest:
                spans.append(rest)
            paragraphs.append(Paragraph(tuple(spans), gap))
        if not paragraphs:
            return self.problem(node, field, "value is empty")
        return Text(tuple(paragraphs))

    def integer(self, node, field: str):
        value = node.value.strip()
        if not re.fullmatch(r"[0-9]{1,4}", value) or int(value) == 0:
            shown = value if len(value) <= 20 else value[:20] + "…"
            return self.problem(node, field, f"expected a whole number from 1 to 9999, got '{shown}'")
        return int(value)

    def boolean(self, node, field: str):
        value = node.value.strip().lower()
        if value not in ("true", "false", "yes", "no"):
            return self.problem(node, field, f"expected true or false, got '{node.value[:20]}'")
        return value in ("true", "yes")

    def date(self, node, field: str):
        value = node.value.strip()
        try:
            if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
                raise ValueError
            return datetime.date.fromisoformat(value)
        except ValueError:
            return self.problem(node, field, f"expected a date as YYYY-MM-DD, got '{node.value}'")


SCALARS = {str: Reader.string, Text: Reader.text_, int: Reader.integer, datetime.date: Reader.date,
           bool: Reader.boolean}


@functools.cache
def type_hints(kind) -> dict:
    return typing.get_type_hints(kind)


@functools.cache
def schema_fields(kind) -> dict[str, dataclasses.Field]:
    """A record's fields that content may set: all but the positions the loader fills."""
    return {f.name: f for f in dataclasses.fields(kind) if f.name not in ("where", "places")}


def _byte_position(path: str, data: bytes, index: int) -> Where:
    line_start = data.rfind(b"\n", 0, index) + 1
    return Where(path, data.count(b"\n", 0, index) + 1, index - line_start + 1)


def _not_utf8(data: bytes) -> str:
    try:
        data.decode("cp932")
    except UnicodeDecodeError:
        guess = ""
    else:
        guess = " It looks like Shift_JIS (CP932)."
    return ("file is not UTF-8." + guess + " Re-save it as UTF-8: in Notepad or VS Code, "
            "「名前を付けて保存」で文字コードに「UTF-8」を選んでください.")
