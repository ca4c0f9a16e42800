"""Where the notes stand in WeasyPrint's laid-out pages: each note on its call's page or away,
a repeated call on a page without its note, a note too tall to sit whole under any call; where
to cut one into pieces, and whether the pieces stand where they should. What to change in the
HTML is `adjust`'s; the boxes are WeasyPrint 70's, as `justify` knows them.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from weasyprint.formatting_structure.boxes import BlockBox, LineBox

from . import justify
from .layout import SHORT, printed


ROUNDS = 6  # layouts again at most, to bring deferred notes back to their calls
CUT_TRIES = 4  # layouts again at most, to cut a note too long for the room under its call
NOTES_AT_MOST = 0.7  # of a page's height, its notes with their rule: briefing.css's @footnote max-height


def noted(page):
    """The boxes of a page whose element holds a note (its call, its footnote, a piece of it, a
    repeated call), each with that element."""
    for box in justify.descendants(page._page_box):
        element = getattr(box, "element", None)
        if element is not None and element.get("data-note") is not None:
            yield box, element


def printed_note(box) -> bool:
    """Whether a note's box is the note printed at the page foot, not its call or its number."""
    return isinstance(box, BlockBox) and "::" not in box.element_tag


def misplaced_notes(document) -> tuple[str, ...]:
    """The notes (by id) whose footnote does not start on the page of their call, read from the
    layout; or, for a note cut in pieces, whose piece N is not N - 1 pages after the call. A note
    cited in two sheets of one document is two notes, each sheet's own."""
    sheet = sheets_of(document)
    calls: dict[int, tuple[str, int]] = {}
    notes: dict[int, int] = {}
    pieces: dict[tuple, list[tuple[int, int]]] = {}  # (sheet, note): (part, page) of its later pieces
    for number, page in enumerate(document.pages):
        for box, element in noted(page):
            if element.get("data-part"):  # a later piece: its call, made empty, stands by the first's
                if printed_note(box):
                    key = (sheet.get(id(element)), element.get("data-note"))
                    pieces.setdefault(key, []).append((int(element.get("data-part")), number))
            elif box.element_tag.endswith("::footnote-call"):
                calls.setdefault(id(element), (element.get("data-note"), number))
            elif printed_note(box):
                notes.setdefault(id(element), number)
    away = {note for key, (note, page) in calls.items() if notes.get(key) != page}
    called = {(sheet.get(key), note): page for key, (note, page) in calls.items()}
    away |= {key[1] for key, parts in pieces.items()
             if key in called and any(page != called[key] + part - 1 for part, page in parts)}
    return tuple(sorted(away))


def calls_alone(document, done: Sequence[tuple[str, int]] = (),
                kept: Collection[str] = ()) -> list[tuple[str, int]]:
    """The repeated calls of a note (a later call in its sheet, the number alone) on a page where
    the note is not printed, as (note id, which of the note's repeated calls in the source HTML it
    is, from 0): a reader of that page would look for the note in vain. `done`: the repeated calls
    already made the note itself (`adjust.repeating`), gone from this layout's count; `kept`: the
    notes that keep their number alone there (cut over pages, a note is not printed twice)."""
    return [call for call, _page in pages_alone(document, done, kept)]


def pages_alone(document, done: Sequence[tuple[str, int]] = (),
                kept: Collection[str] = ()) -> list[tuple[tuple[str, int], int]]:
    """`calls_alone`, each with the number of its page, from 1."""
    sheet = sheets_of(document)
    root = document.pages[0]._page_box.children[0].element
    again: dict[int, tuple[str, int]] = {}
    following: dict[str, int] = {}  # each note's next repeated call in the source, `done` skipped
    for element in root.iter():
        if "note-again" in (element.get("class") or "").split():
            note = element.get("data-note")
            which = following.get(note, 0)
            while (note, which) in done:
                which += 1
            again[id(element)], following[note] = (note, which), which + 1
    alone = []
    for number, page in enumerate(document.pages, 1):
        present, calls = set(), {}
        for box, element in noted(page):
            if id(element) in again:
                calls[id(element)] = (sheet.get(id(element)), element.get("data-note"))
            elif printed_note(box):
                present.add((sheet.get(id(element)), element.get("data-note")))
        # the first of a note's calls alone on a page brings the note there: not every one of them
        first: dict[tuple, tuple[str, int]] = {}
        for key, call in calls.items():
            if call not in present and call[1] not in kept:
                first.setdefault(call, again[key])
        alone += [(call, number) for call in first.values()]
    return alone


def short_note_ends(document) -> list[str]:
    """The notes (by id) of two lines or more whose text's last line holds only one or two
    characters (「料。」), a note cut in pieces and a URL's lines aside."""
    short = set()
    for page in document.pages:
        for box, element in noted(page):
            if (printed_note(box) and not element.get("data-part") and "note-split" not in (element.get("class") or "")
                    and all(isinstance(line, LineBox) for line in box.children)):
                text = [line for line in box.children if not justify.has_class(justify.edge_box(line, 0), "url")]
                if len(text) >= 2 and 0 < printed(text[-1]) <= SHORT:  # its words' last line, its URL's after it
                    short.add(element.get("data-note"))
    return sorted(short)


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


def tall_notes(document, notes: Sequence[str]) -> tuple[str, ...]:
    """Those of `notes` taller than a page's notes may be: too long to sit whole under any call."""
    tall = set()
    for page in document.pages:
        most = page._page_box.height * NOTES_AT_MOST
        for box, element in noted(page):
            if element.get("data-note") in notes and printed_note(box) and box.margin_height() > most:
                tall.add(element.get("data-note"))
    return tuple(sorted(tall))


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
        for box, element in noted(page):
            if element.get("data-note") != note:
                continue
            part = int(element.get("data-part") or 1)
            if box.element_tag.endswith("::footnote-call") and part == 1 and found.call_page is None:
                found.call_page = number
                at = next(i for i, line in enumerate(lines) if any(b is box for b in justify.descendants(line)))
                found.call_line = lines[at]
                found.after_call = 2 * lines[at].height  # a next paragraph's first two lines (orphans)
            elif printed_note(box):
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
