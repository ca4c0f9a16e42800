"""Print quality a typesetter checks, read from the laid-out pages: notes on their call's page,
large type as a whole hierarchy."""

from __future__ import annotations

import pdfplumber
import pytest

from briefing.build import build
from briefing.errors import RenderError
from briefing.project import Project

from .conftest import read_pdf

FILLER = "この段落は注の呼び出しを頁の下端に押しやるための文章です。" * 6


def long_note_project(project, filler_paragraphs: int, note_repeat: int):
    """A sheet whose call of note `long` falls near a page foot, and that note `note_repeat` sentences long."""
    paragraphs = "\n\n".join([FILLER] * filler_paragraphs + ["ここで長い注を呼ぶ[^long]。その後の文。"])
    topics = ("topics:\n  - id: portal\n    number: 1\n    heading: マイナポータルについて\n    title: マイナポータル\n"
              "    questions:\n      - id: portal\n        to: [digital]\n        text: |\n"
              + "".join(f"          {line}\n" if line else "\n" for line in paragraphs.splitlines()))
    (project.content / "topics.yaml").write_text(topics, encoding="utf-8")
    long = "長い注の本文で、頁の下に収まりきらない分量があります。" * note_repeat
    (project.content / "long.yaml").write_text(f"notes:\n  - id: long\n    text: {long}\n", encoding="utf-8")


@pytest.mark.parametrize("fillers", range(6, 11))
def test_a_long_note_stays_on_the_page_of_its_call(project, fillers):
    long_note_project(project, fillers, 8)
    build(Project.at(project.root))
    pages = read_pdf(project.root / "output/sheets/01-portal.pdf")
    called = {n: page.number for page in pages for n in page.calls}
    printed = {n: page.number for page in pages for n in page.markers}
    assert called and called == {n: printed[n] for n in called}


def test_a_note_too_long_for_any_page_is_an_error_at_its_call(project):
    long_note_project(project, 1, 250)
    with pytest.raises(RenderError, match=r"topics.yaml:\d+:\d+: note 'long' does not fit on the page of its call"):
        build(Project.at(project.root))
    assert not (project.root / "output/sheets/01-portal.pdf").exists()


def test_large_type_keeps_its_hierarchy(built):
    """In the handout every heading is larger than the text, and nothing is set below 8 pt."""
    with pdfplumber.open(built.output / "packs/handout.pdf") as pdf:
        chars = [c for page in pdf.pages for c in page.chars]
    sizes = {round(c["size"], 2) for c in chars}
    body = 12.0
    heading_sizes = {round(c["size"], 2) for c in chars if "Gothic" in c["fontname"] and c["size"] > body}
    assert {22.0, 14.0, 13.0} <= heading_sizes
    assert min(sizes) >= 8.0
