"""What the build reads from WeasyPrint's laid-out pages, and does to them before they are written.

Read: the paragraphs that end on a line of a character or two; the sheets that end on a page of
a few lines, and where to break the page before; a cover that runs over its page. Done to the
pages: a block that runs over to the next page ended at its last line; attachments dropped. The
notes are `footnotes`'s; what to change in the HTML is `adjust`'s. The boxes are WeasyPrint 70's,
as `justify` knows them.
"""

from __future__ import annotations

from weasyprint.formatting_structure.boxes import BlockBox, LineBox, TextBox

from . import justify
from .adjust import PageBreak


SHORT = 2  # characters a paragraph's last line may not hold only (「る。」): JLREQ's 追い込み pulls them in


def paragraph_places(document) -> dict[int, int]:
    """Each <p> element (by id) of the document, and its place among them: as `adjust` counts them."""
    root = document.pages[0]._page_box.children[0].element
    return {id(element): place for place, element in
            enumerate(e for e in root.iter() if isinstance(e.tag, str) and e.tag.rsplit("}", 1)[-1] == "p")}


def short_last_lines(document) -> list[int]:
    """The paragraphs (by their place among the document's <p> elements) of two lines or more,
    justified, whose last line holds only one or two characters."""
    places = paragraph_places(document)
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


# lines of text at least on the last page of a sheet of two pages or more. Each line it asks
# for is taken from the foot of the page before, which is left that much short: at 10, the
# large-type handout's pages 4 and 8 stopped mid-sentence 6 and 7 lines above their foot (a
# typesetter sent them back), to give last pages of 7 and 8 lines more. 5 lines are a page.
FULL_ENOUGH = 5
ORPHANS = 2  # lines of a paragraph at least at the foot of a page (briefing.css: orphans)


def text_lines(document) -> list[list[tuple[int, object, object]]]:
    """Per page, its lines of running text (notes and running heads aside): (the sheet they are
    in, the <p> fragment that holds them or None, the line)."""
    def lines(box, sheet, paragraph):
        if justify.has_class(box, "sheet"):
            sheet = id(box.element)
        if isinstance(box, BlockBox) and box.element_tag == "p":
            paragraph = box
        for child in getattr(box, "children", ()):
            if isinstance(child, LineBox):
                if printed(child):
                    yield sheet, paragraph, child
            elif not isinstance(child, TextBox):
                yield from lines(child, sheet, paragraph)

    return [list(lines(page._page_box.children[0], None, None)) for page in document.pages]


def thin_pages(document) -> list[int]:
    """The pages, each sheet's last aside, holding less than a third of the lines of the fullest
    (numbered from 1): a page break that leaves one so, mid-sheet, costs more than it brings."""
    pages = text_lines(document)
    fullest = max(map(len, pages), default=0)
    last = {sheet: number for number, lines in enumerate(pages, 1) for sheet, _p, _l in lines}
    return [number for number, lines in enumerate(pages, 1)
            if len(lines) < fullest / 3 and number not in last.values() and number < len(pages)]


def notes_pages(document) -> int:
    """The pages at the end that hold notes alone, no text: a note cut in pieces goes on there."""
    lines = text_lines(document)
    return next((count for count, page in enumerate(reversed(lines)) if page), 0)


def short_last_pages(document, pages=None) -> list[tuple[int, int]]:
    """The sheets of more than one page whose last page holds fewer than FULL_ENOUGH lines of
    text: (that page's number, its lines). `pages`: its `text_lines`, if read already."""
    last: dict[int, tuple[int, int]] = {}
    first: dict[int, int] = {}
    for number, lines in enumerate(text_lines(document) if pages is None else pages):
        for sheet, _paragraph, _line in lines:
            if sheet is None:
                continue  # the front matter and the history are not sheets
            first.setdefault(sheet, number)
            held = last.get(sheet, (number, 0))
            last[sheet] = (number, held[1] + 1 if held[0] == number else 1)
    return [(number, count) for sheet, (number, count) in last.items()
            if number > first[sheet] and count < FULL_ENOUGH]


