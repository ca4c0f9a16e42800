"""Turn a published report post into content files: read the post, restore its note calls, plan and write YAML.

A post is the group's web page copied out as text (the seed: ../shared/seed/). Its structure
is recovered line by line, every sentence kept as it stands. On the copy each footnote call
became plain digits glued to the word before it; calls are restored as `[^id]` where the text
leaves no doubt, and every other placement is written with a YAML comment and returned as a
warning that points into the written file. Nothing is written until the whole post is read
and every file is planned.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import load
from .errors import BriefingError, ContentError, Problem, Where
from .i18n import N_, _
from .models import Body, Hearing, place
from .project import display, scan_content
from .write import write_atomic

# ---------------------------------------------------------------------------------------------
# The post as read: its parts in the order they stand, each paragraph with its line.

BYLINE = re.compile(r"post by (\S+) at ([0-9]{4})\.([0-9]{1,2})\.([0-9]{1,2}) (#[0-9]+)")
SERIES = re.compile(r"●(.+)")
SERIES_DATE = re.compile(r"\(([0-9]{4})\.([0-9]{1,2})\.([0-9]{1,2})\)")
LINK = re.compile(r"»\s*(.+)")
SECTION = re.compile(r"【[^【】]+】")
ANSWERS = re.compile(r"【(.+)からの回答】")
DISCUSSION = "【回答に対する質疑と会場意見など】"
TOPIC = re.compile(r"([0-9０-９]+)[)）]\s*(.+)")
QUESTION = re.compile(r"[(（]質問[)）]")
ANSWER = re.compile(r"[(（](.+)の回答[)）]")
NUMBERED = re.compile(r"[(（]([0-9０-９]+)[)）]\s*")
NOTES = ("Note", "Notes", "注")
NOTE = re.compile(r"\*([0-9]+)\s+(.+)")
FOOTER = re.compile(r"(?:(?:twitter|facebook)@\S+\s*)+|次の記事\s*«\s*»\s*前の記事")
REMARK = "※"  # a remark of the group's, such as 「※この質問については後日回答…」


@dataclass(frozen=True)
class Para:
    """A paragraph of the post: one line's text, leading spaces aside; `gap`: a blank line before it."""

    text: str
    line: int
    column: int  # where the text starts on its line, 1-based
    gap: bool = False


@dataclass(frozen=True)
class Reply:
    """What follows a question for one body: its answer, or a remark that the answer is awaited."""

    body: str  # the body as the post names it
    paragraphs: tuple[Para, ...]
    line: int


@dataclass(frozen=True)
class Question:
    """A (質問) block: its preamble, its number (n), its text, and each body's reply."""

    line: int
    preamble: tuple[Para, ...]
    number: int | None
    text: tuple[Para, ...]
    answers: tuple[Reply, ...]
    remarks: tuple[Reply, ...]  # questions still awaiting their answer, as the post says


@dataclass(frozen=True)
class Topic:
    """A numbered topic 「N)…について」 of a 【…からの回答】 section, with its questions."""

    line: int
    number: int
    heading: str
    section: str  # the body whose answers the section gives, as the post names it
    section_line: int
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Discussion:
    """A headed part of 【回答に対する質疑と会場意見など】."""

    line: int
    heading: str
    paragraphs: tuple[Para, ...]


@dataclass(frozen=True)
class Note:
    """A note `*N text` of the Note section."""

    number: int
    text: str
    line: int


@dataclass(frozen=True)
class Post:
    """A report post, read: every part it holds, verbatim, with the line it stands on."""

    path: Path
    site: str
    author: str
    posted: datetime.date
    post: str  # the post's number on the site, "#360"
    tags: tuple[str, ...]
    title: str
    series_title: str
    intro: tuple[Para, ...]
    series_heading: str
    series_line: int
    held: datetime.date  # the hearing's date, as the series heading gives it
    bodies: tuple[str, ...]  # the series' parts, one body each, in order
    topics: tuple[Topic, ...]
    discussion: tuple[Discussion, ...]
    notes: tuple[Note, ...]

    def running_text(self) -> list[Para]:
        """Every paragraph that may call a note, in the order of the post's lines."""
        paragraphs = list(self.intro)
        for topic in self.topics:
            for question in topic.questions:
                paragraphs += [*question.preamble, *question.text]
                paragraphs += [p for reply in (*question.answers, *question.remarks) for p in reply.paragraphs]
        paragraphs += [p for part in self.discussion for p in part.paragraphs]
        return sorted(paragraphs, key=lambda p: p.line)


class Lines:
    """The post's lines and a cursor over them; `fail` names the line that does not fit the form."""

    def __init__(self, path: Path, lines: list[str]):
        self.path = path
        self.lines = lines
        self.at = 0

    @property
    def number(self) -> int:
        """The line at the cursor, 1-based."""
        return self.at + 1

    def peek(self, ahead: int = 0) -> str | None:
        """The line `ahead` of the cursor (before it, if negative); None past either end."""
        index = self.at + ahead
        return self.lines[index] if 0 <= index < len(self.lines) else None

    def take(self) -> str:
        """The line at the cursor; the cursor moves on."""
        self.at += 1
        return self.lines[self.at - 1]

    def skip_blank(self) -> None:
        """Move the cursor past blank lines."""
        while (line := self.peek()) is not None and not line.strip():
            self.at += 1

    def fail(self, expected: str, number: int | None = None):
        """Raise ContentError: the line `number` (the cursor's) is not what the form has there."""
        number = number or self.number
        found = self.lines[number - 1].strip() if number <= len(self.lines) else ""
        shown = _("found '{line}'").format(line=found[:40] + ("…" if len(found) > 40 else "")) if found \
            else _("found the end of the post")
        raise ContentError([Problem(Where(display(self.path), min(number, len(self.lines)), 1),
                                    _("not a report post as expected: {expected}; {found}")
                                    .format(expected=expected, found=shown))])


