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
  taken once and given again when the same notes come back, to that page or to a page of the
  same size in another layout of the document: the build lays a document out several times
  (render.py), and the notes of the pages before what a try changed are the same notes. Notes
  are alike when their boxes are: the same kinds, elements, attributes and texts, and styles from
  the same cascade (what the selectors matched, wherever the element stands) under alike parents;
  pages alike in size, in the first page's size (viewport units) and base URL. Not on a page
  where a float stands: the area's lines flow round those that reach it. One document's layouts
  share its style sheets, so its fonts: an `@font-face` is not told apart.

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

from weasyprint.formatting_structure import boxes, build
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
    area's measure for this set of notes taken from the page's memo where it was made before, or
    from the document's where notes alike were measured on a page alike in another layout."""
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
    alike = None
    if measure is None and _measures is not None and not _floated(self):  # the document's, over its layouts
        alike = (tuple(_signature(area, note) for note in area.children), self.in_column, _page_signature(self, area))
        measure = _measures.get(alike)
    if measure is None:
        laid = block_level_layout(self, build.create_anonymous_boxes(area.deepcopy()), -inf, None, area.page)[0]
        last = laid.children[-1]
        overflow = (last.position_y + last.margin_height() - last.margin_bottom
                    > laid.position_y + laid.margin_height() - laid.margin_bottom)
        measure = (laid.height, laid.margin_height(), overflow)
        if not any(_floats(self, note) for note in area.children):
            memo[key] = measure
            if alike is not None:
                _measures[alike] = measure
    elif alike is not None:
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


_measures: dict | None = None  # while `measured()` applies: the area's measures by its notes' signatures
_signatures: dict = {}  # each shape (a note's, a style's: tuples that cannot be equal) as a small number
_styles: dict = {}  # each style's number, by its id


def _signature(area, note) -> int:
    """A number for what decides how `note` is laid out: its boxes' kinds, elements, attributes,
    texts and styles, taken once per note of a page (a page made again, as for a page number
    WeasyPrint learns after (`target-counter`), has a new area: its notes' texts may have
    changed); notes alike in all that have the same number."""
    known = area.__dict__.setdefault("_briefing_signatures", {})
    if id(note) not in known:
        known[id(note)] = _signatures.setdefault(_shape(note), len(_signatures))
    return known[id(note)]


def _shape(box) -> tuple:
    """`box` and its descendants as what lays them out: kinds, elements, attributes, texts, style numbers."""
    element = box.element
    return (type(box).__name__, box.element_tag, getattr(box, "pseudo_type", None),
            tuple(sorted(element.attrib.items())) if element is not None else None,
            box.text if isinstance(box, boxes.TextBox) else None, _style(box.style),
            *(_style(style) if style is not None else None  # its ::first-line and ::first-letter
              for style in (getattr(box, "first_line_style", None), getattr(box, "first_letter_style", None))),
            tuple(_shape(child) for child in getattr(box, "children", ())))


def _page_signature(self, area) -> tuple:
    """What the area's measure depends on beyond its notes: its page's size, its own style, the
    sizes viewport units are taken from (the first page's) and where URLs lead from."""
    if "_briefing_page" not in area.__dict__:
        page = area.page
        area._briefing_page = (page.width, page.height, page.margin_left, page.margin_right, page.padding_left,
                               page.padding_right, page.border_left_width, page.border_right_width,
                               _style(area.style), tuple(sorted(self.style_for.initial_page_sizes.items())),
                               area.style.base_url)
    return area._briefing_page


def _floated(self) -> bool:
    """Whether a float stands on the page so far: laying the area out flows its lines round the
    floats that reach down to it, which the notes' signatures do not tell."""
    try:
        return bool(self.excluded_shapes)
    except (IndexError, KeyError):  # no formatting context open: none
        return False


# What WeasyPrint 70 sets on a box's style after computing it (formatting_structure/build.py)
SET_AFTER = ("display", "float", "position", "white_space", "overflow")


def _style(style) -> int:
    """A number for a computed style: what the cascade gave its element (the selectors matched
    there, wherever the element stands), the values WeasyPrint sets after, and its parent's, up
    to the root: what its computed values follow from. Alike styles have the same number."""
    if id(style) not in _styles:
        parent = style.parent_style
        cascaded = getattr(style, "cascaded", None)  # an anonymous box's style has none of its own
        shape = (type(style).__name__, getattr(style, "pseudo_type", None),
                 None if cascaded is None else tuple(sorted((name, _hashable(value)) for name, value in cascaded.items())),
                 tuple(_hashable(style[name]) for name in SET_AFTER),
                 None if parent is None else _style(parent))
        _styles[id(style)] = (_signatures.setdefault(shape, len(_signatures)), style)  # kept: its id stays its own
    return _styles[id(style)][0]


def _hashable(value):
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


@contextmanager
def measured() -> Iterator[None]:
    """WeasyPrint measuring a footnote area once per set of notes and page size, for the
    duration of the block: one document's layouts, which share its style sheets' fonts (the
    measures do not tell one `@font-face` from another)."""
    global _measures
    if LayoutContext.layout_footnote is layout_footnote:  # already applied by an enclosing block
        yield
        return
    LayoutContext.layout_footnote, LayoutContext._update_footnote_area = layout_footnote, update_footnote_area
    _measures = {}
    try:
        yield
    finally:
        LayoutContext.layout_footnote = ORIGINAL["layout_footnote"]
        LayoutContext._update_footnote_area = ORIGINAL["_update_footnote_area"]
        _measures = None
        _signatures.clear()
        _styles.clear()
