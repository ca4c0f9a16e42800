"""Join already rendered PDFs into one pack, page for page, without laying anything out again.

The pack's sheets are the very files handed out alone, so a pack rebuild after one answer
costs one sheet's render plus this join. pikepdf (qpdf) copies the pages with their fonts,
links and annotations; this module adds the joined bookmarks, page labels and metadata.

The PDF/UA and PDF/A editions are joined the same way, from each part written again in that
variant from the same layout: for PDF/UA, the parts' tag trees become one (each part's
numbers in the tree's map from pages to their tags moved past the parts before it), and the
folios laid over are artifacts; for PDF/A, the output intent and the XMP metadata are the
first part's, titled as the pack.
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


def merge(parts: Sequence[Part], title: str, folios: bytes | None = None, tagged: bool = False) -> bytes:
    """One PDF of every part's pages, in order, titled `title`; other document information comes
    from the first part. `folios`, a PDF of as many pages, is laid over them: the pack's page
    numbers, which are also its page labels in viewers. `tagged`: the parts are tagged PDFs
    (PDF/UA), and so is the join."""
    out = pikepdf.new()
    sources = [pikepdf.open(io.BytesIO(part.data)) if part.data else None for part in parts]
    starts, outline = [], []
    tags = _Tags(out) if tagged else None
    for source in sources:
        starts.append(len(out.pages))
        if source is None:
            out.add_blank_page(page_size=A4)
            outline.append([])
            continue
        out.pages.extend(source.pages)
        outline.append(_outline(source))
        if tags:
            tags.add(source, out.pages[starts[-1]:])
    with out.open_outline() as root:
        for start, items in zip(starts, outline):
            root.root.extend(_copy(items, start))
    head = next(source for source in sources if source is not None)
    for key, value in head.docinfo.items():
        out.docinfo[key] = pikepdf.String(str(value))
    out.docinfo[Name.Title] = pikepdf.String(title)
    for key in (Name.Lang, Name.MarkInfo, Name.ViewerPreferences, Name.OutputIntents, Name.Metadata):
        if key in head.Root:  # what the variant (PDF/UA, PDF/A) asks of the document, as the first part has it
            out.Root[key] = _copied(out, head.Root[key])
    if Name.Metadata in out.Root:
        with out.open_metadata(set_pikepdf_as_editor=False) as metadata:
            metadata["dc:title"] = title
    if tags:
        tags.finish()
    if folios:
        overlay = pikepdf.open(io.BytesIO(folios))
        sources.append(overlay)  # closed with the others, once the pack is saved
        for number, (page, folio) in enumerate(zip(out.pages, overlay.pages), 1):
            _overlay(page, folio, Name(f"/BriefingFolio{number}"), artifact=tagged)
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


def _overlay(page: pikepdf.Page, other: pikepdf.Page, name: Name, artifact: bool = False) -> None:
    """Lay `other` over `page`, as pikepdf's add_overlay does, under the resource name `name`
    (that one draws a random name, and the same content would give different bytes). The
    name must be the page's own: the pages of one sheet share their resources. In a tagged
    PDF, `other` is an artifact: the pagination, not the document."""
    formx = other.as_form_xobject()
    if artifact:  # marked inside the form: pdfium does not carry a mark into a form it draws
        formx.write(b"/Artifact BMC\n" + formx.read_bytes() + b"\nEMC\n")
    page.add_resource(formx, Name.XObject, name=name)
    page.contents_add(b"q\n", prepend=True)
    page.contents_add(b"Q\n" + page.calc_form_xobject_placement(formx, name, pikepdf.Rectangle(page.trimbox)))
    page.contents_coalesce()


class _Tags:
    """The tag tree of a join of tagged PDFs: one Document element holding each part's elements
    in order; each part's entries of the parent tree (a page's marked contents and each link
    annotation, by number) moved past the parts' before it."""

    def __init__(self, out: pikepdf.Pdf):
        self.out = out
        self.document = out.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array()))
        self.nums: list = []
        self.next = 0

    def add(self, source: pikepdf.Pdf, pages) -> None:
        tree = source.Root.StructTreeRoot
        for document in _listed(tree.K):
            for element in _listed(document.get(Name.K, Array())):
                copied = _copied(self.out, element)
                if isinstance(copied, Dictionary):
                    copied.P = self.document
                self.document.K.append(copied)
        pairs = list(tree.ParentTree.Nums)
        for key, value in zip(pairs[::2], pairs[1::2]):
            self.nums += [int(key) + self.next, _copied(self.out, value)]
        for page in pages:  # qpdf copied them with the numbers of their own tree
            page.obj.StructParents = int(page.obj.StructParents) + self.next
            for annotation in page.obj.get(Name.Annots, []):
                if Name.StructParent in annotation:
                    annotation.StructParent = int(annotation.StructParent) + self.next
        self.next += max((int(key) for key in pairs[::2]), default=-1) + 1

    def finish(self) -> None:
        root = self.out.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array([self.document]),
                                                 ParentTree=self.out.make_indirect(Dictionary(Nums=Array(self.nums))),
                                                 ParentTreeNextKey=self.next))
        self.document.P = root
        self.out.Root.StructTreeRoot = root


def _listed(value) -> list:
    return list(value) if isinstance(value, Array) else [value]


def _copied(out: pikepdf.Pdf, value):
    """A value of another PDF, as `out`'s: its objects copied once each (qpdf keeps one copy of
    each foreign object, so a page copied before is the one a copied reference points to)."""
    if isinstance(value, (Dictionary, Array, pikepdf.Stream)) and value.is_indirect:
        return out.copy_foreign(value)
    if isinstance(value, Array):
        return Array([_copied(out, item) for item in value])
    if isinstance(value, Dictionary):
        return Dictionary({key: _copied(out, item) for key, item in value.items()})
    return value


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