def read_post(path: Path) -> Post:
    """Read a report post (UTF-8, with or without BOM, any line ends); raise ContentError at the first misfit."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise BriefingError(_("{path} cannot be read ({reason})").format(path=display(path),
                                                                          reason=error.strerror or error)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ContentError([Problem(Where(display(path), line, 1), _("not UTF-8 text: save the post as UTF-8"))]) from None
    lines = Lines(path, text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    header = read_header(lines)
    intro = read_paragraphs(lines, lambda at: at.peek().lstrip().startswith("●"))
    if not intro or lines.peek() is None:
        lines.fail(_("an introduction after the title, then the series heading '●…'"))
    series_line = lines.number
    series_heading, held, bodies = read_series(lines)
    topics, discussion = read_sections(lines)
    notes = read_notes(lines)
    post = Post(path=path, **header, intro=intro, series_heading=series_heading, series_line=series_line,
                held=held, bodies=bodies, topics=topics, discussion=discussion, notes=notes)
    check_bodies(post)
    return post


def read_header(lines: Lines) -> dict:
    """The site name, the byline, the tags, the title and the series title."""
    lines.skip_blank()
    if lines.peek() is None:
        lines.fail(_("the site's name on the first line"))
    site = lines.take().strip()
    lines.skip_blank()
    byline = BYLINE.fullmatch((lines.peek() or "").strip())
    if not byline:
        lines.fail(_("a line 'post by AUTHOR at YYYY.MM.DD #N' after the site name"))
    lines.take()
    tags = tuple(lines.take().split()) if (lines.peek() or "").strip() else ()
    lines.skip_blank()
    title, series_title = (lines.peek() or "").strip(), (lines.peek(1) or "").strip()
    if not title or not series_title:
        lines.fail(_("the title, then the series title on the next line"), lines.number + bool(title))
    lines.at += 2
    author, year, month, day, number = byline.groups()
    try:
        posted = datetime.date(int(year), int(month), int(day))
    except ValueError:
        lines.fail(_("a real date in 'post by AUTHOR at YYYY.MM.DD #N'"), lines.number - 3)
    return dict(site=site, author=author, posted=posted, post=number, tags=tags, title=title,
                series_title=series_title)


def paragraph(line: str, number: int, gap: bool) -> Para:
    """A line of running text as a paragraph, its leading and trailing spaces aside."""
    text = line.strip()
    return Para(text, number, len(line) - len(line.lstrip()) + 1, gap)


def read_paragraphs(lines: Lines, stop) -> tuple[Para, ...]:
    """Lines of running text up to one that `stop` (given the cursor) ends at; blank lines between leave a gap."""
    paragraphs: list[Para] = []
    gap = False
    while (line := lines.peek()) is not None:
        if not line.strip():
            gap = bool(paragraphs)
            lines.take()
            continue
        if stop(lines):
            break
        paragraphs.append(paragraph(line, lines.number, gap))
        gap = False
        lines.take()
    return tuple(paragraphs)


def read_series(lines: Lines) -> tuple[str, datetime.date, tuple[str, ...]]:
    """「●…(YYYY.M.D)」, the hearing's date, and its links 「» BODY」, one per part of the series."""
    heading = SERIES.fullmatch(lines.take().strip()).group(1).strip()
    try:
        held = datetime.date(*map(int, SERIES_DATE.search(heading).groups()))
    except (AttributeError, ValueError):
        lines.fail(_("a series heading with the hearing's date, such as ●省庁ヒアリングの報告(2023.9.28)"), lines.number - 1)
    bodies = []
    while True:
        lines.skip_blank()
        link = LINK.fullmatch((lines.peek() or "").strip())
        if not link:
            break
        bodies.append(link.group(1).strip())
        lines.take()
    if not bodies:
        lines.fail(_("links ' » BODY' to the parts of the series under the series heading"))
    return heading, held, tuple(bodies)


def section_end(line: str | None) -> bool:
    """Whether a section of answers or discussion ends before `line`."""
    if line is None:
        return True
    text = line.strip()
    return bool(SECTION.fullmatch(text)) or text in NOTES or bool(FOOTER.fullmatch(text))


def structure(lines: Lines) -> bool:
    """Whether the line at the cursor is a label, a topic or a section, not running text."""
    line = lines.peek()
    text = line.strip()
    return (section_end(line) or bool(QUESTION.fullmatch(text) or ANSWER.fullmatch(text))
            or (not line[0].isspace() and bool(TOPIC.fullmatch(text))))


