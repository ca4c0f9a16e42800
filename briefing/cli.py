"""The command line: parse options, call the library, print, and map the result to an exit code."""

from __future__ import annotations

import time
import traceback
from pathlib import Path

import click

from . import __version__
from .errors import BriefingError
from .load import display
from .project import Project

FOLDER = click.Path(file_okay=False, path_type=Path)


class Command(click.Command):
    """Turns any exception into a one-line error and exit 1; --debug shows the traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.Abort, click.UsageError):
            raise
        except BriefingError:
            if ctx.find_root().params.get("debug"):
                traceback.print_exc()
            raise
        except Exception as error:
            if ctx.find_root().params.get("debug"):
                raise
            raise BriefingError(f"internal error: {type(error).__name__}: {error} "
                                "(run with --debug for the traceback)") from None


@click.group()
@click.option("--debug", is_flag=True, help="Show a traceback with errors.")
@click.version_option(__version__, prog_name="briefing")
def main(debug: bool) -> None:
    """Typeset a hearing report's topics as printable PDF briefing sheets and a pack."""


@main.command(cls=Command)
@click.option("--content", type=FOLDER, help="Content folder (default: ./content).")
@click.option("--output", type=FOLDER, help="Output folder (default: ./output).")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def build(content: Path | None, output: Path | None, strict: bool) -> None:
    """Check the content and build every sheet, the pack and manifest.json.

    Example: briefing build --content content --output output
    """
    from .build import build as run_build

    started = time.perf_counter()
    project = Project.at(Path.cwd(), content, output)
    _require_folder(project.content, "--content")
    result = run_build(project, strict=strict, progress=lambda message: click.echo(message, err=True))
    for warning in result.warnings:
        click.echo(warning, err=True)
    pages = sum(o.pages for o in result.outputs)
    size = sum(o.size for o in result.outputs)
    click.echo(f"built {len(result.outputs)} PDFs ({pages} pages, {size / 1024:.0f} KB) in "
               f"{project.output} in {time.perf_counter() - started:.1f} s", err=True)


@main.command(cls=Command)
@click.option("--content", type=FOLDER, help="Content folder (default: ./content).")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def check(content: Path | None, strict: bool) -> None:
    """Check the content without rendering: every problem as path:line:col: message.

    Example: briefing check --content content
    """
    from .build import validate

    project = Project.at(Path.cwd(), content)
    _require_folder(project.content, "--content")
    loaded, warnings = validate(project, strict)
    for warning in warnings:
        click.echo(str(warning), err=True)
    click.echo(f"{display(project.content)}: {len(loaded.topics)} topics, {len(loaded.answers)} answers, "
               f"{len(loaded.notes)} notes: ok", err=True)


def _require_folder(folder: Path, option: str) -> None:
    if not folder.is_dir():
        raise click.BadParameter(f"folder '{display(folder)}' does not exist", param_hint=option)

