"""Write a content file's YAML line by line, each warning pointing at the line and column it is about."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from .. import load
from ..errors import Problem, Where
from ..project import display
from .calls import Restored
from .stamp import stamped


def scalar(value: str, flow: bool = False) -> str:
    """`value` as a YAML scalar: plain when it reads back the same, else double-quoted."""
    if value == value.strip() and not (flow and any(c in value for c in ",[]{}")):
        try:
            if yaml.load(f"k: {value}", Loader=load.LOADER) == {"k": value}:
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)


def flow(values) -> str:
    """A YAML flow list: [a, b, c]."""
    return "[" + ", ".join(scalar(v, flow=True) for v in values) + "]"


class Writer:
    """One content file's YAML, line by line, with the warnings that point into it."""

    def __init__(self, path: Path, about: str, head: str | None = None):
        self.path = path
        self.head = head  # the schema's line, if the file begins with one
        self.lines = [*([head] if head else []), "", f"# {about}"]  # "": the import's stamp
        self.warnings: list[Problem] = []

    def add(self, indent: int, text: str = "") -> int:
        """Append a line; return its number."""
        self.lines.append(" " * indent + text if text else "")
        return len(self.lines)

    def pair(self, indent: int, key: str, value: str, item: bool = False, check: str = "") -> int:
        """`key: value` (a list's item when `item`); `check`: a comment above it and a warning at the value."""
        if check:
            self.add(indent, f"# check: {check}")
        line = self.add(indent, f"{'- ' if item else ''}{key}: {value}")
        if check:
            self.warn(line, indent + 2 * item + len(key) + 3, check)
        return line

    def warn(self, line: int, column: int, message: str) -> None:
        """A warning at a line and column of this file."""
        self.warnings.append(Problem(Where(display(self.path), line, column), message, warning=True))

    def text(self, indent: int, key: str, paragraphs: list[Restored]) -> None:
        """Running text after `key: |`: blank lines between paragraphs, two before a gap; checks above the key."""
        for para in paragraphs:
            for offset, message in para.doubts:
                self.add(indent, f"# check: {message}")
        self.add(indent, f"{key}: |")
        for index, para in enumerate(paragraphs):
            if index:
                self.add(0)
                if para.gap:
                    self.add(0)
            line = self.add(indent + 2, para.text)
            for offset, message in para.doubts:
                self.warn(line, indent + 3 + offset, message)

    def data(self, post: str, part: int) -> bytes:
        """The file's bytes, headed by the schema's line and the stamp of the import of post `post` (#N), part `part`."""
        while self.lines[-1] == "":
            self.lines.pop()
        body = self.lines[2 if self.head else 1:]
        return stamped(("\n".join(body) + "\n").encode("utf-8"), post, part, self.head)
