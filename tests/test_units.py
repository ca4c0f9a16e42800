"""Direct tests of the parts the pipeline tests only pass through: the join (page labels,
bookmarks moved by each part's place), dates at the eras' edges, and WeasyPrint's log as the
build hears it (a warning, an error, --strict). Small PDFs are made here with pikepdf; no
WeasyPrint layout but the last tests'."""

from __future__ import annotations

import datetime
import io

import pikepdf
import pytest
from pikepdf import Name, OutlineItem

from briefing.build import build
from briefing.dates import seireki, wareki
from briefing.errors import RenderError
from briefing.merge import Part, merge
from briefing.project import Project


def pdf_of(pages: int, bookmarks: list[tuple[str, int]] = (), size=(595.28, 841.89)) -> bytes:
    """A PDF of blank pages with bookmarks (title, page index)."""
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=size)
    with pdf.open_outline() as outline:
        outline.root.extend(OutlineItem(title, page) for title, page in bookmarks)
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def outline_of(data: bytes) -> list[tuple[str, int]]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
        with pdf.open_outline() as outline:
            return [(item.title, pages[item.destination[0].objgen]) for item in outline.root]


def test_the_join_moves_each_part_s_bookmarks_by_its_place_and_labels_its_pages():
    parts = [Part(pdf_of(2, [("表紙", 0), ("目次", 1)]), ""), Part(None, "白紙"),
             Part(pdf_of(3, [("論点1", 0), ("討論", 2)]), "論点1-")]
    data = merge(parts, title="資料")
    assert outline_of(data) == [("表紙", 0), ("目次", 1), ("論点1", 3), ("討論", 5)]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 6
        assert str(pdf.docinfo.Title) == "資料"
        labels = list(pdf.Root.PageLabels.Nums)
        assert [int(labels[i]) for i in range(0, len(labels), 2)] == [0, 2, 3]  # where each part starts
        assert str(labels[5].P) == "論点1-"


def test_with_folios_the_pack_is_numbered_through_and_every_page_has_one_box():
    parts = [Part(pdf_of(1), ""), Part(pdf_of(2, size=(600, 842)), "論点1-")]
    data = merge(parts, title="資料", folios=pdf_of(3))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert list(pdf.Root.PageLabels.Nums) == [0, pikepdf.Dictionary(S=Name.D)]
        boxes = {tuple(float(v) for v in page.obj.MediaBox) for page in pdf.pages}
        assert len(boxes) == 1 and all(Name.TrimBox in page.obj for page in pdf.pages)
        names = [name for page in pdf.pages for name in page.Resources.XObject.keys()]
        assert names == ["/BriefingFolio1", "/BriefingFolio2", "/BriefingFolio3"]  # each page its own


def test_the_join_gives_the_same_bytes_for_the_same_parts():
    parts = [Part(pdf_of(2, [("a", 1)]), ""), Part(pdf_of(1), "論点1-")]
    assert merge(parts, title="資料", folios=pdf_of(3)) == merge(parts, title="資料", folios=pdf_of(3))