def read_sections(lines: Lines) -> tuple[tuple[Topic, ...], tuple[Discussion, ...]]:
    """The 【…からの回答】 sections' topics and the 【回答に対する質疑と会場意見など】 parts, up to the notes."""
    topics: list[Topic] = []
    discussion: list[Discussion] = []
    while True:
        lines.skip_blank()
        line = lines.peek()
        text = (line or "").strip()
        if line is None or text in NOTES or FOOTER.fullmatch(text):
            break
        section_line = lines.number
        if text == DISCUSSION:
            lines.take()
            discussion += read_discussion(lines)
        elif answers := ANSWERS.fullmatch(text):
            lines.take()
            topics += read_topics(lines, answers.group(1).strip(), section_line)
        else:
            lines.fail(_("a section 【…からの回答】 or {discussion}, or the notes").format(discussion=DISCUSSION))
    if not topics:
        lines.fail(_("a section 【…からの回答】 with numbered topics before this"))
    return tuple(topics), tuple(discussion)


def read_topics(lines: Lines, section: str, section_line: int) -> list[Topic]:
    """The numbered topics of a 【…からの回答】 section, each with its questions and answers."""
    topics = []
    while True:
        lines.skip_blank()
        if section_end(lines.peek()):
            break
        line = lines.take()
        start = lines.number - 1
        topic = TOPIC.fullmatch(line.strip())
        if not topic or line[0].isspace():
            lines.fail(_("a numbered topic such as '1)…について'"), start)
        questions = []
        lines.skip_blank()
        while (line := lines.peek()) is not None and QUESTION.fullmatch(line.strip()):
            questions.append(read_question(lines))
        if not questions:
            lines.fail(_("(質問) under the topic"))
        topics.append(Topic(start, int(topic.group(1)), topic.group(2).strip(), section, section_line,
                            tuple(questions)))
    if not topics:
        lines.fail(_("a numbered topic such as '1)…について'"))
    return topics


def read_question(lines: Lines) -> Question:
    """A (質問) block and the (…の回答) blocks after it."""
    start = lines.number
    lines.take()
    asked = read_paragraphs(lines, structure)
    if not asked:
        lines.fail(_("the question's text after (質問)"))
    replies = []
    while (line := lines.peek()) is not None and (label := ANSWER.fullmatch(line.strip())):
        at = lines.number
        lines.take()
        replies.append(Reply(label.group(1).strip(), read_paragraphs(lines, structure), at))
        if not replies[-1].paragraphs:
            lines.fail(_("the answer's text after {label}").format(label=line.strip()))
    preamble, number, text = numbered(asked)
    answers = tuple(r for r in replies if not remark(r.paragraphs))
    remarks = tuple(r for r in replies if remark(r.paragraphs))
    if not replies and len(text) > 1 and remark(text[-1:]):  # 「※…後日回答」 standing in for the answer
        tail = len(text) - next(i for i, p in enumerate(reversed(text)) if not remark([p]))
        text, remarks = text[:tail], (Reply("", text[tail:], text[tail].line),)
    return Question(start, preamble, number, text, answers, remarks)


def remark(paragraphs) -> bool:
    """Whether these paragraphs are all the group's remarks (※…), not words of a body."""
    return all(p.text.startswith(REMARK) for p in paragraphs)


def numbered(paragraphs: tuple[Para, ...]) -> tuple[tuple[Para, ...], int | None, tuple[Para, ...]]:
    """Split a question at its first '(n)': the preamble before, the number, the text from there."""
    for index, para in enumerate(paragraphs):
        if match := NUMBERED.match(para.text):
            first = Para(para.text[match.end():], para.line, para.column + match.end())
            if first.text:
                return paragraphs[:index], int(match.group(1)), (first, *paragraphs[index + 1:])
    return (), None, paragraphs


def read_discussion(lines: Lines) -> list[Discussion]:
    """The headed parts of the discussion section: a heading on a line of its own, then paragraphs."""
    parts = []
    while True:
        lines.skip_blank()
        line = lines.peek()
        if section_end(line):
            return parts
        if line[0].isspace():
            lines.fail(_("a heading for this part of the discussion (a line of its own, not indented)"))
        start = lines.number
        lines.take()
        paragraphs = read_paragraphs(lines, lambda at: section_end(at.peek()) or discussion_heading(at))
        if not paragraphs:
            lines.fail(_("paragraphs under the discussion heading"), start + 1)
        parts.append(Discussion(start, line.strip(), paragraphs))


def discussion_heading(lines: Lines) -> bool:
    """Whether the line at the cursor is a heading: not indented, with a blank line before and after."""
    line, before, after = lines.peek(), lines.peek(-1), lines.peek(1)
    return not line[0].isspace() and not (before or "").strip() and not (after or "").strip()


def read_notes(lines: Lines) -> tuple[Note, ...]:
    """The Note section's `*N text` lines, numbered 1, 2, 3…; the site's footer after them is not content."""
    notes: list[Note] = []
    if (lines.peek() or "").strip() in NOTES:
        lines.take()
        while True:
            lines.skip_blank()
            line = lines.peek()
            if line is None or FOOTER.fullmatch(line.strip()):
                break
            note = NOTE.fullmatch(line.strip())
            if not note or int(note.group(1)) != len(notes) + 1:
                lines.fail(_("note *{number} as '*{number} text', on one line").format(number=len(notes) + 1))
            notes.append(Note(len(notes) + 1, note.group(2).strip(), lines.number))
            lines.take()
    if lines.peek() is not None and not FOOTER.fullmatch(lines.peek().strip()):
        lines.fail(_("the Note section, or the site's footer"))
    return tuple(notes)


