"""The PDFs as a reader gets them: every word, every note on its page, the contents, the fonts."""

from __future__ import annotations

import re

import pytest
import pikepdf

from briefing import assemble


def sheet_entry(built, sheet_id):
    return next(s for s in built.manifest["sheets"] if s["id"] == sheet_id)


def topic_paragraphs(content, topic):
    """Every paragraph the sheet of `topic` must print, without its note calls."""
    texts = []
    for question in topic.questions:
        texts += [question.preamble, question.text]
        texts += [a.text for a in content.answers if a.question == question.id]
    texts += [d.text for d in topic.discussion]
    return [p.plain for t in texts if t for p in t.paragraphs]


def test_three_sheets_and_a_pack(built):
    assert [s["id"] for s in built.manifest["sheets"]] == ["inspection", "duty", "portal"]
    assert [s["title"] for s in built.manifest["sheets"]] == [
        "マイナンバー情報総点検", "マイナンバー記載の「義務化」", "マイナポータルとその法的根拠"]
    assert (built.output / built.pack["file"]).is_file()
    for sheet in built.manifest["sheets"]:
        assert len(built.pages(sheet["file"])) == sheet["pages"]


@pytest.mark.parametrize("sheet_id", ["inspection", "duty", "portal"])
def test_every_paragraph_is_on_its_sheet_verbatim(built, sheet_id):
    topic = next(t for t in built.content.topics if t.id == sheet_id)
    text = "".join(p.body for p in built.pages(sheet_entry(built, sheet_id)["file"]))
    paragraphs = topic_paragraphs(built.content, topic)
    assert paragraphs
    for paragraph in paragraphs:
        assert paragraph in text


def test_41_paragraphs_in_the_sheets_and_the_introduction_in_the_pack(built):
    count = sum(len(topic_paragraphs(built.content, t)) for t in built.content.topics)
    assert count == 37  # + 4 discussion headings = the report's 41 sheet paragraphs
    assert sum(len(t.discussion) for t in built.content.topics) == 4
    cover = built.pages(built.pack["file"])[0].body
    for paragraph in built.content.report.intro.paragraphs:
        assert paragraph.plain in cover


@pytest.mark.parametrize("sheet_id, notes", [
    ("inspection", ["inspection-manual"]),
    ("duty", ["inspection-hq-1", "cross-guideline", "iss-proposal"]),
    ("portal", ["selfinfo-api", "portal-api", "ppc-guidance", "dbwg-5"]),
])
def test_notes_numbered_per_sheet_in_order_of_first_call(built, sheet_id, notes):
    assert sheet_entry(built, sheet_id)["notes"] == notes


def unspaced(text: str) -> str:
    return re.sub(r"\s", "", text)


def check_notes_on_pages(pages, numbered):
    """Each call's note is at the foot of the call's page, same number, verbatim text."""
    seen = []
    for page in pages:
        first_calls = [n for n in page.calls if n not in seen]
        assert page.markers == first_calls, f"page {page.number}: calls {page.calls}, notes {page.markers}"
        for number in page.markers:
            note = numbered[number - 1]
            # A space where a line breaks is not drawn, so spaces are left out of the comparison.
            assert unspaced(note.text) in unspaced(page.notes), f"page {page.number}: note {number} ({note.id}) not verbatim"
            if note.url:
                assert note.url in page.notes.replace(" ", "")
        seen += first_calls
    assert seen == list(range(1, len(numbered) + 1))


@pytest.mark.parametrize("sheet_id", ["inspection", "duty", "portal"])
def test_each_note_at_the_foot_of_the_page_that_calls_it(built, sheet_id):
    entry = sheet_entry(built, sheet_id)
    notes = {n.id: n for n in built.content.notes}
    check_notes_on_pages(built.pages(entry["file"]), [notes[i] for i in entry["notes"]])


def test_pack_restarts_note_numbers_on_each_sheet(built):
    pages = built.pages(built.pack["file"])
    notes = {n.id: n for n in built.content.notes}
    starts = sheet_pages(built, pages)
    bounds = list(starts.values()) + [len(pages) + 1]
    check_notes_on_pages(pages[:1], [notes["hearing-notice"]])
    for (sheet_id, start), end in zip(starts.items(), bounds[1:]):
        numbered = [notes[i] for i in sheet_entry(built, sheet_id)["notes"]]
        check_notes_on_pages(pages[start - 1:end - 1], numbered)


def sheet_pages(built, pages) -> dict[str, int]:
    """The pack page each sheet starts on, found by its title at the top of a page."""
    starts = {}
    for topic in built.content.topics:
        starts[topic.id] = next(p.number for p in pages
                                if p.body.startswith(topic.title) and p.number > 2)
    return starts


