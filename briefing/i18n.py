"""Messages in the reader's language: the code's English, or Japanese from the catalog.

The language follows the locale as gettext reads it (LANGUAGE, LC_ALL, LC_MESSAGES, LANG):
Japanese for `ja_*`, English otherwise. The catalog, `locale/ja/LC_MESSAGES/briefing.po`, is
compiled beside it (`briefing.mo`) and also holds Click's own messages ("Usage:", "Error:",
usage errors), which Click asks gettext's global domain for. `tests/test_i18n.py` fails when
the catalog and the code disagree or the `.mo` is stale; `.venv/bin/python tools/update_catalog.py`
adds new messages to the `.po` (to be translated there), drops gone ones and compiles the `.mo` (Babel).
"""

from __future__ import annotations

import functools
import gettext
import inspect
import os
from pathlib import Path

DOMAIN = "briefing"
LOCALE = Path(__file__).resolve().parent / "locale"
ENVIRONMENT = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")  # gettext's order


def _(message: str) -> str:
    """`message` in the reader's language."""
    return _catalog(tuple(os.environ.get(name) for name in ENVIRONMENT)).gettext(message)


def N_(message: str) -> str:
    """Mark `message` for the catalog where it is defined; `_` translates it where it is used."""
    return message


def language() -> str:
    """The language messages are given in: 'ja' or 'en'."""
    return _language(tuple(os.environ.get(name) for name in ENVIRONMENT))


@functools.lru_cache(maxsize=8)
def _catalog(locale: tuple) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALE, fallback=True)


@functools.lru_cache(maxsize=8)
def _language(locale: tuple) -> str:
    found = gettext.find(DOMAIN, LOCALE)
    return Path(found).parents[1].name if found else "en"


def bind_click() -> None:
    """Let Click's own messages come from our catalog: Click calls gettext's global `gettext`."""
    gettext.bindtextdomain(DOMAIN, str(LOCALE))
    gettext.textdomain(DOMAIN)


class Translated:
    """An attribute set to English text (a Click help text) and read in the reader's language."""

    def __set_name__(self, owner, name: str) -> None:
        self.key = f"_english_{name}"

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        text = instance.__dict__.get(self.key)
        return _(text) if isinstance(text, str) and text else text

    def __set__(self, instance, value) -> None:
        instance.__dict__[self.key] = inspect.cleandoc(value) if isinstance(value, str) else value

    def english(self, instance) -> str | None:
        """The text as the code has it: the catalog's message id."""
        return instance.__dict__.get(self.key)
