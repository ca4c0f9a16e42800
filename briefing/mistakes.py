"""The mistakes editors make in YAML, found where they stand: a text in, (line, column, message) out.

PyYAML reports where it gave up, often a line or more after the mistake and in a parser's
words. These are the mistakes a person typing Japanese makes: a full-width colon 「：」 after a
key, a key with no colon, a tab or a full-width space in the indentation, curly quotes “…” from
a word processor, a date written the way it is said.
"""

from __future__ import annotations

import re

import yaml

from .i18n import N_, _
from .values import (COLON_IN_REST, KEY_LINE, after_the_quote, colon_in_value, line_end, not_plain,
                     quote_left_open)

KEY = r"^(?P<lead>[ \t]*(?:-[ \t]+)*)(?P<key>[A-Za-z_][A-Za-z0-9_]*)"
FULL_WIDTH_COLON = re.compile(KEY + r"[ \t\u3000]*：", re.M)
NO_COLON = re.compile(KEY + r"[ \t\u3000]+(?P<rest>[^\s:#].*)$", re.M)
TAB_INDENT = re.compile(r"^ *(?:- +)*\t", re.M)
WIDE_INDENT = re.compile(r"^[ \u3000]*(?:-[ \u3000]+)*\u3000(?=[ \u3000]*(?:- +)*[A-Za-z_][A-Za-z0-9_]*[ \t]*[:：])", re.M)
WIDE_AFTER_COLON = re.compile(KEY + r":\u3000", re.M)
CURLY = re.compile(r"(?:^[ \t]*-|:)[ \t]+(?P<quote>[“‘])", re.M)
QUOTES = {"“": "”", "‘": "’"}
CURLY_QUOTES = N_("curly quotes “…” do not quote a value in YAML: write the value without them, or in straight "
                  "quotes \"…\"")
BLOCK_TEXT = re.compile(r"^(?P<lead>[ ]*(?:-[ ]+)*)(?P<key>[A-Za-z_][A-Za-z0-9_]*):[ ]*[|>](?P<indicator>[-+0-9]*)[ ]*"
                        r"(?:#.*)?$")
LOOKALIKE_DASH = re.compile(r"^[ ]*(?P<dash>[ー－‐―−–—])[ \u3000]+(?=[A-Za-z_][A-Za-z0-9_]*[ \t\u3000]*[:：])", re.M)
ITEM_LINE = re.compile(r"^(?P<dash>[ ]*)-[ ]+(?P<key>[A-Za-z_][A-Za-z0-9_]*):(?:[ ]+(?P<value>[^#\s].*))?$")
KEY_START = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?:[ \t\u3000:：]|$)")


def structural(text: str, keys: frozenset[str], failure: yaml.MarkedYAMLError | None) -> list[tuple[int, int, str]]:
    """The editors' mistakes in a file's `text`, as (line, column, message), 1-based.

    A full-width colon after a key is a mistake wherever it stands outside a quoted or `|`
    text; the other mistakes are looked for only when PyYAML failed (`failure`), at or before
    the place where it gave up. `keys` are the names a key may have.
    """
    candidates: list[tuple[int, str]] = []  # (index in text, message)
    mark = failure and (failure.problem_mark or failure.context_mark)  # where PyYAML gave up
    for match in FULL_WIDTH_COLON.finditer(text):
        if match.group("key") in keys:
            candidates.append((match.end() - 1, _("full-width colon '：' after '{key}': write a half-width ':' "
                                                  "and a space ({key}: …)").format(key=match.group("key"))))
    if failure is not None:
        for match in NO_COLON.finditer(text):
            if match.group("key") in keys and not COLON_IN_REST.search(match.group("rest")):
                candidates.append((match.end("key"), _("':' is missing after '{key}': write {key}: …")
                                   .format(key=match.group("key"))))
        candidates += [(match.end() - 1, _("a tab in the indentation: indent with spaces only"))
                       for match in TAB_INDENT.finditer(text)]
        candidates += [(match.start() + match.group().index("\u3000"), _(
            "a full-width space (全角スペース) in the indentation: indent with half-width spaces only"))
            for match in WIDE_INDENT.finditer(text)]
        candidates += [(match.end() - 1, _("a full-width space (全角スペース) after '{key}:': write a half-width "
                                           "space ({key}: …)").format(key=match.group("key")))
                       for match in WIDE_AFTER_COLON.finditer(text) if match.group("key") in keys]
        candidates += [(match.start("dash"), _("'{dash}' does not mark an item of a list: write a half-width '-'")
                        .format(dash=match.group("dash"))) for match in LOOKALIKE_DASH.finditer(text)]
        candidates += [(match.start("quote"), _(CURLY_QUOTES)) for match in CURLY.finditer(text)
                       if curly_quoted(text[match.start("quote"):].split("\n", 1)[0].rstrip())]
        out_of_line, in_texts = _text_out_of_line(text, keys)
        candidates += out_of_line
        candidates += _key_under_a_value(text, keys)
        candidates += _item_out_of_line(text, keys, mark.line if mark else None)
        candidates += _unclosed(text)
        candidates += after_the_quote(text, keys)
        candidates += quote_left_open(text, keys, mark.line if mark else None)
        candidates += colon_in_value(text, keys, mark.line if mark else None)
        candidates += not_plain(text, keys)
    else:
        in_texts = []
    if not candidates and not in_texts:
        return []
    end, texts = _scanned(text, line_end(text, mark.index) if mark else len(text))
    found = sorted([*((index, message) for index, message in candidates
                      if index <= end and not any(start < index < stop for start, stop in texts)),
                    *((index, message) for index, message in in_texts if index <= end)])
    return [(*_position(text, index), message) for index, message in found]


