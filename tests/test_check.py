"""The check's own parts: the font charset cache, which decides what would print as tofu."""

from __future__ import annotations

from briefing import characters as check_module
from briefing.characters import FONTS, charset
from briefing.project import Project

from .conftest import ROOT


def test_charset_cache_gives_what_the_fonts_give(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(check_module, "_CHARSETS", {})
    fonts = tuple(Project.at(ROOT).font(name) for name in FONTS)
    computed = charset(fonts)
    assert list((tmp_path / "briefing").glob("charset-*.bin"))
    monkeypatch.setattr(check_module, "_CHARSETS", {})  # read back from the file this time
    assert charset(fonts) == computed
    assert ord("義") in computed and ord("」") in computed and 0x1F600 not in computed
    from fontTools.ttLib import TTFont  # the glyphs' real names, as fontTools reads them by itself: the same points
    assert {c for c in computed if c < 0x110000} == frozenset.intersection(
        *(frozenset(TTFont(f, lazy=True).getBestCmap()) for f in fonts))
    # and the variation sequences they all map: 邊 with U+E0100, not with U+E0110
    assert check_module.sequence("邊", "\U000E0100") in computed and check_module.sequence("邊", "\U000E0110") not in computed
    pairs = [frozenset((base, selector) for selector, mapped in TTFont(f, lazy=True)["cmap"].getcmap(0, 5).uvsDict.items()
                       for base, _glyph in mapped) for f in fonts]
    assert len([c for c in computed if c >= 0x110000]) == len(frozenset.intersection(*pairs)) > 10_000
