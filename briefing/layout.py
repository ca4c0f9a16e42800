"""What the build reads from WeasyPrint's laid-out pages, and does to them before they are written.

Read: the notes printed away from their calls or too tall to sit whole under any call, and where
to cut one; the paragraphs that end on a line of a character or two; the sheets that end on a
page of a few lines, and where to break the page before. Done to the pages: a block that runs
over to the next page ended at its last line; attachments dropped. What to change in the HTML
is `adjust`'s. The boxes are WeasyPrint 70's, as `justify` knows them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from weasyprint.formatting_structure.boxes import BlockBox, LineBox, TextBox

from . import justify
from .adjust import PageBreak


ROUNDS = 6  # layouts again at most, to bring deferred notes back to their calls
CUT_TRIES = 4  # layouts again at most, to cut a note too long for the room under its call
NOTES_AT_MOST = 0.7  # of a page's height, its notes with their rule: briefing.css's @footnote max-height


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


FULL_ENOUGH = 10  # lines of text at least on the last page of a sheet of two pages or more
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
        mine = [index for index, (_s, p, _l) in enumerate(before) if p is not None and p.element is paragraph.element]
        gone = sum(p is not None and p.element is paragraph.element for _s, p, _l in pages[number])
        kept, going = sum(i < split for i in mine), sum(i >= split for i in mine) + gone
        if kept < ORPHANS:
            return None
        if going < ORPHANS:  # its widows, as many as its orphans
            continue
        if gone:
            return PageBreak(places[id(paragraph.element)], widows=going)
        lines = [line for page in pages[:number] for _s, p, line in page if p is not None and p.element is paragraph.element]
        return PageBreak(places[id(paragraph.element)], after=sum(printed(line) for line in lines[:len(lines) - going]))
    return None


def misplaced_notes(document) -> tuple[str, ...]:
    """The notes (by id) whose footnote does not start on the page of their call, read from the
    layout; or, for a note cut in pieces, whose piece N is not N - 1 pages after the call. A note
    cited in two sheets of one document is two notes, each sheet's own."""
    sheet = sheets_of(document)
    calls: dict[int, tuple[str, int]] = {}
    notes: dict[int, int] = {}
    pieces: dict[tuple, list[tuple[int, int]]] = {}  # (sheet, note): (part, page) of its later pieces
    for number, page in enumerate(document.pages):
        for box in justify.descendants(page._page_box):
            element = getattr(box, "element", None)
            if element is None or element.get("data-note") is None:
                continue
            if element.get("data-part"):  # a later piece: its call, made empty, stands by the first's
                if isinstance(box, BlockBox) and "::" not in box.element_tag:
                    key = (sheet.get(id(element)), element.get("data-note"))
                    pieces.setdefault(key, []).append((int(element.get("data-part")), number))
            elif box.element_tag.endswith("::footnote-call"):
                calls.setdefault(id(element), (element.get("data-note"), number))
            elif isinstance(box, BlockBox) and "::" not in box.element_tag:
                notes.setdefault(id(element), number)
    away = {note for key, (note, page) in calls.items() if notes.get(key) != page}
    called = {(sheet.get(key), note): page for key, (note, page) in calls.items()}
    away |= {key[1] for key, parts in pieces.items()
             if key in called and any(page != called[key] + part - 1 for part, page in parts)}
    return tuple(sorted(away))


def calls_alone(document) -> list[tuple[str, int]]:
    """The repeated calls of a note (a later call in its sheet, the number alone) on a page where
    the note is not printed, as (note id, which of the note's repeated calls in the document it is,
    from 0): a reader of that page would look for the note in vain."""
    sheet = sheets_of(document)
    root = document.pages[0]._page_box.children[0].element
    again: dict[int, tuple[str, int]] = {}
    for element in root.iter():
        if "note-again" in (element.get("class") or "").split():
            note = element.get("data-note")
            again[id(element)] = (note, sum(n == note for n, _ in again.values()))
    alone = []
    for page in document.pages:
        printed, calls = set(), {}
        for box in justify.descendants(page._page_box):
            element = getattr(box, "element", None)
            if element is None or element.get("data-note") is None:
                continue
            if id(element) in again:
                calls[id(element)] = (sheet.get(id(element)), element.get("data-note"))
            elif isinstance(box, BlockBox) and "::" not in box.element_tag:
                printed.add((sheet.get(id(element)), element.get("data-note")))
        alone += [again[key] for key, call in calls.items() if call not in printed]
    return alone


def sheets_of(document) -> dict[int, str | None]:
    """For each element (by id) that holds a note, the sheet section it is in."""
    root = document.pages[0]._page_box.children[0].element
    found: dict[int, str | None] = {}
    for section in root.iter():
        if isinstance(section.tag, str) and section.tag.rsplit("}", 1)[-1] == "section" \
                and "sheet" in (section.get("class") or "").split():
            for element in section.iter():
                if element.get("data-note") is not None:
                    found[id(element)] = section.get("id")
    return found


BLOCKS = ("question", "answer")  # the labelled blocks whose tint or rule shows how far they reach


def spilt(document, name: str) -> bool:
    """Whether an element of class `name` that should fit one page (the cover) runs over it."""
    pages = {number for number, page in enumerate(document.pages) for box in justify.descendants(page._page_box)
             if isinstance(box, BlockBox) and justify.has_class(box, name)}
    return len(pages) > 1


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


