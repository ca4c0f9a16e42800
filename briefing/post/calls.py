"""Find the note calls the copied post flattened into digits, and restore them as [^id].

Notes are numbered in order of first call, so the calls are chosen together: the most
plausible reading of every run of digits in which note 1 is first called, then note 2, and
so on. A reading is `clear` when the digits stand right after a word or closing mark and
before a space, a punctuation mark or the end of the line, and nothing else can be meant;
`doubtful` when the digits might also be part of a name (資料2); `weak` when text follows
the digits at once (4情報); `unlikely` for a count or date (9月, 30名, 第3回).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..i18n import N_, _
from ..project import display
from .names import Names
from .parts import Note, Para, Post, misfit

DIGITS = re.compile(r"[0-9]+")
UNITS = set("月日年度名回条項号件人歳時分秒%％割倍版枚頁円万億千百点つヶか箇")
AFTER_CALL = set("。、，．,.!！?？)）」』】〕]>》…:：;；・/「『【(（")
OPENING = set("(（「『【〔[<《")
NUMBERED_NAMES = ("資料", "図", "表", "別紙", "別添", "参考", "附則", "No", "No.")
FIRST_CALL = {"clear": 10, "doubtful": 4, "weak": -20, "unlikely": -40}
CALL_AGAIN = {"clear": 8, "doubtful": -1, "weak": -60, "unlikely": -100}
UNCALLED = -100  # a note the text never calls: the last resort
TO_CHECK = {
    "doubtful": N_("the digits may be part of a name"),
    "weak": N_("text follows the digits at once"),
    "unlikely": N_("the digits read like a count or a date"),
}


@dataclass(frozen=True)
class Reading:
    """One way to read a run of digits: the digits from `start` to `end` are a call of `note`."""

    para: Para
    run: tuple[int, int]  # the whole run of digits in the paragraph
    start: int  # `run[0]` to `start`: digits that stay text (資料2 in 資料22)
    note: int
    kind: str

    @property
    def end(self) -> int:
        """Where the call's digits end: the run's end."""
        return self.run[1]


@dataclass(frozen=True)
class Placement:
    """A call restored (or digits left as text, `note` 0) and why it needs checking, if it does."""

    para: Para
    start: int
    end: int
    note: int
    doubt: str = ""  # empty: certain


@dataclass(frozen=True)
class Restored:
    """A paragraph with its calls restored as [^id], and the spots in it an editor should check."""

    text: str
    gap: bool
    doubts: tuple[tuple[int, str], ...] = ()  # (offset in text, what to check)


def readings(para: Para, notes: tuple[Note, ...]) -> list[list[Reading]]:
    """Each run of digits in a paragraph that could hold a call, with every reading of it."""
    runs = []
    for match in DIGITS.finditer(para.text):
        start, end = match.span()
        if part_of_number(para.text, start, end) or start == 0:
            continue
        before = para.text[start - 1]
        if before.isspace() or before in OPENING:
            continue  # a number starting a word: a call is glued to the word it follows
        found = []
        for split in range(max(start, end - 4), end):  # a note's number has at most four digits
            number = int(para.text[split:end])
            if para.text[split] != "0" and number <= len(notes):
                found.append(Reading(para, (start, end), split, number,
                                     kind(para.text, start, split, end, notes[number - 1])))
        if found:
            runs.append(found)
    return runs


def part_of_number(text: str, start: int, end: int) -> bool:
    """Whether the digits are a piece of a decimal, a date or a time (2.1, 2023.9.28, 10:30)."""
    before = text[start - 2:start] if start >= 2 else ""
    after = text[end:end + 2]
    return (len(before) == 2 and before[0].isdigit() and before[1] in ".,:/") or \
        (len(after) == 2 and after[0] in ".,:/" and after[1].isdigit())


def kind(text: str, start: int, split: int, end: int, note: Note) -> str:
    """How plausible it is that text[split:end] is a call, the digits before it staying text."""
    after = text[end] if end < len(text) else ""
    if text[start - 1] == "第" or after in UNITS:
        return "unlikely"
    if after and not after.isspace() and after not in AFTER_CALL:
        return "weak"
    cited = text[max(0, start - 2):split]  # the cited word's end, with any digits kept as text
    if split > start:
        return "clear" if cited in note.text else "doubtful"  # 資料22: note 2 names 資料2
    named = text[:start].endswith(NUMBERED_NAMES) or cited + text[start:end] in note.text
    return "doubtful" if named else "clear"


def choose(runs: list[list[Reading]], count: int) -> tuple[list[Reading | None], list[int]]:
    """The most plausible reading of every run (None: text), notes first called in order; and the notes never called."""
    best: dict[int, float] = {0: 0.0}  # notes called so far → score
    steps: list[dict[int, tuple[int, Reading | None]]] = []
    for run in runs:
        step: dict[int, tuple[float, int, Reading | None]] = {}
        for called, score in best.items():
            options = [(score, called, None)]
            for reading in run:
                if reading.note <= called:
                    options.append((score + CALL_AGAIN[reading.kind], called, reading))
                else:
                    skipped = reading.note - called - 1
                    options.append((score + FIRST_CALL[reading.kind] + UNCALLED * skipped, reading.note, reading))
            for total, after, reading in options:
                if after not in step or total > step[after][0]:
                    step[after] = (total, called, reading)
        steps.append({after: (before, reading) for after, (total, before, reading) in step.items()})
        best = {after: total for after, (total, before, reading) in step.items()}
    called = max(best, key=lambda n: (best[n] + UNCALLED * (count - n), -n))
    chosen: list[Reading | None] = []
    for step in reversed(steps):
        called, reading = step[called]
        chosen.append(reading)
    chosen.reverse()
    first = {r.note for r in chosen if r}
    return chosen, [n for n in range(1, count + 1) if n not in first]


def place_calls(post: Post) -> tuple[list[Placement], list[int]]:
    """Every call restored and every run of digits worth a second look; and the notes never called."""
    runs = [run for para in post.running_text() for run in readings(para, post.notes)]
    chosen, uncalled = choose(runs, len(post.notes))
    placements = []
    called: set[int] = set()
    for run, reading in zip(runs, chosen):
        if reading:
            again = _("note {note} is called before it: a second call is not certain").format(note=reading.note) \
                if reading.note in called else ""
            placements.append(Placement(reading.para, reading.start, reading.end, reading.note,
                                        _(TO_CHECK[reading.kind]) if reading.kind in TO_CHECK else again))
            called.add(reading.note)
        elif sure := [r for r in run if r.kind in ("clear", "doubtful")]:
            placements.append(Placement(sure[0].para, sure[0].run[0], sure[0].end, 0,
                                        _("it could call note {note}").format(note=sure[-1].note)))
    return placements, uncalled


def restore(post: Post, named: Names) -> tuple[dict[int, Restored], list[tuple[int, str]]]:
    """Every paragraph of running text with its calls restored, by line; and the notes never called."""
    placements, uncalled = place_calls(post)
    at_line: dict[int, list[Placement]] = {}
    for placement in placements:
        at_line.setdefault(placement.para.line, []).append(placement)
    restored = {}
    for para in post.running_text():
        if "[^" in para.text:
            raise misfit(post.path, para.line, para.column + para.text.index("[^"),
                         _("'[^' would read as a note call in the content: reword it"))
        restored[para.line] = restore_para(post, para, at_line.get(para.line, []), named.notes)
    return restored, [(n, named.notes[n]) for n in uncalled]


def restore_para(post: Post, para: Para, placements: list[Placement], notes: dict[int, str]) -> Restored:
    """One paragraph's calls as [^id]; a doubt for each placement that is not certain."""
    pieces: list[str] = []
    doubts = []
    at = 0
    for placement in sorted(placements, key=lambda p: p.start):
        pieces.append(para.text[at:placement.start])
        offset = sum(map(len, pieces))
        call = f"[^{notes[placement.note]}]" if placement.note else para.text[placement.start:placement.end]
        pieces.append(call)
        at = placement.end
        if placement.doubt:
            before, after = para.text[max(0, placement.start - 8):placement.start], para.text[at:at + 3]
            where = f"{display(post.path)}:{para.line}:{para.column + placement.start}"
            read = _("read as 「{text}」").format(text=before + call + after) if placement.note else _("left as text")
            doubts.append((offset, _("note call: 「{text}」 ({where}) {read}, but {doubt}").format(
                text=before + para.text[placement.start:at] + after, where=where, read=read, doubt=placement.doubt)))
    pieces.append(para.text[at:])
    return Restored("".join(pieces), para.gap, tuple(doubts))
