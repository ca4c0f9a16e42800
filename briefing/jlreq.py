"""Japanese text as JLREQ asks, decided without WeasyPrint: which characters are Japanese, and
the spacing set in the HTML (`spaced()`).

Japanese–Latin spacing (JLREQ 3.2.3) and punctuation (JLREQ 3.1.4) are set in the HTML: a
quarter-em margin around Latin runs next to Japanese, a negative half-em margin where two
marks' empty halves meet; a number kept with its unit. No character is ever inserted: the text
pulled from the PDF is the content's, character for character. Inter-character justification
lives in `justify.py`, the one module that reaches into WeasyPrint, applied only while rendering.
"""

from __future__ import annotations

import re
import unicodedata

import markupsafe



def wide(char: str) -> bool:
    """A character set on the Japanese grid, one em wide: kana, kanji, full-width forms and
    Japanese punctuation (Unicode's East Asian Width W or F). The one definition the tool uses."""
    return unicodedata.east_asian_width(char) in "WF"


def graphemes(text: str) -> int:
    """Characters that take a place on the line: combining marks and variation selectors do not."""
    return sum(1 for char in text if not unicodedata.combining(char) and not variation_selector(char))


def variation_selector(char: str) -> bool:
    """A selector that picks a glyph form of the character before it (standard or ideographic)."""
    return 0xFE00 <= ord(char) <= 0xFE0F or 0xE0100 <= ord(char) <= 0xE01EF


# Spacing between characters that is not justification is set in the HTML, where no character
# is added: `spaced()` wraps a Latin run next to Japanese in a span with a quarter-em margin
# (JLREQ 3.2.3), and a punctuation mark whose empty half meets the next one's in a span with
# a negative half-em margin (JLREQ 3.1.4). WeasyPrint lays out inline margins exactly, so
# line breaking, justification and drawing agree.
IDEOGRAPHIC = "\u3041-\u3096\u30a1-\u30fa\u30fc\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\u3006"
LATIN_RUN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.,:/%+\-]*[A-Za-z0-9%])?")
JAPANESE = re.compile(f"[{IDEOGRAPHIC}]")
URL = re.compile(r"https?://[!-~]+")  # a URL in the text: may break anywhere; a line it goes on from stays ragged
URL_HEAD = re.compile(r"https?://[^/]*/?")  # its scheme and host, kept on one line
# Full-width punctuation that fills one half of its em, the other half empty:
OPENING = set("「『（［｛〔〈《【〘〖〝")  # empty left half
CLOSING = set("」』）］｝〕〉》】〙〗〟、。，．")  # empty right half
FULL_STOPS = set("。．")  # 句点: the half em after one is not taken away to pull a line in (JLREQ 3.8.3)
WIDE_RUN = re.compile(r"[０-９Ａ-Ｚａ-ｚ]+")  # full-width letters and digits
NUMBER = re.compile(r"[0-9]+(?:[.,:][0-9]+)*")
UNITS = set("年月日時分秒回版号条項章節名人件円歳割％%万億兆倍台枚頁")  # a number's unit: kept with it
PREFIXES = {"第", "約", "全", "計", "令和", "平成", "昭和", "大正", "明治"}  # and what stands before a number as part of it
DATE_STEPS = {("年", "月"), ("月", "日")}  # a date's parts, kept on one line together: 2023年10月5日


