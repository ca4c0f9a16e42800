"""Turn sheet and pack contexts into WeasyPrint documents: Jinja2 → HTML → laid-out pages."""

from __future__ import annotations

import logging
import mimetypes
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from . import __version__
from .assemble import Pack, Sheet
from .dates import seireki, wareki
from .errors import RenderError
from .models import Content
from .project import Project, builtin


@dataclass(frozen=True)
class Rendered:
    """A rendered document: its page count and PDF bytes, not yet written anywhere."""

    pages: int
    data: bytes


class ProjectFetcher(URLFetcher):
    """Serves the project's own template and font files; refuses every other URL."""

    def __init__(self, folders: tuple[Path, ...]):
        super().__init__(allow_redirects=False, fail_on_errors=True)
        self.folders = tuple(folder.resolve() for folder in folders)

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise PermissionError(f"refused {url[:120]}: only the project's templates and fonts may be loaded")
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(folder) for folder in self.folders):
            raise PermissionError(f"refused {path}: it is outside the project's templates and fonts")
        if not path.is_file():
            raise FileNotFoundError(f"missing {path}")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": kind})


class LogCapture(logging.Handler):
    """Collects WeasyPrint's log while a document renders: its errors are ours."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def captured_log():
    logger = logging.getLogger("weasyprint")
    handler = LogCapture()
    logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)


def environment(project: Project) -> jinja2.Environment:
    """Templates: the project's first, then the built-in ones, also reachable as default/NAME."""
    loader = jinja2.ChoiceLoader([
        *(jinja2.FileSystemLoader(folder) for folder in project.templates),
        jinja2.PrefixLoader({"default": jinja2.FileSystemLoader(builtin("templates"))}),
    ])
    env = jinja2.Environment(
        loader=loader,
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
    )
    env.filters["seireki"] = seireki
    env.filters["wareki"] = wareki
    env.globals["font_url"] = lambda name: project.font(name).as_uri()
    return env


class Renderer:
    """Renders sheets and packs of one content tree; keeps fonts and templates between documents."""

    def __init__(self, project: Project, content: Content):
        self.project = project
        self.content = content
        self.env = environment(project)
        self.fetcher = ProjectFetcher(project.templates + project.fonts)
        self.fonts = FontConfiguration()
        self.warnings: list[str] = []

    def sheet(self, sheet: Sheet):
        hearing = self.content.hearing
        title = f"論点{sheet.topic.number} {sheet.topic.title} — {hearing.title}（{seireki(hearing.date)}）"
        return self.render("sheet.html", f"sheet '{sheet.id}' from {sheet.topic.where.path}",
                           title, sheet=sheet)

    def pack(self, pack: Pack):
        return self.render("pack.html", "the pack", pack.title, pack=pack)

    def render(self, template: str, what: str, title: str, **context):
        report = self.content.report
        document = {
            "title": title,
            "author": f"{report.site}（{report.author}）",
            "keywords": ", ".join(report.tags),
            "date": f"{report.posted.isoformat()}T00:00:00+09:00",
            "generator": f"briefing {__version__}",
        }
        try:
            html = self.env.get_template(template).render(
                document=document, hearing=self.content.hearing, report=report, **context)
        except jinja2.TemplateNotFound as error:
            folders = ", ".join(str(f) for f in self.project.templates)
            raise RenderError(f"while rendering {what}: template '{error.name}' not found in {folders}")
        except jinja2.TemplateError as error:
            raise RenderError(f"while rendering {what}: template error: {error}")
        with captured_log() as records:
            try:
                document = HTML(string=html, base_url=self.project.templates[0].as_uri() + "/",
                                url_fetcher=self.fetcher).render(font_config=self.fonts)
                data = document.write_pdf()  # attachments are fetched only now
            except FatalURLFetchingError as error:
                raise RenderError(f"while rendering {what}: {error.__cause__ or error}") from None
        for record in records:
            message = f"while rendering {what}: {record.getMessage()}"
            if record.levelno >= logging.ERROR or ".notdef" in record.getMessage():
                raise RenderError(message)
            self.warnings.append(message)
        return Rendered(len(document.pages), data)
