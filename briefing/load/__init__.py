"""Turn the YAML files of a content folder into a Content model, every problem placed by line.

Each file is parsed (`parse`) and its nodes read into records (`records`), which fill in what
content may leave out (`derive`); the records of all files are gathered here into one Content.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from ..errors import ContentError, Problem, Where, unknown
from ..i18n import _, language
from ..models import Content, FollowUp, Lost, Source, Topic, place
from ..project import display, scan_content
from . import derive
from .losses import lose_sections
from .parse import LOADER
from .records import INVALID, Reader
from .running import split_paragraphs
from .shape import LIMITS, SECTIONS, SINGLE

__all__ = ["INVALID", "LOADER", "Read", "load", "read_file", "split_paragraphs"]  # what the importer uses too

MAX_FILE_BYTES = 1_000_000
MAX_TOTAL_BYTES = 8_000_000  # a whole report's YAML: like LIMITS, far above any real one


def load(content_dir: Path, partial: bool = False) -> Content:
    """Read every `*.yaml` under `content_dir`; raise ContentError listing all problems.

    With `partial`, content with errors comes back too, holding what did read (the hearing or
    the report None if they did not), its problems, and what the records that failed to read
    would have defined (`lost`), so that checks can go on without reporting what only follows.
    """
    files, found = scan_content(content_dir)
    gathered = Gathering(problems=list(found))
    if any(not p.warning for p in found):
        lose_sections(gathered.lost, SECTIONS)  # a file that is not read may hold anything
    if not files:
        raise ContentError([*found, Problem(Where(display(content_dir), 1, 1), _("no .yaml files in this folder"))])
    for path in files:
        gathered.file(path)
    return gathered.content(content_dir, partial)


@dataclasses.dataclass
class Gathering:
    """What the files of a content folder hold, gathered as each is read, and the problems found."""

    problems: list[Problem]
    sections: dict[str, list] = dataclasses.field(default_factory=lambda: {name: [] for name in SECTIONS})
    first: dict[str, tuple[Where, Path]] = dataclasses.field(default_factory=dict)  # each single section's place
    sources: list[Source] = dataclasses.field(default_factory=list)
    digests: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    lost: Lost = dataclasses.field(default_factory=Lost)
    counts: dict[str, int] = dataclasses.field(default_factory=lambda: dict.fromkeys(LIMITS, 0))
    total: int = 0  # bytes read

    def file(self, path: Path) -> None:
        """Read the file `path` and take in what it holds; raise ContentError if the content is too large."""
        data = self.data(path)
        if data is None:
            lose_sections(self.lost, SECTIONS)
            return
        read = read_file(path, data)
        self.digests.append((display(path), read.digest))
        self.problems.extend(read.problems)
        for kind, ids in read.lost.ids.items():
            for id in ids:
                self.lost.add(kind, id)
        for name, where, value in read.items:
            if name not in SINGLE:
                self.sections[name].extend(() if value is INVALID else value)
            elif name in self.first:
                self.problems.append(twice(name, self.first[name], (where, path)))
            else:
                self.first[name] = (where, path)
                self.sections[name] += [] if value is INVALID else [value]
        self.sources.extend(read.sources)
        for name, where, count in read.sizes:
            self.counts[name] += count
            if self.counts[name] > LIMITS[name]:  # stop at once, before the next file
                self.problems.append(Problem(where, _("more than {limit:,} {name}: a report this large is not "
                                                      "supported; split it into several projects")
                                             .format(limit=LIMITS[name], name=name)))
                raise ContentError(self.problems)

    def data(self, path: Path) -> bytes | None:
        """The bytes of the file `path`; None, with a problem, if it cannot be read or is too large."""
        where = Where(display(path), 1, 1)
        try:
            with path.open("rb") as file:
                data = file.read(MAX_FILE_BYTES + 1)  # a huge file is not read whole
        except OSError as error:
            self.problems.append(Problem(where, _("this file cannot be read ({reason}): allow reading it, or move "
                                                  "it out of the content").format(reason=error.strerror or error)))
            return None
        if len(data) > MAX_FILE_BYTES:
            self.problems.append(Problem(where, _("file is {size:,} bytes; the limit is {limit:,}: split it into "
                                                  "several files").format(size=path.stat().st_size,
                                                                          limit=MAX_FILE_BYTES)))
            return None
        self.total += len(data)
        if self.total > MAX_TOTAL_BYTES:
            self.problems.append(Problem(where, _("the content folder holds more than {limit:,} bytes of YAML, far "
                                                  "more than any report: is it the right folder?")
                                         .format(limit=MAX_TOTAL_BYTES)))
            raise ContentError(self.problems)
        return data

    def content(self, content_dir: Path, partial: bool) -> Content:
        """The content gathered; raise ContentError if it has errors and is not asked for `partial`."""
        for name in SINGLE:
            if name not in self.first and not self.lost.covers(name):
                self.problems.append(Problem(Where(display(content_dir), 1, 1), _("no file defines '{name}': add a "
                                             "'{name}:' section").format(name=name)))
        topics = with_follow_ups(derive.numbered(self.sections["topics"]), self.sections["questions"],
                                 self.problems, self.lost)
        if not partial and any(not p.warning for p in self.problems):
            raise ContentError(self.problems)
        sections = {name: tuple(values) for name, values in self.sections.items()}
        return Content(
            hearing=next(iter(sections["hearing"]), None),
            report=next(iter(sections["report"]), None),
            bodies=sections["bodies"],
            topics=topics,
            answers=sections["answers"],
            notes=sections["notes"],
            packs=sections["packs"],
            sources=tuple(self.sources),
            problems=tuple(self.problems),
            digests=tuple(self.digests),
            lost=self.lost,
        )


def with_follow_ups(topics: list[Topic], follow_ups: list[FollowUp], problems: list[Problem],
                    lost: Lost) -> tuple[Topic, ...]:
    """Each topic with the follow-up questions addressed to it appended, in file order, each with an id."""
    added: dict[str, list] = {topic.id: [] for topic in topics}
    asked = {topic.id: len(topic.questions) for topic in topics}
    for follow_up in follow_ups:
        if follow_up.topic in added:
            before = asked[follow_up.topic] + len(added[follow_up.topic])
            added[follow_up.topic] += derive.named(follow_up.topic, (follow_up.question(),), before)
        elif lost.covers("topic", follow_up.topic):
            lost.add("question", follow_up.id)  # its topic failed to read: the question is lost with it
        else:  # said once: its answers are not unknown too, nor the notes it calls never cited
            problems.append(Problem(place(follow_up, "topic"),
                                    unknown("topic", follow_up.topic, {t.id: t for t in topics})))
            if follow_up.id:  # None would stand for every id
                lost.add("question", follow_up.id)
            for text in (follow_up.preamble, follow_up.text):
                for call in text.calls() if text else ():
                    lost.add("cited", call.note)
    topics = sorted(topics, key=lambda t: t.number)  # files may come in any order
    return tuple(dataclasses.replace(t, questions=t.questions + tuple(added[t.id])) if added.get(t.id) else t
                 for t in topics)


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
        reader = Reader(key[0])
        items = [(name, reader.where(node, name), value) for name, node, value in reader.read_file(data)]
        _READ[key] = Read(items, reader.sources, reader.problems, key[1].hex(), reader.sizes, reader.lost)
    return _READ[key]


def twice(name: str, first: tuple[Where, Path], then: tuple[Where, Path]) -> Problem:
    """A section the report has once (the hearing, the report), written twice: said at the copy
    that was saved last, likely pasted there (the later one, in one file or files saved alike)."""
    def saved(place: tuple[Where, Path]) -> int:
        try:
            return place[1].stat().st_mtime_ns
        except OSError:
            return 0

    copy, other = (first, then) if saved(first) > saved(then) else (then, first)
    return Problem(copy[0], _("'{name}' is written twice, here and at {where}; a report has one: delete the copy")
                   .format(name=name, where=other[0]))
