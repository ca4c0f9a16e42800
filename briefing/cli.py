"""The command line: parse options, call the library, print, and map the result to an exit code."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
import time
from pathlib import Path

import click

from . import __version__
from .console import MEMORY, Group, Option, Progress, option
from .errors import BriefingError
from .i18n import _
from .project import Project, display

FOLDER = click.Path(file_okay=False, path_type=Path)


def _version(ctx: click.Context, param, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(_("%(prog)s, version %(version)s") % {"prog": "briefing", "version": __version__})
        ctx.exit()


@click.group(cls=Group)
@click.option("--version", cls=Option, is_flag=True, expose_value=False, is_eager=True, callback=_version,
              help="Show the version and exit.")
def main() -> None:
    """Typeset a hearing report's topics as printable PDF briefing sheets and a pack.

    Start a report with `briefing init FOLDER`, then run `briefing build` in that folder.
    """
    for number in (signal.SIGTERM, signal.SIGINT):  # a build stopped by SIGTERM cleans up as on Ctrl-C
        if signal.getsignal(number) is not signal.SIG_IGN:  # ignored, as for a job started with '&': still so
            signal.signal(number, _stopped)
    _limit_memory()


def _stopped(signum, frame) -> None:
    """SIGTERM or Ctrl-C: the command stops as on an error, each `finally` cleaning up (SystemExit
    143, KeyboardInterrupt). Not while this thread is inside Python's import system, which the build
    uses on a thread of its own meanwhile (it imports WeasyPrint while the content is read): raised
    there, in a module lock's callback, the exception was swallowed and left the lock held, and both
    threads waited on it for ever, the output folder locked. The signal is given again a moment later."""
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            again = threading.Timer(0.05, os.kill, (os.getpid(), signum))
            again.daemon = True
            again.start()
            return
        frame = frame.f_back
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise SystemExit(128 + signum)



def _limit_memory() -> None:
    """Bound the memory a build may take (a runaway template, a giant report): it then stops with an error."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
        wanted = MEMORY if hard == resource.RLIM_INFINITY else min(MEMORY, hard)
        if soft == resource.RLIM_INFINITY or soft > wanted:
            resource.setrlimit(resource.RLIMIT_DATA, (wanted, hard))
    except (ImportError, ValueError, OSError):
        pass  # not on this system


OUTPUT = option("--output", type=FOLDER, help="Output folder (default: ./output).")
CONTENT = option("--content", type=FOLDER, help="Content folder (default: ./content).")
STRICT = option("--strict", is_flag=True, help="Fail on warnings too.")
WORKERS = option("--workers", type=click.IntRange(1, 64), default=lambda: min(os.cpu_count() or 1, 8),
                 show_default="the number of CPUs", help="Processes rendering sheets at once.")


@main.command()
@CONTENT
@OUTPUT
@STRICT
@option("--pack", "only", metavar="NAME", help="Build this pack only (see packs: in the content).")
@WORKERS
def build(content: Path | None, output: Path | None, strict: bool, only: str | None, workers: int) -> None:
    """Check the content and build what changed: the sheets, every pack, manifest.json.

    Example: briefing build --pack lawmakers
    """
    project = Project.at(Path.cwd(), content, output)
    _require_content(project, content)
    _build(project, strict, workers, only)


def _build(project: Project, strict: bool, workers: int, only: str | None = None, wait: bool = False) -> None:
    from .build import build as run_build

    started = time.perf_counter()
    progress = Progress()
    try:
        result = run_build(project, strict=strict, workers=workers, pack=only, wait=wait, progress=progress)
    finally:
        progress.clear()
    for warning in result.warnings:
        click.echo(warning, err=True)
    seconds = time.perf_counter() - started
    edition = _(" ({edition})").format(edition=result.edition) if result.edition else ""
    kept = [name for name in result.kept if not name.startswith(".")]  # not the packs' own parts
    if result.unchanged:
        click.echo(_("{output}: up to date{edition}, {count} PDFs ({seconds:.2f} s)").format(
            output=display(project.output), edition=edition, count=len(kept), seconds=seconds), err=True)
        return
    shown = [o for o in result.written if not o.file.startswith(".")]
    click.echo(_("built {count} PDFs ({pages} pages, {size:.0f} KB), kept {kept} unchanged, in {output}{edition} "
                 "in {seconds:.1f} s").format(
        count=len(shown), pages=sum(o.pages for o in shown), size=sum(o.size for o in shown) / 1024,
        kept=len(kept), output=display(project.output), edition=edition, seconds=seconds), err=True)