def balance(document) -> list[PageBreak]:
    """How to make each short last page hold FULL_ENOUGH lines, the page before keeping as many
    at least: the last paragraph of the page before leaves it the lines it lacks, or else a page
    break goes before a paragraph near the foot of the page before."""
    pages = text_lines(document)
    places = paragraph_places(document)
    chosen = []
    for number, count in short_last_pages(document, pages):
        before, needed = pages[number - 1], FULL_ENOUGH - count
        if len(before) - needed >= FULL_ENOUGH and (made := broken_over(pages, number, needed, places)):
            chosen.append(made)
            continue
        started_earlier = {id(p.element) for lines in pages[:number - 1] for _s, p, _l in lines if p is not None}
        for index in range(len(before) - 1, -1, -1):
            _sheet, paragraph, line = before[index]
            if (paragraph is None or id(paragraph.element) in started_earlier or paragraph.children[0] is not line
                    or id(paragraph.element) not in places):
                continue
            lead = index  # the headings and the block's label right before it go with it
            while lead and (before[lead - 1][1] is None or justify.has_class(before[lead - 1][1], "label")):
                lead -= 1
            if len(before) - lead + count >= FULL_ENOUGH:
                if lead >= FULL_ENOUGH:
                    chosen.append(PageBreak(places[id(paragraph.element)]))
                break
    return sorted(chosen)


def broken_over(pages, number: int, needed: int, places: dict[int, int]) -> PageBreak | None:
    """The paragraph of the page before page `number` to break over the page so that `needed`
    lines or a few more go on to it, keeping ORPHANS lines on its page and sending as many on:
    by its widows if it goes on there already, else at the end of one of its lines. None where
    the break would fall at a paragraph's start or in a heading: a page break before it does."""
    before = pages[number - 1]
    for split in range(len(before) - needed, ORPHANS - 1, -1):  # the first line to go on
        paragraph = before[split][1]
        if paragraph is None or id(paragraph.element) not in places or not all(
                isinstance(line, LineBox) for line in paragraph.children):
            return None
        def its(lines) -> list[int]:  # the indexes of the lines of `lines` that are this paragraph's
            return [index for index, (_s, p, _l) in enumerate(lines) if p is not None and p.element is paragraph.element]

        mine, gone = its(before), len(its(pages[number]))
        kept, going = sum(i < split for i in mine), sum(i >= split for i in mine) + gone
        if kept < ORPHANS:
            return None
        if going < ORPHANS:  # its widows, as many as its orphans
            continue
        if gone:
            return PageBreak(places[id(paragraph.element)], widows=going)
        lines = [page[index][2] for page in pages[:number] for index in its(page)]
        return PageBreak(places[id(paragraph.element)], after=sum(printed(line) for line in lines[:len(lines) - going]))
    return None


def spilt(document, name: str) -> bool:
    """Whether an element of class `name` that should fit one page (the cover) runs over it."""
    pages = {number for number, page in enumerate(document.pages) for box in justify.descendants(page._page_box)
             if isinstance(box, BlockBox) and justify.has_class(box, name)}
    return len(pages) > 1


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
        # its last line, in a paragraph broken over the page too (stretched to the foot as well)
        lines = [line for line in justify.descendants(box) if isinstance(line, LineBox)]
        if number < last_page[id(box.element)] and lines:
            end = max(line.position_y + line.height for line in lines)
            box.height = min(box.height, end - box.content_box_y())


def without_attachments(document) -> None:
    """Drop the files a document asks to embed (`<link rel=attachment>`, `<a rel=attachment>`):
    WeasyPrint would fetch them only while writing the PDF, and a briefing sheet embeds none."""
    document.metadata.attachments = []
    for page in document.pages:
        page.links = [link for link in page.links if link[0] != "attachment"]


def printed(box) -> int:
    """The characters `box` prints (white space not counted), generated content aside."""
    if "::" in (getattr(box, "element_tag", "") or ""):
        return 0
    if isinstance(box, TextBox):
        return sum(not char.isspace() for char in box.text)
    return sum(printed(child) for child in getattr(box, "children", ()))
