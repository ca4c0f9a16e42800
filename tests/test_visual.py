"""Visual regression: the first page of each sheet style, as a picture, against a stored reference.

After an intended change to the look, refresh the references and look at them before committing:

    .venv/bin/python tools/refresh_visual.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image, ImageChops

REFERENCES = Path(__file__).parent / "visual"
DPI = 40
# A pixel differs when its grey level moves by more than LEVEL; a page may differ in at most
# SHARE of its pixels (anti-aliasing across machines), far less than a moved line of text.
LEVEL = 48
SHARE = 0.004

PAGES = [  # (reference name, output file, page index)
    ("sheet", "sheets/01-inspection.pdf", 0),
    ("handout-large", "packs/handout.pdf", 0),
    ("questions", "packs/questions-digital.pdf", 0),
    ("lawmakers-cover", "packs/lawmakers.pdf", 0),
    ("lawmakers-summary", "packs/lawmakers.pdf", 1),
]


def picture(path: Path, index: int) -> Image.Image:
    pdf = pypdfium2.PdfDocument(path)
    try:
        return pdf[index].render(scale=DPI / 72, grayscale=True).to_pil().convert("L")
    finally:
        pdf.close()


def differing_share(a: Image.Image, b: Image.Image) -> float:
    if a.size != b.size:
        return 1.0
    histogram = ImageChops.difference(a, b).histogram()
    return sum(histogram[LEVEL + 1:]) / (a.size[0] * a.size[1])


@pytest.mark.parametrize("name, file, index", PAGES, ids=[p[0] for p in PAGES])
def test_page_looks_as_it_did(built, name, file, index):
    page = picture(built.output / file, index)
    reference = REFERENCES / f"{name}.png"
    assert reference.exists(), f"no reference {reference}: run tools/refresh_visual.py and look at it"
    share = differing_share(page, Image.open(reference).convert("L"))
    if share > SHARE:
        page.save(Path(os.environ.get("TMPDIR", "/tmp")) / f"visual-{name}.png")
    assert share <= SHARE, f"{name}: {share:.2%} of the pixels differ; the new page is in /tmp/visual-{name}.png"


def test_the_comparison_sees_a_moved_line(built):
    """The tolerance is not so loose that a line of text shifted by a few points would pass."""
    page = picture(built.output / "sheets/01-inspection.pdf", 0)
    shifted = ImageChops.offset(page, 0, 3)
    assert differing_share(page, shifted) > SHARE * 5
