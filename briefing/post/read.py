"""Read a report post's text into its parts, line by line; the first line that does not fit is an error."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from ..errors import BriefingError
from ..i18n import _
from ..project import display
from .bodies import check_bodies
from .lines import Lines
from .parts import Discussion, Note, Para, Post, Question, Reply, Topic, misfit

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
        raise misfit(path, line, 1, _("not UTF-8 text: save the post as UTF-8")) from None
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
        if link.group(1).strip() in bodies:  # a part of the series is linked once
            lines.fail(_("each part of the series linked once under the series heading"))
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
    if not replies and len(text) > 1 and remark(text[-1:]) and not remark(text):  # 「※…後日回答」 for the answer
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
