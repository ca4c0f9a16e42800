"""The renderer's boundary with WeasyPrint: what it may read (the project's own templates and
fonts, by an explicit list; nothing else, no network) and what it says (its log, captured while a
document renders, its errors ours)."""

from __future__ import annotations

import logging
import mimetypes
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from .i18n import _


class ProjectFetcher(URLFetcher):
    """Serves the listed files (the project's templates and fonts) and refuses every other URL."""

    def __init__(self, files: tuple[Path, ...]):
        super().__init__(allow_redirects=False, fail_on_errors=True)
        self.files = {path.resolve() for path in files}

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise PermissionError(_("refused {url}: only the project's templates and fonts may be loaded")
                                  .format(url=url[:120]))
        path = Path(unquote(parts.path)).resolve()
        if path not in self.files:
            raise PermissionError(_("refused {path}: it is not one of the project's templates and fonts")
                                  .format(path=path))
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


def said(record: logging.LogRecord) -> str:
    """A WeasyPrint log message, with the reason of an exception that has no words of its own."""
    args = record.args if isinstance(record.args, tuple) else ()
    return record.msg % tuple(reason(a) if isinstance(a, BaseException) else a for a in args) if args \
        else record.getMessage()


def reason(error: BaseException) -> str:
    """Why `error` happened: its kind and message, or its cause's where it has none."""
    while not str(error) and error.__cause__ is not None:
        error = error.__cause__
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
