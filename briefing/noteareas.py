"""A page's footnote area laid out once for each set of notes, not each time a note is tried.

WeasyPrint 70 lays out a page's whole footnote area again each time a note is added to it or
sent on to the next page (`LayoutContext._update_footnote_area`), to learn its height. Where a
note is long, or cut in pieces whose calls stand together (`adjust.continued`), that is most of
a layout: the area of piece 1 and piece 2 is laid out to find piece 2 does not fit, then that
of piece 1 again, then that of piece 1 and piece 3, though piece 3 must follow piece 2 to the
next page whatever it measures (layout/block.py sends on every note after one sent on), then
that of piece 1 once more. While `measured()` is applied:

- a note that must follow one already sent on goes with it without being laid out: the page
  foot is left as it was, which is where sending it on puts it back;
- the area's height for a set of notes, on a page of a given size and footnote style, is
  measured once per layout and taken again when the same set comes back (the same note boxes,
  which live as long as the layout).

Only WeasyPrint's measuring is spared: the area each page prints is laid out as before, and the
pages are the same, byte for byte. WeasyPrint 70.0's `LayoutContext` is what this knows
(`justify.MADE_FOR`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from weasyprint.layout import LayoutContext

ORIGINAL = {"layout_footnote": LayoutContext.layout_footnote,
            "_update_footnote_area": LayoutContext._update_footnote_area}


def layout_footnote(self, footnote):
    """WeasyPrint's, but a note after one sent on to the next page is sent on unmeasured: its
    caller reports it whatever the area measures (layout/block.py, `context.reported_footnotes`)."""
    if not self.reported_footnotes:
        return ORIGINAL["layout_footnote"](self, footnote)
    self.footnotes.remove(footnote)
    self.current_page_footnotes.append(footnote)
    return True  # reported next: `_update_footnote_area` then measures the area without it


def update_footnote_area(self):
    """WeasyPrint's, with the area's measure for this set of notes taken from the layout's memo:
    its height, and what it takes off the page (its margin box, out of columns)."""
    area = self.current_footnote_area
    if not self.current_page_footnotes:
        return ORIGINAL["_update_footnote_area"](self)
    back = area.margin_height() if area.height != "auto" and not self.in_column else 0
    key = (tuple(map(id, self.current_page_footnotes)), id(area.style), area.page.width, area.page.height,
           self.in_column)
    memo = self.__dict__.setdefault("_briefing_areas", {})  # the layout's: its note boxes live as long
    if key not in memo:
        bottom = self.page_bottom
        overflow = ORIGINAL["_update_footnote_area"](self)
        memo[key] = (area.height, bottom + back - self.page_bottom, overflow)
        return overflow
    height, taken, overflow = memo[key]
    area.children, area.height = self.current_page_footnotes, height
    self.page_bottom += back - taken
    return overflow


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