# ---------------------------------------------------------------------------------------------
# Note calls: which runs of digits in running text are flattened calls, and how sure that is.
#
# Notes are numbered in order of first call, so the calls are chosen together: the most
# plausible reading of every run of digits in which note 1 is first called, then note 2, and
# so on. A reading is `clear` when the digits stand right after a word or closing mark and
# before a space, a punctuation mark or the end of the line, and nothing else can be meant;
# `doubtful` when the digits might also be part of a name (資料2); `weak` when text follows
# the digits at once (4情報); `unlikely` for a count or date (9月, 30名, 第3回).

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


# ---------------------------------------------------------------------------------------------
# Discussion parts: under which topic each belongs, by the words it shares with the topic.

SURE_MARGIN = 2.0  # the best topic must share twice the (weighted) words of the next one


def discussion_topics(post: Post) -> list[tuple[int, str]]:
    """For each discussion part, the index of its topic and, if the words leave doubt, why."""
    topics = [grams(topic.heading + "".join(p.text for q in topic.questions for p in asked_and_answered(q)))
              for topic in post.topics]
    share = Counter(g for t in topics for g in set(t))
    weight = {g: math.log((1 + len(topics)) / (1 + n)) for g, n in share.items()}
    placed, last = [], 0
    for part in post.discussion:
        same = [i for i, t in enumerate(post.topics) if t.heading == part.heading]
        words = grams(part.heading + "".join(p.text for p in part.paragraphs))
        scores = [sum(weight[g] * min(n, t[g]) for g, n in words.items() if g in t) for t in topics]
        best = same[0] if same else max(range(len(scores)), key=scores.__getitem__)
        runner_up = max((s for i, s in enumerate(scores) if i != best), default=None)
        doubt = ""
        if not same and runner_up is not None and scores[best] <= SURE_MARGIN * runner_up:
            doubt = _("its words do not tell one topic from the others")
        elif best < last:
            doubt = _("it stands after the discussion of a later topic")
        placed.append((best, doubt))
        last = max(last, best)
    return placed


def asked_and_answered(question: Question) -> tuple[Para, ...]:
    """A question's paragraphs and its answers'."""
    return (*question.preamble, *question.text, *(p for answer in question.answers for p in answer.paragraphs))


def grams(text: str) -> Counter:
    """The text's pairs of characters that carry meaning: not spaces, digits, kana particles or punctuation."""
    text = re.sub(r"[\s0-9]", "", text)
    return Counter(text[i:i + 2] for i in range(len(text) - 1)
                   if not re.fullmatch(r"[\u3040-\u309f、。「」()（）・]+", text[i:i + 2]))


# ---------------------------------------------------------------------------------------------
# The project as it is: what it holds already, and which files an earlier import of this post wrote.

STAMP = re.compile(r"# briefing import: post (#[0-9]+), part [0-9]+; ([0-9a-f]{16})\b")


@dataclass
class Existing:
    """What a content folder holds, apart from the files an earlier import of this post wrote (`ours`)."""

    hearing: Hearing | None = None
    report: bool = False
    posts: set[str] = field(default_factory=set)  # the post numbers of the reports written by hand
    bodies: list[Body] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)  # text → id
    topics: dict[str, int] = field(default_factory=dict)  # id → number
    questions: set[str] = field(default_factory=set)
    ours: dict[Path, bool] = field(default_factory=dict)  # → edited since it was written
    numbers: dict[str, int] = field(default_factory=dict)  # our topics' numbers: id → number

    def add(self, name: str, value) -> None:
        """Take in one section read from a file."""
        if name == "hearing":
            self.hearing = self.hearing or value
        elif name == "report":
            self.report = True
            self.posts.add(value.post)
        elif name == "bodies":
            self.bodies += value
        elif name == "notes":
            self.notes.update((n.text, n.id) for n in value)
        elif name == "topics":
            self.topics.update((t.id, t.number) for t in value)
            self.questions.update(q.id for t in value for q in t.questions)
        elif name == "questions":
            self.questions.update(q.id for q in value)


def read_project(content_dir: Path, post: str) -> Existing:
    """Read the content folder's files as they are; raise ContentError if one has errors."""
    files, problems = scan_content(content_dir)
    existing = Existing()
    for path in files:
        data = path.read_bytes()
        read = load.read_file(path, data)
        sections = [(name, value) for name, where, value in read.items if value is not load.INVALID]
        first, newline, rest = data.partition(b"\n")
        stamp = STAMP.match(first.decode("utf-8", "replace"))
        if stamp and stamp.group(1) == post:
            existing.ours[path] = stamp.group(2) != digest(rest)
            existing.numbers.update((t.id, t.number) for name, value in sections if name == "topics" for t in value)
            continue
        problems += read.problems
        for name, value in sections:
            existing.add(name, value)
    errors = [p for p in problems if not p.warning]
    if errors:
        raise ContentError(errors)
    return existing


def digest(data: bytes) -> str:
    """The short digest a stamp records of a file's bytes after the stamp."""
    return hashlib.sha256(data).hexdigest()[:16]


# ---------------------------------------------------------------------------------------------
# Names: the bodies, notes, topics and questions of the post, as the project will call them.

