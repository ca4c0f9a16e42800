"""Read what a content folder holds already, apart from the files an earlier import of the post wrote."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import load
from ..errors import ContentError
from ..models import Body, Hearing
from ..project import scan_content
from .stamp import stamp_of


@dataclass
class Existing:
    """What a content folder holds, apart from the files an earlier import of this post wrote (`ours`)."""

    hearing: Hearing | None = None
    report: bool = False
    posts: set[str] = field(default_factory=set)  # the post numbers of the reports written by hand
    bodies: list[Body] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)  # text → id
    topics: dict[str, int] = field(default_factory=dict)  # id → number
    questions: set[str] = field(default_factory=set)
    ours: dict[Path, bool] = field(default_factory=dict)  # → edited since it was written
    numbers: dict[str, int] = field(default_factory=dict)  # our topics' numbers: id → number

    def add(self, name: str, value) -> None:
        """Take in one section read from a file."""
        if name == "hearing":
            self.hearing = self.hearing or value
        elif name == "report":
            self.report = True
            self.posts.add(value.post)
        elif name == "bodies":
            self.bodies += value
        elif name == "notes":
            self.notes.update((n.text, n.id) for n in value)
        elif name == "topics":
            # a topic without its number has one derived only when the whole content loads: here, none
            self.topics.update((t.id, t.number) for t in value if t.number is not None)
            self.questions.update(q.id for t in value for q in t.questions)
        elif name == "questions":
            self.questions.update(q.id for q in value)


def read_project(content_dir: Path, post: str) -> Existing:
    """Read the content folder's files as they are; raise ContentError if one has errors."""
    files, problems = scan_content(content_dir)
    existing = Existing()
    for path in files:
        data = path.read_bytes()
        read = load.read_file(path, data)
        sections = [(name, value) for name, where, value in read.items if value is not load.INVALID]
        stamp = stamp_of(data)
        if stamp and stamp[0] == post:
            existing.ours[path] = stamp[1]
            existing.numbers.update((t.id, t.number) for name, value in sections if name == "topics" for t in value)
            continue
        problems += read.problems
        for name, value in sections:
            existing.add(name, value)
    errors = [p for p in problems if not p.warning]
    if errors:
        raise ContentError(errors)
    return existing
