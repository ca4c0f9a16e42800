"""The default content is the seed report, verbatim: nothing dropped, nothing changed."""

from __future__ import annotations

from pathlib import Path

from briefing.models import Call

from .conftest import ROOT

SEED = Path(__file__).parent / "data" / "seed-report.txt"
# Lines of the seed that are structure, not paragraphs: labels and headings.
LABELS = {"(質問)", "(デジタル庁の回答)", "【デジタル庁からの回答】", "【回答に対する質疑と会場意見など】"}
# The seed's note numbers, in the order the notes are defined (NOTES.md).
SEED_NOTE_ORDER = ["hearing-notice", "inspection-hq-1", "cross-guideline", "selfinfo-api",
                   "inspection-manual", "iss-proposal", "portal-api", "ppc-guidance", "dbwg-5"]
# On the web page a call was a superscript; in the copy it is a digit, in these spots
# followed by the space that stood after the superscript.
CALLS_AS_COPIED = {"hearing-notice": "1", "inspection-hq-1": "2", "cross-guideline": "3",
                   "selfinfo-api": "4", "inspection-manual": "5", "iss-proposal": "6",
                   "portal-api": "7", "ppc-guidance": "8", "dbwg-5": "9"}


def seed_lines(first: int, last: int) -> list[str]:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines[first - 1:last] if line.strip()]


def as_copied(paragraph) -> str:
    return "".join(CALLS_AS_COPIED[s.note] if isinstance(s, Call) else s for s in paragraph.spans)


def content_paragraphs(content) -> list[str]:
    paragraphs = [as_copied(p) for p in content.report.intro.paragraphs]
    for topic in content.topics:
        for question in topic.questions:
            if question.preamble:
                paragraphs += [as_copied(p) for p in question.preamble.paragraphs]
            for index, p in enumerate(question.text.paragraphs):
                prefix = f"({question.number}) " if question.number and index == 0 else ""
                paragraphs.append(prefix + as_copied(p))
        for part in topic.discussion:
            paragraphs += [as_copied(p) for p in part.text.paragraphs]
    for answer in content.answers:
        paragraphs += [as_copied(p) for p in answer.text.paragraphs]
    return paragraphs


def test_every_seed_paragraph_is_in_the_content_verbatim(built):
    headings = {f"{t.number}){t.heading}" for t in built.content.topics}
    headings |= {f"{t.number}) {t.heading}" for t in built.content.topics}
    headings |= {d.heading for t in built.content.topics for d in t.discussion}
    seed = [line for line in seed_lines(9, 11) + seed_lines(27, 94)
            if line not in LABELS and line not in headings]
    ours = content_paragraphs(built.content)
    assert sorted(ours) == sorted(seed)
    assert len(ours) == 40  # 3 introduction, 22 questions and answers, 15 discussion


def test_headings_are_the_reports(built):
    seed = set(seed_lines(27, 94))
    for topic in built.content.topics:
        assert f"{topic.number}){topic.heading}" in seed or f"{topic.number}) {topic.heading}" in seed
        for part in topic.discussion:
            assert part.heading in seed


def test_notes_are_verbatim_and_in_seed_order(built):
    notes = {n.id: n for n in built.content.notes}
    assert [n.id for n in built.content.notes] == SEED_NOTE_ORDER
    for number, line in enumerate(seed_lines(98, 114), start=1):
        assert line.startswith(f"*{number} ")
        assert notes[SEED_NOTE_ORDER[number - 1]].text == line[len(f"*{number} "):]


def test_only_known_urls(built):
    urls = {n.id: n.url for n in built.content.notes if n.url}
    assert urls == {
        "selfinfo-api": "https://myna.go.jp/html/api/selfinfo/index.html",
        "portal-api": "https://myna.go.jp/html/api/index.html",
        "dbwg-5": "https://www.digital.go.jp/councils/mynumber-digital-basis-wg/72b46e0b-fbce-43a6-bd27-f0420b5064a2/",
    }


def test_content_files_hold_no_digit_calls():
    for path in (ROOT / "content").rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        for glued in ("ヒアリング1 ", "資料22 ", "」3 ", "いる4。", "版】5", "」6 ", "いるが7", "いる8", "できる9。"):
            assert glued not in text, f"{path}: a flattened call digit '{glued}' is left in the text"