KNOWN_BODIES = {  # name: (id, the short name reports use)
    "厚生労働省": ("mhlw", "厚労省"),
    "総務省": ("soumu", ""),
    "デジタル庁": ("digital", ""),
    "個人情報保護委員会": ("ppc", "個情委"),
    "内閣府": ("cao", ""),
    "法務省": ("moj", ""),
    "財務省": ("mof", ""),
    "文部科学省": ("mext", "文科省"),
    "経済産業省": ("meti", "経産省"),
    "国土交通省": ("mlit", "国交省"),
    "警察庁": ("npa", ""),
    "国税庁": ("nta", ""),
    "金融庁": ("fsa", ""),
    "こども家庭庁": ("cfa", ""),
    "地方公共団体情報システム機構": ("j-lis", "J-LIS"),
}


@dataclass
class Names:
    """How the project names the post's bodies, notes, topics and questions."""

    part: int
    bodies: dict[str, str]  # the post's body names (and the short names it uses) → id
    new_bodies: list[Body]
    notes: dict[int, str]  # note number → id
    new_notes: list[Note]  # notes the project does not hold yet
    topics: list[tuple[str, int]]  # for each topic of the post: id and number
    questions: dict[int, str]  # a question's line in the post → id


def body_of(name: str, bodies: tuple[str, ...]) -> str | None:
    """The series' name for a body the post names, in full or by its short name."""
    if name in bodies:
        return name
    return next((b for b in bodies if KNOWN_BODIES.get(b, ("", ""))[1] == name), None)


def check_bodies(post: Post) -> None:
    """Every body a section or a label names must be one of the series' parts, replying once to a question."""
    for topic in post.topics:
        series_body(post, topic.section, topic.section_line)
        for question in topic.questions:
            replied: set[str] = set()
            for reply in sorted((*question.answers, *question.remarks), key=lambda r: r.line):
                body = series_body(post, reply.body or topic.section, reply.line)
                if body in replied:
                    raise ContentError([Problem(Where(display(post.path), reply.line, 1), _(
                        "a second reply of {body} to the question of line {line}: one reply per body, or a (質問) "
                        "before each round").format(body=body, line=question.line))])
                replied.add(body)


def series_body(post: Post, name: str, line: int) -> str:
    """The series' name for the body that line `line` names; raise ContentError if it names none of them."""
    if found := body_of(name, post.bodies):
        return found
    raise ContentError([Problem(Where(display(post.path), line, 1), _(
        "'{name}' is not one of the bodies listed under ●{heading} (line {line}): {bodies}").format(
            name=name, heading=post.series_heading, line=post.series_line, bodies=", ".join(post.bodies)))])


def names(post: Post, existing: Existing) -> Names:
    """Ids for everything the post holds: those the project has already, new ones for the rest."""
    bodies, new_bodies = body_ids(post, existing)
    part = post.bodies.index(body_of(post.topics[0].section, post.bodies)) + 1
    taken = set(existing.notes.values())
    notes, new_notes = {}, []
    for note in post.notes:
        if note.text in existing.notes:
            notes[note.number] = existing.notes[note.text]
        else:
            notes[note.number] = free(f"part{part}-note{note.number}", taken)
            new_notes.append(note)
    topics, questions = topic_ids(post, existing, bodies, part)
    return Names(part, bodies, new_bodies, notes, new_notes, topics, questions)


def body_ids(post: Post, existing: Existing) -> tuple[dict[str, str], list[Body]]:
    """The id of every body of the series, and the bodies the project lacks."""
    known = {name: b.id for b in existing.bodies for name in (b.name, b.short) if name}
    taken = {b.id for b in existing.bodies}
    words = " ".join(p.text for p in post.running_text())
    ids, new = {}, []
    for position, name in enumerate(post.bodies, 1):
        made, short = KNOWN_BODIES.get(name, (f"body-{position}", ""))
        short = short if short and short in words else None
        ids[name] = known.get(name) or known.get(short or "")
        if not ids[name]:
            ids[name] = free(made, taken)
            new.append(Body(ids[name], name, short))
        if short:
            ids[short] = ids[name]
    return ids, new


def topic_ids(post: Post, existing: Existing, bodies: dict[str, str], part: int):
    """Each topic's id and number (after the project's own), and each question's id."""
    topic_ids, question_ids = set(existing.topics), set(existing.questions)
    numbers = set(existing.topics.values())
    offset = max(numbers, default=0)
    topics, questions = [], {}
    for topic in post.topics:
        made = f"{bodies[body_of(topic.section, post.bodies)]}-{topic.number}"
        topic_id = free(made if made not in topic_ids else f"{made}-part{part}", topic_ids)
        number = existing.numbers.get(topic_id) or topic.number + offset
        number = number if number not in numbers else max(numbers) + 1
        numbers.add(number)
        topics.append((topic_id, number))
        for index, question in enumerate(topic.questions, 1):
            wanted = topic_id if len(topic.questions) == 1 else f"{topic_id}-{question.number or index}"
            questions[question.line] = free(wanted, question_ids)
    return topics, questions


def free(wanted: str, taken: set[str]) -> str:
    """`wanted`, or `wanted-2`, `wanted-3`… if it is taken; the id is taken as well."""
    chosen = wanted
    count = 1
    while chosen in taken:
        count += 1
        chosen = f"{wanted}-{count}"
    taken.add(chosen)
    return chosen


# ---------------------------------------------------------------------------------------------
# The content files: YAML written line by line, each warning pointing at its line and column.

@dataclass(frozen=True)
class Restored:
    """A paragraph with its calls restored as [^id], and the spots in it an editor should check."""

    text: str
    gap: bool
    doubts: tuple[tuple[int, str], ...] = ()  # (offset in text, what to check)


