"""What the command line is made of: Click commands, options and groups that speak the reader's
language and take --debug anywhere, and a progress line people can follow. `cli.py` holds the
commands themselves."""

from __future__ import annotations

import shutil
import signal
import sys
import traceback

import click

from .errors import BriefingError, UsageError
from .i18n import N_, Translated, _, bind_click

DEBUG = "briefing.debug"  # in the context's meta: --debug was given, before or after the command's name
MEMORY = 4 << 30  # bytes: far above a real report's build (≈0.3 GB), far below what would hurt the machine


def _debugging(ctx: click.Context, param, value: bool) -> None:
    if value:
        ctx.meta[DEBUG] = True


class Option(click.Option):
    """An option whose help is shown in the reader's language."""

    help = Translated()
    show_default = Translated()


class Localized:
    """A command or group whose help is shown in the reader's language, whole in the list of
    commands, and which takes --debug."""

    help = Translated()
    short_help = Translated()
    options_metavar = Translated()  # Click's "[OPTIONS]" in the usage line

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", N_("[OPTIONS]"))
        super().__init__(*args, **kwargs)
        self.params.append(Option(["--debug"], is_flag=True, expose_value=False, callback=_debugging,
                                  help="Show a traceback with errors."))

    def get_short_help_str(self, limit: int = 45) -> str:
        return (self.short_help or self.help or "").split("\n\n")[0].replace("\n", " ")

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # made once, in the language of the first call
        if option is not None:
            option.help = _("Show this message and exit.")
        return option


class Command(Localized, click.Command):
    """Turns any exception into a one-line error and exit 1; --debug shows the traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.Abort, click.UsageError):
            raise
        except KeyboardInterrupt:  # Ctrl-C: the shell's code for it, not a content error's 1
            click.echo(_("stopped (Ctrl-C)"), err=True)
            raise click.exceptions.Exit(128 + signal.SIGINT) from None
        except UsageError as error:
            raise click.BadParameter(error.message, param_hint=error.option) from None
        except BriefingError as error:
            if ctx.meta.get(DEBUG):
                traceback.print_exc()
            raise Said(error) from None
        except MemoryError:
            raise Said(BriefingError(_("the build needed more than {size} GB of memory and was stopped: check the "
                                       "content and the project's templates for something far too large")
                                     .format(size=MEMORY >> 30))) from None
        except Exception as error:
            if ctx.meta.get(DEBUG):
                raise
            raise Said(BriefingError(_("internal error: {kind}: {error} (run with --debug for the traceback)")
                                     .format(kind=type(error).__name__, error=error))) from None


class Said(click.ClickException):
    """The library's error as Click shows it: its message as it is (no "Error:"), its exit status."""

    def __init__(self, error: BriefingError):
        super().__init__(error.format_message())
        self.exit_code = error.exit_code

    def show(self, file=None) -> None:
        click.echo(self.format_message(), err=True, file=file)


class Group(Localized, click.Group):
    """The command group: binds Click's own messages to our catalog before it parses anything."""

    command_class = Command
    subcommand_metavar = Translated()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("subcommand_metavar", N_("COMMAND [ARGS]..."))
        super().__init__(*args, **kwargs)

    def main(self, *args, **kwargs):
        bind_click()
        return super().main(*args, **kwargs)


def option(*declarations, **attributes):
    """click.option, its help in the reader's language."""
    return click.option(*declarations, cls=Option, **attributes)


class Progress:
    """Progress as people can follow it: on a terminal one line that moves (count and document),
    elsewhere (a log, CI) one plain line a step."""

    def __init__(self):
        self.moving = sys.stderr.isatty()
        self.shown = False

    def __call__(self, message: str) -> None:
        if not self.moving:
            click.echo(message, err=True)
            return
        width = shutil.get_terminal_size().columns - 1
        click.echo("\r\033[K" + message[:width], nl=False, err=True)
        self.shown = True

    def clear(self) -> None:
        """Take the moving line away before what stays on the screen."""
        if self.shown:
            click.echo("\r\033[K", nl=False, err=True)
            self.shown = False
