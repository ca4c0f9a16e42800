"""Editions: what was sent out, as a fingerprint of every item, and what changed since.

An item is a question, one body's answer to it, a discussion part, or a note. `briefing release`
appends the current fingerprints to `editions.yaml` beside the content; builds compare with it.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import ContentError, Problem, Where
from .i18n import N_, _
from .project import EDITIONS, display
from .models import Content

FILE = EDITIONS
NEW, CHANGED, REMOVED = "new", "changed", "removed"
MARKS = {NEW: "新", CHANGED: "更新", REMOVED: "削除"}
HEADER = ("# Written by `briefing release`: each edition sent out, with a fingerprint of every\n"
          "# question, answer, discussion part and note in it, and how readers named each.\n"
          "# Keep it with the content; do not edit.\n")


@dataclass(frozen=True)
class Item:
    key: str  # question/ID, answer/QUESTION/BODY, discussion/TOPIC/N, note/ID
    label: str  # how a reader names it: 論点2「…」 デジタル庁の回答
    fingerprint: str
    where: Where


@dataclass(frozen=True)
class Edition:
    number: int
    date: datetime.date
    fingerprints: dict[str, str]
    labels: dict[str, str] = dataclasses.field(default_factory=dict)  # how readers named each item then


@dataclass(frozen=True)
class Change:
    status: str
    key: str
    label: str
    where: Where | None = None


@dataclass(frozen=True)
class State:
    """The content measured against the editions: which edition it is, and its marks."""

    editions: tuple[Edition, ...]
    number: int  # the edition this content is, or would be when released
    released: bool  # the content is exactly the last released edition
    base: Edition | None  # what marks compare with
    changes: tuple[Change, ...]  # base → current content

    @property
    def marks(self) -> dict[str, str]:
        return {c.key: c.status for c in self.changes if c.status != REMOVED}

    @property
    def label(self) -> str:
        if not self.editions:
            return ""
        return f"第{self.number}版" + ("" if self.released else "（未発行）")


def fingerprint(value) -> str:
    """A digest of a record's words and references, blind to where in the files it sits."""
    return hashlib.sha256(json.dumps(_plain(value), ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]


def _plain(value):
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.name not in ("where", "places", "sources", "warnings")}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def items(content: Content) -> dict[str, Item]:
    """Every item of the content, keyed, in reading order."""
    bodies = {b.id: b.name for b in content.bodies}
    answers: dict[str, list] = {}
    for answer in content.answers:
        answers.setdefault(answer.question, []).append(answer)
    found: dict[str, Item] = {
        "front": Item("front", "表紙の事項（ヒアリング・報告・機関）",
                      fingerprint((content.hearing, content.report, content.bodies)), content.report.where),
    }
    for topic in content.topics:
        topic_label = f"論点{topic.number}「{topic.title}」"
        found[f"topic/{topic.id}"] = Item(f"topic/{topic.id}", f"{topic_label} 題・見出し・要点",
                                          fingerprint((topic.number, topic.heading, topic.title, topic.points)),
                                          topic.where)
        for position, question in enumerate(topic.questions, 1):
            number = f"({question.number or position})"
            key = f"question/{question.id}"
            found[key] = Item(key, f"{topic_label} 質問{number}", fingerprint(question), question.where)
            for answer in answers.pop(question.id, []):
                key = f"answer/{answer.question}/{answer.body}"
                label = f"{topic_label} 質問{number}への{bodies.get(answer.body, answer.body)}の回答"
                found[key] = Item(key, label, fingerprint(answer.text), answer.where)
        for index, part in enumerate(topic.discussion, 1):
            key = f"discussion/{topic.id}/{index}"
            found[key] = Item(key, f"{topic_label} 質疑「{part.heading}」", fingerprint(part), part.where)
    numbered = note_numbers(content)
    for note in content.notes:
        label = numbered.get(note.id) or f"どの論点にも引かれていない注「{note.text[:16]}…」"
        found[f"note/{note.id}"] = Item(f"note/{note.id}", label, fingerprint(note), note.where)
    return found


def note_numbers(content: Content) -> dict[str, str]:
    """Each note as readers find it: 「論点2 注3」, on the first sheet that cites it."""
    from .assemble import sheets  # assemble reads editions' marks: imported when needed

    found: dict[str, str] = {}
    for sheet in sheets(content):
        for number, note in enumerate(sheet.notes, 1):
            found.setdefault(note.id, f"論点{sheet.topic.number} 注{number}")
    return found


def compare(old: dict[str, str], current: dict[str, Item], labels: dict[str, str]) -> tuple[Change, ...]:
    changes = [Change(NEW if key not in old else CHANGED, key, item.label, item.where)
               for key, item in current.items() if old.get(key) != item.fingerprint]
    changes += [Change(REMOVED, key, labels.get(key, key)) for key in old if key not in current]
    return tuple(changes)


def state(content: Content, editions: tuple[Edition, ...], current: dict[str, Item] | None = None) -> State:
    if not editions:
        return State((), 1, False, None, ())
    current = current or items(content)
    now = {key: item.fingerprint for key, item in current.items()}
    last = editions[-1]
    released = last.fingerprints == now
    base = (editions[-2] if len(editions) > 1 else None) if released else last
    changes = compare(base.fingerprints, current, {}) if base else ()
    return State(editions, last.number if released else last.number + 1, released, base, changes)