def restore(post: Post, named: Names) -> tuple[dict[int, Restored], list[tuple[int, str]]]:
    """Every paragraph of running text with its calls restored, by line; and the notes never called."""
    placements, uncalled = place_calls(post)
    at_line: dict[int, list[Placement]] = {}
    for placement in placements:
        at_line.setdefault(placement.para.line, []).append(placement)
    restored = {}
    for para in post.running_text():
        if "[^" in para.text:
            raise ContentError([Problem(Where(display(post.path), para.line, para.column + para.text.index("[^")),
                                        _("'[^' would read as a note call in the content: reword it"))])
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


def scalar(value: str, flow: bool = False) -> str:
    """`value` as a YAML scalar: plain when it reads back the same, else double-quoted."""
    if value == value.strip() and not (flow and any(c in value for c in ",[]{}")):
        try:
            if yaml.load(f"k: {value}", Loader=load.LOADER) == {"k": value}:
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)


def flow(values) -> str:
    """A YAML flow list: [a, b, c]."""
    return "[" + ", ".join(scalar(v, flow=True) for v in values) + "]"


class Writer:
    """One content file's YAML, line by line, with the warnings that point into it."""

    def __init__(self, path: Path, about: str):
        self.path = path
        self.lines = ["", f"# {about}"]  # line 1 is the import's stamp
        self.warnings: list[Problem] = []

    def add(self, indent: int, text: str = "") -> int:
        """Append a line; return its number."""
        self.lines.append(" " * indent + text if text else "")
        return len(self.lines)

    def pair(self, indent: int, key: str, value: str, item: bool = False, check: str = "") -> int:
        """`key: value` (a list's item when `item`); `check`: a comment above it and a warning at the value."""
        if check:
            self.add(indent, f"# check: {check}")
        line = self.add(indent, f"{'- ' if item else ''}{key}: {value}")
        if check:
            self.warn(line, indent + 2 * item + len(key) + 3, check)
        return line

    def warn(self, line: int, column: int, message: str) -> None:
        """A warning at a line and column of this file."""
        self.warnings.append(Problem(Where(display(self.path), line, column), message, warning=True))

    def text(self, indent: int, key: str, paragraphs: list[Restored]) -> None:
        """Running text after `key: |`: blank lines between paragraphs, two before a gap; checks above the key."""
        for para in paragraphs:
            for offset, message in para.doubts:
                self.add(indent, f"# check: {message}")
        self.add(indent, f"{key}: |")
        for index, para in enumerate(paragraphs):
            if index:
                self.add(0)
                if para.gap:
                    self.add(0)
            line = self.add(indent + 2, para.text)
            for offset, message in para.doubts:
                self.warn(line, indent + 3 + offset, message)

    def data(self, post: Post, part: int) -> bytes:
        """The file's bytes, headed by the stamp that tells a later import whether it was edited."""
        while self.lines[-1] == "":
            self.lines.pop()
        body = ("\n".join(self.lines[1:]) + "\n").encode("utf-8")
        stamp = (f"# briefing import: post {post.post}, part {part}; {digest(body)} "
                 + _("(edit freely: an import never overwrites an edited file)") + "\n")
        return stamp.encode("utf-8") + body


HELD_THROUGH = re.compile(r"([^、。\s]+?)を通じて")
PARTICIPANTS = re.compile(r"(約?[0-9０-９]+名)の参加")
TO_FILL = "（要記入）"


def report_file(writer: Writer, post: Post, named: Names, texts: dict[int, Restored], missing: list[str]) -> Writer:
    """The hearing and the report, as far as the project lacks them."""
    ids = [named.bodies[name] for name in post.bodies]
    if "hearing" in missing:
        intro = " ".join(p.text for p in post.intro)
        writer.add(0, "hearing:")
        writer.pair(2, "title", scalar(post.series_title))
        writer.pair(2, "date", post.held.isoformat())
        for key, pattern, missing_words in (
                ("held_through", HELD_THROUGH, N_("the introduction does not say through whom the hearing was held: "
                                                  "fill it in")),
                ("participants", PARTICIPANTS, N_("the introduction does not say how many took part: fill it in"))):
            found = pattern.search(intro)
            writer.pair(2, key, scalar(found.group(1) if found else TO_FILL), check="" if found else _(missing_words))
        writer.pair(2, "bodies", flow(ids))
        writer.add(0)
    if "report" in missing:
        writer.add(0, "report:")
        for key, value in (("site", scalar(post.site)), ("author", scalar(post.author)),
                           ("posted", post.posted.isoformat()), ("post", scalar(post.post)),
                           ("title", scalar(post.title)), ("part", str(named.part)), ("tags", flow(post.tags))):
            writer.pair(2, key, value)
        writer.text(2, "intro", [texts[p.line] for p in post.intro])
        writer.add(0)
        writer.add(2, "series:")
        writer.pair(4, "heading", scalar(post.series_heading))
        writer.pair(4, "parts", flow(ids))
    return writer


def bodies_file(writer: Writer, bodies: list[Body]) -> Writer:
    """The bodies the project does not hold yet."""
    writer.add(0, "bodies:")
    for body in bodies:
        if body.name not in KNOWN_BODIES:
            writer.add(2, "# " + _("an id made up by the import: any other (a-z, 0-9, -) will do, the same in every file"))
        writer.pair(2, "id", body.id, item=True)
        writer.pair(4, "name", scalar(body.name))
        if body.short:
            writer.pair(4, "short", scalar(body.short))
    return writer


