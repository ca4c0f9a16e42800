"""Read one content file's YAML nodes into model records, following the records' type hints."""

from __future__ import annotations

import datetime
import difflib
import re
import typing

import yaml

from .. import dates, mistakes
from ..errors import Problem, Where
from ..i18n import _
from ..jlreq import wide
from ..models import Lost, Note, Source, Text, Topic
from . import derive
from .losses import cited, lose, lose_sections, lose_unparsed
from .parse import parse
from .running import CALL, bracketed, miscalls, paragraphs, split_paragraphs
from .shape import (AWAITING, KEYS, LIMITS, SECTIONS, SINGLE, empty, is_record, optional, other_list, required,
                    schema_fields, type_hints)

NULL_TAG = "tag:yaml.org,2002:null"
NAMES_NOT_WORDS = {"id", "topic", "question", "body", "to", "bodies", "parts", "style", "dates", "pdf", "pack",
                   "topics"}  # a comment after one of these is a remark, never words of it
JAPANESE_KEYS = {  # what an editor may call a key in Japanese: the keys it may mean, where they are known
    "見出し": ("heading",), "題": ("title",), "題名": ("title",), "表題": ("title",), "タイトル": ("title",),
    "本文": ("text",), "文章": ("text",), "テキスト": ("text",), "番号": ("number",), "質問": ("questions", "question"),
    "回答": ("answers", "answer"), "答え": ("answers",), "機関": ("body", "bodies"), "省庁": ("body", "bodies"),
    "宛先": ("to",), "あて先": ("to",), "前文": ("preamble",), "前置き": ("preamble",), "注": ("notes",),
    "脚注": ("notes",), "日付": ("date",), "名前": ("name",), "名称": ("name",), "要点": ("points",),
    "質疑": ("discussion",), "議論": ("discussion",), "発行者": ("issuer",), "備考": ("remarks",), "出典": ("url",),
}
PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}
INVALID = object()  # what a value that failed to read reads as; its problem is reported
COMPLETE = {Topic: derive.topic, Note: derive.note}  # what a record may leave out, filled in


def misplaced_call(field: str) -> str:
    """What to do with a note call written in `field`, where no call is taken."""
    if re.search(r"(^|\.)notes\[\d+\]\.", field):
        return _("a note cannot call a note: [^...] would print as it is; call that note in the running text, "
                 "next to this note's call, or write its words here")
    if field.endswith((".heading", ".title")) or field in ("heading", "title"):
        return _("a note call belongs in running text (intro, preamble, text), not in a heading or title: it "
                 "would print as [^...] and go into the PDF's bookmarks; call the note from the text below it")
    return _("a note call belongs in running text (intro, preamble, text), not here: it would print as [^...]")


