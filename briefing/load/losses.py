"""What content that failed to read would have defined (ids by kind, the notes its text calls), so
that the errors which only follow from its failure are not reported too."""

from __future__ import annotations

import re
import typing

import yaml

from ..models import Lost, Text
from .running import meant
from .shape import KINDS, SECTIONS, SINGLE, is_record, optional, schema_fields, type_hints

TOP_KEYS = re.compile(r"^([A-Za-z_]+)[ \t]*[:：]", re.M)


def lose_unparsed(lost: Lost, text: str) -> None:
    """A file that could not be parsed loses the sections it names at the start of a line; all, if none."""
    names = [key for key in TOP_KEYS.findall(text) if key in SECTIONS]
    lose_sections(lost, names or SECTIONS)


def lose_sections(lost: Lost, names) -> None:
    """Whatever the sections `names` of a file that could not be read might have defined is lost."""
    for name in names:
        if name in SINGLE:
            lost.add(name)
        lose(lost, SECTIONS[name], None)


def lose(lost: Lost, kind, node) -> None:
    """Add to `lost` what a value of `kind` read from `node` would have defined (None: its contents
    are not known, so any id of each kind it may hold)."""
    kind = optional(kind)[0]
    if typing.get_origin(kind) is tuple:
        items = node.value if isinstance(node, yaml.SequenceNode) else [None]
        for item in items:
            lose(lost, typing.get_args(kind)[0], item)
    elif kind is Text:
        cited(lost, node)
    elif is_record(kind):
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
            for note in meant(node.value):
                lost.add("cited", note)
        else:
            nodes += [each for child in node.value for each in (child if isinstance(child, tuple) else (child,))]
