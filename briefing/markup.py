"""Sheets, packs and questions as HTML: Jinja2 templates filled from the assembled contexts.

No WeasyPrint here: a build first writes every document's HTML, and renders only those whose
HTML (with its fonts and the tool's version) differs from the last build.
"""

from __future__ import annotations

import datetime
import functools
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
import markupsafe
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from . import __version__, jlreq
from .assemble import DEFAULT, Pack, Questions, Sheet, Variant
from .dates import seireki, wareki
from .errors import RenderError
from .i18n import _
from .load.derive import citation
from .models import Content, given
from .project import Project, builtin

if TYPE_CHECKING:
    from .incremental import Templates


TEMPLATE_SECONDS = 20  # a sheet's templates take milliseconds; a runaway loop is stopped


@contextmanager
def time_limit(seconds: float):
    """Raise TimeoutError in the code inside if it runs longer than `seconds` (main thread, POSIX)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum, frame):
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class Page:
    """One document to render: its output name, HTML, and how to name it in an error."""

    name: str
    html: str
    what: str
    variant: str = ""  # WeasyPrint's pdf_variant, e.g. pdf/ua-1; empty for a plain PDF
    layouts: int = 1  # how many layouts setting it well took the last time: what it may cost


class FolderLoader(jinja2.BaseLoader):
    """Loads templates from one folder, as the build read it (`incremental.template_sources`, which
    refuses a folder holding links): the bytes of its digest are the text filled in. `texts`:
    each file's text, None for a file that is not UTF-8 (an image beside the templates)."""

    def __init__(self, folder: Path, texts: dict[Path, str | None]):
        self.folder = folder.resolve()
        self.texts = texts

    def get_source(self, environment, template):
        path = self.folder.joinpath(*split_template_path(template))  # no '..': not found
        if path not in self.texts:
            raise jinja2.TemplateNotFound(template)
        if self.texts[path] is None:
            raise jinja2.TemplateError(_("template '{name}' ({file}) is not UTF-8 text: save it as UTF-8")
                                       .format(name=template, file=path))
        return self.texts[path], str(path), lambda: True


class Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, with the arithmetic that one operation could make run for minutes (a
    power of a huge exponent, a text repeated millions of times) refused: the time limit
    cannot stop an operation that runs inside Python itself."""

    intercepted_binops = frozenset({"**", "*"})
    LARGEST = 100_000

    def call_binop(self, context, operator, left, right):
        numbers = [x for x in (left, right) if isinstance(x, int) and not isinstance(x, bool)]
        if operator == "**" and any(abs(x) > 1_000 for x in numbers) \
                or operator == "*" and len(numbers) == 1 and abs(numbers[0]) > self.LARGEST:
            raise SecurityError(_("'{operator}' with {number} is refused in templates: too large")
                                .format(operator=operator, number=max(numbers, key=abs)))
        return super().call_binop(context, operator, left, right)


def environment(project: Project, templates: Templates) -> jinja2.Environment:
    """Templates: the project's first, then the built-in ones, also reachable as default/NAME,
    from `templates`, their files' bytes as the build read them.

    Templates run sandboxed: they can fill in values, not reach Python's internals or the system.
    One environment per template and font folders and bytes of the templates in a process:
    `watch` compiles a template once, not at every build (0.11 s of an edit's 0.6), and projects
    built one after another with the same templates (the built-in ones, most often) share it; an
    edited template is another.
    """
    key = (project.templates, project.fonts, templates.digest)
    if key not in _environments:
        while len(_environments) >= 2:
            del _environments[next(iter(_environments))]
        _environments[key] = _environment(project, templates.files)
    return _environments[key]


_environments: dict[tuple, jinja2.Environment] = {}  # by template and font folders, templates' digest


def _text(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _environment(project: Project, sources: dict[Path, bytes]) -> jinja2.Environment:
    texts = {path: _text(data) for path, data in sources.items()}  # kept as text: no image's bytes kept
    loader = jinja2.ChoiceLoader([  # default/NAME first: a project's folder named default does not hide them
        jinja2.PrefixLoader({"default": FolderLoader(builtin("templates"), texts)}),
        *(FolderLoader(folder, texts) for folder in project.templates),
    ])
    env = Sandbox(
        loader=loader,
        autoescape=jinja2.select_autoescape(["html"]),
        auto_reload=False,  # its templates are the bytes the build read, which do not change
        undefined=jinja2.StrictUndefined,
    )
    env.filters["seireki"] = seireki
    env.filters["wareki"] = wareki
    env.filters["date"] = _date
    env.filters["phrases"] = phrases
    env.filters["qr"] = qr
    env.filters["qr_size"] = qr_size
    env.filters["spaced"] = jlreq.spaced
    env.filters["note_text"] = _note_text
    env.globals["font_url"] = lambda name: project.font(name).as_uri()
    return env


@functools.cache
def _parser():
    import budoux

    return budoux.load_default_japanese_parser()


PHRASE_AT_MOST = 24  # characters: a longer phrase, unbreakable, might not fit a heading's line


def phrases(text: str) -> list[str]:
    """`text` cut at Japanese phrase boundaries (BudouX); joined again they give `text` exactly.
    Never next to a Latin letter or digit: BudouX cut 「2024年」 after 「202」, and a phrase, an
    inline block of its own, cannot take the quarter em from a Japanese character outside it."""
    found: list[str] = []
    for phrase in _parser().parse(text) or [text]:
        if found and (_latin(found[-1][-1:]) or _latin(phrase[:1])) and len(found[-1] + phrase) <= PHRASE_AT_MOST:
            found[-1] += phrase
        else:
            found.append(phrase)
    return found


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


QR_MODULE_MM = 0.42  # a module's printed size: 0.4 mm at least, for phone cameras on paper


@functools.lru_cache(maxsize=4096)
def qr(url: str) -> markupsafe.Markup:
    """A QR code of `url` as inline SVG (segno), to be scanned from paper; no network, no image file."""
    import segno

    code = segno.make(url, error="m")  # the title is the figure's text for screen readers (PDF/UA)
    return markupsafe.Markup(code.svg_inline(scale=QR_MODULE_MM, unit="mm", border=0, title=f"QRコード {url}"))


@functools.lru_cache(maxsize=4096)
def qr_size(url: str) -> float:
    """The printed width (and height) of `url`'s QR code, in millimetres."""
    import segno

    return round(segno.make(url, error="m").symbol_size(scale=1, border=0)[0] * QR_MODULE_MM, 2)


def dated(value, variant: Variant) -> str:
    return wareki(value) if variant.dates == "wareki" else seireki(value)


@jinja2.pass_context
def _note_text(context, note) -> str:
    """A note's text: as given; or, composed from its fields, with its date as the document prints dates."""
    if given(note, "text"):
        return note.text
    return citation(note, functools.partial(dated, variant=Variant(dates=context.get("dates") or "seireki")))


@jinja2.pass_context
def _date(context, value) -> str:
    """A date in the style of the document being made: `dates` is seireki or wareki."""
    return dated(value, Variant(dates=context.get("dates") or "seireki"))


@dataclass(frozen=True)
class Since:
    """The released edition a build's 新 and 更新 marks compare with, and the sheets that carry marks:
    those say, under their heading, what the marks are relative to."""

    number: int
    date: datetime.date
    sheets: frozenset[str]

    def of(self, sheet: Sheet) -> tuple | None:
        """What `sheet` prints of this: part of the sheet's source, so only its own change renders it again."""
        return (self.number, self.date) if sheet.id in self.sheets else None


class Markup:
    """Fills the templates of one project for one content tree."""

    def __init__(self, project: Project, content: Content, templates: Templates):
        self.project = project
        self.content = content
        self.env = environment(project, templates)
        self.since: Since | None = None
        self.made: dict[tuple, Page] = {}  # a pack's pages, by what they were made from

    def sheet(self, sheet: Sheet, file: str, variant: Variant = DEFAULT) -> Page:
        hearing = self.content.hearing
        title = f"論点{sheet.topic.number} {sheet.topic.title} — {hearing.title}（{dated(hearing.date, variant)}）"
        return self.page(file, "sheet.html", _("sheet '{id}' from {file}").format(id=sheet.id,
                                                                                  file=sheet.topic.where.path),
                         title, variant,
                         sheet=sheet)

    def questions(self, questions: Questions, title: str, variant: Variant = DEFAULT) -> Page:
        hearing = self.content.hearing
        full = f"{title} {questions.body.name}御中 — {hearing.title}（{dated(hearing.date, variant)}）"
        return self.page(questions.file, "questions.html", _("the questions to '{body}'").format(body=questions.body.id),
                         full, variant,
                         questions=questions, addressee=f"{questions.body.name}　御中", kicker=title)

    def pack_front(self, pack: Pack, file: str, variant: Variant) -> Page:
        return self.page(file, "pack.html", _("the cover and contents of pack '{pack}'").format(pack=pack.spec.id),
                         pack.title, variant,
                         pack=pack)

    def folios(self, pack: Pack, file: str, variant: Variant, folios: list[str]) -> Page:
        """A page for each of the joined pack's pages, with its folio; `folios` says which are the
        cover or blank ("cover", "blank": counted, not printed) and which are not ("")."""
        return self.page(file, "folios.html", _("the page numbers of pack '{pack}'").format(pack=pack.spec.id),
                         pack.title, variant,
                         folios=folios)

    def pack_back(self, pack: Pack, file: str, variant: Variant) -> Page:
        return self.page(file, "history.html", _("the revision history of pack '{pack}'").format(pack=pack.spec.id),
                         pack.title, variant,
                         pack=pack)

    def page(self, name: str, template: str, what: str, title: str, variant: Variant, addressee: str = "",
             **context) -> Page:
        if "pack" not in context:  # only a pack's pages are asked for twice (foreseen, then made)
            return self.fill(name, template, what, title, variant, addressee, **context)
        # by identity: the build assembles a pack's context once for the same page counts (a repr
        # of a 200-sheet pack took 0.1 s)
        key = (name, template, title, variant, addressee, id(self.since),
               tuple((k, id(v)) for k, v in sorted(context.items())))
        if key not in self.made:
            self.made[key] = self.fill(name, template, what, title, variant, addressee, **context)
        return self.made[key]

    def fill(self, name: str, template: str, what: str, title: str, variant: Variant, addressee: str,
             **context) -> Page:
        report = self.content.report
        document = {
            "title": title,
            "author": f"{report.site}（{report.author}）" if report.site and report.author else
                      report.site or report.author or "",
            "keywords": ", ".join(report.tags),
            "date": f"{report.posted.isoformat()}T00:00:00+09:00",
            "generator": f"briefing {__version__}",
            "addressee": addressee,
        }
        try:
            with time_limit(TEMPLATE_SECONDS):
                html = self.env.get_template(template).render(
                    document=document, hearing=self.content.hearing, report=report, dates=variant.dates,
                    large=variant.large, since=self.since, **context)
        except TimeoutError:
            raise RenderError(_("while rendering {what}: the templates ran for more than {seconds} s and were "
                                "stopped: does a loop in the project's templates never end?")
                              .format(what=what, seconds=TEMPLATE_SECONDS)) from None
        except jinja2.TemplateNotFound as error:
            folders = ", ".join(str(f) for f in self.project.templates)
            raise RenderError(_("while rendering {what}: template '{name}' not found in {folders}")
                              .format(what=what, name=error.name, folders=folders))
        except jinja2.TemplateError as error:  # sandbox refusals included
            raise RenderError(_("while rendering {what}: template error: {error}").format(what=what, error=error))
        return Page(name, html, what)
