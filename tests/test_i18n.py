"""The Japanese catalog: it holds every message of the code and of Click, translated, and is compiled.

After changing a message, run `.venv/bin/python tools/update_catalog.py`: new messages are
added to the .po untranslated (translate them there, then run it again to compile), gone ones
are dropped, and the .mo is compiled. Babel does the extracting and compiling.
"""

from __future__ import annotations

import io
import string
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

import briefing
from briefing.cli import main
from briefing.i18n import DOMAIN, LOCALE, Translated

PO = LOCALE / "ja" / "LC_MESSAGES" / f"{DOMAIN}.po"
MO = PO.with_suffix(".mo")
UPDATE = f"run .venv/bin/python tools/update_catalog.py, then translate in {PO}"


def extracted() -> list:
    """The message ids of the code, of Click, and of the command line's help texts, in that order."""
    found: dict = {}
    for package in (Path(briefing.__file__).parent, Path(click.__file__).parent):
        for _file, _line, message, _comments, _context in extract_from_dir(package, [("**.py", "python")]):
            found.setdefault(message, None)
    for message in help_texts(main):
        found.setdefault(message, None)
    return list(found)


def help_texts(command: click.Command):
    """The English help texts of `command`, its options and its subcommands."""
    for owner in (command, *command.params):
        for name in ("help", "short_help", "show_default"):
            descriptor = getattr(type(owner), name, None)
            if isinstance(descriptor, Translated) and isinstance(descriptor.english(owner), str):
                yield descriptor.english(owner)
    for sub in getattr(command, "commands", {}).values():
        yield from help_texts(sub)


def catalog() -> Catalog:
    with PO.open("rb") as file:
        return read_po(file, locale="ja", domain=DOMAIN)


def messages(entries: Catalog) -> dict:
    """Each message id with its translation; a plural's are tuples (the .mo reader gives lists)."""
    def plain(value):
        return tuple(value) if isinstance(value, (list, tuple)) else value

    return {plain(m.id): plain(m.string) for m in entries if m.id}


def placeholders(text: str) -> set[str]:
    """The `{name}` fields and `%(name)s` placeholders of a message."""
    fields = {f"{{{name}}}" for _text, name, _spec, _conversion in string.Formatter().parse(text) if name is not None}
    return fields | {part.split(")")[0] for part in text.split("%(")[1:]}


def test_the_catalog_holds_exactly_the_code_s_messages():
    ours, code = set(messages(catalog())), set(extracted())
    assert not code - ours, f"messages missing from the catalog: {sorted(code - ours, key=str)[:5]}; {UPDATE}"
    assert not ours - code, f"messages the code no longer has: {sorted(ours - code, key=str)[:5]}; {UPDATE}"


def test_every_message_is_translated_with_its_placeholders():
    for message in catalog():
        if not message.id:
            continue
        assert not message.fuzzy, f"fuzzy translation of {message.id!r}: check it, then remove the fuzzy flag"
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"{message.id!r} is not translated in {PO}"
        for translated in strings:
            assert placeholders(translated) == placeholders(ids[-1]), \
                f"{message.id!r}: the translation's placeholders differ: {translated!r}"


def test_the_compiled_catalog_is_the_po_file():
    with MO.open("rb") as file:
        compiled = read_mo(file)
    assert messages(compiled) == messages(catalog()), f"{MO} is stale: {UPDATE}"
    fresh = io.BytesIO()
    write_mo(fresh, catalog())
    assert fresh.getvalue() == MO.read_bytes(), f"{MO} is stale: {UPDATE}"