class Reader:
    """Reads one file's YAML nodes into model records: its sections, the sources of its scalars,
    its problems, the sizes of its limited sections and what its records that failed would have defined."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []
        self.sources: list[Source] = []
        self.text = ""
        self.sizes: list[tuple[str, Where, int]] = []  # the limited sections: name, place, items
        self.lost = Lost()

    def where(self, node, field: str) -> Where:
        return Where(self.path, node.start_mark.line + 1, node.start_mark.column + 1, field)

    def problem(self, node, field: str, message: str) -> object:
        self.problems.append(Problem(self.where(node, field), message))
        return INVALID

    def read_file(self, data: bytes):
        """Yield (section name, node, value) for each top-level section of the file."""
        parsed = parse(self.path, data, KEYS)
        self.text = parsed.text
        if parsed.problems:  # the file cannot be read at all: its sections are lost
            self.problems.extend(parsed.problems)
            lose_unparsed(self.lost, self.text)
            return
        root = parsed.root
        if root is None:
            self.problems.append(Problem(Where(self.path, 1, 1), _("file is empty"), warning=True))
            return
        if not isinstance(root, yaml.MappingNode):
            self.problem(root, "", _("expected sections such as {sections}").format(sections=", ".join(SECTIONS)))
            lose_sections(self.lost, SECTIONS)
            return
        pairs, meant = self.pairs(root, "", SECTIONS)
        lose_sections(self.lost, meant)  # a section under a misspelt name: what it defines is not unknown too
        pairs = self.apart(pairs, SECTIONS, "", set())
        for key, node in pairs:
            if key in LIMITS and isinstance(node, yaml.SequenceNode):
                over = len(node.value) > LIMITS[key]
                where = self.where(node.value[LIMITS[key]], f"{key}[{LIMITS[key]}]") if over else self.where(node, key)
                self.sizes.append((key, where, len(node.value)))
                if over:
                    continue  # not even read: the load stops at this file
            yield key, node, self.section(key, node)

    def section(self, key: str, node):
        """A top-level section's value; a list keeps the items that read, the others are lost."""
        kind = SECTIONS[key]
        if key == AWAITING and (isinstance(node, yaml.MappingNode) and not node.value or node.tag == NULL_TAG):
            return ()
        if typing.get_origin(kind) is not tuple or not isinstance(node, yaml.SequenceNode):
            value = self.read(kind, node, key)
            if value is INVALID:
                if key in SINGLE:
                    self.lost.add(key)
                lose(self.lost, kind, node)
            return value
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
        found, meant, repeated = [], set(), []
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            path = f"{field}.{key}" if field else str(key)
            if key is None:
                self.problem(key_node, field, _("a key must be a plain name"))
            elif key in seen:
                repeated.append((key_node, path, key, seen[key]))
                cited(self.lost, value_node)  # its text is not read: the notes it calls are not "never cited"
            elif key not in known and (english := next((k for k in JAPANESE_KEYS.get(key, ()) if k in known), None)):
                meant.add(english)  # not also "missing required key"
                self.problem(key_node, path, _("keys are written in English: write '{english}' for '{key}'")
                             .format(english=english, key=key))
            elif key not in known:
                hint = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
                meant.update(hint)
                self.problem(key_node, path, _("unknown key '{key}' (did you mean '{near}'?)")
                             .format(key=key, near=hint[0]) if hint else
                             _("unknown key '{key}'; expected one of: {known}").format(key=key, known=", ".join(known)))
            else:
                seen[key] = key_node.start_mark.line + 1
                found.append((key, value_node))
        if len(repeated) > 1 and field.endswith("]"):  # keys of an item again: a next item without its '- '
            key_node, path, key, line = repeated[0]
            self.problem(key_node, path, _("key '{key}' again in one item (first at line {line}), and more after it: "
                                           "if a new item starts here, write '- ' before its first key")
                         .format(key=key, line=line))
        else:
            for key_node, path, key, line in repeated:
                self.problem(key_node, path, _("duplicate key '{key}' (first at line {line}): the second would "
                                               "silently replace the first").format(key=key, line=line))
        return found, meant

    def apart(self, pairs: list, hints: dict, field: str, meant: set[str]) -> list:
        """`pairs` (a record's or a file's keys and values), each list among them without its items
        that are written as items of another list these keys may hold, not of its own: the line
        naming that list is likely missing above them (`discussion:` deleted put the discussion's
        parts under `questions:`, and each said 'heading' unknown and 'to' missing). Said once, at
        the first; those items are lost as the other list's, and its name is added to `meant`."""
        lists = {name: typing.get_args(hint)[0] for name, hint in hints.items()
                 if typing.get_origin(hint) is tuple and is_record(typing.get_args(hint)[0])}
        kept_pairs = []
        for key, node in pairs:
            kind = optional(hints[key])[0]
            own = typing.get_args(kind)[0] if typing.get_origin(kind) is tuple else None
            if own is None or not isinstance(node, yaml.SequenceNode):
                kept_pairs.append((key, node))
                continue
            items, said = [], False
            for index, item in enumerate(node.value):
                other = other_list(item, own, key, lists)
                if other is None:
                    items.append(item)
                    continue
                if not said:
                    path = f"{field}.{key}[{index}]" if field else f"{key}[{index}]"
                    self.problem(item, path, _("this item is written as an item of '{other}' ({keys}), not of "
                                               "'{key}': is the line '{other}:' missing above it?").format(
                        other=other, key=key, keys=", ".join(k.value for k, _v in item.value)))
                    said = True
                lose(self.lost, lists[other], item)
                meant.add(other)
            if said:
                node = yaml.SequenceNode(node.tag, items, node.start_mark, node.end_mark, node.flow_style)
            kept_pairs.append((key, node))
        return kept_pairs

    def read(self, kind, node, field: str):
        """Read `node` as `kind` (a record class, tuple[...], str, Text, int, date, or X | None)."""
        kind, nullable = optional(kind)
        if nullable and isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG:
            if kind in (str, Text) and not node.value and self.commented(node, field):  # `post: #360`: all a comment
                return self.problem(node, field, _("a value that starts with '#' is read as a comment, and "
                                                   "nothing is printed: put the value in quotes (\"#…\")"))
            return None
        if typing.get_origin(kind) is tuple:
            if not isinstance(node, yaml.SequenceNode):
                return self.problem(node, field, _("expected a list (lines starting with '- ')"))
            items = [self.read(typing.get_args(kind)[0], item, f"{field}[{i}]")
                     for i, item in enumerate(node.value)]
            return INVALID if INVALID in items else tuple(items)
        if is_record(kind):
            return self.record(kind, node, field)
        if kind is Text and isinstance(node, yaml.SequenceNode):
            return self.paragraphs(node, field)
        if kind is Text and isinstance(node, yaml.MappingNode):
            return self.problem(node, field, _("expected running text, after '|' on its own lines or as a list of "
                                               "paragraphs, not a mapping"))
        return self.scalar(kind, node, field)

    def scalar(self, kind, node, field: str):
        """Read `node`, which must be one plain value, as `kind` (str, Text, int, date or bool)."""
        if not isinstance(node, yaml.ScalarNode):
            if isinstance(node, yaml.MappingNode) and len(node.value) == 1 and not str(node.value[0][0].value).isascii():
                return self.problem(node, field, _("this text has ': ' in it, which YAML reads as a key and its value: "
                                                   "put the whole text in quotes (\"…\")"))
            return self.problem(node, field, _("expected a single value, not a list or a mapping"))
        if node.tag == "tag:yaml.org,2002:merge":  # a plain <<, which YAML takes for a merge key
            return self.problem(node, field, _("YAML reads << as a merge key: put it in quotes (\"<<\")"))
        if node.tag not in PLAIN_TAGS:
            return self.problem(node, field, _("YAML tag {tag} is not supported: write the value as plain text")
                                .format(tag=node.tag.replace("tag:yaml.org,2002:", "!!")))
        if node.tag == NULL_TAG and node.value in ("", "~", "null", "Null", "NULL"):
            return self.problem(node, field, empty(field))
        self.sources.append(Source(self.where(node, field),
                                   self.text[node.start_mark.index:node.end_mark.index], node.value))
        if not node.style and mistakes.curly_quoted(node.value):  # a plain value, not one in straight quotes
            return self.problem(node, field, _(mistakes.CURLY_QUOTES))
        if kind in (str, Text) and node.style != "|" and node.start_mark.line != node.end_mark.line \
                and self.folded(node):
            return self.problem(node, field, _(
                "this text runs over several lines without '|': YAML joins its lines with spaces and its paragraphs "
                "into one: write '|' after the key's ':' and the text on the lines under it") if kind is Text else _(
                "this value runs over several lines: YAML joins them with a space: write it on one line"))
        if kind in (str, Text) and not node.style and self.commented(node, field):  # plain: "" (libyaml) or None
            return self.problem(node, field, _("' #' and what follows it on this line are read as a comment, not "
                                               "printed: to print them, put the whole value in quotes (\"…\"); for a "
                                               "comment, write it on a line of its own"))
        return SCALARS[kind](self, node, field)

    def commented(self, node, field: str) -> bool:
        """Whether what follows `node`'s value on its line was likely meant as more of it, though YAML
        reads it as a comment: '#' right before a word ('#3', '#360'), not '# ' opening a remark,
        after a value that is words, not an id or another fixed name."""
        if field.rsplit(".", 1)[-1].split("[")[0] in NAMES_NOT_WORDS:
            return False
        end = self.text.find("\n", node.end_mark.index)
        return re.match(r"[ \t]+#+[^\s#]", self.text[node.end_mark.index:end if end >= 0 else None]) is not None

    def folded(self, node) -> bool:
        """Whether YAML read `node`, a value over several lines without '|', otherwise than its lines
        say: a line break it made a space beside a Japanese character (no space is written there),
        or a blank line, which ran two paragraphs into one. A line break escaped with '\\' in a
        quoted value is none."""
        lines = self.text[node.start_mark.index:node.end_mark.index].split("\n")
        if node.style == ">":
            lines = lines[1:]  # the '>' line itself
        words = [line.strip() for line in lines]
        inside = words[next((i for i, w in enumerate(words) if w), 0):]
        while inside and not inside[-1]:
            inside.pop()
        if "" in inside:
            return True
        return any(not (node.style == '"' and before.endswith("\\")) and (wide(before[-1]) or wide(after[0]))
                   for before, after in zip(inside, inside[1:]))

    def record(self, kind, node, field: str):
        if not isinstance(node, yaml.MappingNode):
            known = ", ".join(schema_fields(kind))
            return self.problem(node, field, _("expected a mapping of {keys}").format(keys=known))
        hints = type_hints(kind)
        values, places = {}, {}
        pairs, meant = self.pairs(node, field, schema_fields(kind))
        pairs = self.apart(pairs, hints, field, meant)
        for key, value_node in pairs:
            path = f"{field}.{key}" if field else key
            values[key] = self.read(hints[key], value_node, path)
            places[key] = self.where(value_node, path)
            if isinstance(value_node, yaml.SequenceNode):  # each item's own place: an id in a list, said where it is
                places.update((f"{key}[{index}]", self.where(item, f"{path}[{index}]"))
                              for index, item in enumerate(value_node.value) if isinstance(item, yaml.ScalarNode))
        missing = [name for name in required(kind) if name not in values]
        for name in missing:
            if name not in meant:  # a misspelt key is reported once, as unknown
                self.problem(node, field, _("missing required key '{key}'").format(key=name))
        if kind is Note and values.get("text") is None and values.get("title") is None:
            missing.append("text")
            if not meant & {"text", "title"}:
                self.problem(node, field, _("a note needs its 'text', or at least a 'title' (with 'issuer', 'date', "
                                            "'remarks' as known) for its text to be composed from"))
        if missing or INVALID in values.values():
            return INVALID
        record = kind(**values, where=self.where(node, field), places=places)
        return COMPLETE[kind](record) if kind in COMPLETE else record

    def string(self, node, field: str):
        found = split_paragraphs(node.value)
        if len(found) > 1:
            return self.problem(node, field, _("expected one line of text here, found several paragraphs"))
        if not found:
            return self.problem(node, field, _("value is empty"))
        if CALL.search(found[0][0]):
            return self.problem(node, field, misplaced_call(field))
        return found[0][0]

    def paragraphs(self, node, field: str):
        """Read running text given as a list: each item a paragraph, or several split by blank lines."""
        if not node.value:
            return self.problem(node, field, _("value is empty"))
        items = [self.read(Text, item, f"{field}[{index}]") if isinstance(item, yaml.ScalarNode) else
                 self.problem(item, f"{field}[{index}]", _("expected a paragraph of text, not a list or a mapping"))
                 for index, item in enumerate(node.value)]
        if INVALID in items:
            return INVALID
        return Text(tuple(paragraph for text in items for paragraph in text.paragraphs),
                    tuple(call for text in items for call in text.bracketed))

    def text_(self, node, field: str):
        """Read running text: paragraphs, with `[^note-id]` calls placed where they stand."""
        source = self.sources[-1]
        found = miscalls(source)
        if found:
            self.problems.extend(found)
            return INVALID
        read = paragraphs(node.value, source, self.where(node, field))
        return Text(read, bracketed(source)) if read else self.problem(node, field, empty(field))

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
        day = dates.read(node.value)
        return self.problem(node, field, day) if isinstance(day, str) else day


SCALARS = {str: Reader.string, Text: Reader.text_, int: Reader.integer, datetime.date: Reader.date,
           bool: Reader.boolean}
