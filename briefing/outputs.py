"""Where each document of a build is written, relative to the output folder. One rule, read by
the build when it writes (`assemble`, `packing`) and by `check` when it asks whether two packs
would write the same file.
"""

from __future__ import annotations

from collections.abc import Iterable

PDF_NAMES = {"ua": "pdfua", "a": "pdfa"}  # a pack's pdf: values, as its editions' file names have them
STYLES_WITH_EDITIONS = ("lawmakers", "handout")  # the styles whose packs have PDF/UA and PDF/A editions


def sheet_file(number: int, topic: str) -> str:
    """A topic's sheet."""
    return f"sheets/{number:02d}-{topic}.pdf"


def pack_file(pack: str, pdf: str | None = None) -> str:
    """A pack, or its edition in a PDF variant (a pdf: value)."""
    return f"packs/{pack}.pdf" if pdf is None else f"packs/{pack}-{PDF_NAMES[pdf]}.pdf"


def questions_file(pack: str, body: str) -> str:
    """A questions pack's document for one body."""
    return f"packs/{pack}-{body}.pdf"


def pack_files(pack, bodies: Iterable[str]) -> list[str]:
    """Every file the pack may write: a questions pack one per body it names (every body of
    `bodies` if it names none), another pack itself and its editions."""
    if pack.style == "questions":
        return [questions_file(pack.id, body) for body in (pack.bodies or bodies)]
    return [pack_file(pack.id), *(pack_file(pack.id, pdf) for pdf in dict.fromkeys(pack.pdf) if pdf in PDF_NAMES)]
