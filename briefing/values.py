"""Mistakes in one value as it is written on its key's or its list item's line: a quote left open,
words after the closing quote, ': ' inside plain words, and words that start with a sign YAML
takes for its own. Each a place in the text and what to say, for `mistakes.structural`."""

from __future__ import annotations

import re

import yaml

from .i18n import _

KEY_LINE = re.compile(r"^(?P<lead>[ ]*(?:-[ ]+)*)(?P<key>[A-Za-z_][A-Za-z0-9_]*):(?:[ ]+(?P<value>[^#\s].*))?$")
ITEM_VALUE = re.compile(r"^(?P<dash>[ ]*)-[ ]+(?P<value>[\"'].*)$")
PLAIN_ITEM = re.compile(r"^(?P<dash>[ ]*)-[ ]+(?P<value>[\[{*&!].*)$")  # an item that is a value, not a key's
COLON_IN_REST = re.compile(r":(?:\s|$)")


def line_end(text: str, index: int) -> int:
    end = text.find("\n", index)
    return len(text) if end < 0 else end


def after_the_quote(text: str, keys: frozenset[str]) -> list[tuple[int, str]]:
    """Words after a quoted value's closing quote (title: "義務化"について): the quotes were meant
    as part of the words, but YAML ends the value at them."""
    found = []
    for index, value in _values(text, keys):
        end = _closing_quote(value) if value[0] in "\"'" else None
        rest = value[end + 1:] if end is not None else ""
        if rest.strip() and not rest.lstrip().startswith("#"):
            found.append((index + end + 1, _(
                "words after the closing quote: a value in quotes ends at its quote; put the whole value in "
                "single quotes ('\"…\"…'), or write it without quotes") if value[0] == '"' else _(
                "words after the closing quote: a value in quotes ends at its quote; put the whole value in "
                "double quotes (\"'…'…\"), or write it without quotes")))
    return found


def _values(text: str, keys: frozenset[str]):
    """Each value written on a key's line or a list item's (a known key's, or an item's), with its
    place in `text`."""
    offset = 0
    for line in text.split("\n"):
        match = KEY_LINE.match(line) or ITEM_VALUE.match(line) or PLAIN_ITEM.match(line)
        value = match and match.group("value")
        if value and (match.re is not KEY_LINE or match.group("key") in keys):
            yield offset + match.start("value"), value
        offset += len(line) + 1


def quote_left_open(text: str, keys: frozenset[str], failed: int | None) -> list[tuple[int, str]]:
    """A value opened with a quote that its line does not close (title: "…について), where closing
    it there lets YAML read on past the line where it gave up: the quote went on over the lines
    after it, and PyYAML's words named one of those (a quoted value may run over lines in YAML,
    so one that does is not taken for the slip unless closing it helps)."""
    found = []
    for index, value in _values(text, keys):
        if value[0] not in "\"'" or _closing_quote(value) is not None:
            continue
        end = line_end(text, index)
        try:
            yaml.compose(text[:end].rstrip() + value[0] + text[end:], Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            if failed is None or mark is None or mark.line <= failed:
                continue
        found.append((index, _("the quote {quote} that opens this value is not closed on its line: end the value "
                               "with {quote}, or write it without quotes").format(quote=value[0])))
    return found


def colon_in_value(text: str, keys: frozenset[str], failed: int | None) -> list[tuple[int, str]]:
    """A key's plain value with ': ' in it, on the line where YAML gave up (heading: 論点1: 総点検):
    YAML reads the words before it as another key."""
    if failed is None:
        return []
    start = sum(len(line) + 1 for line in text.split("\n")[:failed])  # the line YAML gave up at
    return [(index + colon.start(), _("this text has ': ' in it, which YAML reads as a key and its value: put the "
                                      "whole text in quotes (\"…\")"))
            for index, value in _values(text, keys)
            if start <= index <= line_end(text, start) and value[0] not in "\"'|>“‘[{*&!"  # a key's plain words
            and (colon := COLON_IN_REST.search(value))]


def not_plain(text: str, keys: frozenset[str]) -> list[tuple[int, str]]:
    """A value of words that starts with a character YAML takes for its own: '[' or '{' (a list or a
    mapping: 「[補足] 説明」, a text that starts with a note call 「[^id]によると」), '*' (a copy of
    another part of the file: 「*注意*」), '&' or '!'. A whole list or mapping on its line is left
    alone (to: [digital])."""
    found = []
    for index, value in _values(text, keys):
        if value[0] not in "[{*&!":
            continue
        if value[0] in "[{":
            if {"[": "]", "{": "}"}[value[0]] not in value:
                continue  # a list not closed on its line: `_unclosed`'s
            try:
                yaml.safe_load(value)
                continue  # a list or mapping, whole
            except yaml.YAMLError:
                pass
        found.append((index, _("a value cannot start with '{char}' in YAML, which reads it as its own sign: put the "
                               "whole value in quotes (\"…\"), or write it after '|' on its own lines")
                      .format(char=value[0])))
    return found


def _closing_quote(value: str) -> int | None:
    """The index of the quote that closes the quoted `value` (\\" inside "…", '' inside '…')."""
    quote, index = value[0], 1
    while index < len(value):
        if quote == '"' and value[index] == "\\":
            index += 2
            continue
        if value[index] == quote:
            if quote == "'" and value[index + 1:index + 2] == "'":
                index += 2
                continue
            return index
        index += 1
    return None