def tagged_pdf_of(pages: int, links: int) -> bytes:
    """A tagged PDF, as WeasyPrint writes PDF/UA: a page's marked contents and each link
    annotation numbered in the parent tree (pages first, then the links), a Document element."""
    pdf = pikepdf.new()
    document = pdf.make_indirect(pikepdf.Dictionary(Type=Name.StructElem, S=Name.Document, K=pikepdf.Array()))
    nums = []
    for number in range(pages):
        pdf.add_blank_page()
        page = pdf.pages[-1]
        page.obj.StructParents = number
        paragraph = pdf.make_indirect(pikepdf.Dictionary(Type=Name.StructElem, S=Name.P, P=document, Pg=page.obj,
                                                         K=pikepdf.Array([0])))
        document.K.append(paragraph)
        nums += [number, pikepdf.Array([paragraph])]
    for number in range(links):
        link = pdf.make_indirect(pikepdf.Dictionary(Type=Name.StructElem, S=Name.Link, P=document, K=pikepdf.Array()))
        annotation = pdf.make_indirect(pikepdf.Dictionary(Type=Name.Annot, Subtype=Name.Link, StructParent=pages + number,
                                                          Rect=pikepdf.Array([0, 0, 10, 10])))
        pdf.pages[0].obj.Annots = pikepdf.Array([*pdf.pages[0].obj.get(Name.Annots, []), annotation])
        document.K.append(link)
        nums += [pages + number, link]
    root = pdf.make_indirect(pikepdf.Dictionary(Type=Name.StructTreeRoot, K=pikepdf.Array([document]),
                                                ParentTree=pikepdf.Dictionary(Nums=pikepdf.Array(nums))))
    document.P = root
    pdf.Root.StructTreeRoot = root
    pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def test_the_join_of_tagged_parts_has_one_tag_tree_whose_numbers_are_the_join_s_own():
    """The PDF/UA edition: each part's parent-tree numbers moved past the parts' before it, on the
    pages and the link annotations alike; each element's page one of the join's; folios artifacts."""
    data = merge([Part(tagged_pdf_of(2, 1), ""), Part(tagged_pdf_of(1, 2), "論点1-")], title="資料",
                 folios=pdf_of(3), tagged=True)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root.StructTreeRoot
        document = root.K[0]
        assert [str(element.S) for element in document.K] == ["/P", "/P", "/Link", "/P", "/Link", "/Link"]
        assert all(element.P.objgen == document.objgen for element in document.K)
        pages = [page.obj.objgen for page in pdf.pages]
        assert [int(page.obj.StructParents) for page in pdf.pages] == [0, 1, 3]
        links = [int(annotation.StructParent) for page in pdf.pages for annotation in page.obj.get(Name.Annots, [])]
        assert links == [2, 4, 5]
        nums = list(root.ParentTree.Nums)
        assert [int(key) for key in nums[::2]] == [0, 1, 2, 3, 4, 5] and int(root.ParentTreeNextKey) == 6
        assert [nums[7][0].Pg.objgen] == [pages[2]]  # the second part's page, as the join has it
        assert all(element.Pg.objgen in pages for element in document.K if Name.Pg in element)
        assert pdf.Root.MarkInfo.Marked
        folio = pdf.pages[0].Resources.XObject["/BriefingFolio1"]
        assert folio.read_bytes().startswith(b"/Artifact BMC")


@pytest.mark.parametrize("day, printed", [
    (datetime.date(2019, 4, 30), "平成31年4月30日"),
    (datetime.date(2019, 5, 1), "令和元年5月1日"),
    (datetime.date(2020, 1, 1), "令和2年1月1日"),
    (datetime.date(1989, 1, 7), "昭和64年1月7日"),
    (datetime.date(1989, 1, 8), "平成元年1月8日"),
    (datetime.date(1926, 12, 24), "1926年12月24日"),  # before 昭和: 西暦
])
def test_wareki_at_the_eras_edges(day, printed):
    assert wareki(day) == printed
    assert seireki(day) == f"{day.year}年{day.month}月{day.day}日"


def with_css(project, css: str) -> None:
    """The project's own briefing.css: the built-in one, then `css`."""
    templates = project.root / "templates"
    templates.mkdir(exist_ok=True)
    (templates / "briefing.css").write_text('{% include "default/briefing.css" %}\n' + css, encoding="utf-8")


def test_a_weasyprint_warning_is_a_warning_and_fails_the_build_under_strict(project):
    with_css(project, "p { colr: red; }\n")
    result = build(Project.at(project.root))
    assert any("colr" in warning for warning in result.warnings)
    with pytest.raises(RenderError, match="--strict: rendering warnings fail the build"):
        build(Project.at(project.root, output=project.root / "strict"), strict=True)
    assert not (project.root / "strict" / "manifest.json").exists()


