"""WeasyPrint imported without its slow search for libraries.

WeasyPrint 70 opens Pango, HarfBuzz and Fontconfig by trying names for each platform in turn
(`weasyprint/text/ffi.py`); for every name that is not a file, cffi asks
`ctypes.util.find_library`, which on Linux starts `ldconfig` and the C compiler. That took
0.2 of the 0.5 s of importing WeasyPrint, in every build's process. The names that are files
(`libpango-1.0.so.0`, …) are opened directly, so while WeasyPrint is imported that search is
skipped, on Linux, whose names WeasyPrint lists; where a library can only be found by the search,
WeasyPrint prints its advice about missing libraries and is imported again as it would be (stdout is
not redirected meanwhile: the import may run beside the build's own work).
It opens the same libraries here either way (tests/test_render.py). A build loads it on a thread
of its own while the content is read (`build._preload`), and again where it renders: one waits
for the other.
"""

from __future__ import annotations

import ctypes.util
import sys
import threading


_loading = threading.Lock()  # the build's thread that loads WeasyPrint early, and the build itself


def load() -> None:
    """Import WeasyPrint, if it is not imported yet."""
    with _loading:
        if "weasyprint" not in sys.modules:
            _import()


def _import() -> None:
    if not sys.platform.startswith("linux"):  # elsewhere the search may be the only way to a library
        import weasyprint  # noqa: F401
        return
    search = ctypes.util.find_library
    ctypes.util.find_library = _not_searched
    try:
        import weasyprint  # noqa: F401, F811
        return
    except OSError:  # a library only the search finds (Python forgot the failed modules): import as it would be
        pass
    finally:
        ctypes.util.find_library = search
    import weasyprint  # noqa: F401, F811


def _not_searched(name: str) -> None:
    return None