@main.command()
@CONTENT
@STRICT
def check(content: Path | None, strict: bool) -> None:
    """Check the content without rendering: every problem as path:line:col: message.

    Example: briefing check --content content
    """
    from .build import validate

    project = Project.at(Path.cwd(), content)
    _require_content(project, content)
    loaded, warnings = validate(project, strict)
    for warning in warnings:
        click.echo(str(warning), err=True)
    said = (_("{content}: {topics} topics, {answers} answers, {notes} notes: no errors; warnings: {count}")
            if warnings else _("{content}: {topics} topics, {answers} answers, {notes} notes: ok"))
    click.echo(said.format(content=display(project.content), topics=len(loaded.topics), answers=len(loaded.answers),
                           notes=len(loaded.notes), count=len(warnings)), err=True)


def _require_content(project: Project, given: Path | None) -> None:
    """The content folder must be there; without --content, say how a report project starts."""
    if project.content.is_dir():
        return
    if given:
        raise click.BadParameter(_("folder '{folder}' does not exist").format(folder=display(given)),
                                 param_hint="--content")
    raise click.UsageError(_("folder '{folder}' does not exist, so this is not a report project: start one with "
                             "`briefing init FOLDER` and run briefing inside FOLDER, or name the content folder "
                             "with --content DIR").format(folder=display(project.content)))


@main.command()
@CONTENT
@option("--date", "on", type=click.DateTime(["%Y-%m-%d"]), help="The edition's date (default: today).")
def release(content: Path | None, on) -> None:
    """Record the content as the next edition, in editions.yaml beside the content.

    Later builds mark what is new (新) or changed (更新) since it, and the pack's revision
    history lists it. Example: briefing release --date 2026-12-01
    """
    import datetime

    from . import editions
    from .build import validate

    project = Project.at(Path.cwd(), content)
    _require_content(project, content)
    loaded = validate(project)[0]
    edition = editions.release(project.content, loaded, on.date() if on else datetime.date.today())
    click.echo(_("{file}: edition {number} of {date}, {count} items").format(
        file=display(project.content / editions.FILE), number=edition.number, date=edition.date,
        count=len(edition.fingerprints)), err=True)
    click.echo(_("next: `briefing build` prints the packs as edition {number}; later changes are marked "
                 "new or changed against it").format(number=edition.number), err=True)


@main.command()
@CONTENT
def changes(content: Path | None) -> None:
    """Print each edition and what it changed, then what changed since the last one.

    Example: briefing changes
    """
    from . import editions
    from .build import checked

    project = Project.at(Path.cwd(), content)
    _require_content(project, content)
    loaded, _problems, (_data, recorded) = checked(project)
    if not recorded:
        click.echo(_("no edition released yet: `briefing release` records the first"))
        return
    for edition, found in editions.history(loaded, recorded):
        title = f"第{edition.number}版 {edition.date}" if edition else "未発行の変更（前版以降）"
        click.echo(title + ("" if found or edition is None else "：初版"))
        for change in found:
            where = f"  {change.where.path}:{change.where.line}" if change.where else ""
            click.echo(f"  {editions.MARKS[change.status]:　<2} {change.label}{where}")
    if editions.state(loaded, recorded).released:
        click.echo(f"（内容は第{recorded[-1].number}版のまま）")


@main.command()
@CONTENT
@OUTPUT
@WORKERS
def watch(content: Path | None, output: Path | None, workers: int) -> None:
    """Build, then build again on every save; errors are printed and the last good PDFs stay.

    Stop with Ctrl-C. Example: briefing watch
    """
    import watchfiles

    project = Project.at(Path.cwd(), content, output)
    _require_content(project, content)
    folders = [project.content, *project.templates, *project.fonts]

    def once() -> None:
        try:
            _build(project, False, workers, wait=True)
        except BriefingError as error:
            click.echo(error.format_message(), err=True)
            click.echo(_("not built: the last good PDFs are kept; fix the content and save again"), err=True)

    started = False
    try:  # the first build runs once the watcher is running, so no save is missed
        for changes in watchfiles.watch(*folders, watch_filter=_edits, debounce=300, yield_on_timeout=True,
                                        rust_timeout=100, raise_interrupt=False):
            if not started:
                once()
                _warm_up(project)
                click.echo(_("watching {folders} (Ctrl-C stops)").format(
                    folders=", ".join(display(f) for f in folders)), err=True)
                started = True
            elif changes:
                once()
    except KeyboardInterrupt:
        pass


