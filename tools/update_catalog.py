#!/usr/bin/env python3
"""Update the Japanese catalog from the code: extract, merge into the .po, compile the .mo (Babel).

    .venv/bin/python tools/update_catalog.py

Run it after adding or changing a message: new messages are added to
briefing/locale/ja/LC_MESSAGES/briefing.po untranslated and listed here; translate them there
and run it again to compile. Messages the code no longer has are dropped. tests/test_i18n.py
fails until every message is translated and the .mo is the .po compiled.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from babel.messages.catalog import Catalog  # noqa: E402
from babel.messages.mofile import write_mo  # noqa: E402
from babel.messages.pofile import write_po  # noqa: E402

from briefing.i18n import DOMAIN  # noqa: E402
from tests.test_i18n import MO, PO, catalog, extracted  # noqa: E402


def main() -> int:
    template = Catalog(locale="ja", domain=DOMAIN)
    for message in extracted():
        template.add(message)
    current = catalog() if PO.exists() else Catalog(locale="ja", domain=DOMAIN, project="briefing")
    current.update(template, no_fuzzy_matching=True)
    current.fuzzy = False
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as file:
        write_po(file, current, width=120, no_location=True, ignore_obsolete=True, omit_header=False)
    merged = catalog()
    with MO.open("wb") as file:
        write_mo(file, merged)
    untranslated = [m.id for m in merged if m.id and not all(m.string if isinstance(m.string, tuple)
                                                              else (m.string,))]
    for message in untranslated:
        print(f"to translate: {message!r}")
    print(f"wrote {PO.relative_to(ROOT)} and {MO.relative_to(ROOT)}: {len(untranslated)} message(s) to translate"
          + (f" in {PO.relative_to(ROOT)}, then run this again" if untranslated else ""))
    return 1 if untranslated else 0


if __name__ == "__main__":
    sys.exit(main())
