"""HTML to PDF with WeasyPrint, in worker processes when there is more than one document.

Content never reaches a file or the network: the fetcher serves only the project's own
templates and fonts, and any refused or missing resource, or any WeasyPrint error, stops the
render. Nothing here writes a file.
"""

from __future__ import annotations

import functools
import logging
import mimetypes
import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from . import jlreq
from .errors import RenderError
from .markup import Page
from .project import Project

jlreq.install()  # Japanese line adjustment in WeasyPrint's layout: see jlreq.py


@dataclass(frozen=True)
class Rendered:
    """A rendered document: its page count and PDF bytes, not yet written anywhere."""

    pages: int
    data: bytes
    warnings: tuple[str, ...] = ()


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


class Renderer:
    """Renders pages of one project; keeps the loaded fonts between documents."""

    def __init__(self, project: Project):
        self.project = project
        self.fetcher = ProjectFetcher(project.templates + project.fonts)
        self.fonts = FontConfiguration()

    def render(self, page: Page) -> Rendered:
        with captured_log() as records:
            try:
                document = HTML(string=page.html, base_url=self.project.templates[0].as_uri() + "/",
                                url_fetcher=self.fetcher).render(font_config=self.fonts)
                data = document.write_pdf(pdf_variant=page.variant or None)  # attachments are fetched only now
            except FatalURLFetchingError as error:
                raise RenderError(f"while rendering {page.what}: {error.__cause__ or error}") from None
            except Exception as error:  # WeasyPrint's or ours: say which document, keep the cause
                raise RenderError(f"while rendering {page.what}: {type(error).__name__}: {error}") from error
        warnings = []
        for record in records:
            message = f"while rendering {page.what}: {record.getMessage()}"
            if record.levelno >= logging.ERROR or ".notdef" in record.getMessage():
                raise RenderError(message)
            warnings.append(message)
        return Rendered(len(document.pages), data, tuple(warnings))


def renderer_of(project: Project) -> Renderer:
    """This process's renderer for `project` while its fonts stay as they are."""
    fonts = tuple((p, p.stat().st_mtime_ns) for folder in project.fonts for p in sorted(folder.iterdir()))
    return renderer_for(project, fonts)


@functools.lru_cache(maxsize=2)
def renderer_for(project: Project, fonts: tuple) -> Renderer:
    """One renderer per project, font files' state and process: `watch` keeps its loaded fonts."""
    return Renderer(project)


_worker: Renderer | None = None
FEW = 4  # documents per worker below which starting processes costs more than it saves


def _start_worker(project: Project) -> None:
    global _worker
    _worker = Renderer(project)


def _render_in_worker(page: Page) -> Rendered:
    return _worker.render(page)


def render_all(project: Project, pages: Sequence[Page], workers: int,
               progress: Callable[[str], None] = lambda _: None) -> list[Rendered]:
    """Render `pages` in order, in up to `workers` processes; the bytes do not depend on how many."""
    heavy = sum(bool(page.variant) for page in pages)  # whole packs (PDF/UA, PDF/A): worth a process each
    workers = max(1, min(workers, max(len(pages) // FEW, heavy)))
    if workers == 1 or "fork" not in multiprocessing.get_all_start_methods():
        renderer = renderer_of(project)
        results = []
        for page in pages:
            progress(f"rendering {page.name}")
            results.append(renderer.render(page))
        return results
    progress(f"rendering {len(pages)} documents in {workers} processes")
    context = multiprocessing.get_context("fork")  # workers inherit the imported WeasyPrint
    longest_first = sorted(range(len(pages)), key=lambda i: -len(pages[i].html))  # no long one last
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                             initargs=(project,)) as pool:
        futures = {i: pool.submit(_render_in_worker, pages[i]) for i in longest_first}
        return [futures[i].result() for i in range(len(pages))]
