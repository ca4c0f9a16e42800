"""Inter-character justification inside WeasyPrint 70.0's line layout, applied only while rendering.

WeasyPrint justifies a line only by widening its spaces (`layout/inline.py`, `justify_line`),
and Japanese has none, so justified paragraphs ended ragged (JLREQ 3.8, CSS `text-justify:
inter-character`). Here, on a line holding Japanese text, the extra width is spread over the
gaps between its characters with Pango's letter spacing, which adds exactly s × (n − 1) to a run
of n characters; WeasyPrint draws each text box from the Pango layout made here. An overflowing
justified line is tightened the same way, and `text_align` drops the Japanese–Latin quarter em
(set by `jlreq.spaced`) at a line's two ends. A line holding such a quarter em is drawn inside
an ActualText span of its own characters, so that text extraction (copy, search) gives the
report's words where it would read each quarter em as a space; in a tagged PDF (PDF/UA) the
line's texts are drawn in runs, each one marked content of the tag tree with its ActualText,
and the page's own lines (running heads, a cut note's 「（次頁に続く）」) as artifacts.

`applied()` puts the six functions in place and takes them out again, like
`unittest.mock.patch`; it refuses any WeasyPrint but the one this was written against.
Upstream, WeasyPrint supports no `text-justify: inter-character`: this is the patch to offer.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pydyf
import weasyprint
from weasyprint import draw
from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline
from weasyprint.pdf.stream import Stream
from weasyprint.text.ffi import ffi, pango, unicode_to_char_p
from weasyprint.text.line_break import TO_UNITS, Layout, create_layout, line_size

from .errors import RenderError
from .i18n import _
from .jlreq import graphemes, wide

MADE_FOR = "70.0"
ORIGINAL = {"justify_line": inline.justify_line, "text_align": inline.text_align, "set_text": Layout.set_text,
            "draw_inline_level": draw.draw_inline_level, "draw_text": draw.draw_text, "marked": Stream.marked}


@contextmanager
def applied() -> Iterator[None]:
    """WeasyPrint with inter-character justification, for the duration of the block."""
    if weasyprint.__version__ != MADE_FOR:
        raise RenderError(_("briefing needs WeasyPrint {needed}, not {found}: run `python3 bootstrap.py build` "
                            "again, which installs the locked versions").format(needed=MADE_FOR,
                                                                                found=weasyprint.__version__))
    if inline.justify_line is justify_line:  # already applied by an enclosing block
        yield
        return
    inline.justify_line, inline.text_align, Layout.set_text = justify_line, text_align, set_text
    draw.draw_inline_level, draw.draw_text, Stream.marked = draw_inline_level, draw_text, marked
    try:
        yield
    finally:
        inline.justify_line, inline.text_align = ORIGINAL["justify_line"], ORIGINAL["text_align"]
        Layout.set_text = ORIGINAL["set_text"]
        draw.draw_inline_level, draw.draw_text = ORIGINAL["draw_inline_level"], ORIGINAL["draw_text"]
        Stream.marked = ORIGINAL["marked"]


def text_align(context, line, available_width, last):
    """WeasyPrint's text_align, after taking the Japanese–Latin space off the line's two ends
    (JLREQ: no such space at the head or the end of a line); a justified Japanese line that
    overflows is tightened instead of left to overflow, and one that ends in a URL is left ragged."""
    trim_ends(line)
    overflow = line.width - available_width
    if overflow <= 0 and has_class(edge_box(line, -1), "url-text"):
        return 0  # a URL goes on at the next line (WeasyPrint breaks it at a slash): ragged, not spread out
    if overflow > 0 and not last and line.style["text_align_all"] == "justify":
        gaps, _every = japanese_gaps(line)
        # Tighten by at most a tenth of an em per gap; beyond that (a long unbreakable word)
        # overflowing is the lesser evil, as WeasyPrint would leave it.
        if gaps and overflow / gaps <= line.style["font_size"] / 10:
            justify_line(context, line, -overflow)
            return 0
    return ORIGINAL["text_align"](context, line, available_width, last)


def trim_ends(line) -> None:
    """No Japanese–Latin quarter em at a line's head or end: the margin stays, outside the line."""
    first, last = edge_box(line, 0), edge_box(line, -1)
    if has_class(first, "jl-before") and first.margin_left:
        shift = first.margin_left
        for child in line.children:  # the whole line moves left; the margin hangs before it
            child.translate(-shift, 0)
        line.width -= shift
    if has_class(last, "jl-after") and last.margin_right:
        shift = last.margin_right
        last.margin_right = 0
        for box in ancestors(line, last):
            box.width -= shift
        line.width -= shift


def edge_box(line, end: int):
    """The innermost inline box at the start (0) or end (-1) of a line, if any."""
    box, found = line, None
    while isinstance(box, (boxes.LineBox, boxes.InlineBox)) and box.children:
        box = box.children[end]
        if isinstance(box, boxes.InlineBox):
            found = box
    return found if found is not None and box is not None else None


def has_class(box, name: str) -> bool:
    return box is not None and box.element is not None and name in (box.element.get("class") or "").split()


