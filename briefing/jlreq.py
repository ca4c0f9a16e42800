"""Japanese text set as JLREQ asks, in and around WeasyPrint 70.0's layout.

- Inter-character justification (JLREQ 3.8, CSS `text-justify: inter-character`). WeasyPrint
  justifies a line only by widening its spaces (`layout/inline.py`, `justify_line`), and
  Japanese has none, so justified paragraphs ended ragged. Here, on a line holding Japanese
  text, the extra width is spread over the gaps between its characters with Pango's letter
  spacing, which adds exactly s × (n − 1) to a run of n characters; WeasyPrint draws each text
  box from the Pango layout made here. An overflowing justified line is tightened the same way.
- Japanese–Latin spacing (JLREQ 3.2.3) and punctuation (JLREQ 3.1.4) are set in the HTML by
  `spaced()`: a quarter-em margin around Latin runs next to Japanese, a negative half-em margin
  where two marks' empty halves meet; `text_align` drops the quarter em at a line's two ends.

No character is ever inserted: the text pulled from the PDF is the content's, character for
character. The WeasyPrint part is pinned: `install()` refuses any other version, and
`tests/test_jlreq.py` measures the right edges and the gaps from the PDFs.
"""

from __future__ import annotations

import re
import unicodedata

import markupsafe

MADE_FOR = "70.0"
# Characters set on the Japanese grid: kana, kanji, full-width forms and Japanese punctuation.
WIDE = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def install() -> None:
    """Put inter-character justification in place of WeasyPrint's space-only justification.

    WeasyPrint is imported here, not with this module: making HTML (`spaced`) does not need it.
    """
    global boxes, inline, ffi, pango, unicode_to_char_p, TO_UNITS, Layout, create_layout, line_size
    global _original_justify_line, _original_set_text, _original_text_align
    import weasyprint
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import inline
    from weasyprint.text.ffi import ffi, pango, unicode_to_char_p
    from weasyprint.text.line_break import TO_UNITS, Layout, create_layout, line_size

    if weasyprint.__version__ != MADE_FOR:
        raise RuntimeError(f"briefing.jlreq was made for WeasyPrint {MADE_FOR}, not {weasyprint.__version__}: "
                           "check layout/inline.py and text/line_break.py, then update MADE_FOR")
    if inline.justify_line is justify_line:
        return
    _original_justify_line, _original_text_align = inline.justify_line, inline.text_align
    _original_set_text = Layout.set_text
    inline.justify_line = justify_line
    inline.text_align = text_align
    Layout.set_text = set_text


def text_align(context, line, available_width, last):
    """WeasyPrint's text_align, after taking the Japanese–Latin space off the line's two ends
    (JLREQ: no such space at the head or the end of a line); a justified Japanese line that
    overflows is tightened instead of left to overflow."""
    trim_ends(line)
    overflow = line.width - available_width
    if overflow > 0 and not last and line.style["text_align_all"] == "justify":
        gaps = japanese_gaps(line)
        # Tighten by at most a tenth of an em per gap; beyond that (a long unbreakable word)
        # overflowing is the lesser evil, as WeasyPrint would leave it.
        if gaps and overflow / gaps <= line.style["font_size"] / 10:
            justify_line(context, line, -overflow)
            return 0
    return _original_text_align(context, line, available_width, last)


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
    gaps = japanese_gaps(line)
    if not extra_width or not gaps:
        return _original_justify_line(context, line, extra_width)
    spread(context, line, extra_width / gaps, 0)


def japanese_gaps(line) -> int:
    """The gaps between characters inside the line's text boxes, if it holds Japanese text; else 0."""
    texts = list(text_boxes(line))
    if not any(WIDE.search(box.text) for box in texts):
        return 0
    return sum(max(0, graphemes(box.text) - 1) for box in texts)


def text_boxes(box):
    if isinstance(box, boxes.TextBox):
        yield box
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                yield from text_boxes(child)


def graphemes(text: str) -> int:
    """Characters that take a place on the line: combining marks and variation selectors do not."""
    return sum(1 for char in text if not unicodedata.combining(char) and not variation_selector(char))


def variation_selector(char: str) -> bool:
    """A selector that picks a glyph form of the character before it (standard or ideographic)."""
    return 0xFE00 <= ord(char) <= 0xFE0F or 0xE0100 <= ord(char) <= 0xE01EF


