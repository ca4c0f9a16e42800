"""noteareas.measured(): WeasyPrint measuring a page's footnote area once per set of notes gives
the pages WeasyPrint gives, with fewer layouts of the area."""

from __future__ import annotations

from pathlib import Path

import pytest
from weasyprint import HTML
from weasyprint.layout import LayoutContext

from briefing import noteareas
from briefing.project import Project

FONT = Project.at(Path(__file__).parent.parent).font("BIZUDMincho-Regular.ttf").as_uri()
CSS = (f"@font-face {{ font-family: M; src: url({FONT}) }} @page {{ size: A7; margin: 8mm;"
       " @footnote { max-height: 60% } } body { font: 8pt M } .n { float: footnote } p { margin: 0 }")


def notes_sent_on(extra_css: str = "", inside: str = "") -> str:
    """Three notes called together, each too long to share a page's foot with another: WeasyPrint
    sends them on one page after another, under 40 lines of text. `inside`: put in notes 1 and 2
    (the one that stays and the one sent on first)."""
    notes = "".join(f'<span class="n">{n}番目の注。{inside if n < 3 else ""}{"長い注の文です。" * (22 + 3 * n)}</span>'
                    for n in range(1, 4))
    return f"<style>{CSS}{extra_css}</style><p>本文{notes}の段落。</p>" + "<p>続きの段落です。</p>" * 40


SIDES = "@page :left { @footnote { max-height: 45% } }"  # left and right pages' notes of different heights
FLOAT = '<b style="float: left; width: 8mm; height: 6mm">図</b>'
DOCUMENTS = {
    "plain": notes_sent_on(),
    "sides": notes_sent_on(SIDES),
    # a note holding a float, which each layout of the area leaves among the page's floats:
    # measured as WeasyPrint does, every time
    "a float": notes_sent_on(SIDES, FLOAT),
}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_the_same_pages_with_the_area_laid_out_fewer_times(monkeypatch, name):
    layouts = []
    own = LayoutContext._update_footnote_area

    def counted(self):  # WeasyPrint lays the area out at each measure of notes
        layouts.extend(self.current_page_footnotes[:1])
        return own(self)

    monkeypatch.setattr(LayoutContext, "_update_footnote_area", counted)
    plain = HTML(string=DOCUMENTS[name]).render()
    whole, layouts[:] = len(layouts), []
    laying = noteareas.block_level_layout

    def laid(*args, **kwargs):
        layouts.append(args[1])
        return laying(*args, **kwargs)

    monkeypatch.setattr(noteareas, "block_level_layout", laid)
    with noteareas.measured():
        spared = HTML(string=DOCUMENTS[name]).render()
    assert LayoutContext.layout_footnote is noteareas.ORIGINAL["layout_footnote"]  # taken out after the block
    assert len(plain.pages) >= 3  # the notes were sent on, page after page
    assert spared.write_pdf() == plain.write_pdf()
    assert len(layouts) < whole if name != "a float" else len(layouts) == whole  # where notes hold no float


def test_every_measure_given_is_weasyprint_s_own(monkeypatch):
    """Each time the area is measured, what `update_footnote_area` leaves (the page's bottom, the
    area's height, whether it overflows) is what WeasyPrint's own method leaves, exactly; some of
    those measures were given from the memo. (Not with a float in a note: measuring twice, as
    this test does, would leave it twice.)"""
    ours, given, laid, laying = noteareas.update_footnote_area, [], [], noteareas.block_level_layout

    def shadowed(self):
        area = self.current_footnote_area
        before = (self.page_bottom, area.height, area.children)
        layouts = len(laid)
        overflow = ours(self)
        given.append((len(laid) == layouts, bool(area.children)))  # (measured without laying the area out, notes)
        after = (self.page_bottom, area.height, overflow)
        self.page_bottom, area.height, area.children = before
        assert after == (*_own(self), ) and area.children is self.current_page_footnotes
        return overflow

    def _own(self):
        overflow = noteareas.ORIGINAL["_update_footnote_area"](self)
        return self.page_bottom, self.current_footnote_area.height, overflow

    monkeypatch.setattr(noteareas, "update_footnote_area", shadowed)
    monkeypatch.setattr(noteareas, "block_level_layout", lambda *args: laid.append(1) or laying(*args))
    for html in (DOCUMENTS["plain"], DOCUMENTS["sides"]):
        with noteareas.measured():
            HTML(string=html).render()
    assert any(spared and notes for spared, notes in given)
    given[:] = []
    with noteareas.measured():  # a document laid out again, as the build does: measures from the first layout
        HTML(string=DOCUMENTS["sides"]).render()
        first = len(given)
        HTML(string=DOCUMENTS["sides"]).render()
    again = [spared for spared, notes in given[first:] if notes]
    assert first and again and all(again)