def ancestors(line, box):
    """The inline boxes between the line and `box`, outside in (their widths hold box's margin)."""
    for child in line.children:
        if isinstance(child, boxes.InlineBox) and child is not box and box in list(descendants(child)):
            yield child
            yield from ancestors(child, box)


def descendants(box):
    for child in getattr(box, "children", ()):
        yield child
        yield from descendants(child)


def justify_line(context, line, extra_width):
    """Spread `extra_width` over the gaps between the characters of a line with Japanese text."""
    gaps, every = japanese_gaps(line)
    if not extra_width or not gaps:
        return ORIGINAL["justify_line"](context, line, extra_width)
    spread(context, line, extra_width / gaps, 0, every)


def japanese_gaps(line) -> tuple[int, bool]:
    """The gaps between characters inside the line's text boxes that hold Japanese text: a Latin
    word or a number set apart in a box of its own (`jlreq.spaced`: 2025, J-LIS) is not spread
    letter by letter (JLREQ 3.8: 「2 0 2 5」 in large type); 0 if the line holds no Japanese. And
    whether every box is to be spread: a line whose Japanese stands only one character at a time
    between Latin words (「、」 after each of API, J-LIS, CSV) has no other gaps, and was left ragged."""
    texts = list(text_boxes(line))
    if not any(japanese(box) for box in texts):
        return 0, False
    own = sum(max(0, graphemes(box.text) - 1) for box in texts if japanese(box))
    return (own, False) if own else (sum(max(0, graphemes(box.text) - 1) for box in texts), True)


def japanese(box) -> bool:
    return any(wide(char) for char in box.text)


def text_boxes(box):
    if isinstance(box, boxes.TextBox):
        yield box
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                yield from text_boxes(child)


def spread(context, box, spacing: float, x_advance: float, every: bool = False) -> float:
    """Widen each text box holding Japanese (or `every` one) by `spacing` per gap, moving what
    follows it; as `add_word_spacing` does."""
    if isinstance(box, boxes.TextBox):
        box.position_x += x_advance
        if graphemes(box.text) > 1 and (every or japanese(box)):
            layout = create_layout(box.text, box.style, context, max_width=None, justification_spacing=spacing)
            layout.inter_character = True
            layout.set_text(box.text, justify=True)
            line, _ = layout.get_first_line()
            width, _ = line_size(line, box.style)
            layout.deactivate()
            x_advance += width - box.width
            box.width = width
            box.justification_spacing = spacing
            box.pango_layout = layout
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += x_advance
        before = x_advance
        for child in box.children:
            if child.is_in_normal_flow():
                x_advance = spread(context, child, spacing, x_advance, every)
        box.width += x_advance - before
    else:
        box.translate(x_advance, 0)  # an atomic inline: moved, not widened
    return x_advance


def set_text(self, text, justify=False):
    """WeasyPrint's set_text; on a layout justified between characters, the line's share as
    letter spacing on every character instead of word spacing on spaces (it is set again when
    the page is drawn, hence the flag on the layout)."""
    if not (justify and getattr(self, "inter_character", False) and self.justification_spacing):
        return ORIGINAL["set_text"](self, text, justify)
    css = self.style["letter_spacing"]  # 追い出し's (jlreq.loosened), added to the line's share
    ORIGINAL["set_text"](self, text, False)
    _, bytestring = unicode_to_char_p(self.text)
    attributes = pango.pango_layout_get_attributes(self.layout)
    if attributes == ffi.NULL:
        attributes = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    spacing = self.justification_spacing + (0 if css == "normal" else css)
    attribute = pango.pango_attr_letter_spacing_new(int(round(spacing * TO_UNITS)))
    attribute.start_index, attribute.end_index = 0, len(bytestring)
    pango.pango_attr_list_change(attributes, attribute)
    pango.pango_layout_set_attributes(self.layout, attributes)


def draw_inline_level(stream, page, box, *args, **kwargs):
    """WeasyPrint's draw_inline_level; a line whose Japanese–Latin quarter ems would be read as
    spaces is drawn inside a marked-content span whose ActualText is exactly the text drawn in it
    (a note's number included), so that copying or searching the PDF gives the report's words
    (「9月20日」, not 「9 月 20 日」). In a tagged PDF (PDF/UA), where each text is marked content
    of the tag tree, the line's texts are drawn in runs instead, each one mark (`marked`)."""
    if isinstance(box, boxes.LineBox) and getattr(stream, "_tags", None) is not None:
        return draw_tagged_line(stream, page, box, *args, **kwargs)
    if not isinstance(box, boxes.LineBox) or not spaced(box):
        return ORIGINAL["draw_inline_level"](stream, page, box, *args, **kwargs)
    start, drawn = len(stream.stream), []
    DRAWN.append(drawn)
    try:
        ORIGINAL["draw_inline_level"](stream, page, box, *args, **kwargs)
    finally:
        DRAWN.pop()
    stream.stream[start:start] = [b"/Span", pydyf.Dictionary({"ActualText": pydyf.String("".join(drawn))}), b"BDC"]
    stream.end_marked_content()