def _text_out_of_line(text: str, keys: frozenset[str]) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The first line of words in each `|` (or `>`) text indented less than the text's first
    line, which ends the text there: PyYAML then reads it as a key and gives up lines later,
    asking for a ':'. Where the lines after it are indented as it is (or, it being the last, it
    is indented as texts are, two spaces more than their key), the lines before it are the ones
    out of line: said apart, at the first, as they stand inside the text PyYAML read. A line
    indented with a full-width space is that mistake; one with a tab is left to its message. A
    text whose indentation is given (`|2`) may start deeper: not looked into."""
    lines = text.split("\n")
    found, firsts, start, opened, indent = [], [], 0, None, None  # opened: the text's line number, key and its column
    first = (0, 0)  # the text's first line of words: (index, line number)
    for number, line in enumerate(lines, 1):
        stripped = line.lstrip(" ")
        column = len(line) - len(stripped)
        if opened and stripped.startswith("\u3000") and column <= opened[2] and indent is not None:
            found.append((start + column, _("a full-width space (全角スペース) in the indentation: indent with "
                                            "half-width spaces only")))  # as for a key's line
            opened = None
        elif opened and stripped and not stripped.startswith(("#", "\t", "\u3000")):
            if indent is None and column > opened[2]:
                indent, first = column, (start + column, number)  # the text's own indentation, from its first line
            elif column <= opened[2] or indent is not None and column < indent:
                if indent is not None and not _structure(stripped, keys):
                    after = _next_indent(lines[number:], opened[2])
                    if opened[2] < column and (after == column or after is None and column == opened[2] + 2):
                        firsts.append((first[0], _(
                            "this text ('{key}:' on line {line}) is indented {spaces} spaces from its first line, "
                            "line {first}, and {column} at line {next}: a text takes its indentation from its first "
                            "line, and ends where a line has less: indent all its lines {column} spaces").format(
                                key=opened[1], line=opened[0], first=first[1], spaces=indent, next=number,
                                column=column)))
                    else:
                        found.append((start + column, _(
                            "this line is indented less than the text it belongs to ('{key}:' on line {line}, "
                            "{spaces} spaces): indent it as the text's other lines").format(
                                key=opened[1], line=opened[0], spaces=indent)))
                opened = None
        if (match := BLOCK_TEXT.match(line)) is not None:
            given = any(c.isdigit() for c in match.group("indicator"))
            opened, indent = (None if given else (number, match.group("key"), len(match.group("lead")))), None
        start += len(line) + 1
    return found, firsts


def _next_indent(lines: list[str], key: int) -> int | None:
    """The indentation of the next line of words among `lines` deeper than `key`, if one comes
    before a line that is not."""
    for line in lines:
        stripped = line.lstrip(" ")
        if stripped and not stripped.startswith("#"):
            column = len(line) - len(stripped)
            return column if column > key else None
    return None


def _structure(line: str, keys: frozenset[str]) -> bool:
    """Whether a line (its indentation taken off) is YAML's own: an item, a comment, a document
    mark, or one of the content's keys (its colon full-width or missing: said otherwise)."""
    word = KEY_START.match(line)
    return line.startswith(("-", "#", "---", "...")) or bool(word and word.group(1) in keys) \
        or LOOKALIKE_DASH.match(line) is not None


def _key_under_a_value(text: str, keys: frozenset[str]) -> list[tuple[int, str]]:
    """Keys indented more than the key on the line above, which has its value there already: YAML
    reads the key as more of that value and then finds a ':' it cannot take. Only the content's
    keys, neither of them an item's first (whose '-' may be what is out of line)."""
    found, start, above = [], 0, None  # above: the key line above, (key, column, whether its value is on it)
    for line in text.split("\n"):
        match = KEY_LINE.match(line)
        if match and match.group("key") in keys and "-" not in match.group("lead"):
            column = len(match.group("lead"))
            value = match.group("value") or ""
            if above and above[2] and column > above[1]:
                found.append((start + column, _("'{key}' is indented more than '{above}' on the line above, which has "
                                                "its value already: line '{key}' up with '{above}'")
                              .format(key=match.group("key"), above=above[0])))
            above = (match.group("key"), column, bool(value) and value[0] not in "|>")
        elif _significant(line):
            above = None  # text, an item, another key: not a key line right under one with its value
        start += len(line) + 1
    return found