def test_a_weasyprint_error_fails_the_build(project):
    with_css(project, "@font-face { font-family: Gone; src: url(gone.ttf); }\np { font-family: Gone; }\n")
    with pytest.raises(RenderError, match="gone.ttf"):
        build(Project.at(project.root))
    assert not (project.root / "output" / "manifest.json").exists()


def test_a_break_for_a_deferred_note_goes_before_what_leads_into_its_paragraph():
    """Never a heading or a block's label left alone at a page foot (an editor's 再質問 did that)."""
    from briefing.adjust import breaking_before

    html = ('<section class="sheet"><div class="qa">…</div>\n<h2 class="part-heading">質疑</h2>\n'
            '<h3>見出し<span class="phrase">句</span></h3>\n<p class="">本文<span class="note" data-note="a">注</span></p>\n'
            '<div class="qa">\n<div class="answer">\n<p class="label"><span class="tag">回答</span></p>\n'
            '<p class="">回答<span class="note" data-note="b" style="min-height: 3mm">注</span></p></div></div>\n'
            '<p class="">前の段落。</p>\n<p class="gap">段落<span class="note" data-note="c">注</span></p></section>')
    broken = breaking_before(html, ["a", "b", "c"])
    assert '<h2 style="break-before: page" class="part-heading">' in broken  # the headings go with it
    assert '<div style="break-before: page" class="qa">\n<div class="answer">' in broken  # the block, label and all
    assert '<p style="break-before: page" class="gap">段落' in broken  # a paragraph after a paragraph: itself
    assert broken.count("break-before") == 3
    assert breaking_before(broken, ["a"]) == broken  # once is enough


@pytest.mark.parametrize("text", ["あ" * 40 + "Q&amp;A「x」", "a&#34;b&lt;c&gt;d&#x27;e", "う" * 60 + "&amp;" * 3])
def test_letting_characters_out_never_cuts_an_entity(text):
    """追い出し sets a paragraph's last characters apart: `&amp;` is one character to it, so the
    printed words stay the report's (it once printed 「&amp;」 for 「&」)."""
    import html
    import re

    from briefing.jlreq import loosened

    for reach in range(1, 60):
        made = loosened(text, reach)
        assert html.unescape(re.sub(r"<[^>]*>", "", made)) == html.unescape(text)
        assert not re.search(r"&[#\w]*<", made), made


def test_places_out_of_range_change_nothing():
    """A paragraph place past the document's, or before it, leaves the HTML as it was."""
    from briefing.adjust import Adjusted

    assert Adjusted(tight=[-1, 10 ** 6]).html("<p>一、二。</p>") == "<p>一、二。</p>"


def test_a_heading_s_phrases_keep_a_latin_run_with_its_neighbours():
    """BudouX cut 「2024年」 after 「202」, and a phrase (an inline block) cannot take a quarter em
    from a character outside it: a phrase boundary never stands next to a Latin letter or digit."""
    from briefing.markup import phrases

    title = "資格確認書と2024年12月2日の期限"
    found = phrases(title)
    assert "".join(found) == title and "資格確認書と2024年12月2日の" in found
    assert not any(a[-1].isascii() or b[0].isascii() for a, b in zip(found, found[1:]))


def test_marks_set_half_or_apart_only_in_a_paragraph_s_own_words():
    """追い込み and 追い出し leave a QR code's title, a link's URL and a note's words as they are:
    a note is tightened through its inner HTML, QR code and URL included."""
    from briefing.jlreq import loosened, tightened

    html = ('<span class="qr"><svg><title>QR「x」。</title></svg></span>資料「会議」。'
            '<br><a class="url" href="h">https://a「b」。</a>')
    for made in (tightened(html), loosened(html, 8)):
        assert "<title>QR「x」。</title>" in made and ">https://a「b」。</a>" in made
        assert made.count("jl-") >= 1
