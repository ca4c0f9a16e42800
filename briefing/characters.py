"""Every character of the content must print: none invisible, none the bundled fonts lack.
Which characters the fonts have is read from them once, and cached per font file version."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from array import array
from collections.abc import Iterator
from pathlib import Path

from .errors import BriefingError, Problem
from .i18n import _
from .jlreq import variation_selector
from .models import Content

INVISIBLE = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}
BLANK_LOOKING = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}


def check_characters(content: Content, charset: frozenset[int]) -> Iterator[Problem]:
    """Every character must print: no invisible characters, none the bundled fonts lack."""
    verdicts: dict[str, str | None] = {}
    good = {"\n"}

    def problem(char: str) -> str | None:
        if char not in verdicts:
            verdicts[char] = character_problem(char, charset)
            if verdicts[char] is None:
                good.add(char)
        return verdicts[char]

    for source in content.sources:
        bad = {char for char in set(source.raw) - good if problem(char)}  # mostly empty: done
        if bad:
            for offset, char in enumerate(source.raw):
                if char in bad:
                    yield Problem(source.position(offset), verdicts[char])
        raw = set(SEQUENCE.findall(source.raw))  # as written; or made by an escape (\U000E0110) in quotes
        for match in [*SEQUENCE.finditer(source.raw), *(m for m in SEQUENCE.finditer(source.value) if m.groups() not in raw)]:
            if sequence(match.group(1), match.group(2)) not in charset:
                where = source.position(match.start(2)) if match.string is source.raw else source.where
                yield Problem(where, _(
                    "the variation selector U+{code:04X} after '{char}' asks for a form of it that the bundled fonts "
                    "lack, and the standard form would be printed instead: delete the selector, or write the name "
                    "as the fonts can print it").format(code=ord(match.group(2)), char=match.group(1)))
        for char in sorted(set(source.value) - set(source.raw) - {"\n"}):
            if problem(char):
                yield Problem(source.where, verdicts[char])


# A character and the selector after it that picks one of its forms (渡邊 with U+E0100…U+E01EF):
# the fonts must map the pair, or the selector is dropped and the standard form printed. U+FE0E and
# U+FE0F (text or emoji presentation) are left out: the text form is what is printed either way.
SEQUENCE = re.compile("([^\\s\ufe00-\ufe0f\U000e0100-\U000e01ef])([\ufe00-\ufe0d\U000e0100-\U000e01ef])")


def sequence(base: str, selector: str) -> int:
    """The pair of a character and its variation selector, as one number beyond Unicode's, for the charset."""
    index = ord(selector) - 0xFE00 if ord(selector) < 0xFE10 else ord(selector) - 0xE0100 + 16
    return 0x110000 + ord(base) * 256 + index


def character_problem(char: str, charset: frozenset[int]) -> str | None:
    if variation_selector(char):
        return None  # it picks a glyph form: the pair is checked (SEQUENCE)
    name = unicodedata.name(char, "unnamed")
    code = f"U+{ord(char):04X}"
    if char == "\t":
        return _("tab character: use spaces")
    if unicodedata.category(char) == "Co":
        return _("private-use character {code} has no agreed glyph and would print as a blank box: replace it") \
            .format(code=code)
    if unicodedata.category(char) in INVISIBLE or char in BLANK_LOOKING:
        return _("invisible character {code} ({name}) would print as nothing: delete it").format(code=code, name=name)
    if ord(char) not in charset and not char.isspace():
        return _("character '{char}' ({code} {name}) is not in the bundled fonts and would print as a blank box: "
                 "replace it").format(char=char, code=code, name=name)
    return None


FONTS = ("BIZUDMincho-Regular.ttf", "BIZUDGothic-Regular.ttf", "BIZUDGothic-Bold.ttf")


def charset(fonts: tuple[Path, ...]) -> frozenset[int]:
    """The code points every bundled font has a glyph for; cached per font file version."""
    stamp = "|".join(["2", *(f"{f.resolve()}:{f.stat().st_size}:{f.stat().st_mtime_ns}" for f in fonts)])  # 2: pairs too
    if stamp not in _CHARSETS:
        _CHARSETS[stamp] = _charset(fonts, stamp)
    return _CHARSETS[stamp]


_CHARSETS: dict[str, frozenset[int]] = {}  # in this process, by the fonts' state (watch sees a new font)


def _charset(fonts: tuple[Path, ...], stamp: str) -> frozenset[int]:
    cached = cache_folder() / f"charset-{hashlib.sha256(stamp.encode()).hexdigest()[:20]}.bin"
    try:
        return frozenset(array("I", cached.read_bytes()))
    except OSError:
        pass
    from fontTools.ttLib import TTFont

    try:
        points = frozenset.intersection(*(_mapped(TTFont(f, lazy=True)) for f in fonts))
    except Exception as error:  # a damaged font file fails in many ways inside fontTools
        raise BriefingError(_("a font in {fonts} cannot be read ({error}): restore the font files from the project")
                            .format(fonts=", ".join(str(f) for f in fonts), error=error)) from None
    from .write import write_atomic

    try:
        write_atomic(cached, array("I", sorted(points)).tobytes())
    except OSError:
        pass  # a read-only home only costs the next run half a second
    return points


def _mapped(font) -> frozenset[int]:
    """The code points `font`'s cmap maps to a glyph, and the variation sequences it maps (as
    `sequence` numbers them). Its glyphs are given plain names first: fontTools would read their
    real ones (the post table's 20,000 names in a CJK font) only to name what the cmap maps to, a
    third of a second for the three bundled fonts."""
    font.setGlyphOrder([f"g{index}" for index in range(font["maxp"].numGlyphs)])
    variants = font["cmap"].getcmap(0, 5)  # format 14: a glyph, or None for the character's own
    pairs = {sequence(chr(base), chr(selector)) for selector, mapped in (variants.uvsDict if variants else {}).items()
             for base, _glyph in mapped if selector < 0xFE0E or 0xE0100 <= selector <= 0xE01EF}
    return frozenset(font.getBestCmap()) | pairs


def cache_folder() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "briefing"
