"""The shape of content files: their sections, the records these hold and the keys content may set."""

from __future__ import annotations

import dataclasses
import datetime
import functools
import re
import types
import typing

import yaml

from ..i18n import _
from ..models import Answer, Body, FollowUp, Hearing, Note, PackSpec, Question, Report, Text, Topic

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
AWAITING = "answers"  # `answers: {}`, `[]` or nothing: a body's answers are awaited
KINDS = {Body: "body", Topic: "topic", Question: "question", FollowUp: "question", Note: "note", PackSpec: "pack"}
SCALARS = (str, Text, int, datetime.date, bool)  # read from one YAML value (Text: or a list of paragraphs)
# Limits on a whole report, far above any real one (the seed: 3 topics, 3 notes, 30 KB), so
# that a mistaken or hostile content folder stops at once instead of filling memory for minutes.
LIMITS = {"topics": 1_000, "notes": 5_000}  # items in the whole content


def optional(kind) -> tuple[object, bool]:
    """`kind` without its `| None`, and whether it had one."""
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        (kind,) = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        return kind, True
    return kind, False


def is_record(kind) -> bool:
    return dataclasses.is_dataclass(kind) and kind not in SCALARS


@functools.cache
def type_hints(kind) -> dict:
    return typing.get_type_hints(kind)


@functools.cache
def schema_fields(kind) -> dict[str, dataclasses.Field]:
    """A record's fields that content may set: all but the positions the loader fills."""
    return {f.name: f for f in dataclasses.fields(kind) if f.name not in ("where", "places")}


def required(kind) -> list[str]:
    """The fields of a record that content must set."""
    return [name for name, f in schema_fields(kind).items()
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]


def _keys(kind) -> set[str]:
    """Every key a value of `kind` may hold, at any depth."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType, tuple):
        return set().union(*(_keys(arg) for arg in typing.get_args(kind)))
    if not is_record(kind):
        return set()
    return set(schema_fields(kind)).union(*(_keys(hint) for name, hint in type_hints(kind).items()
                                            if name in schema_fields(kind)))


KEYS = frozenset(SECTIONS).union(*(_keys(kind) for kind in SECTIONS.values()))  # the names a key may have


def empty(field: str) -> str:
    """What to say of an empty value: an answer's text, that an answer not come yet is left out."""
    if re.fullmatch(r"answers\[\d+\]\.text", field):
        return _("value is empty: write the answer's words; if the body has not answered yet, delete this answer "
                 "(the question then prints 回答待ち)")
    return _("value is empty")


def written_as(keys: set[str], kind) -> bool:
    """Whether a mapping of `keys` reads as a record of `kind`: its keys are all `kind`'s, its required ones among them."""
    return keys <= set(schema_fields(kind)) and set(required(kind)) <= keys


def other_list(item, own, key: str, lists: dict) -> str | None:
    """The other list `item` is written as an item of, if it is not one of its own list's (of `own`)."""
    if not isinstance(item, yaml.MappingNode) or not item.value \
            or not all(isinstance(k, yaml.ScalarNode) for k, _v in item.value):
        return None
    keys = {k.value for k, _v in item.value}
    if is_record(own) and keys <= set(schema_fields(own)):  # its own, if incomplete
        return None
    return next((name for name, kind in lists.items() if name != key and written_as(keys, kind)), None)