def spread(context, box, spacing: float, x_advance: float) -> float:
    """Widen each text box by `spacing` per gap, moving what follows it; as `add_word_spacing` does."""
    if isinstance(box, boxes.TextBox):
        box.position_x += x_advance
        if graphemes(box.text) > 1:
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
                x_advance = spread(context, child, spacing, x_advance)
        box.width += x_advance - before
    else:
        box.translate(x_advance, 0)  # an atomic inline: moved, not widened
    return x_advance


def set_text(self, text, justify=False):
    """WeasyPrint's set_text; on a layout justified between characters, the line's share as
    letter spacing on every character instead of word spacing on spaces (it is set again when
    the page is drawn, hence the flag on the layout)."""
    if not (justify and getattr(self, "inter_character", False) and self.justification_spacing
            and self.style["letter_spacing"] == "normal"):  # CSS letter-spacing wins
        return _original_set_text(self, text, justify)
    _original_set_text(self, text, False)
    _, bytestring = unicode_to_char_p(self.text)
    attributes = pango.pango_layout_get_attributes(self.layout)
    if attributes == ffi.NULL:
        attributes = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    attribute = pango.pango_attr_letter_spacing_new(int(round(self.justification_spacing * TO_UNITS)))
    attribute.start_index, attribute.end_index = 0, len(bytestring)
    pango.pango_attr_list_change(attributes, attribute)
    pango.pango_layout_set_attributes(self.layout, attributes)


# Spacing between characters that is not justification is set in the HTML, where no character
# is added: `spaced()` wraps a Latin run next to Japanese in a span with a quarter-em margin
# (JLREQ 3.2.3), and a punctuation mark whose empty half meets the next one's in a span with
# a negative half-em margin (JLREQ 3.1.4). WeasyPrint lays out inline margins exactly, so
# line breaking, justification and drawing agree.
IDEOGRAPHIC = "\u3041-\u3096\u30a1-\u30fa\u30fc\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\u3006"
LATIN_RUN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.,:/%+\-]*[A-Za-z0-9%])?")
JAPANESE = re.compile(f"[{IDEOGRAPHIC}]")
# Full-width punctuation that fills one half of its em, the other half empty:
OPENING = set("「『（［｛〔〈《【〘〖〝")  # empty left half
CLOSING = set("」』）］｝〕〉》】〙〗〟、。，．")  # empty right half
NUMBER = re.compile(r"[0-9]+(?:[.,:][0-9]+)*")
UNITS = set("年月日時分秒回版号条項章節名人件円歳割％%万億兆倍台枚頁")  # a number's unit: kept with it
PREFIXES = {"第", "約", "全", "計"}  # and what stands before a number as part of it


def spaced(text: str, glued: str | None = None) -> markupsafe.Markup:
    """`text` as HTML, escaped, with JLREQ's spacing between Japanese and Latin and between
    punctuation marks set as spans; the characters are exactly `text`'s. With `glued` (a note
    call's HTML), the last character or Latin run and the call are kept on one line together."""
    out = []
    position = 0
    for index, char in enumerate(text):
        if index < position:
            continue
        following = text[index + 1:index + 2]
        if char in CLOSING and (following in CLOSING or following in OPENING) or \
                char in OPENING and following in OPENING:
            out.append(markupsafe.Markup('<span class="jl-half">%s</span>') % char)
            position = index + 1
            continue
        run = LATIN_RUN.match(text, index) if char.isascii() and char.isalnum() else None
        if run:
            before = JAPANESE.match(text[index - 1]) if index else None
            after = JAPANESE.match(text[run.end()]) if run.end() < len(text) else None
            if before or after:
                sides = " ".join(side for side, on in (("jl-before", before), ("jl-after", after)) if on)
                piece = markupsafe.Markup('<span class="%s">%s</span>') % (sides, run.group())
            else:
                piece = markupsafe.escape(run.group())
            position = run.end()
            unit = text[position:position + 1]
            if NUMBER.fullmatch(run.group()) and unit and unit in UNITS:  # 28日, 第1.0版: never broken
                prefix = out.pop() if out and out[-1] in PREFIXES else ""
                piece = markupsafe.Markup('<span class="nobr">%s%s%s</span>') % (prefix, piece, unit)
                position += 1
            out.append(piece)
            continue
        out.append(markupsafe.escape(char))
        position = index + 1
    if glued is not None and out:
        if text[-1] in CLOSING:  # the call sits on the mark's empty half, and the space follows it
            glued = markupsafe.Markup('<span class="tuck">%s</span>') % markupsafe.Markup(glued)
        out[-1] = markupsafe.Markup('<span class="glue">%s%s</span>') % (out[-1], markupsafe.Markup(glued))
    return markupsafe.Markup("").join(out)