def spaced(text: str, glued: str | None = None) -> markupsafe.Markup:
    """`text` as HTML, escaped, with JLREQ's spacing between Japanese and Latin and between
    punctuation marks set as spans; the characters are exactly `text`'s. With `glued` (a note
    call's HTML), the last character or Latin run and the call are kept on one line together."""
    out = []
    position = 0
    unbroken: dict[int, tuple[markupsafe.Markup, str]] = {}  # out's index: what is kept on one line, its unit
    for index, char in enumerate(text):
        if index < position:
            continue
        following = text[index + 1:index + 2]
        if char in CLOSING and (following in CLOSING or following in OPENING) or \
                char in OPENING and following in OPENING:
            out.append(markupsafe.Markup('<span class="jl-half">%s</span>') % char)
            position = index + 1
            continue
        url = URL.match(text, index) if char == "h" else None
        if url:
            sides = "".join(f" {side}" for side in _sides(text, index, url.end()))
            # its last character apart: a note call glued to the URL keeps only that one company
            end = url.end() - 1 if glued is not None and url.end() == len(text) else url.end()
            head = URL_HEAD.match(text, index, end).end()  # https://host/ is not broken: 「ht」 ended a line
            out.append(markupsafe.Markup('<span class="url-text%s"><span class="url-text nobr">%s</span>%s</span>')
                       % (sides, text[index:head], text[head:end]))
            position = end
            continue
        wide_run = WIDE_RUN.match(text, index) if "０" <= char <= "ｚ" else None
        if wide_run and len(wide_run.group()) > 16:  # a long run may break anywhere, as before: not its tail kept whole
            out.append(markupsafe.escape(wide_run.group()))
            position = wide_run.end()
            continue
        if wide_run and (len(wide_run.group()) > 1 or text[wide_run.end():][:1] in UNITS):
            # ＪＩＳ, ２０２３年, １件: not broken, as a Latin word and a number with its unit are not
            end = wide_run.end() + (text[wide_run.end():][:1] in UNITS and wide_run.group()[-1].isdigit())
            out.append(markupsafe.Markup('<span class="nobr">%s</span>') % text[index:end])
            position = end
            continue
        run = LATIN_RUN.match(text, index) if char.isascii() and char.isalnum() else None
        if run:
            sides = _sides(text, index, run.end())
            # a box of its own, its sides spaced or not: a line's justification spreads no run letter by letter
            piece = markupsafe.Markup('<span class="%s">%s</span>') % (" ".join(sides) or "latin", run.group()) \
                if sides or len(run.group()) > 1 else markupsafe.escape(run.group())
            position = run.end()
            if NUMBER.fullmatch(run.group()) and text[position:position + 1] and text[position] in UNITS:
                position = _kept_whole(out, unbroken, piece, text, position)  # 28日, 第1.0版: never broken
            else:
                out.append(piece)
            continue
        out.append(markupsafe.escape(char))
        position = index + 1
    for at, (whole, _unit) in unbroken.items():
        out[at] = markupsafe.Markup('<span class="nobr">%s</span>') % whole
    if glued is not None and out:
        if text[-1] in CLOSING:  # the call sits on the mark's empty half, and the space follows it
            glued = markupsafe.Markup('<span class="tuck">%s</span>') % markupsafe.Markup(glued)
        out[-1] = markupsafe.Markup('<span class="glue">%s%s</span>') % (out[-1], markupsafe.Markup(glued))
    return markupsafe.Markup("").join(out)


def _sides(text: str, start: int, end: int) -> list[str]:
    """The sides of the Latin run text[start:end] that stand against a Japanese character."""
    left = JAPANESE.match(text[start - 1]) if start else None
    right = JAPANESE.match(text[end]) if end < len(text) else None
    return [side for side, on in (("jl-before", left), ("jl-after", right)) if on]


def _kept_whole(out: list, unbroken: dict, number: markupsafe.Markup, text: str, position: int) -> int:
    """`number` with its unit at `position` (and 第 or an era name before it, 度 after 年) put
    at the end of `out` as one piece kept on a line, joined to the date it goes on (2023年 →
    10月 → 5日); the position after it."""
    unit = text[position]
    taken = next((n for n in (2, 1) if len(out) >= n and "".join(out[-n:]) in PREFIXES
                  and len(out) - n not in unbroken), 0)
    prefix = markupsafe.Markup("").join(out[len(out) - taken:]) if taken else ""
    del out[len(out) - taken:]
    suffix = "度" if text[position:position + 2] == "年度" else ""  # 令和5年度
    whole = prefix + number + unit + suffix
    last = unbroken.get(len(out) - 1)
    if last and (last[1], unit) in DATE_STEPS and not taken:  # the next part of a date
        out.pop()
        whole = last[0] + whole
    unbroken[len(out)] = (whole, unit)
    out.append(whole)
    return position + 1 + len(suffix)


