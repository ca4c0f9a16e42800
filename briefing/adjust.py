"""What the build changes in a document's HTML so that it sets well, as strings: page breaks
that bring deferred notes back to their calls or fill a short last page, a note too long for the
room under its call cut in pieces, paragraphs set tighter (追い込み) or looser (追い出し).

`Adjusted` records what was done to a document, to do it again on the same HTML with one
thing more. Nothing here touches WeasyPrint; `layout` reads the laid-out pages and says what
to change.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from . import jlreq


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


def broken_at(html: str, start: int, style: str = "break-before: page") -> str:
    """`html` with a page break (or another `style`) on the element whose tag begins at `start`."""
    tag_end = html.index(">", start)
    tag = html[start:tag_end]
    if style in tag:
        return html
    if ' style="' in tag:
        at = start + tag.index(' style="') + len(' style="')
        return html[:at] + f"{style}; " + html[at:]
    name_end = start + len(re.match(r"<\w+", tag).group())
    return html[:name_end] + f' style="{style}"' + html[name_end:]


PARAGRAPH = re.compile(r"<p[\s>]")


def inside(html: str, start: int) -> tuple[int, int]:
    """Where the content of the <p> element whose tag begins at `start` begins and ends."""
    return html.index(">", start) + 1, html.find("</p>", start)


def tightening(html: str, paragraphs: Sequence[int], how=jlreq.tightened) -> str:
    """`html` with the marks of the paragraphs at these places among its <p> elements set half
    (or with `how`, another change to each paragraph's HTML: `jlreq.loosened`)."""
    starts = [m.start() for m in PARAGRAPH.finditer(html)]
    for place in sorted(set(paragraphs), reverse=True):  # from the end: earlier offsets stay right
        if 0 <= place < len(starts):
            body, end = inside(html, starts[place])
            html = html[:body] + how(html[body:end]) + html[end:]
    return html


def note_tightening(html: str, notes: Sequence[str], how=jlreq.tightened) -> str:
    """`html` with the words of these notes set as `how` sets a paragraph's (追い込み, or
    jlreq.loosened's 追い出し); its QR code and its URL are no words of it to them."""
    for note in notes:
        if f'data-note="{note}"' in html:
            _start, body, end = note_span(html, note)
            html = html[:body] + how(html[body:end]) + html[end:]
    return html


def can_pull_in(html: str, place: int) -> bool:
    """Whether the paragraph at this place among the <p> elements has a mark within 追い込み's
    reach to set half: where it has none, 追い出し is the only way."""
    starts = [m.start() for m in PARAGRAPH.finditer(html)]
    if place >= len(starts):
        return False
    body, end = inside(html, starts[place])
    return 'class="jl-tight-' in jlreq.tightened(html[body:end])


@dataclass(frozen=True, order=True)
class PageBreak:
    """Where a short last page gets its lines from (`layout.balance`): a page break before the
    paragraph at `place` among the <p> elements, with the headings and the label that lead into
    it; or, with `widows`, that paragraph, broken over the page, leaving so many lines at least to
    the next; or, with `after`, that paragraph broken after so many printed characters (the end
    of one of its lines), its first part justified to its last line."""

    place: int
    widows: int = 0
    after: int = 0


def breaking_at(html: str, breaks: Sequence[PageBreak]) -> str:
    """`html` with these page breaks made."""
    starts = [m.start() for m in PARAGRAPH.finditer(html)]
    for made in sorted(set(breaks), reverse=True):
        if not 0 <= made.place < len(starts):
            continue
        start = starts[made.place]
        if made.widows:
            html = broken_at(html, start, f"widows: {made.widows}")
        elif made.after:
            body, end = inside(html, start)
            if end > 0 and "split-head" not in html[body:end]:
                head, *rest = cut_inline(html[body:end], [made.after])
                html = (html[:body] + f'<span class="split-head">{head}</span><span class="split-rest">{"".join(rest)}'
                        '</span>' + html[end:])
        else:
            html = broken_at(html, leading_into(html, start))
    return html


TOKEN = re.compile(r"<[^>]*>|[^<]+")
NOTE = re.compile(r'<span class="note[\s"]')  # a note's own element, not a repeated call's
VOID = {"br", "img", "wbr", "hr"}
WHOLE = ("a", "svg")  # never cut inside: a URL, a QR code; nor inside a note (NOTE), whose words are not counted


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
                if (name in WHOLE or NOTE.match(token)) and whole is None:
                    whole = (len(piece), list(stack))
                stack.append((name, token))
            piece += token
            continue
        if any(n == "svg" or NOTE.match(t) for n, t in stack):
            piece += token  # an SVG's title is not printed; a note's words are printed at the page foot
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
    if f'data-note="{note}"' not in html:
        return html
    start, body, end = note_span(html, note)
    tag = html[start:body]
    pieces = cut_inline(html[body:end], counts)
    # a continuation has no QR code's height, but its text keeps the measure the cuts were made at
    measure = re.search(r"padding-right: [^;\"]*", tag)
    plain = re.sub(r'\s(?:style|class)="[^"]*"', "", tag).replace(
        "<span", f'<span style="{measure.group(0)}"' if measure else "<span", 1)
    tags = [tag.replace('class="note', 'class="note note-split', 1)]
    tags += [plain.replace("<span", f'<span class="note note-cont{" note-split" * (part < len(pieces))}" '
                                    f'data-part="{part}"', 1) for part in range(2, len(pieces) + 1)]
    return html[:start] + "".join(f"{t}{piece}</span>" for t, piece in zip(tags, pieces)) + html[end + len("</span>"):]


AGAIN = re.compile(r'<sup class="note-again" data-note="([^"]*)">[^<]*</sup>')


def repeating(html: str, calls: Collection[tuple[str, int]]) -> str:
    """`html` with these repeated calls of notes (note id, which of its repeated calls) made the
    note itself again, as its first call in the sheet has it: the same number, the same words,
    printed at the foot of that page too."""
    seen: dict[str, int] = {}
    out, at = [], 0
    for match in AGAIN.finditer(html):
        note = match.group(1)
        which, seen[note] = seen.get(note, 0), seen.get(note, 0) + 1
        if (note, which) not in calls:
            continue
        first = [m.start() for m in re.finditer(rf'<span class="note[^"]*" data-n="[^"]*" data-note="{re.escape(note)}"',
                                                 html[:match.start()])][-1]
        _start, _body, end = note_span(html[first:], note)
        # marked as a copy: never taken for the note's own element (the pattern above) again
        out += [html[at:match.start()], html[first:first + end + len("</span>")].replace(
            "data-note=", 'data-again="" data-note=', 1)]
        at = match.end()
    return "".join(out) + html[at:]


@dataclass
class Adjusted:
    """What was changed in a document's HTML, in the order it is done: the cover set closer, a sheet
    set closer, the notes set tighter or looser, the repeated calls that print their note again, the page breaks
    for deferred notes, the notes cut, the paragraphs set tighter and then looser, the page
    breaks that fill short last pages. Paragraphs are counted among the <p> elements."""

    breaks: Breaks = field(default_factory=Breaks)
    cut: dict[str, list[int]] = field(default_factory=dict)
    tight: list[int] = field(default_factory=list)
    loose: list[int] = field(default_factory=list)
    balance: list[PageBreak] = field(default_factory=list)
    notes_pages: int = 0  # pages of notes alone after the text, which a note cut in pieces needs
    kept: list[str] = field(default_factory=list)  # notes cut that keep the page break before their call
    again: list[tuple[str, int]] = field(default_factory=list)  # repeated calls printed with their note
    tight_notes: list[str] = field(default_factory=list)  # notes whose text is set as `tight`'s paragraphs
    loose_notes: list[str] = field(default_factory=list)  # and as `loose`'s
    compact: bool = False  # the cover set closer, to keep to its page
    closer: bool = False  # a sheet's headings and blocks set closer, to end a page sooner

    def html(self, source: str) -> str:
        if self.compact:
            source = source.replace('<section class="cover"', '<section class="cover compact"', 1)
        if self.closer:
            source = source.replace('<body class="', '<body class="closer ', 1)
        source = note_tightening(note_tightening(source, self.tight_notes), self.loose_notes, jlreq.loosened)
        html = self.breaks.made(repeating(source, self.again),
                                leaving=[note for note in self.cut if note not in self.kept])
        for note, counts in self.cut.items():
            html = continued(html, note, counts)
        html = tightening(tightening(html, self.tight, jlreq.tightened), self.loose, jlreq.loosened)
        html = breaking_at(html, self.balance)
        if self.notes_pages and "</section>" in html:  # the sheet's pages, though they hold notes alone
            at = html.index("</section>")
            html = html[:at] + '<div class="notes-page"></div>' * self.notes_pages + html[at:]
        return html
