"""Decide every file an import of a post writes, refusing what it may not touch, then write them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import load
from ..errors import BriefingError, ContentError, Problem
from ..i18n import _
from ..models import place
from ..project import display
from ..write import write_atomic
from .calls import Restored, restore
from .existing import Existing, read_project
from .names import Names, names
from .parts import Post
from .stamp import schema_line
from .writer import Writer
from .yaml_files import answers_file, bodies_file, notes_file, report_file, topics_file


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
    files = {w.path: w.data(post.post, named.part) for w in writers}
    verify(files)
    refuse_overwrites(files, existing, content_dir)
    return Plan(post, named.part, files, [p for p in files if p.exists()],
                warnings + [w for writer in writers for w in writer.warnings],
                len(post.topics), len(post.answers()), len(named.new_notes))


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
        """A new file's writer, at a path no other file holds, its first line naming the schema as init's files do."""
        path = target(content_dir, name, existing, named.part, chosen)
        return Writer(path, about, schema_line(path, content_dir))

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
    for body in dict.fromkeys(named.body(answer.body, post) for _question, answer in post.answers()):
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
