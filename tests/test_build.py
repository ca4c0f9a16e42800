"""The build's own parts: the font charset cache."""

from __future__ import annotations

from briefing.build import FONTS, charset
from briefing.project import Project

from .conftest import ROOT


def test_charset_cache_gives_what_the_fonts_give(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    fonts = tuple(Project.at(ROOT).font(name) for name in FONTS)
    computed = charset.__wrapped__(fonts)
    assert list((tmp_path / "briefing").glob("charset-*.bin"))
    assert charset.__wrapped__(fonts) == computed
    assert ord("義") in computed and ord("」") in computed and 0x1F600 not in computed