def _item_out_of_line(text: str, keys: frozenset[str], last: int | None = None) -> list[tuple[int, str]]:
    """Items whose first key does not line up with the keys under it: PyYAML gives up on the line
    after, asking for a ':'. Said at the spaces after the '-' where one more than one was typed
    and the keys under it stand as one would put them; at the '-' where it stands off the place
    its keys give it, and that place is where another item of the file has its '-', or two
    spaces in from the key the list belongs to; else at the key under it. Only the content's keys,
    and items up to line index `last` (where PyYAML gave up)."""
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    items = []  # (line index, dash column, first key's column, key, whether its value is on its line)
    for index, line in enumerate(lines[:None if last is None else last + 1]):
        if (match := ITEM_LINE.match(line)) and match.group("key") in keys:
            value = match.group("value") or ""
            items.append((index, len(match.group("dash")), match.start("key"), match.group("key"),
                          bool(value) and value[0] not in "|>"))
    under = {}  # an item's line index: the line under it, its key and column, where that is one of the content's keys
    for index, *_rest in items:
        following = next((i for i in range(index + 1, len(lines)) if _significant(lines[i])), None)
        match = KEY_LINE.match(lines[following]) if following is not None else None
        if match and "-" not in match.group("lead") and match.group("key") in keys:
            under[index] = (following, match.group("key"), len(match.group("lead")))
    dashes = {dash for index, dash, column, *_rest in items if index in under and under[index][2] == column}
    parents = _parents(lines)
    found = []
    for index, dash, column, key, value in items:
        if index not in under:
            continue
        following, below, at = under[index]
        if at == column or not (dash < at < column or at > column and value):
            continue
        wanted = at - (column - dash)  # where the '-' stands if its keys are where they should be
        if at == dash + 2:  # the '-' and the keys under it as they should be: spaces typed after it
            found.append((starts[index] + dash + 1, _(
                "{spaces} spaces after this item's '-': write one, so that '{key}' lines up with '{below}' on "
                "line {line}").format(spaces=column - dash - 1, key=key, below=below, line=following + 1)))
        elif wanted in dashes or _key_column(lines, parents.get(index)) == wanted - 2:
            found.append((starts[index] + dash, _(
                "this item's '-' is indented {spaces} spaces, and the keys under it put it at {wanted} ('{below}' on "
                "line {line}): move it so that '{key}' lines up with '{below}'").format(
                    spaces=dash, wanted=wanted, below=below, line=following + 1, key=key)))
        else:
            found.append((starts[following] + at, _(
                "'{below}' does not line up with '{key}', the first key of the item on line {line}: indent "
                "'{below}' {spaces} spaces").format(below=below, key=key, line=index + 1, spaces=column)))
    return found


def _significant(line: str) -> bool:
    return bool(line.strip()) and not line.lstrip().startswith("#")


def _parents(lines: list[str]) -> dict[int, int | None]:
    """For each line of words, the nearest line of words above it indented less (in one pass)."""
    parents: dict[int, int | None] = {}
    open_lines: list[tuple[int, int]] = []  # (indentation, line index), each indented more than the one before
    for index, line in enumerate(lines):
        if _significant(line):
            column = len(line) - len(line.lstrip(" "))
            while open_lines and open_lines[-1][0] >= column:
                open_lines.pop()
            parents[index] = open_lines[-1][1] if open_lines else None
            open_lines.append((column, index))
    return parents


def _key_column(lines: list[str], index: int | None) -> int | None:
    """The column of the key on line `index`, if that line is a key with no value on it (the
    key a list belongs to)."""
    match = KEY_LINE.match(lines[index]) if index is not None else None
    return len(match.group("lead")) if match and not match.group("value") else None


def _unclosed(text: str) -> list[tuple[int, str]]:
    """A '[' or '{' still open on a later line where PyYAML's scanner gave up (「to: [digital,」 and a
    next line it cannot take as the list's): the list it opened was meant to end on its own line."""
    opened = []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)):
                opened.append(token)
            elif isinstance(token, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)) and opened:
                opened.pop()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if opened and mark is not None and mark.line > opened[-1].start_mark.line:
            bracket = "[" if isinstance(opened[-1], yaml.FlowSequenceStartToken) else "{"
            return [(opened[-1].start_mark.index, _("'{opening}' opens a list that is not closed on its line: close "
                                                    "it with '{closing}', as in [digital, ppc]")
                     .format(opening=bracket, closing="]" if bracket == "[" else "}"))]
    return []


def curly_quoted(value: str) -> bool:
    """`value` is wrapped in curly quotes, as a word processor makes of "…"."""
    return len(value) > 1 and QUOTES.get(value[0]) == value[-1]


def _scanned(text: str, stop: int) -> tuple[int, list[tuple[int, int]]]:
    """How far PyYAML's scanner reads `text`, up to `stop`, and the spans of the quoted and `|`
    texts it found there."""
    spans = []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index > stop:
                break
            if isinstance(token, yaml.ScalarToken) and token.style:
                spans.append((token.start_mark.index, token.end_mark.index))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        return min(stop, line_end(text, mark.index) if mark else 0), spans
    return stop, spans


def _position(text: str, index: int) -> tuple[int, int]:
    before = text[:index]
    return before.count("\n") + 1, index - before.rfind("\n")

