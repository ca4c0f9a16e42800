"""What the build reads from WeasyPrint's laid-out pages, and does to them before they are written.

Read: the notes printed away from their calls, the notes too tall for any page, the paragraphs
that end on a line of a character or two. Done: the HTML laid out again with a page break
before a deferred note's paragraph, or with a paragraph's marks set half (追い込み); a block that
runs over to the next page ended at its last line; attachments dropped. The boxes are
WeasyPrint 70's, as `justify` knows them.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from weasyprint.formatting_structure.boxes import BlockBox, LineBox

from . import jlreq, justify


ROUNDS = 6  # layouts again at most, to bring deferred notes back to their calls


def breaking_before(html: str, notes: Sequence[str], bare: Collection[str] = ()) -> str:
    """`html` with a page break before each paragraph that first calls one of `notes`: WeasyPrint
    sometimes defers a footnote that would fit (backtracking over a page), and a paragraph that
    starts a page keeps its call and its note together. No word moves; the page may end early.
    The break goes before what leads into the paragraph (a heading, a block's label, the block
    itself), which should not be left at the foot of the page before; for the `bare` notes, whose
    paragraph kept them away even so, before the paragraph itself."""
    for note in notes:
        call = html.find(f'data-note="{note}"')
        starts = [m.start() for m in PARAGRAPH.finditer(html, 0, max(call, 0))]  # not an SVG's <path
        if call >= 0 and starts:
            html = broken_at(html, starts[-1] if note in bare else leading_into(html, starts[-1]))
    return html


LEADING = [  # what ends just before an element and keeps with it: its start is found by the pattern
    (re.compile(r"</h[1-3]>$"), re.compile(r"<h[1-3][\s>](?:(?!<h[1-3][\s>]).)*$", re.S)),  # a heading
    (re.compile(r"</p>$"), re.compile(r'<p class="label"[^>]*>(?:(?!<p[\s>]).)*$', re.S)),  # a block's label
    (re.compile(r"<(?:div|section)[^>]*>$"), re.compile(r"<(?:div|section)[^>]*>$")),  # a block that opens here
]


def leading_into(html: str, start: int) -> int:
    """Where the element at `start` begins together with the headings, labels and opening blocks
    right before it."""
    while True:
        before = html[:start].rstrip()
        for end, begin in LEADING:
            if end.search(before) and (found := begin.search(before)):
                start = found.start()
                break
        else:
            return start


def broken_at(html: str, start: int) -> str:
    """`html` with a page break before the element whose tag begins at `start`."""
    tag_end = html.index(">", start)
    tag = html[start:tag_end]
    if "break-before: page" in tag:
        return html
    if ' style="' in tag:
        at = start + tag.index(' style="') + len(' style="')
        return html[:at] + "break-before: page; " + html[at:]
    name_end = start + len(re.match(r"<\w+", tag).group())
    return html[:name_end] + ' style="break-before: page"' + html[name_end:]


PARAGRAPH = re.compile(r"<p[\s>]")


SHORT = 2  # characters a paragraph's last line may not hold only (「る。」): JLREQ's 追い込み pulls them in


def short_last_lines(document) -> list[int]:
    """The paragraphs (by their place among the document's <p> elements) of two lines or more,
    justified, whose last line holds only one or two characters."""
    root = document.pages[0]._page_box.children[0].element
    places = {id(element): place for place, element in
              enumerate(e for e in root.iter() if isinstance(e.tag, str) and e.tag.rsplit("}", 1)[-1] == "p")}
    short = set()
    for page in document.pages:
        for box in justify.descendants(page._page_box):
            if (isinstance(box, BlockBox) and box.element_tag == "p" and len(box.children) >= 2
                    and all(isinstance(line, LineBox) for line in box.children)
                    and box.style["text_align_all"] == "justify" and id(box.element) in places):
                last = "".join(text.text for text in justify.text_boxes(box.children[-1])).strip()
                if 0 < len(last) <= SHORT:
                    short.add(places[id(box.element)])
    return sorted(short)


def tightening(html: str, paragraphs: Sequence[int]) -> str:
    """`html` with the marks of the paragraphs at these places among its <p> elements set half."""
    starts = [m.start() for m in PARAGRAPH.finditer(html)]
    for place in sorted(paragraphs, reverse=True):  # from the end: earlier offsets stay right
        if place < len(starts):
            start = starts[place]
            end = html.find("</p>", start)
            body = html.index(">", start) + 1
            html = html[:body] + jlreq.tightened(html[body:end]) + html[end:]
    return html


def misplaced_notes(document) -> tuple[str, ...]:
    """The notes (by id) whose footnote does not start on the page of their call, read from the layout."""
    calls: dict[int, tuple[str, int]] = {}
    notes: dict[int, int] = {}
    for number, page in enumerate(document.pages):
        for box in justify.descendants(page._page_box):
            element = getattr(box, "element", None)
            if element is None or element.get("data-note") is None:
                continue
            if box.element_tag.endswith("::footnote-call"):
                calls.setdefault(id(element), (element.get("data-note"), number))
            elif isinstance(box, BlockBox) and "::" not in box.element_tag:
                notes.setdefault(id(element), number)
    return tuple(sorted({note for key, (note, page) in calls.items() if notes.get(key) != page}))


BLOCKS = ("question", "answer")  # the labelled blocks whose tint or rule shows how far they reach


def ended_at_their_text(document) -> None:
    """A question or answer that runs over to the next page ends, on the page it leaves, at its
    last line: WeasyPrint stretches such a fragment to the page foot (css-break-3), so its tint
    or rule ran down through the empty lines above the notes."""
    last_page: dict[int, int] = {}
    fragments = []
    for number, page in enumerate(document.pages):
        for box in justify.descendants(page._page_box):
            if isinstance(box, BlockBox) and any(justify.has_class(box, name) for name in BLOCKS):
                last_page[id(box.element)] = number
                fragments.append((number, box))
    for number, box in fragments:
        if number < last_page[id(box.element)] and box.children:
            end = max(child.position_y + child.margin_height() for child in box.children)
            box.height = min(box.height, end - box.content_box_y())


def tall_notes(document, notes: Sequence[str]) -> tuple[str, ...]:
    """Those of `notes` taller than half the page's text area: too long to sit under any call."""
    tall = set()
    for page in document.pages:
        half = page._page_box.height / 2
        for box in justify.descendants(page._page_box):
            element = getattr(box, "element", None)
            if (isinstance(box, BlockBox) and element is not None and element.get("data-note") in notes
                    and "::" not in box.element_tag and box.margin_height() > half):
                tall.add(element.get("data-note"))
    return tuple(sorted(tall))


def without_attachments(document) -> None:
    """Drop the files a document asks to embed (`<link rel=attachment>`, `<a rel=attachment>`):
    WeasyPrint would fetch them only while writing the PDF, and a briefing sheet embeds none."""
    document.metadata.attachments = []
    for page in document.pages:
        page.links = [link for link in page.links if link[0] != "attachment"]
