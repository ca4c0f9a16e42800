"""Typesetting held to JLREQ, measured from the rendered PDFs of every sheet and pack."""

from __future__ import annotations

import io
import re
from collections import defaultdict
from pathlib import Path

import pdfplumber
import pytest

# JLREQ 3.1.7 (line start) and 3.1.8 (line end): closing brackets, 、。，．, middle dots,
# colons, ! ?, the prolonged sound mark, iteration marks and small kana never start a line;
# opening brackets never end one.
NO_LINE_START = set("、。，．,.)）」』】〕〉》］｝〙〗〟’”・：；！？‼⁇ー‐゠–〜ゝゞヽヾ々〻"
                    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ")
NO_LINE_END = set("(（「『【〔〈《［｛〘〖〝‘“")
TINT = (0.933, 0.949, 0.965)  # the question box's background, #eef2f6


def violations(file: str, pages) -> list[str]:
    found = []
    for page in pages:
        for line in page.lines:
            line = line.strip()
            if line and line[0] in NO_LINE_START:
                found.append(f"{file} p{page.number}: line starts with {line[0]}: {line}")
            if line and line[-1] in NO_LINE_END:
                found.append(f"{file} p{page.number}: line ends with {line[-1]}: {line}")
    return found


def test_no_line_breaks_against_jlreq_anywhere(built):
    """Body text, notes, headings and tables: every line of every PDF."""
    files = built.files()
    assert len(files) >= 6  # three sheets, three packs
    lines = sum(len(p.lines) for f in files for p in built.pages(f))
    assert lines > 500
    assert [v for f in files for v in violations(f, built.pages(f))] == []


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
    pages = built.pdf(entry["file"]).pages
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
    for file in built.files():
        for page in built.pdf(file).pages:
            text = [c for c in page.chars if c["size"] >= 8]
            for call in (c for c in page.chars if abs(c["size"] - 6.5) < 0.01):
                line = [c for c in text if c["top"] - 3 <= call["top"] <= c["bottom"]]
                assert line, f"{file}: a call outside any line"
                checked += 1
                assert any(c["x1"] <= call["x0"] + 0.5 for c in line), \
                    f"{file} p{page.page_number}: a line starts with a note call"
    assert checked > 20


EM = 10.5
MEASURE = 46  # characters: the text block of a sheet, centred on A4
COLUMN_RIGHT = (595.28 + MEASURE * EM) / 2
BOX_RIGHT = COLUMN_RIGHT - EM / 2  # a question or answer box's padding


def sheet_paragraphs(content, topic) -> list[str]:
    texts = []
    for question in topic.questions:
        texts += [question.preamble, question.text]
        texts += [a.text for a in content.answers if a.question == question.id]
    texts += [d.text for d in topic.discussion]
    return [p.plain.replace(" ", "") for t in texts if t for p in t.paragraphs]


def running_lines(page):
    """Lines of running text (10.5 pt Mincho), each as its characters left to right."""
    rows = defaultdict(list)
    for char in page.chars:
        if abs(char["size"] - EM) < 0.01 and "Mincho" in char["fontname"]:
            rows[round(char["bottom"])].append(char)
    return [sorted(chars, key=lambda c: c["x0"]) for _, chars in sorted(rows.items())]


def right_edges(built):
    """(distance from the column's edge, where) of every line that is not a paragraph's last."""
    found = []
    for entry in built.manifest["sheets"]:
        topic = next(t for t in built.content.topics if t.id == entry["id"])
        paragraphs = sheet_paragraphs(built.content, topic)
        for page in built.pdf(entry["file"]).pages:
            calls = [c for c in page.chars if abs(c["size"] - 6.5) < 0.01]
            for chars in running_lines(page):
                text = "".join(c["text"] for c in chars).replace(" ", "")
                if len(text) < 3 or any(p.endswith(text) for p in paragraphs):
                    continue  # a paragraph's last line stays flush left
                ends = [c["x1"] for c in chars] + [c["x1"] for c in calls
                                                   if abs(c["bottom"] - chars[-1]["bottom"]) < 6]
                right = max(ends)
                found.append((min(abs(right - COLUMN_RIGHT), abs(right - BOX_RIGHT)), f"{entry['file']}: {text}"))
    return found


def test_a_number_in_a_justified_line_is_not_spread_digit_by_digit(built):
    """Justification spreads the gaps between Japanese characters, not a number's digits (「2 0 2 5」
    in large type, 0.18 em apart) nor a Latin word's letters."""
    pairs = 0
    for file in ("packs/lawmakers.pdf", "packs/handout.pdf"):
        for page in built.pdf(file).pages:
            chars = sorted(page.chars, key=lambda c: (round(c["top"]), c["x0"]))
            for a, b in zip(chars, chars[1:]):
                if a["text"].isdigit() and b["text"].isdigit() and abs(a["top"] - b["top"]) < 0.5 \
                        and a["size"] == b["size"] and a["size"] >= 8 and b["x0"] - a["x1"] < a["size"] / 2:  # one number
                    pairs += 1
                    assert abs(b["x0"] - a["x1"]) < 0.05, (file, page.page_number, a["text"], b["text"], b["x0"] - a["x1"])
    assert pairs > 50


def test_the_measure_is_a_whole_number_of_characters(built):
    """A full line of Japanese alone needs no letter-spacing: its characters sit one em apart."""
    pitches = []
    for chars in running_lines(built.pdf("sheets/01-inspection.pdf").pages[0]):
        if len(chars) in (MEASURE, MEASURE - 1) and all(ord(c["text"]) > 0x3000 for c in chars):
            pitches += [b["x0"] - a["x0"] for a, b in zip(chars, chars[1:])]
    assert len(pitches) > 100
    assert max(abs(p - EM) for p in pitches) < 0.01


def test_justified_lines_end_flush_with_the_column(built):
    """JLREQ 3.8: every non-final line of a body paragraph ends within 0.5 pt of the column's edge."""
    edges = right_edges(built)
    assert len(edges) > 50
    ragged = [(round(d, 2), where) for d, where in edges if d > 0.5]
    assert ragged == []


def pairs(built, first, second):
    """Adjacent characters on a line of running text, `first` then `second`, with their gap."""
    for entry in built.manifest["sheets"]:
        for page in built.pdf(entry["file"]).pages:
            for chars in running_lines(page):
                for a, b in zip(chars, chars[1:]):
                    if first(a["text"]) and second(b["text"]):
                        yield a, b


def japanese(char: str) -> bool:
    return bool(re.match(r"[\u3041-\u3096\u30a1-\u30fa\u30fc\u4e00-\u9fff]", char))


def latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def test_a_quarter_em_between_japanese_and_latin(built):
    """JLREQ 3.2.3: about a quarter em between a Japanese character and a Latin letter or digit."""
    gaps = [b["x0"] - a["x1"] for a, b in [*pairs(built, japanese, latin), *pairs(built, latin, japanese)]]
    assert len(gaps) > 30
    assert all(0.2 * EM <= gap <= 0.3 * EM for gap in gaps), sorted(round(g / EM, 3) for g in gaps)


def test_punctuation_marks_that_meet_lose_an_empty_half(built):
    """JLREQ 3.1.4: 、「 and 。」 and the like are set half an em closer than two full-width marks."""
    from briefing.jlreq import CLOSING, OPENING

    found = [(a["text"] + b["text"], (b["x0"] - a["x0"]) / EM) for a, b in pairs(
        built, lambda c: c in CLOSING or c in OPENING, lambda c: c in CLOSING or c in OPENING)
        if not (a["text"] in OPENING and b["text"] in CLOSING)]
    assert len(found) > 5
    assert all(0.5 <= advance <= 0.6 for _, advance in found), found  # half an em, and a line's share


def test_the_weasyprint_patch_refuses_another_version(monkeypatch):
    import weasyprint

    from briefing import justify
    from briefing.errors import RenderError

    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    with pytest.raises(RenderError, match="briefing needs WeasyPrint 70.0, not 71.0"):
        with justify.applied():
            pass


def test_the_weasyprint_patch_holds_only_while_rendering():
    """Importing any module of the package leaves WeasyPrint as it is; rendering puts it back
    (justify.py's justification, noteareas.py's measures, styles.py's parse kept)."""
    import subprocess
    import sys

    probe = ("import pkgutil, importlib, briefing\n"
             "import weasyprint.css\n"
             "from weasyprint import draw\n"
             "from weasyprint.layout import inline\n"
             "from weasyprint.pdf.stream import Stream\n"
             "from weasyprint.text.line_break import Layout\n"
             "from weasyprint.layout import LayoutContext\n"
             "def now(): return [inline.justify_line, inline.text_align, Layout.set_text, draw.draw_inline_level,\n"
             "                   draw.draw_text, Stream.marked, weasyprint.css.CSS,\n"
             "                   LayoutContext.layout_footnote, LayoutContext._update_footnote_area]\n"
             "before = now()\n"
             "for m in pkgutil.iter_modules(briefing.__path__):\n"
             "    if m.name != '__main__': importlib.import_module('briefing.' + m.name)\n"
             "assert now() == before, 'an import patched WeasyPrint'\n"
             "from briefing import justify, noteareas, styles\n"
             "with justify.applied(), noteareas.measured(), styles.parsed_once():\n"
             "    assert all(a is not b for a, b in zip(now(), before)), 'not all applied'\n"
             "assert now() == before, 'not all taken out'\n")
    subprocess.run([sys.executable, "-c", probe], check=True, cwd=Path(__file__).parent.parent)


def test_a_style_sheet_met_again_is_parsed_once_and_sets_the_same_pages(monkeypatch):
    """A second document of the same <style> takes the first's parse, with its @page rules and
    @font-face fonts: the same PDF as when each is parsed, and one parse, not two."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    from briefing import styles
    from briefing.project import Project

    font = Project.at(Path(__file__).parent.parent).font("BIZUDGothic-Regular.ttf").as_uri()
    css = (f"@font-face {{ font-family: G; src: url({font}) }} @page {{ size: A6; margin: 1cm;"
           " @bottom-center { content: counter(page); font: 8pt G } } p { font: 9pt G; color: #a00 }")
    documents = [f"<style>{css}</style><p>{text}</p>" for text in ("一つ目の文書。", "二つ目の文書。", "一つ目の文書。")]
    fonts, fetcher = FontConfiguration(), URLFetcher()  # a renderer's: the parse is of one fetcher's sheet
    each = [HTML(string=html, url_fetcher=fetcher).write_pdf(font_config=fonts) for html in documents]
    parses, original = [], styles.ORIGINAL

    def counted(*args, **kwargs):
        parses.append(kwargs.get("string"))
        return original(*args, **kwargs)

    monkeypatch.setattr(styles, "ORIGINAL", counted)
    monkeypatch.setattr(styles, "_parsed", {})
    fonts = FontConfiguration()
    with styles.parsed_once():
        once = [HTML(string=html, url_fetcher=fetcher).write_pdf(font_config=fonts) for html in documents]
    assert len(parses) == 1 and len(styles._parsed) == 1
    assert once == each and each[0] == each[2] != each[1]
    # another renderer (its own fonts and fetcher, as for another project) takes the parse too, and
    # its fonts get the sheet's face: the same PDF
    with styles.parsed_once():
        again = HTML(string=documents[1], url_fetcher=URLFetcher()).write_pdf(font_config=FontConfiguration())
    assert len(parses) == 1 and again == each[1]
    other = documents[1].replace("#a00", "#00a")  # beyond KEPT sheets, the oldest is dropped, not kept for ever
    monkeypatch.setattr(styles, "KEPT", 1)
    with styles.parsed_once():
        for html in (other, documents[0]):
            HTML(string=html, url_fetcher=fetcher).write_pdf(font_config=fonts)
    assert len(parses) == 3 and len(styles._parsed) == 1
    page = pdfplumber.open(io.BytesIO(once[1])).pages[0]
    assert round(page.width) == 298 and {c["fontname"].split("+")[-1] for c in page.chars} == {"G"}  # A6, the face


def test_a_style_sheet_met_again_fetches_its_fonts_with_the_document_s_own_fetcher(tmp_path):
    """A project's renderer refuses a font that is not its own, though another project's parse of
    the same sheet loaded it: content cannot reach a file through a sheet parsed before."""
    from briefing import styles
    from briefing.errors import RenderError
    from briefing.markup import Page
    from briefing.project import Project
    from briefing.render import Renderer

    from .conftest import Scratch

    mine, other = (Project.at(Scratch(tmp_path / name).root) for name in ("mine", "other"))
    (mine.root / "fonts").mkdir()
    font = mine.root / "fonts" / "Own.ttf"
    font.write_bytes(Project.at(Path(__file__).parent.parent).font("BIZUDGothic-Regular.ttf").read_bytes())
    html = (f"<style>@font-face {{ font-family: Own; src: url({font.as_uri()}) }} p {{ font: 9pt Own }}</style>"
            "<p>自分の書体。</p>")
    Renderer(Project.at(mine.root)).render_alike([Page("a.pdf", html, "mine")])
    assert any(html[7:html.index("</style>")] == key[0] for key in styles._parsed)  # kept for the next document
    with pytest.raises(RenderError, match="refused"):
        Renderer(other).render_alike([Page("b.pdf", html, "other")])


@pytest.mark.parametrize("css, warned, parses", [
    ("p { frobnicate: 1 }", True, 2),  # its parse warns: parsed again, so each document warns
    (":root { --bad: red } p { margin-left: var(--bad) }", True, 1),  # warns when styled: reused, warns again
    ("@import url(data:text/css,p{color:red}); p { font-size: 9pt }", False, 4),  # the imported file may change
])
def test_a_reused_style_sheet_warns_in_each_document_as_a_new_parse_would(monkeypatch, css, warned, parses):
    import logging

    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    from briefing import styles

    def warnings(html: str, fonts, fetcher) -> list[str]:
        said = []
        handler = logging.Handler(logging.WARNING)
        handler.emit = lambda record: said.append(record.getMessage())
        logging.getLogger("weasyprint").addHandler(handler)
        try:
            HTML(string=html, url_fetcher=fetcher).render(font_config=fonts)
        finally:
            logging.getLogger("weasyprint").removeHandler(handler)
        return said

    html = f"<style>{css}</style><p>文</p>"
    fonts, fetcher = FontConfiguration(), URLFetcher()
    each = [warnings(html, fonts, fetcher) for _ in range(2)]
    assert bool(each[0]) == warned and each[0] == each[1]
    counted, original = [], styles.ORIGINAL
    monkeypatch.setattr(styles, "ORIGINAL", lambda *a, **k: counted.append(1) or original(*a, **k))
    fonts = FontConfiguration()
    with styles.parsed_once():
        once = [warnings(html, fonts, fetcher) for _ in range(2)]
    assert once == each and len(counted) == parses


def test_spacing_adds_no_character():
    from briefing.jlreq import spaced

    text = "しかし2019年からAPI連携、「土管」。」（J-LIS）に<b>&"
    html = str(spaced(text, glued="<sup>1</sup>"))
    assert re.sub(r"<[^>]+>", "", html).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") == text + "1"


def test_full_width_letters_and_numbers_are_kept_on_one_line():
    """「ＪＩ｜Ｓ第１水準」 and 「２０｜２３」 broke over lines: a run of full-width letters or digits is one
    piece, as a Latin word is, and a number with its unit (２０２３年, １件) too."""
    from briefing.jlreq import spaced

    html = str(spaced("ＪＩＳ第１水準、２０２３年と１件、ＡＢと１。"))
    assert re.findall(r'<span class="nobr">([^<]*)</span>', html) == ["ＪＩＳ", "２０２３年", "１件", "ＡＢ"]
    assert "nobr" not in str(spaced("ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲ"))  # a long run may break (its tail was kept whole)


def test_a_line_whose_japanese_stands_one_character_at_a_time_is_justified():
    """「、」 between Latin words is the only Japanese on such lines: spreading Japanese boxes only left
    them ragged (523 pt where the measure is 539); they spread every box, as before."""
    lines = render("利用者は" + "API、J-LIS、e-Gov、CSV、XML、" * 4 + "などを使う。", 20)
    ends = [max(c["x1"] for c in line) for line in lines[:-1]]
    assert len(ends) >= 3 and max(ends) - min(ends) < 0.6, ends


def render(html: str, width_em: int) -> list[list[dict]]:
    """Lines of chars of a justified 10.5 pt paragraph `width_em` characters wide, with jlreq."""
    import io

    from weasyprint import HTML

    from briefing import jlreq, justify
    from briefing.project import Project

    font = Project.at(Path(__file__).parent.parent).font("BIZUDMincho-Regular.ttf").as_uri()
    css = (f"@font-face {{ font-family: M; src: url({font}) }} p {{ font: 10.5pt/2 M; width: {width_em * 10.5}pt;"
           " text-align: justify; margin: 0 }} .jl-before { margin-left: 0.25em } .jl-after { margin-right: 0.25em }"
           " .jl-half { margin-right: -0.5em }")
    with justify.applied():
        data = HTML(string=f"<style>{css}</style><p>{jlreq.spaced(html)}</p>").write_pdf()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        rows = defaultdict(list)
        for char in pdf.pages[0].chars:
            rows[round(char["bottom"])].append(char)
    return [sorted(chars, key=lambda c: c["x0"]) for _, chars in sorted(rows.items())]


def test_no_quarter_em_at_a_line_head_or_end():
    lines = render("あいうえおかきくけこABCさしすせそたちつてと", 10)
    assert "".join(c["text"] for c in lines[1]).startswith("ABC")
    left, right = lines[0][0]["x0"], lines[0][-1]["x1"]
    assert abs(lines[1][0]["x0"] - left) < 0.05  # the head of the line: flush
    a, b = lines[1][2], lines[1][3]  # C, then さ: the quarter em stays
    assert 0.2 * EM <= b["x0"] - a["x1"] <= 0.3 * EM
    lines = render("あいうえおかきくけこさしすせそたちつABCてと", 10)
    assert "".join(c["text"] for c in lines[1]).endswith("ABC")
    assert abs(lines[1][-1]["x1"] - right) < 0.5  # the end of the line: flush too


def test_a_long_unbreakable_word_is_not_squeezed_unreadably():
    lines = render("あ「" + "W" * 40 + "」いうえおかきくけこさしすせそ", 10)
    advances = [(b["x0"] - a["x0"], a["x1"] - a["x0"]) for line in lines for a, b in zip(line, line[1:])
                if a["text"] == b["text"] == "W"]
    assert len(advances) > 30
    assert all(advance > 0.9 * glyph for advance, glyph in advances)  # each W keeps its own width


def test_tightening_sets_marks_half_within_reach_and_leaves_the_rest():
    import re

    from briefing.jlreq import spaced, tightened

    call = '<span class="note" data-n="1">注の本文、です。</span>'
    html = str(spaced("あ、い、う「え」」お、か、き、く、け、こ。", glued=call))
    tight = tightened(html, reach=6)
    assert re.sub(r"<[^>]*>", "", tight) == re.sub(r"<[^>]*>", "", html)  # not a character added
    assert tight.count("jl-tight-end") == 2  # 「く、け、こ。」: the two 、 within reach; 。 carries the call
    assert "注の本文、です。" in tight  # the note's own text is set at the page foot, as it is
    everything = tightened(html)
    assert everything.count("jl-tight-end") == 8 and everything.count("jl-tight-start") == 1  # 7 、 and a 」
    assert '<span class="jl-half">」</span>' in everything  # already half: not taken again
    opening = tightened(str(spaced("「始め」、（注）です。")))
    assert opening.startswith("「") and "jl-tight-start" not in opening  # the indent, and 、（ already closer
    stops = tightened(str(spaced("作成中。ただ、後で。また、先に．それで")))
    assert stops.count("jl-tight-end") == 2 and '<span class="jl-tight-end">。' not in stops \
        and '<span class="jl-tight-end">．' not in stops  # a full stop keeps its half em mid-line (JLREQ)

