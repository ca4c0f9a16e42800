"""Turn the content models into a JSON Schema of the content files, for completion in an editor.

The schema follows the loader: its sections (`load.shape.SECTIONS`) and, in each record, the fields
content may set, typed by their hints. Scalars are given as loosely as the loader reads them
(any plain value is text), so an editor flags no file that `briefing check` accepts for its
shape; the checks across files (ids, note calls, dates in notes) stay `check`'s.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import os
import typing
from pathlib import Path

from . import check
from .load.shape import AWAITING, SECTIONS, optional, required, schema_fields, type_hints
from .models import Note, PackSpec, Text
from .project import scan_content

FILE = ".schema.json"  # in the content folder, where `briefing init` writes it: hidden, so never read as content
DRAFT = "http://json-schema.org/draft-07/schema#"  # the draft the editors' YAML extensions know best
MODELINE = "# yaml-language-server: $schema="  # VS Code's YAML extension reads a file's schema from this line
WORDS = {"type": ["string", "number", "boolean"], "pattern": r"\S"}  # read as text, never blank
SCALAR_SCHEMAS = {
    str: WORDS,
    Text: {**WORDS, "type": [*WORDS["type"], "array"], "items": WORDS, "minItems": 1},  # or a list of paragraphs
    int: {"anyOf": [{"type": "integer", "minimum": 1, "maximum": 9999},
                    {"type": "string", "pattern": "^[0-9]{1,4}$"}]},
    bool: {"enum": [True, False, "yes", "no", "Yes", "No", "YES", "NO"]},
    datetime.date: {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
}
CHOICES = {  # the values `check` allows, offered for completion
    (PackSpec, "style"): check.STYLES,
    (PackSpec, "dates"): check.DATE_STYLES,
    (PackSpec, "pdf"): check.PDF_VARIANTS,
}
RULES = {  # what a record needs beyond its required keys
    Note: {"if": {"properties": {"title": WORDS}, "required": ["title"]},  # without a title to compose it from
           "else": {"properties": {"text": WORDS}, "required": ["text"]}},  # a text is needed
}


def schema() -> dict:
    """The JSON Schema (draft 7) that each content file, holding any of the sections, must meet."""
    definitions: dict[str, dict] = {}
    sections = {name: of(kind, definitions) for name, kind in SECTIONS.items()}
    sections[AWAITING] |= {"type": ["array", "object", "null"], "maxProperties": 0}  # `answers: {}` or nothing
    return {
        "$schema": DRAFT,
        "title": "briefing content",
        "type": "object",
        "properties": sections,
        "additionalProperties": False,
        "definitions": definitions,
    }


def text() -> str:
    """The schema as the JSON text of a file."""
    return json.dumps(schema(), ensure_ascii=False, indent=2) + "\n"


def of(kind, definitions: dict, choices: tuple[str, ...] = ()) -> dict:
    """The schema of a value of `kind` (a record class, tuple[...], X | None or a scalar), as the
    loader reads it; a record is added to `definitions` and referred to."""
    kind, nullable = optional(kind)
    if nullable:
        return {"anyOf": [of(kind, definitions, choices), {"type": "null"}]}
    if typing.get_origin(kind) is tuple:
        return {"type": "array", "items": of(typing.get_args(kind)[0], definitions, choices)}
    if choices:
        return {"enum": list(choices)}
    if kind in SCALAR_SCHEMAS:
        return SCALAR_SCHEMAS[kind]
    name = kind.__name__
    if name not in definitions:
        fields = schema_fields(kind)
        hints = type_hints(kind)
        definitions[name] = {
            "title": name,
            "type": "object",
            "properties": {field: with_default(of(hints[field], definitions, CHOICES.get((kind, field), ())), f)
                           for field, f in fields.items()},
            "required": required(kind),
            "additionalProperties": False,
            **RULES.get(kind, {}),
        }
    return {"$ref": f"#/definitions/{name}"}


def with_default(found: dict, field: dataclasses.Field) -> dict:
    """`found` with the field's default, shown by an editor, when the field has one other than none."""
    if field.default is dataclasses.MISSING or field.default is None:
        return found
    return {**found, "default": list(field.default) if isinstance(field.default, tuple) else field.default}


def link(content_dir: Path) -> None:
    """Write the schema into `content_dir` and name it on the first line of each content file there,
    by its path from the file's folder, which an editor reads offline."""
    schema_file = content_dir / FILE
    schema_file.write_text(text(), encoding="utf-8", newline="\n")
    for path in scan_content(content_dir)[0]:
        path.write_bytes(f"{modeline(path, content_dir)}\n".encode() + path.read_bytes())


def modeline(path: Path, content_dir: Path) -> str:
    """The line naming the schema in `content_dir` to the content file at `path`, by its path from the file's folder."""
    return MODELINE + Path(os.path.relpath(content_dir / FILE, path.parent)).as_posix()
