"""Sources readable from paper: each note with a URL carries a QR code that scans to it, and a link."""

from __future__ import annotations

import pypdfium2
import pytest
import zxingcpp


def decoded(path, page_index: int) -> list[str]:
    pdf = pypdfium2.PdfDocument(path)
    try:
        image = pdf[page_index].render(scale=200 / 72).to_pil()
    finally:
        pdf.close()
    return sorted(result.text for result in zxingcpp.read_barcodes(image))


@pytest.mark.parametrize("sheet_id", ["inspection", "duty", "portal"])
def test_each_url_note_has_a_qr_code_and_a_link_on_its_page(built, sheet_id):
    entry = next(s for s in built.manifest["sheets"] if s["id"] == sheet_id)
    notes = {n.id: n for n in built.content.notes}
    urls = [notes[i].url for i in entry["notes"] if notes[i].url]
    path = built.output / entry["file"]
    found, linked = [], []
    for index, page in enumerate(built.pdf(entry["file"]).pages):
        found += decoded(path, index)
        linked += [link["uri"] for link in page.hyperlinks]
    assert sorted(found) == sorted(urls)
    assert sorted(linked) == sorted(urls)