TAG = re.compile(r"(<[^>]*>)")


def tightened(html: str, reach: int = 100) -> str:
    """A paragraph's HTML (from `spaced`) with the empty half of each punctuation mark in its last
    `reach` characters taken away (追い込み, JLREQ 3.8.3): done to a paragraph whose last line would
    hold only a character or two, over the lines before it and no further. Left as they are: a full
    stop (JLREQ takes its half em away at a line's end only), a mark already set half (`jl-half`),
    an opening mark after a closing one (the pair is already half an em closer) or opening the
    paragraph (its indent stays), one a note call sits on (`tuck`), and a note's own text inside a
    paragraph (a note is set on its own: `adjust.note_tightening`)."""
    parts = TAG.split(html)
    chars = []  # (part, index in it, character, left as it is) for every character of the text, in order
    for number in _own_text(parts):
        part = parts[number]
        kept = number > 0 and 'class="jl-half"' in parts[number - 1]
        after = parts[number + 1] if number + 1 < len(parts) else ""
        chars += [(number, i, char, kept or (i == len(part) - 1 and 'class="tuck"' in after))
                  for i, char in enumerate(part)]
    tight = {}
    for place, (number, i, char, kept) in enumerate(chars):
        previous = chars[place - 1][2] if place else ""
        if kept or place < len(chars) - reach:
            continue
        if char in CLOSING and char not in FULL_STOPS:
            tight[number, i] = f'<span class="jl-tight-end">{char}</span>'
        elif char in OPENING and place and previous not in CLOSING:
            tight[number, i] = f'<span class="jl-tight-start">{char}</span>'
    for number in {number for number, i in tight}:
        parts[number] = "".join(tight.get((number, i), char) for i, char in enumerate(parts[number]))
    return "".join(parts)


def loosened(html: str, reach: int = 50) -> str:
    """A paragraph's HTML with its last `reach` characters set a little apart (追い出し, JLREQ
    3.8.3): for a paragraph whose last line would hold only a character or two and whose marks are
    too few to pull them back, the line before gives up a character or two to it instead. A note's
    own text inside a paragraph is left as it is (a note is set on its own)."""
    parts = TAG.split(html)
    texts = _own_text(parts)
    left = reach
    for number in reversed(texts):
        if left <= 0:
            break
        characters = CHARACTER.findall(parts[number])  # an entity (&amp;) is one character, never cut
        cut = max(0, len(characters) - left)
        left -= len(characters) - cut
        parts[number] = "".join(characters[:cut]) + f'<span class="jl-loose">{"".join(characters[cut:])}</span>'
    return "".join(parts)


def _own_text(parts: list[str]) -> list[int]:
    """The indexes of `parts` (HTML cut by TAG) that are a paragraph's own text, in order: not a
    note's words (printed at the page foot), nor a QR code's title, nor a link's URL."""
    own, notes, apart = [], [], 0  # notes: for each open span, is it a note or inside one
    for number, part in enumerate(parts):
        if number % 2:  # a tag
            if part.startswith("<span"):
                notes.append(bool(notes and notes[-1]) or 'class="note' in part)
            elif part == "</span>" and notes:
                notes.pop()
            elif re.match(r"<(svg|a)[\s>]", part):
                apart += 1
            elif part in ("</svg>", "</a>"):
                apart -= 1
        elif part and not (notes and notes[-1]) and not apart:
            own.append(number)
    return own


CHARACTER = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|\w+);|.", re.S)
