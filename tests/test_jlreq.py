"""Typesetting held to JLREQ, measured from the rendered PDFs of every sheet and pack."""

from __future__ import annotations

from collections import defaultdict

import pdfplumber
import pytest

from .conftest import read_pdf

# JLREQ 3.1.7 (line start) and 3.1.8 (line end): closing brackets, 、。，．, middle dots,
# colons, ! ?, the prolonged sound mark, iteration marks and small kana never start a line;
# opening brackets never end one.
NO_LINE_START = set("、。，．,.)）」』】〕〉》］｝〙〗〟’”・：；！？‼⁇ー‐゠–〜ゝゞヽヾ々〻"
                    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ")
NO_LINE_END = set("(（「『【〔〈《［｛〘〖〝‘“")
TINT = (0.933, 0.949, 0.965)  # the question box's background, #eef2f6


def all_pdfs(built):
    return sorted(p for p in built.output.rglob("*.pdf") if ".briefing" not in p.parts)


def violations(path) -> list[str]:
    found = []
    for page in read_pdf(path):
        for line in page.lines:
            line = line.strip()
            if line and line[0] in NO_LINE_START:
                found.append(f"{path.name} p{page.number}: line starts with {line[0]}: {line}")
            if line and line[-1] in NO_LINE_END:
                found.append(f"{path.name} p{page.number}: line ends with {line[-1]}: {line}")
    return found


def test_no_line_breaks_against_jlreq_anywhere(built):
    """Body text, notes, headings and tables: every line of every PDF."""
    files = all_pdfs(built)
    assert len(files) >= 6  # three sheets, three packs
    lines = sum(len(p.lines) for f in files for p in read_pdf(f))
    assert lines > 500
    assert violations_in(files) == []


def violations_in(files):
    return [v for f in files for v in violations(f)]


def body_lines(page):
    """The page's lines of running text and headings (10.5 pt and up), top to bottom, with their fonts."""
    rows = defaultdict(list)
    for char in page.chars:
        if char["size"] >= 10.4 and char["top"] > 60:  # leaves out the running head
            rows[round(char["top"])].append(char)
    return [sorted(chars, key=lambda c: c["x0"]) for _, chars in sorted(rows.items())]


def in_question(chars, page) -> bool:
    char = chars[0]
    return any(tuple(round(v, 3) for v in (r.get("non_stroking_color") or ())[:3]) == TINT
               and r["x0"] <= char["x0"] <= r["x1"] and r["top"] <= char["top"] <= r["bottom"]
               for r in page.rects)


@pytest.mark.parametrize("sheet_id", ["inspection", "duty", "portal"])
def test_a_heading_never_ends_a_page_and_a_question_keeps_its_answer(built, sheet_id):
    entry = next(s for s in built.manifest["sheets"] if s["id"] == sheet_id)
    with pdfplumber.open(built.output / entry["file"]) as pdf:
        pages = list(pdf.pages)
        assert any(in_question(line, page) for page in pages for line in body_lines(page))  # boxes are seen
        for index, page in enumerate(pages[:-1]):
            lines = body_lines(page)
            last = lines[-1]
            assert not ("Gothic" in last[0]["fontname"]), f"page {index + 1} ends with a heading"
            following = body_lines(pages[index + 1])
            if in_question(last, page):  # a question may run on, but not stop at the page's end
                assert in_question(following[0], pages[index + 1]), \
                    f"page {index + 1}: a question ends the page, its answer starts the next"


def test_a_note_call_never_starts_a_line(built):
    """A call (6.5 pt digits, raised) is glued to the character before it, so no line begins with one."""
    checked = 0
    for path in all_pdfs(built):
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                text = [c for c in page.chars if c["size"] >= 8]
                for call in (c for c in page.chars if abs(c["size"] - 6.5) < 0.01):
                    line = [c for c in text if c["top"] - 3 <= call["top"] <= c["bottom"]]
                    assert line, f"{path.name}: a call outside any line"
                    checked += 1
                    assert any(c["x1"] <= call["x0"] + 0.5 for c in line), \
                        f"{path.name} p{page.page_number}: a line starts with a note call"
    assert checked > 20