def history(content: Content, editions: tuple[Edition, ...],
            current: dict[str, Item] | None = None) -> list[tuple[Edition | None, tuple[Change, ...]]]:
    """Each edition with what it changed from the one before; None stands for unreleased changes."""
    if not editions:
        return []
    current = current or items(content)
    labels = {key: label for edition in editions for key, label in edition.labels.items()}
    labels.update({key: item.label for key, item in current.items()})
    rows = []
    previous: dict[str, str] | None = None
    for edition in editions:
        as_items = {key: Item(key, labels.get(key, key), value, None) for key, value in edition.fingerprints.items()}
        rows.append((edition, () if previous is None else compare(previous, as_items, labels)))
        previous = edition.fingerprints
    if editions and previous != {key: item.fingerprint for key, item in current.items()}:
        rows.append((None, compare(previous, current, labels)))
    return rows


def read(content_dir: Path) -> tuple[Edition, ...]:
    """The editions recorded beside the content; none if the file is not there."""
    path = content_dir / FILE
    data = recorded(path)
    return parse(path, data) if data is not None else ()


def recorded(path: Path) -> bytes | None:
    """The bytes of the editions file at `path`, None if there is none. Opened without following a
    link or waiting: a named pipe there hung check, build and release for ever, the output locked."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return None
    except OSError as error:
        reason = _("it is a link: copy the file here instead") if path.is_symlink() else error.strerror or error
        raise ContentError([Problem(Where(display(path), 1, 1), _("cannot read the editions file: {reason}")
                                    .format(reason=reason))]) from None
    if not stat.S_ISREG(os.fstat(handle).st_mode):  # a folder, a pipe, a device
        os.close(handle)
        raise ContentError([Problem(Where(display(path), 1, 1), _("cannot read the editions file: {reason}")
                                    .format(reason=_("not a regular file")))])
    with os.fdopen(handle, "rb") as file:
        return file.read()


KEYS = frozenset({"editions", "number", "date", "fingerprints", "labels"})
AS_WRITTEN = N_("is not as `briefing release` wrote it: restore the file from your backup or version control")


def parse(path: Path, data: bytes) -> tuple[Edition, ...]:
    """The editions in `data`, the bytes of the editions file at `path`; its mistakes said where
    they stand, as a content file's are (it is read by `check` too)."""
    from . import dates
    from .load.parse import parse as parse_yaml

    shown = display(path)
    parsed = parse_yaml(shown, data, KEYS)
    if parsed.problems:
        raise ContentError(list(parsed.problems))
    if parsed.root is None:  # emptied: the packs would print no history, and mark nothing as changed
        raise ContentError([Problem(Where(shown, 1, 1), _(
            "the editions file is empty, so the editions released are no longer known: restore it from your "
            "backup or version control (or delete the file, to start again with no edition released)"))])
    root = parsed.root
    listed = next((value for key, value in root.value if key.value == "editions"), None) \
        if isinstance(root, yaml.MappingNode) else None
    if not isinstance(listed, yaml.SequenceNode) and not (listed is not None and listed.tag.endswith(":null")):
        raise ContentError([Problem(Where(shown, root.start_mark.line + 1, 1), _(AS_WRITTEN))])
    editions = []
    for index, node in enumerate(listed.value if isinstance(listed, yaml.SequenceNode) else ()):
        values = {key.value: value for key, value in node.value if isinstance(key, yaml.ScalarNode)} \
            if isinstance(node, yaml.MappingNode) else {}
        entry = {key: _constructed(value) for key, value in values.items()} \
            if isinstance(node, yaml.MappingNode) and len(values) == len(node.value) else None
        wrong = next((key for key, fits in (
            ("number", lambda v: type(v) is int and v == index + 1), ("date", lambda v: isinstance(v, datetime.date)),
            ("fingerprints", lambda v: isinstance(v, dict)), ("labels", lambda v: v is None or isinstance(v, dict)))
            if entry is None or not fits(entry.get(key))), None)
        if wrong is None:
            editions.append(Edition(entry["number"], entry["date"], {str(k): str(v) for k, v in entry["fingerprints"].items()},
                                    {str(k): str(v) for k, v in (entry.get("labels") or {}).items()}))
            continue
        at = values.get(wrong, node)
        said = dates.read(at.value) if wrong == "date" and isinstance(at, yaml.ScalarNode) else None
        raise ContentError([Problem(Where(shown, at.start_mark.line + 1, at.start_mark.column + 1,
                                          f"editions[{index}]" + (f".{wrong}" if wrong in values else "")),
                                    said if isinstance(said, str) else _(AS_WRITTEN))])
    return tuple(editions)


def _constructed(node):
    """A value of the editions file as YAML reads it; INVALID where it cannot (2024-02-30, a list as a key)."""
    try:
        return yaml.SafeLoader("").construct_document(node)
    except (yaml.YAMLError, ValueError, TypeError):
        return INVALID


INVALID = object()


def release(content_dir: Path, content: Content, date: datetime.date) -> Edition:
    """Record the content as the next edition; refuse if nothing changed since the last one."""
    editions = read(content_dir)
    current = items(content)
    fingerprints = {key: item.fingerprint for key, item in current.items()}
    if editions and editions[-1].fingerprints == fingerprints:
        raise ContentError([Problem(Where(display(content_dir / FILE), 1, 1),
                                    _("nothing changed since edition {number}: no new edition")
                                    .format(number=editions[-1].number))])
    if editions and date < editions[-1].date:
        raise ContentError([Problem(Where(display(content_dir / FILE), 1, 1),
                                    _("date {date} is before edition {number}'s {previous}")
                                    .format(date=date, number=editions[-1].number, previous=editions[-1].date))])
    edition = Edition(len(editions) + 1, date, fingerprints, {key: item.label for key, item in current.items()})
    data = {"editions": [{"number": e.number, "date": e.date, "fingerprints": e.fingerprints,
                          **({"labels": e.labels} if e.labels else {})} for e in (*editions, edition)]}
    from .write import write_atomic

    text = HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)
    write_atomic(content_dir / FILE, text.encode("utf-8"))
    return edition
