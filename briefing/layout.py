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
from dataclasses import dataclass, field

from weasyprint.formatting_structure.boxes import BlockBox, LineBox, TextBox

from . import jlreq, justify


ROUNDS = 6  # layouts again at most, to bring deferred notes back to their calls
CUT_TRIES = 4  # layouts again at most, to cut a note too long for the room under its call
NOTES_AT_MOST = 0.7  # of a page's height, its notes with their rule: briefing.css's @footnote max-height


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


@dataclass
class Breaks:
    """The page breaks made to bring deferred notes back to their calls: before what leads into
    each note's paragraph, or, for the `bare` ones, before the paragraph itself."""

    notes: list[str] = field(default_factory=list)
    bare: set[str] = field(default_factory=set)

    def made(self, html: str, leaving: Collection[str] = ()) -> str:
        """`html` with the breaks, but for the notes `leaving`."""
        return breaking_before(html, [note for note in self.notes if note not in leaving], self.bare)


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


def tightening(html: str, paragraphs: Sequence[int], how=jlreq.tightened) -> str:
    """`html` with the marks of the paragraphs at these places among its <p> elements set half
    (or with `how`, another change to each paragraph's HTML: `jlreq.loosened`)."""
    starts = [m.start() for m in PARAGRAPH.finditer(html)]
    for place in sorted(paragraphs, reverse=True):  # from the end: earlier offsets stay right
        if place < len(starts):
            start = starts[place]
            end = html.find("</p>", start)
            body = html.index(">", start) + 1
            html = html[:body] + how(html[body:end]) + html[end:]
    return html


FULL_ENOUGH = 10  # lines of text at least on the last page of a sheet of two pages or more


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


def short_last_pages(document) -> list[tuple[int, int]]:
    """The sheets of more than one page whose last page holds fewer than FULL_ENOUGH lines of
    text: (that page's number, its lines)."""
    last: dict[int, tuple[int, int]] = {}
    first: dict[int, int] = {}
    for number, lines in enumerate(text_lines(document)):
        for sheet, _paragraph, _line in lines:
            first.setdefault(sheet, number)
            held = last.get(sheet, (number, 0))
            last[sheet] = (number, held[1] + 1 if held[0] == number else 1)
    return [(number, count) for sheet, (number, count) in last.items()
            if number > first[sheet] and count < FULL_ENOUGH]


def balancing(document, html: str) -> str | None:
    """`html` with a page break before a paragraph near the foot of the page before each short
    last page, so that the last page holds FULL_ENOUGH lines and the page before as many at least;
    None when no paragraph starts where that could be."""
    pages = text_lines(document)
    root = document.pages[0]._page_box.children[0].element
    places = {id(element): place for place, element in
              enumerate(e for e in root.iter() if isinstance(e.tag, str) and e.tag.rsplit("}", 1)[-1] == "p")}
    chosen = []
    for number, count in short_last_pages(document):
        before = pages[number - 1]
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
                    chosen.append(places[id(paragraph.element)])
                break
    if not chosen:
        return None
    starts = [m.start() for m in PARAGRAPH.finditer(html)]
    for place in sorted(chosen, reverse=True):
        html = broken_at(html, leading_into(html, starts[place]))
    return html


def misplaced_notes(document) -> tuple[str, ...]:
    """The notes (by id) whose footnote does not start on the page of their call, read from the
    layout; or, for a note cut in pieces, whose piece N is not N - 1 pages after the call."""
    calls: dict[int, tuple[str, int]] = {}
    notes: dict[int, int] = {}
    pieces: dict[str, list[tuple[int, int]]] = {}  # note: (part, page) of its later pieces
    for number, page in enumerate(document.pages):
        for box in justify.descendants(page._page_box):
            element = getattr(box, "element", None)
            if element is None or element.get("data-note") is None:
                continue
            if element.get("data-part"):  # a later piece: its call, made empty, stands by the first's
                if isinstance(box, BlockBox) and "::" not in box.element_tag:
                    pieces.setdefault(element.get("data-note"), []).append((int(element.get("data-part")), number))
            elif box.element_tag.endswith("::footnote-call"):
                calls.setdefault(id(element), (element.get("data-note"), number))
            elif isinstance(box, BlockBox) and "::" not in box.element_tag:
                notes.setdefault(id(element), number)
    away = {note for key, (note, page) in calls.items() if notes.get(key) != page}
    called = {note: page for note, page in calls.values()}
    away |= {note for note, parts in pieces.items()
             if note in called and any(page != called[note] + part - 1 for part, page in parts)}
    return tuple(sorted(away))


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


TOKEN = re.compile(r"<[^>]*>|[^<]+")
VOID = {"br", "img", "wbr", "hr"}
WHOLE = ("a", "svg")  # never cut inside: a URL, a QR code


