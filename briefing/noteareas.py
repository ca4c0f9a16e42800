"""A page's footnote area laid out once for each set of notes, not each time a note is tried.

WeasyPrint 70 lays out a page's whole footnote area again each time a note is added to it or
sent on to the next page (`LayoutContext._update_footnote_area`), to learn its height. Where a
note is long, or cut in pieces whose calls stand together (`adjust.continued`), that is most of
a layout: the area of piece 1 and piece 2 is laid out to find piece 2 does not fit, then that
of piece 1 again, then that of piece 1 and piece 3, though piece 3 must follow piece 2 to the
next page whatever it measures (layout/block.py sends on every note after one sent on), then
that of piece 1 once more. While `measured()` is applied:

- a note that must follow one already sent on goes with it without being laid out: the page
  foot is left as it was, which is where sending it on puts it back (WeasyPrint's additions and
  subtractions may differ in a float's last bit, far inside its 1e-9 of `overflows_page`);
- the area's measure for a set of notes (its height, its margin box, whether it overflows) is
  taken once per page and given again when the same set comes back to that page.

Only WeasyPrint's measuring is spared: the area each page prints is laid out as before, and the
pages are the same, byte for byte. Not where a note holds a float: laying out the area leaves
its floats among the page's (the area is no formatting context of its own), so each trial
counts, and such notes are measured as WeasyPrint does. `update_footnote_area` is WeasyPrint
70.0's own method (BSD licence) with the memo in it, its arithmetic in its order
(`justify.MADE_FOR` is the version).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from math import inf

from weasyprint.formatting_structure import build
from weasyprint.layout import LayoutContext
from weasyprint.layout.block import block_level_layout

ORIGINAL = {"layout_footnote": LayoutContext.layout_footnote,
            "_update_footnote_area": LayoutContext._update_footnote_area}


def layout_footnote(self, footnote):
    """WeasyPrint's, but a note after one sent on to the next page is sent on unmeasured: its
    caller reports it whatever the area measures (layout/block.py, `context.reported_footnotes`)."""
    if not self.reported_footnotes or any(_floats(self, note) for note in [*self.current_page_footnotes, footnote]):
        return ORIGINAL["layout_footnote"](self, footnote)
    self.footnotes.remove(footnote)
    self.current_page_footnotes.append(footnote)
    return True  # reported next: `_update_footnote_area` then measures the area without it


def update_footnote_area(self):
    """WeasyPrint's: the page's bottom and its footnote area's height for the notes on it, the
    area's measure for this set of notes taken from the page's memo where it was made before."""
    area = self.current_footnote_area
    if area.height != "auto" and not self.in_column:
        self.page_bottom += area.margin_height()
    area.children = self.current_page_footnotes
    if not area.children:
        area.height = 0
        if not self.in_column:
            self.page_bottom -= area.margin_height()
        return False
    memo = area.__dict__.setdefault("_briefing_measures", {})  # this page's (a page made again has a new area)
    key = (tuple(map(id, area.children)), self.in_column)  # the note boxes live as long as the layout
    measure = memo.get(key)
    if measure is None:
        laid = block_level_layout(self, build.create_anonymous_boxes(area.deepcopy()), -inf, None, area.page)[0]
        last = laid.children[-1]
        overflow = (last.position_y + last.margin_height() - last.margin_bottom
                    > laid.position_y + laid.margin_height() - laid.margin_bottom)
        measure = (laid.height, laid.margin_height(), overflow)
        if not any(_floats(self, note) for note in area.children):
            memo[key] = measure
    height, margin_height, overflow = measure
    area.height = height
    if not self.in_column:
        self.page_bottom -= margin_height
    return overflow


def _floats(self, footnote) -> bool:
    """Whether `footnote` holds a float, which each layout of the area leaves on the page."""
    known = self.__dict__.setdefault("_briefing_floats", {})
    if id(footnote) not in known:
        known[id(footnote)] = any(box.style["float"] not in ("none", "footnote") for box in footnote.descendants())
    return known[id(footnote)]


@contextmanager
def measured() -> Iterator[None]:
    """WeasyPrint measuring each page's footnote area once per set of notes, for the duration of the block."""
    if LayoutContext.layout_footnote is layout_footnote:  # already applied by an enclosing block
        yield
        return
    LayoutContext.layout_footnote, LayoutContext._update_footnote_area = layout_footnote, update_footnote_area
    try:
        yield
    finally:
        LayoutContext.layout_footnote = ORIGINAL["layout_footnote"]
        LayoutContext._update_footnote_area = ORIGINAL["_update_footnote_area"]