def tall_notes(document, notes: Sequence[str]) -> tuple[str, ...]:
    """Those of `notes` taller than a page's notes may be: too long to sit whole under any call."""
    tall = set()
    for page in document.pages:
        most = page._page_box.height * NOTES_AT_MOST
        for box in justify.descendants(page._page_box):
            element = getattr(box, "element", None)
            if (isinstance(box, BlockBox) and element is not None and element.get("data-note") in notes
                    and "::" not in box.element_tag and box.margin_height() > most):
                tall.add(element.get("data-note"))
    return tuple(sorted(tall))


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


@dataclass
class Placed:
    """Where a note stands in a layout: its call's page and line, and its pieces (part 1 first)."""

    call_page: int | None = None
    call_line: object = None  # the LineBox that holds the call
    after_call: float = 0.0  # the room the page keeps after that line for the text that follows it
    pieces: list = field(default_factory=list)  # (page number, BlockBox), in part order


def placed(document, note: str) -> Placed:
    found = Placed()
    parts = {}
    for number, page in enumerate(document.pages):
        lines = [line for line in justify.descendants(page._page_box) if isinstance(line, LineBox)]
        for box in justify.descendants(page._page_box):
            element = getattr(box, "element", None)
            if element is None or element.get("data-note") != note:
                continue
            part = int(element.get("data-part") or 1)
            if box.element_tag.endswith("::footnote-call") and part == 1 and found.call_page is None:
                found.call_page = number
                at = next(i for i, line in enumerate(lines) if any(b is box for b in justify.descendants(line)))
                found.call_line = lines[at]
                found.after_call = 2 * lines[at].height  # a next paragraph's first two lines (orphans)
            elif isinstance(box, BlockBox) and "::" not in box.element_tag:
                parts.setdefault(part, (number, box))
    found.pieces = [parts[part] for part in sorted(parts)]
    return found


def first_line(document, note: str) -> list[int]:
    """The cut after the first line of `note` as laid out: a probe, to see where its call stands."""
    where = placed(document, note)
    lines = [line for line in where.pieces[0][1].children if isinstance(line, LineBox)] if where.pieces else []
    return [printed(lines[0])] if len(lines) > 1 else []


def footnote_area(page):
    return next((box for box in page._page_box.children if type(box).__name__ == "FootnoteAreaBox"), None)


def cuts(whole, probe, note: str, fewer: int = 0) -> tuple[list[int], int | None]:
    """Where to cut `note` so that its first piece fits under its call and each later piece at the
    foot of a page: in printed characters, counted on the note's lines in `whole` (the layout with
    the note uncut); `probe` is the layout with the note cut after its first line, where the call
    stands as the text leads to it. `fewer`: lines fewer in the first piece. With the page the
    call will be on: the probe's, or, when not even two lines fit under it there, the next, after
    a page break before the call's paragraph."""
    uncut, cut = placed(whole, note), placed(probe, note)
    if not uncut.pieces or not cut.pieces or cut.call_page is None:
        return [], None
    box = uncut.pieces[0][1]
    lines = [line for line in box.children if isinstance(line, LineBox)]
    page_number, first_piece = cut.pieces[0]
    page = probe.pages[cut.call_page]
    area = footnote_area(page) or footnote_area(probe.pages[page_number])  # the call's page may have no notes
    if area is None or not lines:
        return [], None
    chrome = area.margin_height() - area.height
    full = page._page_box.height * NOTES_AT_MOST - chrome  # what a page's notes may take: briefing.css's @footnote
    top, below = box.position_y, box.margin_height() - (lines[-1].position_y + lines[-1].height - box.position_y)
    fewer = fewer * (fewer + 1)  # a first piece that did not fit loses 2, then 6, then 12 lines

    def fitting(allowed: float) -> int:  # lines of the first piece, one kept for 「（次頁に続く）」
        return sum(1 for line in lines if line.position_y + line.height - top + below <= allowed) - 1 - fewer

    first, call_page = 0, cut.call_page
    if page_number == cut.call_page and footnote_area(page) is area:
        line_bottom = cut.call_line.position_y + cut.call_line.height + cut.after_call
        first = fitting(min(first_piece.margin_height() + area.position_y - line_bottom,  # down to the foot
                            full - (area.height - first_piece.margin_height())))  # no more than notes may take
    if first < 2:  # a page break before the call's paragraph: the note goes under it on the next page
        call_page += 1
        first = fitting(min(page._page_box.height - 2 * cut.call_line.height - cut.after_call, full))
    if first < 2 or first >= len(lines):
        return [], None
    # each later piece has two lines more: 「（続き）」 and 「（次頁に続く）」
    counts, count, start = [], 0, top
    for index, line in enumerate(lines):
        if index == first or (index > first and line.position_y + line.height - start + below + 2 * line.height > full):
            counts.append(count)
            start = line.position_y
        count += printed(line)
    return counts, call_page


def pieces_in_place(document, note: str, call_page: int) -> bool:
    """The note's first piece under its call on `call_page`, each later piece on the next page,
    and none running past its page's foot or top."""
    where = placed(document, note)
    if where.call_page != call_page or not where.pieces:
        return False
    for part, (number, box) in enumerate(where.pieces):
        page = document.pages[number]._page_box
        if number != call_page + part or box.position_y < page.content_box_y() - 1 \
                or box.position_y + box.margin_height() > page.content_box_y() + page.height + 1:
            return False
    return True