def note_span(html: str, note: str) -> tuple[int, int, int]:
    """Where the footnote element of `note` starts, where its content starts and where its closing
    tag starts."""
    start = html.index(f'data-note="{note}"')
    start = html.rindex("<span", 0, start)
    body = html.index(">", start) + 1
    depth, at = 1, body
    for tag in re.finditer(r"<(/?)span[\s>]", html[body:]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            at = body + tag.start()
            break
    return start, body, at


def cut_inline(inner: str, counts: Sequence[int]) -> list[str]:
    """`inner` (inline HTML) cut into pieces, each after `counts[i]` printed characters in all
    (white space not counted, nor what an SVG holds); each piece closes the elements open at its
    end and the next reopens them. A cut never falls inside a link or a QR code, but before it."""
    pieces, stack, seen, piece = [], [], 0, ""
    wanted = list(counts)
    whole = None  # while inside a link or QR code: where it began in `piece`, and what was open then
    for token in TOKEN.findall(inner):
        if token.startswith("<"):
            name = re.match(r"</?\s*([\w:-]*)", token).group(1).lower()
            if token.startswith("</"):
                if stack and stack[-1][0] == name:
                    stack.pop()
                if whole is not None and len(stack) == len(whole[1]):
                    whole = None
            elif name not in VOID and not token.endswith("/>"):
                if name in WHOLE and whole is None:
                    whole = (len(piece), list(stack))
                stack.append((name, token))
            piece += token
            continue
        if any(n == "svg" for n, _ in stack):
            piece += token  # an SVG's title is not printed
            continue
        for char in re.findall(r"&[#\w]+;|.", token, re.S):
            if wanted and not char.isspace() and seen == wanted[0]:
                wanted.pop(0)
                at, open_ = whole if whole is not None else (len(piece), stack)
                head = re.sub(r"<br\s*/?>\s*$", "", piece[:at])  # a piece ends its own line
                pieces.append(head + "".join(f"</{n}>" for n, _ in reversed(open_)))
                piece = "".join(t for _, t in open_) + piece[at:]
                if whole is not None:
                    whole = (len("".join(t for _, t in open_)), open_)
            piece += char
            if not char.isspace():
                seen += 1
    return [*pieces, piece]


def continued(html: str, note: str, counts: Sequence[int]) -> str:
    """`html` with the footnote of `note` cut after each of `counts` printed characters: the first
    piece stays with its call; each later one, with no call of its own, is a note WeasyPrint has
    no room for on that page and so prints at the top of the next page's notes."""
    start, body, end = note_span(html, note)
    tag = html[start:body]
    pieces = cut_inline(html[body:end], counts)
    plain = re.sub(r'\s(?:style|class)="[^"]*"', "", tag)  # a continuation has no QR code's height
    tags = [tag.replace('class="note', 'class="note note-split', 1)]
    tags += [plain.replace("<span", f'<span class="note note-cont{" note-split" * (part < len(pieces))}" '
                                    f'data-part="{part}"', 1) for part in range(2, len(pieces) + 1)]
    return html[:start] + "".join(f"{t}{piece}</span>" for t, piece in zip(tags, pieces)) + html[end + len("</span>"):]


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


def cuts(whole, probe, note: str, fewer: int = 0) -> list[int]:
    """Where to cut `note` so that its first piece fits under its call and each later piece at the
    foot of a page: in printed characters, counted on the note's lines in `whole` (the layout with
    the note uncut); `probe` is the layout with the note cut after its first line, where the call
    stands as the text leads to it. `fewer`: lines fewer in the first piece. Empty when not even
    two lines fit under the call."""
    uncut, cut = placed(whole, note), placed(probe, note)
    if not uncut.pieces or not cut.pieces or cut.call_page is None:
        return []
    box = uncut.pieces[0][1]
    lines = [line for line in box.children if isinstance(line, LineBox)]
    page_number, first_piece = cut.pieces[0]
    page = probe.pages[cut.call_page]
    area = footnote_area(page)
    if page_number != cut.call_page or area is None or not lines:
        return []
    chrome = area.margin_height() - area.height
    line_bottom = cut.call_line.position_y + cut.call_line.height + cut.after_call
    allowed = first_piece.margin_height() + area.position_y - line_bottom
    top, below = box.position_y, box.margin_height() - (lines[-1].position_y + lines[-1].height - box.position_y)
    first = sum(1 for line in lines if line.position_y + line.height - top + below <= allowed) - 1 - fewer  # 1: 次頁に続く
    if first < 2 or first >= len(lines):
        return []
    full = page._page_box.height * NOTES_AT_MOST - chrome  # what a page's notes may take: briefing.css's @footnote
    # each later piece has two lines more: 「（続き）」 and 「（次頁に続く）」
    counts, count, start = [], 0, top
    for index, line in enumerate(lines):
        if index == first or (index > first and line.position_y + line.height - start + below + 2 * line.height > full):
            counts.append(count)
            start = line.position_y
        count += printed(line)
    return counts


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