def _warm_up(project: Project) -> None:
    """Read the content and load WeasyPrint now, so that the first save rebuilds as fast as later ones."""
    from . import render
    from .build import validate

    try:
        validate(project)
    except BriefingError:
        pass  # already reported by the build
    render.renderer_of(project)


def _edits(change, path: str) -> bool:
    """Saves worth a build: not editors' swap files or our own temporary files."""
    name = Path(path).name
    return not (name.startswith((".", "#")) or name.endswith(("~", ".swp", ".tmp")))


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
def init(folder: Path) -> None:
    """Create a new report project in FOLDER that builds at once: content with one example
    topic, packs, and a templates folder for your own changes.

    Example: briefing init my-report && cd my-report && briefing build
    """
    from . import schema
    from .project import PACKAGE

    if folder.exists() and any(folder.iterdir()):
        raise click.BadParameter(_("'{folder}' is not empty: choose a new folder").format(folder=display(folder)),
                                 param_hint="FOLDER")
    shutil.copytree(PACKAGE / "skeleton", folder, dirs_exist_ok=True)
    schema.link(folder / "content")
    (folder / "output").mkdir(exist_ok=True)
    click.echo(_("created {folder}: edit {content}, then run `briefing build` in {folder}").format(
        folder=display(folder), content=display(folder / "content")), err=True)


@main.command("schema")
@option("--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
        help="Write the schema to FILE instead of printing it.")
def schema_(output: Path | None) -> None:
    """Print the JSON Schema of the content files, for completion and checks in an editor.

    `briefing init` writes it into a new project as content/.schema.json; write it there again
    after updating briefing. Example: briefing schema --output content/.schema.json
    """
    from . import schema

    if output is None:
        click.echo(schema.text(), nl=False)
        return
    output.write_text(schema.text(), encoding="utf-8", newline="\n")
    click.echo(_("wrote {file}").format(file=display(output)), err=True)


@main.command("import")
@click.argument("post_file", metavar="POST.txt", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@CONTENT
@option("--replace", is_flag=True,
        help="Import a post again, over the files its earlier import wrote (never over an edited one).")
@option("--strict", is_flag=True, help="Write nothing if any placement needs checking.")
def import_(post_file: Path, content: Path | None, replace: bool, strict: bool) -> None:
    """Import a report post (the group's web page copied as text) as content files, ready to build.

    Every sentence is kept as it stands; note calls, flattened into digits on the copy, are
    restored as [^id]. A placement that is not certain is written with a `# check:` comment
    and printed as a warning. Another part of the same hearing adds its topics, answers and
    notes to those already there. Example: briefing import part4.txt
    """
    from . import post

    project = Project.at(Path.cwd(), content)
    _require_content(project, content)
    plan = post.plan(post.read_post(post_file), project.content, replace=replace)
    for warning in plan.warnings:
        click.echo(str(warning), err=True)
    if strict and plan.warnings:
        raise BriefingError(_("{count} placements to check, so nothing was written (--strict)")
                            .format(count=len(plan.warnings)))
    post.write(plan)
    replaced = _(" (replacing {count} files of its earlier import)").format(count=len(plan.replaced)) \
        if plan.replaced else ""
    checks = _("; {count} placements to check").format(count=len(plan.warnings)) if plan.warnings else ""
    click.echo(_("{file}: part {part}, post {post}: {topics} topics, {answers} answers, {notes} new notes in "
                 "{files}{replaced}{checks}").format(
        file=display(post_file), part=plan.part, post=plan.post.post, topics=plan.topics, answers=plan.answers,
        notes=plan.notes, files=", ".join(display(p) for p in plan.files), replaced=replaced, checks=checks),
        err=True)