def draw_tagged_line(stream, page, line, *args, **kwargs) -> None:
    """A line of a tagged PDF, its texts marked for the tag tree as `marked` is told in MARKS."""
    texts = drawn_texts(line)
    if pagination(page, texts):
        marks = dict.fromkeys(texts)
    else:
        marks = {text: run for run in tagged_runs(line) for text in run} if spaced(line) else {}
    MARKS.update(marks)
    try:
        ORIGINAL["draw_inline_level"](stream, page, line, *args, **kwargs)
    finally:
        for text in marks:
            del MARKS[text]


# Each text box of the tagged line being drawn that is not marked as WeasyPrint would: its run,
# or None for an artifact
MARKS: dict[boxes.TextBox, list[boxes.TextBox] | None] = {}


def pagination(page, texts: list[boxes.TextBox]) -> bool:
    """Whether a line of these texts is the page's, not the report's: a running head, a folio, a
    note's continuation mark (「（次頁に続く）」, 「1（続き）」, briefing.css)."""
    margins = [box for box in page.children if isinstance(box, boxes.MarginBox)]
    if texts and texts[0] in drawn_texts(*margins):  # the drawn lines are copies; their texts are not
        return True
    return bool(texts) and all(has_class(text, "note-split") and (text.element_tag or "").endswith("::after")
                               or has_class(text, "note-cont") and (text.element_tag or "").endswith("::before")
                               for text in texts)


def drawn_texts(*parents) -> list[boxes.TextBox]:
    """The text boxes in boxes as they are drawn (an inline block is a stacking context of its own then)."""
    return [box for parent in parents for box in descendants(parent) if isinstance(box, boxes.TextBox)]


def tagged_runs(line) -> list[list[boxes.TextBox]]:
    """A tagged line's text boxes, in the order they are drawn, in runs that can be one marked
    content of the tag tree: texts next to each other outside links, or inside one link (a link's
    text must be the link's own in the tree), nothing else drawn between them."""
    runs, last = [], None

    def walk(box, link):
        nonlocal last
        for child in box.children:
            if isinstance(child, boxes.TextBox):
                if not runs or last is not link:
                    runs.append([])
                runs[-1].append(child)
                last = link
            elif isinstance(child, boxes.InlineBox) and not isinstance(child, boxes.InlineBlockBox):
                walk(child, child if (child.element_tag or "").split(":")[0] == "a" or child.link_annotation else link)
            else:  # an image, an inline block: marked on its own
                last = None

    walk(line, line)
    return [run for run in runs if len(run) > 1]


@contextmanager
def marked(self, box, tag):
    """WeasyPrint's Stream.marked, which gives each text its marked content in the tag tree. A
    run of a spaced line's texts (`tagged_runs`) is drawn as one, with the run's text as
    ActualText (pdfium reads ActualText from a text's innermost mark only); the page's own lines
    (`pagination`) are drawn as artifacts. The tag tree wants one marked content for each text
    box: the texts drawn in another's mark or as an artifact get an empty one."""
    if getattr(self, "_tags", None) is None or box not in MARKS:
        with ORIGINAL["marked"](self, box, tag):
            yield
        return
    run = MARKS[box]
    if run is None:
        with self.artifact():
            yield
        empty_mark(self, box, tag)
        return
    if box is run[0]:
        text = pydyf.String("".join(text.text for text in run))
        self.begin_marked_content(tag, pydyf.Dictionary({"MCID": mcid(self, box, tag), "ActualText": text}))
    yield
    if box is run[-1]:
        self.end_marked_content()
        for follower in run[1:]:
            empty_mark(self, follower, tag)


def empty_mark(stream, box, tag) -> None:
    """An empty marked content for `box` in the tag tree, its text drawn in another's mark or as an artifact."""
    stream.begin_marked_content(tag, pydyf.Dictionary({"MCID": mcid(stream, box, tag)}))
    stream.end_marked_content()


def mcid(stream, box, tag) -> int:
    """The next marked-content number of the page, given to `box` for the tag tree (as WeasyPrint's
    Stream.marked numbers them)."""
    stream._tags[box] = {"tag": tag, "mcid": len(stream._tags)}
    return stream._tags[box]["mcid"]


DRAWN: list[list[str]] = []  # the texts drawn in each line being drawn inside an ActualText span


def draw_text(stream, textbox, *args, **kwargs):
    """WeasyPrint's draw_text, noting the text for the ActualText of the line it is drawn in."""
    for drawn in DRAWN:  # a line inside an inline block inside a line: the outer span reads it too
        drawn.append(textbox.text)
    return ORIGINAL["draw_text"](stream, textbox, *args, **kwargs)


def spaced(line) -> bool:
    """Whether a line holds a Japanese–Latin quarter em, which text extraction reads as a space."""
    return any(has_class(box, "jl-before") and box.margin_left or has_class(box, "jl-after") and box.margin_right
               for box in descendants(line) if isinstance(box, boxes.InlineBox))