def notes_file(writer: Writer, named: Names, uncalled: list[tuple[int, str]]) -> Writer:
    """The notes the project does not hold yet, verbatim; one never called is flagged."""
    writer.add(0, "notes:")
    never = dict(uncalled)
    for note in named.new_notes:
        check = _("note *{number} is never called in the post: cite it as [^{id}] where it belongs").format(
            number=note.number, id=never[note.number]) if note.number in never else ""
        writer.pair(2, "id", named.notes[note.number], item=True, check=check)
        writer.pair(4, "text", scalar(note.text))
    return writer


def topics_file(writer: Writer, post: Post, named: Names, texts: dict[int, Restored], later: bool) -> Writer:
    """The topics: each question with the bodies it was put to, and the discussion under each topic."""
    if later:
        own_report(writer, post, texts)
    writer.add(0, "topics:")
    placed = discussion_topics(post)
    for index, (topic, (topic_id, number)) in enumerate(zip(post.topics, named.topics)):
        writer.pair(2, "id", topic_id, item=True)
        if number != topic.number:
            writer.add(4, "# " + _("{number}) in the post: numbered after the topics before it").format(number=topic.number))
        writer.pair(4, "number", str(number))
        writer.pair(4, "heading", scalar(topic.heading))
        writer.pair(4, "title", scalar(topic.heading.removesuffix("について") or topic.heading))
        writer.add(4, "questions:")
        for question in topic.questions:
            question_item(writer, post, topic, question, named, texts)
        parts = [(p, doubt) for p, (i, doubt) in zip(post.discussion, placed) if i == index]
        remarks = [(q, r) for q in topic.questions for r in q.remarks]
        if parts or remarks:
            writer.add(4, "discussion:")
        for question, reply in remarks:
            label = f"{f'({question.number}) ' if question.number else ''}{reply.body or topic.section}の回答"
            writer.pair(6, "heading", scalar(label), item=True, check=_(
                "the post gives no heading for its remark on a question still awaiting its answer: the remark stands "
                "here on the sheet, under this heading"))
            writer.text(8, "text", [texts[p.line] for p in reply.paragraphs])
        for part, doubt in parts:
            writer.pair(6, "heading", scalar(part.heading), item=True,
                        check=_("placed under this topic, but {doubt}").format(doubt=doubt) if doubt else "")
            writer.text(8, "text", [texts[p.line] for p in part.paragraphs])
        writer.add(0)
    return writer


def own_report(writer: Writer, post: Post, texts: dict[int, Restored]) -> None:
    """A later part's own title, byline, tags and introduction, as comments: the content holds one report."""
    writer.add(0, "# " + _("The post's own report, kept as it stands: the project's `report:` is an earlier part's."))
    writer.add(0, "#   " + _("{title} (post {post} of {posted}, by {author}; tags: {tags})").format(
        title=post.title, post=post.post, posted=post.posted, author=post.author, tags=" ".join(post.tags)))
    for para in post.intro:
        writer.add(0, f"#   {texts[para.line].text}")


def question_item(writer: Writer, post: Post, topic: Topic, question: Question, named: Names,
                  texts: dict[int, Restored]) -> None:
    """One question: to whom it was put (the bodies that answered, or whose answer is awaited), its words."""
    asked = [body_of(r.body or topic.section, post.bodies) for r in (*question.answers, *question.remarks)]
    to = list(dict.fromkeys(named.bodies[name] for name in asked or [body_of(topic.section, post.bodies)]))
    writer.pair(6, "id", named.questions[question.line], item=True)
    writer.pair(8, "to", flow(to))
    if question.preamble:
        writer.text(8, "preamble", [texts[p.line] for p in question.preamble])
    if question.number:
        writer.pair(8, "number", str(question.number))
    writer.text(8, "text", [texts[p.line] for p in question.text])


def answers_file(writer: Writer, post: Post, body: str, named: Names, texts: dict[int, Restored]) -> Writer:
    """One body's answers, in the order of the post."""
    writer.add(0, "answers:")
    for topic in post.topics:
        for question in topic.questions:
            for answer in question.answers:
                if named.bodies[body_of(answer.body, post.bodies)] == body:
                    writer.pair(2, "question", named.questions[question.line], item=True)
                    writer.pair(4, "body", body)
                    writer.text(4, "text", [texts[p.line] for p in answer.paragraphs])
                    writer.add(0)
    return writer


# ---------------------------------------------------------------------------------------------
# The plan: every file an import writes, decided before any is written.

@dataclass
class Plan:
    """An import, decided: the files it writes (and which of them it replaces), and what to check."""

    post: Post
    part: int
    files: dict[Path, bytes]
    replaced: list[Path]
    warnings: list[Problem]
    topics: int
    answers: int
    notes: int  # notes new to the project


