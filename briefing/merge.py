"""Join already rendered PDFs into one pack, page for page, without laying anything out again.

The pack's sheets are the very files handed out alone, so a pack rebuild after one answer
costs one sheet's render plus this join. pikepdf (qpdf) copies the pages with their fonts,
links and annotations; this module adds the joined bookmarks, page labels and metadata.
"""

from __future__ import annotations

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


def merge(parts: Sequence[Part], title: str) -> bytes:
    """One PDF of every part's pages, in order, titled `title`; other document information comes
    from the first part."""
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
    labels = []
    for start, part in zip(starts, parts):
        labels += [start, Dictionary(S=Name.D, P=pikepdf.String(part.label))]
    out.Root.PageLabels = Dictionary(Nums=Array(labels))
    out.Root.PageMode = Name.UseOutlines
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True, compress_streams=True,
             object_stream_mode=pikepdf.ObjectStreamMode.generate)
    for source in sources:
        if source is not None:
            source.close()
    return buffer.getvalue()


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
