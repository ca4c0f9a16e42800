"""Which body of the series a name in the post means: by its full name or the short name reports use."""

from __future__ import annotations

from ..i18n import _
from .parts import Post, misfit

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
                    raise misfit(post.path, reply.line, 1, _(
                        "a second reply of {body} to the question of line {line}: one reply per body, or a (質問) "
                        "before each round").format(body=body, line=question.line))
                replied.add(body)


def series_body(post: Post, name: str, line: int) -> str:
    """The series' name for the body that line `line` names; raise ContentError if it names none of them."""
    if found := body_of(name, post.bodies):
        return found
    raise misfit(post.path, line, 1, _(
        "'{name}' is not one of the bodies listed under ●{heading} (line {line}): {bodies}").format(
            name=name, heading=post.series_heading, line=post.series_line, bodies=", ".join(post.bodies)))