def plan(post: Post, content_dir: Path, replace: bool = False) -> Plan:
    """Decide the import of `post` into `content_dir`; raise BriefingError rather than touch a file it may not."""
    existing = read_project(content_dir, post.post)
    if existing.ours and not replace:
        raise BriefingError(_("post {post} is in the project already ({files}): --replace imports it again over the "
                              "files its import wrote").format(post=post.post,
                                                               files=", ".join(map(display, existing.ours))))
    if post.post in existing.posts:
        raise BriefingError(_("post {post} is in the project already, written by hand: its report section "
                              "names it; import it into a new project's content instead").format(post=post.post))
    named = names(post, existing)
    warnings = same_hearing(post, existing, named)
    texts, uncalled = restore(post, named)
    writers = documents(post, existing, named, texts, uncalled, content_dir)
    files = {w.path: w.data(post, named.part) for w in writers}
    verify(files)
    refuse_overwrites(files, existing, content_dir)
    answers = sum(len(q.answers) for t in post.topics for q in t.questions)
    return Plan(post, named.part, files, [p for p in files if p.exists()],
                warnings + [w for writer in writers for w in writer.warnings],
                len(post.topics), answers, len(named.new_notes))


def same_hearing(post: Post, existing: Existing, named: Names) -> list[Problem]:
    """Refuse a post of another hearing; warn of new bodies the project's hearing does not list."""
    hearing = existing.hearing
    if hearing is None:
        return []
    if (hearing.title, hearing.date) != (post.series_title, post.held):
        raise BriefingError(_("{where}: the project's hearing is 「{title}」 of {date}, but the post reports "
                              "「{reported}」 of {held}: import it into a project of its own (a new one from `briefing "
                              "init` holds an example: remove its content files but packs.yaml first)").format(
            where=hearing.where, title=hearing.title, date=hearing.date, reported=post.series_title, held=post.held))
    return [Problem(place(hearing, "bodies"), _("{name} ('{id}') is a part of the series but not among the hearing's "
                                                "bodies: add '{id}' here").format(name=body.name, id=body.id),
                    warning=True)
            for body in named.new_bodies if body.id not in hearing.bodies]


def documents(post: Post, existing: Existing, named: Names, texts: dict[int, Restored],
              uncalled: list[tuple[int, str]], content_dir: Path) -> list[Writer]:
    """The files of an import: what the project lacks of hearing and report, new bodies and notes, topics, answers."""
    chosen: set[Path] = set()

    def writer(name: str, about: str) -> Writer:
        """A new file's writer, at a path no other file holds."""
        return Writer(target(content_dir, name, existing, named.part, chosen), about)

    what = _("part {part} of the report (post {post}, {title})").format(part=named.part, post=post.post,
                                                                          title=post.title)
    writers = []
    missing = [name for name, held in (("hearing", existing.hearing), ("report", existing.report)) if not held]
    if missing:
        writers.append(report_file(writer("report.yaml", _("The hearing, and the report post: {what}.").format(what=what)),
                                   post, named, texts, missing))
    if named.new_bodies:
        writers.append(bodies_file(writer("bodies.yaml", _("The bodies questioned at the hearing. Answers name "
                                                           "them by id.")), named.new_bodies))
    if named.new_notes:
        writers.append(notes_file(writer("notes.yaml", _("The notes of {what}, verbatim. Add `url:` where the link "
                                                         "target is known: the copied post lost them.").format(what=what)),
                                  named, uncalled))
    writers.append(topics_file(writer("topics.yaml", _("The topics of {what}. `title` is the sheet's, made from the "
                                                       "report's heading: change it freely.").format(what=what)),
                               post, named, texts,
                               later="report" not in missing))
    answering = dict.fromkeys(named.bodies[body_of(a.body, post.bodies)]
                              for t in post.topics for q in t.questions for a in q.answers)
    for body in answering:
        name = next(n for n in post.bodies if named.bodies[n] == body)
        writers.append(answers_file(writer(f"answers/{body}.yaml", _("{name}'s answers, from {what}.")
                                           .format(name=name, what=what)),
                                    post, body, named, texts))
    return writers


def target(content_dir: Path, name: str, existing: Existing, part: int, chosen: set[Path]) -> Path:
    """Where a file goes: `name`, or `name-partN` if another file is there; this post's earlier file is reused."""
    stem, suffix = name.removesuffix(".yaml"), ".yaml"
    candidates = [name, f"{stem}-part{part}{suffix}", *(f"{stem}-part{part}-{n}{suffix}" for n in range(2, 100))]
    for candidate in candidates:
        path = content_dir / candidate
        if path not in chosen and (path in existing.ours or not path.exists()):
            chosen.add(path)
            return path
    raise BriefingError(_("{path} and 98 other names are taken: clear up the content folder")
                        .format(path=display(content_dir / name)))


def verify(files: dict[Path, bytes]) -> None:
    """Each planned file must read as content; a character the post holds may not (raise ContentError)."""
    problems = [p for path, data in files.items() for p in load.read_file(path, data).problems if not p.warning]
    if problems:
        raise ContentError(problems)


def refuse_overwrites(files: dict[Path, bytes], existing: Existing, content_dir: Path) -> None:
    """Raise BriefingError if the import would overwrite an edited file or leave a stale one of its own."""
    refused = [_("{path} was edited after the import that wrote it").format(path=display(p))
               for p, edited in existing.ours.items() if edited and p in files]
    refused += [_("{path} holds the post's earlier import, which this one would not replace: remove it")
                .format(path=display(p)) for p in existing.ours if p not in files]
    if refused:
        raise BriefingError(_("nothing written: {reasons}. An import never overwrites an edited file: move it out of "
                              "{content} to import the post again").format(reasons="; ".join(refused),
                                                                            content=display(content_dir)))


def write(plan: Plan) -> None:
    """Write the planned files, each atomically."""
    for path, data in plan.files.items():
        write_atomic(path, data)