# Notes alike in their words, their own elements and attributes, laid out differently in the
# second document of a pair: a rule through an ancestor's class sets the paragraph's notes larger,
# or their first lines; a float beside the area narrows its lines; viewport units are taken from
# the first page's size; an image's URL leads elsewhere. Each area is measured as its own.
THROUGH = {"class": ".large .n { font-size: 12pt }", "first line": ".large .n::first-line { font-size: 14pt }"}
FLOATED = '<div style="float: left; width: 30mm; height: 130mm"></div>'
# a note on a later page, where both documents' pages are A7: only the first pages differ
VIEWPORT = (f"<style>{CSS} .n {{ padding-top: 10vw }}</style>" + "<p>本文</p>" * 120
            + '<p>本文<span class="n">注の文です。</span>の段落。</p>' + "<p>続きの段落です。</p>" * 40)
PAIRS = {
    **{rule: (notes_sent_on(css), notes_sent_on(css).replace("<p>本文", '<p class="large">本文'))
       for rule, css in THROUGH.items()},
    "a float": (notes_sent_on().replace("<p>本文", FLOATED + "<p>本文"), notes_sent_on()),
    "viewport units": (VIEWPORT.replace("</style>", "@page :first { size: A5 }</style>"), VIEWPORT),
}


@pytest.mark.parametrize("pair", PAIRS)
def test_notes_alike_but_laid_out_differently_are_measured_each_as_its_own(pair):
    documents = PAIRS[pair]
    own = [HTML(string=html).render().write_pdf() for html in documents]
    assert own[0] != own[1]
    with noteareas.measured():  # the first document's measures are at hand when the second is laid out
        spared = [HTML(string=html).render().write_pdf() for html in documents]
    assert spared == own


def test_a_note_whose_words_wait_for_a_page_number_is_measured_with_them():
    """A note citing the page a later paragraph falls on (`target-counter`): WeasyPrint lays out
    page 1 with a placeholder, then again with the number; the area is measured with it (the
    placeholder's measure, one line shorter, set a line of text over the notes)."""
    html = (f"<style>{CSS} a::after {{ content: target-counter(attr(href), page, upper-roman) }}</style>"
            f"<p>本文<span class='n'>{'あ' * 18}<a href='#t'></a></span>の段落。</p>"
            + "<p>続きの段落です。</p>" * 60 + "<p id=t>的</p>")
    plain = HTML(string=html).render().write_pdf()
    with noteareas.measured():
        assert HTML(string=html).render().write_pdf() == plain


def test_the_same_note_s_image_from_another_folder_is_measured_as_its_own(tmp_path):
    """One HTML, an image in a note, read from two folders holding images of two heights."""
    html = f"<style>{CSS}</style><p>本文<span class='n'>注<img src='a.svg'></span>の段落。</p>" + "<p>続き。</p>" * 40
    folders = []
    for height in (10, 80):
        folder = tmp_path / str(height)
        folder.mkdir()
        (folder / "a.svg").write_text(f'<svg xmlns="http://www.w3.org/2000/svg" width="20" height="{height}">'
                                      f'<rect width="20" height="{height}"/></svg>', encoding="utf-8")
        folders.append(folder.as_uri() + "/")
    own = [HTML(string=html, base_url=folder).render().write_pdf() for folder in folders]
    assert own[0] != own[1]
    with noteareas.measured():
        assert [HTML(string=html, base_url=folder).render().write_pdf() for folder in folders] == own