def test_contents_lists_the_page_each_sheet_starts_on(built):
    pages = built.pages(built.pack["file"])
    contents = next(p for p in pages if any(line.startswith("目次") for line in p.lines))
    listed = {}
    for line in contents.lines:
        if match := re.match(r"論点 ?(\d+) ?(.+?) ?(\d+)$", line):
            listed[int(match[1])] = (match[2].replace(" ", ""), int(match[3]))
    starts = sheet_pages(built, pages)
    assert listed == {t.number: (t.title, starts[t.id]) for t in built.content.topics}


@pytest.mark.parametrize("file", ["packs/lawmakers.pdf", "packs/lawmakers-pdfua.pdf", "packs/handout.pdf"])
def test_every_pack_page_but_the_cover_and_blanks_prints_its_folio(built, file):
    """The pack's own page number at the outer foot corner: right on odd pages, left on even."""
    for number, page in enumerate(built.pdf(file).pages, 1):
        foot = [c for c in page.chars if c["top"] > page.height - 20 * 72 / 25.4 and "Bold" in c["fontname"]]
        folio = "".join(c["text"] for c in foot if (c["x0"] > page.width / 2) == (number % 2 == 1))
        blank = not page.chars
        expected = "" if number == 1 and "lawmakers" in file or blank else str(number)
        assert folio == expected, (file, number)


def test_sheet_pages_add_up_in_the_pack(built):
    pages = built.pages(built.pack["file"])
    starts = list(sheet_pages(built, pages).values())
    lengths = [b - a for a, b in zip(starts, starts[1:] + [len(pages) + 1])]
    assert lengths == [s["pages"] for s in built.manifest["sheets"]]
    assert built.pack["pages"] == len(pages) == starts[0] - 1 + sum(lengths)


def test_the_pack_holds_the_very_sheets_handed_out(built):
    """Page for page, the pack's sheets print what the sheet files print (the dates in the running
    heads aside: this pack prints them in 和暦)."""
    pack = built.pages(built.pack["file"])
    start = sheet_pages(built, pack)
    for sheet in built.manifest["sheets"]:
        alone = built.pages(sheet["file"])
        inside = pack[start[sheet["id"]] - 1:start[sheet["id"]] - 1 + len(alone)]
        assert [p.body for p in inside] == [p.body for p in alone]


def test_only_bundled_fonts_are_embedded(built):
    files = [built.pack["file"]] + [s["file"] for s in built.manifest["sheets"]]
    for file in files:
        with pikepdf.open(built.output / file) as pdf:
            names = set()
            for page in pdf.pages:
                for font in page.Resources.Font.values():
                    names.add(str(font.BaseFont).split("+", 1)[-1])
                    for descendant in font.get("/DescendantFonts", []):
                        assert "/FontFile2" in descendant.FontDescriptor, "font not embedded"
        assert names <= {"Briefing-Mincho", "Briefing-Gothic", "Briefing-Gothic-Bold"}, (file, names)


def test_pdf_metadata_and_bookmarks(built):
    spec = next(p for p in built.content.packs if p.id == built.pack["pack"])
    with pikepdf.open(built.output / built.pack["file"]) as pdf:
        assert str(pdf.docinfo.Title) == f"{spec.title} — {built.content.hearing.title}"
        assert str(pdf.docinfo.Author) == "マイナンバーはいらない（nonumber-tom）"
        assert str(pdf.Root.Lang) == "ja"
        with pdf.open_outline() as outline:
            titles = [item.title for item in flatten(outline.root)]
    for topic in built.content.topics:
        assert topic.title in titles
        assert f"{topic.number}){topic.heading}" in titles
    for title in titles:
        assert not re.search(r"[^\d]\d$", title) or title[-2] in "0123456789", f"note call in bookmark: {title}"


def flatten(items):
    for item in items:
        yield item
        yield from flatten(item.children)


def test_awaiting_answer_shown_for_a_body_that_has_not_answered(built):
    content = built.content
    topic = content.topics[0]
    question = topic.questions[0]
    widened = type(question)(**{**question.__dict__, "to": question.to + ("ppc",)})
    sheet = assemble.sheet(content, type(topic)(**{**topic.__dict__, "questions": (widened,)}), {})
    assert [b.name for b in sheet.questions[0].awaiting] == ["個人情報保護委員会"]
    assert [a.body.name for a in sheet.questions[0].answers] == ["デジタル庁"]


def test_the_one_document_editions_print_the_sheets_feet_as_the_joined_pack_does(built):
    """「論点2　1 / 2」 under each sheet's page, and the pack's folio, in the PDF/UA and PDF/A
    editions as in the joined pack (they showed the pack's 3 / 7 there)."""
    def feet(file):
        return [" ".join((page.crop((0, page.height - 20 * 72 / 25.4, page.width, page.height)).extract_text()
                          or "").split()) for page in built.pdf(file).pages]

    joined = feet("packs/lawmakers.pdf")
    assert any("論点2 1 / 2" in foot for foot in joined)
    assert feet("packs/lawmakers-pdfua.pdf") == joined
    assert feet("packs/lawmakers-pdfa.pdf") == joined
