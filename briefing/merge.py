"""Join already rendered PDFs into one pack, page for page, without laying anything out again.

The pack's sheets are the very files handed out alone, so a pack rebuild after one answer
costs one sheet's render plus this join. pikepdf (qpdf) copies the pages with their fonts,
links and annotations; this module adds the joined bookmarks, page labels and metadata.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem


@dataclass(frozen=True)
class Part:
    data: bytes | None  # a PDF; None: a blank page (before a sheet that must start on the right)
    label: str  # page label prefix in viewers: 論点2- gives 論点2-1, 論点2-2


A4 = (595.28, 841.89)


def merge(parts: Sequence[Part], title: str, folios: bytes | None = None) -> bytes:
    """One PDF of every part's pages, in order, titled `title`; other document information comes
    from the first part. `folios`, a PDF of as many pages, is laid over them: the pack's page
    numbers, which are also its page labels in viewers."""
    out = pikepdf.new()
    sources = [pikepdf.open(io.BytesIO(part.data)) if part.data else None for part in parts]
    starts, outline = [], []
    for source in sources:
        starts.append(len(out.pages))
        if source is None:
            out.add_blank_page(page_size=A4)
            outline.append([])
            continue
        out.pages.extend(source.pages)
        outline.append(_outline(source))
    with out.open_outline() as root:
        for start, items in zip(starts, outline):
            root.root.extend(_copy(items, start))
    head = next(source for source in sources if source is not None)
    for key, value in head.docinfo.items():
        out.docinfo[key] = pikepdf.String(str(value))
    out.docinfo[Name.Title] = pikepdf.String(title)
    if Name.Lang in head.Root:
        out.Root.Lang = pikepdf.String(str(head.Root.Lang))
    if folios:
        overlay = pikepdf.open(io.BytesIO(folios))
        sources.append(overlay)  # closed with the others, once the pack is saved
        for number, (page, folio) in enumerate(zip(out.pages, overlay.pages), 1):
            _overlay(page, folio, Name(f"/BriefingFolio{number}"))
        out.Root.PageLabels = Dictionary(Nums=Array([0, Dictionary(S=Name.D)]))
    else:
        labels = []
        for start, part in zip(starts, parts):
            labels += [start, Dictionary(S=Name.D, P=pikepdf.String(part.label))]
        out.Root.PageLabels = Dictionary(Nums=Array(labels))
    out.Root.PageMode = Name.UseOutlines
    _same_boxes(out)
    _unique_font_names(out)
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True, compress_streams=True,
             object_stream_mode=pikepdf.ObjectStreamMode.generate)
    for source in sources:
        if source is not None:
            source.close()
    return buffer.getvalue()


def _same_boxes(pdf: pikepdf.Pdf) -> None:
    """Every page gets the first page's MediaBox and TrimBox, blank pages included, as a print
    shop's imposition expects."""
    first = pdf.pages[0].obj
    media, trim = first.MediaBox, first.get(Name.TrimBox, first.MediaBox)
    for page in pdf.pages:
        page.obj.MediaBox = Array(list(media))
        page.obj.TrimBox = Array(list(trim))


def _unique_font_names(pdf: pikepdf.Pdf) -> None:
    """Name each subset font program after its own bytes. WeasyPrint tags a subset by the font's
    description only, so the sheets of a pack carry different subsets under one name, and a RIP
    that caches fonts by name prints wrong glyphs."""
    for font in pdf.objects:
        if not (isinstance(font, Dictionary) and font.get(Name.Type) == Name.Font and Name.BaseFont in font):
            continue
        named = [font, *font.get(Name.DescendantFonts, [])]
        descriptor = next((f.FontDescriptor for f in named if Name.FontDescriptor in f), None)
        program = descriptor and next((descriptor[k] for k in (Name.FontFile2, Name.FontFile3, Name.FontFile)
                                       if k in descriptor), None)
        if program is None or "+" not in str(font.BaseFont):
            continue
        digest = hashlib.sha256(program.read_raw_bytes()).digest()
        name = Name("/" + "".join(chr(65 + b % 26) for b in digest[:6]) + "+" + str(font.BaseFont).split("+", 1)[1])
        for each in named:
            each.BaseFont = name
        descriptor.FontName = name


def _overlay(page: pikepdf.Page, other: pikepdf.Page, name: Name) -> None:
    """Lay `other` over `page`, as pikepdf's add_overlay does, under the resource name `name`
    (that one draws a random name, and the same content would give different bytes). The
    name must be the page's own: the pages of one sheet share their resources."""
    formx = other.as_form_xobject()
    page.add_resource(formx, Name.XObject, name=name)
    page.contents_add(b"q\n", prepend=True)
    page.contents_add(b"Q\n" + page.calc_form_xobject_placement(formx, name, pikepdf.Rectangle(page.trimbox)))
    page.contents_coalesce()


def _outline(source: pikepdf.Pdf) -> list[tuple[str, int, list]]:
    """A PDF's bookmarks as (title, page index, children)."""
    pages = {page.objgen: index for index, page in enumerate(source.pages)}

    def walk(items) -> list:
        found = []
        for item in items:
            destination = item.destination
            page = pages.get(destination[0].objgen, 0) if isinstance(destination, Array) else 0
            found.append((item.title, page, walk(item.children)))
        return found

    with source.open_outline() as outline:
        return walk(outline.root)


def _copy(items, start: int) -> list[OutlineItem]:
    copied = []
    for title, page, children in items:
        item = OutlineItem(title, start + page)
        item.children.extend(_copy(children, start))
        copied.append(item)
    return copied
