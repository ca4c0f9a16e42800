"""Decode a content file and parse its YAML: bytes in, its text and root node out, or the problems
that keep it from being read at all, each placed where the person editing can fix it."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import yaml

from .. import mistakes
from ..errors import Problem, Where
from ..i18n import N_, _
from .yaml_words import said

# libyaml's parser where PyYAML has it (several times faster); errors are read again with
# the pure-Python one, whose messages and marks the tests pin down.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
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


@dataclass(frozen=True)
class Parsed:
    """A file as parsed: its text (line ends as "\\n"; empty if it is not UTF-8), its root node (None
    if the file is empty or cannot be read) and the problems that keep it from being read."""

    text: str
    root: yaml.Node | None
    problems: tuple[Problem, ...] = ()


def parse(path: str, data: bytes, keys: frozenset[str]) -> Parsed:
    """The file `path` holding `data`, parsed; `keys` are the names a key may have."""
    try:
        text = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as error:
        return Parsed("", None, (Problem(byte_position(path, data, error.start), not_utf8(data)),))
    breaks = [Problem(at(path, text, m.start()), _("character U+{code:04X} ({name}) breaks the line invisibly: "
                                                   "delete it").format(code=ord(m.group()),
                                                                       name=unicodedata.name(m.group(), "NEXT LINE")))
              for m in LINE_BREAKS.finditer(text)]  # YAML reads these as line breaks: its error would point elsewhere
    if breaks:
        return Parsed(text, None, tuple(breaks))
    failure = root = None
    try:
        root = compose(text)
    except yaml.MarkedYAMLError as error:
        failure = error
    except yaml.reader.ReaderError as error:
        char = chr(error.character) if isinstance(error.character, int) else error.character
        return Parsed(text, None, (Problem(at(path, text, error.position), _(
            "character U+{code:04X} ({name}) is not allowed in YAML and would print as nothing: delete it").format(
                code=ord(char), name=unicodedata.name(char, None) or _("a control character"))),))
    except RecursionError:
        return Parsed(text, None, (Problem(Where(path, 1, 1), _("nesting is too deep: the content needs only a few "
                                                                "levels; check the brackets and indentation")),))
    if failure or "：" in text:  # the editors' mistakes, where they stand, before the parser's words
        found = mistakes.structural(text, keys, failure)
        if found:
            return Parsed(text, None, tuple(Problem(Where(path, line, column), message)
                                            for line, column, message in found))
    if failure:
        return Parsed(text, None, (syntax(path, failure),))
    shared = copies(path, text) if "*" in text or "<<" in text else ()
    if shared:  # the file is not read: what it defines is not said unknown elsewhere
        return Parsed(text, None, shared)
    return Parsed(text, root)


def copies(path: str, text: str) -> tuple[Problem, ...]:
    """Each YAML alias (*name) and merge key (<<) of `text`, where it stands: a copy of another
    part of the file, which the content does not take (a value is written where it is printed).
    A merge key's own aliases are the merge; a `<<` written as a value is left to the reading of
    values (it is no copy)."""
    found = []
    open_: list[list[bool]] = []  # each collection open at this event: [a mapping, at a key]
    merging = None  # the depth of the mapping whose merge key's value is being read

    def done() -> None:  # a node ended: in a mapping, a key's value follows, or the next key
        nonlocal merging
        if open_ and open_[-1][0]:
            open_[-1][1] = not open_[-1][1]
            if merging == len(open_) and open_[-1][1]:
                merging = None

    for event in yaml.parse(text, Loader=LOADER):
        mark = event.start_mark
        at_key = bool(open_) and open_[-1][0] and open_[-1][1]
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            open_.append([isinstance(event, yaml.MappingStartEvent), True])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            open_.pop()
            done()
        elif isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
            if isinstance(event, yaml.AliasEvent) and merging is None:
                found.append(Problem(Where(path, mark.line + 1, mark.column + 1), _(
                    "YAML aliases (*{name}) are not supported: write the value out here").format(name=event.anchor)))
            elif isinstance(event, yaml.ScalarEvent) and at_key and event.value == "<<" and not event.style:
                merging = len(open_)  # plain: style '' or None
                found.append(Problem(Where(path, mark.line + 1, mark.column + 1), _(
                    "YAML merge keys (<<) are not supported: write out here each key it would copy")))
            done()
    if len(found) > 1:  # one copy is enough to say what to do (an anchor copied fifty times gave fifty lines)
        found = [Problem(found[0].where, found[0].message + _(" ({count} more in this file)").format(
            count=len(found) - 1))]
    return tuple(found)


def compose(text: str):
    """The YAML node tree of `text`; a failure is raised by the pure-Python parser, for its words."""
    try:
        return yaml.compose(text, Loader=LOADER)
    except Exception:
        if LOADER is yaml.SafeLoader:
            raise
    return yaml.compose(text, Loader=yaml.SafeLoader)


UNCLOSED = ("while parsing a flow sequence", "while parsing a flow mapping")  # a [ or { never closed


def syntax(path: str, error: yaml.MarkedYAMLError) -> Problem:
    """Where PyYAML gave up, and its words with what to do."""
    mark = error.problem_mark or error.context_mark
    words = " ".join(filter(None, [error.context, error.problem]))
    if error.context_mark and ("end of stream" in (error.problem or "") or error.context in UNCLOSED):
        mark = error.context_mark  # where the unclosed thing opened, not the file's end or the next line
    hint = next((_(h) for pattern, h in YAML_HINTS if pattern in words), "")
    context, problem = said(error.context), said(error.problem)  # in the reader's language
    if context and error.context_mark and mark is not error.context_mark and error.context_mark.line != mark.line:
        context = _("{context} (from line {line})").format(context=context, line=error.context_mark.line + 1)
    words = _("{context} {problem}").format(context=context, problem=problem) if context and problem \
        else context or problem
    return Problem(Where(path, mark.line + 1, mark.column + 1), _("YAML syntax: {words}{hint}")
                   .format(words=words, hint=hint))


def at(path: str, text: str, index: int) -> Where:
    """The place of the character at `index` in the file's text."""
    before = text[:index]
    return Where(path, before.count("\n") + 1, index - before.rfind("\n"))


def byte_position(path: str, data: bytes, index: int) -> Where:
    line_start = data.rfind(b"\n", 0, index) + 1
    return Where(path, data.count(b"\n", 0, index) + 1, index - line_start + 1)


def not_utf8(data: bytes) -> str:
    try:
        data.decode("cp932")
    except UnicodeDecodeError:
        return _("file is not UTF-8. Re-save it as UTF-8: in Notepad or VS Code, "
                 "「名前を付けて保存」で文字コードに「UTF-8」を選んでください.")
    return _("file is not UTF-8. It looks like Shift_JIS (CP932). Re-save it as UTF-8: in Notepad or VS Code, "
             "「名前を付けて保存」で文字コードに「UTF-8」を選んでください.")
