"""Each document's `<style>` sheet parsed once per process, not once per layout.

Every sheet, and each of its variants and tries (`render.Renderer.set_well` lays a document out
up to several times), carries the same `briefing.css`: WeasyPrint parsed it anew each time, 40
to 50 ms of a layout's 150. While `parsed_once()` is applied, WeasyPrint's `CSS(string=...)`
for a `<style>` element gives the sheet parsed the first time that text was met with the same
base URL and media, with what parsing it added to the document (its @page rules) added again,
and its @font-face fonts added to the document's font configuration, fetched by the document's
fetcher, where that configuration does not have them yet: a process building one project after
another (a library user's, the test suite's) parses the same built-in sheet once, not once per
project. A sheet is parsed each time, as before, where reusing it could change what a document
gets: one whose parse said anything (a warning is said for each document), one that imports
another file (which may change meanwhile), one whose parse did more (layers, counter styles,
colour profiles). A declaration with var() says its error once (`Pending._reported_error`):
reused, it is made to say it again in each document, as a new parse would.
WeasyPrint 70.0's `find_stylesheets` is what calls it (`justify.MADE_FOR`).
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import weasyprint.css
from weasyprint.css.tokens import Pending
from weasyprint.logger import LOGGER

ORIGINAL = weasyprint.css.CSS
KEPT = 32  # sheets kept, the oldest dropped: a template may make one per document


@dataclass(frozen=True)
class _Parsed:
    sheet: object  # WeasyPrint's CSS
    page_rules: tuple  # the @page rules it added to its document's
    pending: tuple  # its values that wait for var(): each says its error once
    faces: tuple  # the descriptors of its @font-face rules, in order


_parsed: dict = {}  # by text and context, the oldest first


def parsed(*args, string=None, base_url=None, media_type="print", font_config=None, page_rules=None,
           layers=None, counter_style=None, color_profiles=None, matcher=None, layer=None, **kwargs):
    """WeasyPrint's CSS(...), from the first parse of the same `<style>` text where it can be."""
    given = dict(string=string, base_url=base_url, media_type=media_type, font_config=font_config,
                 page_rules=page_rules, layers=layers, counter_style=counter_style, color_profiles=color_profiles,
                 matcher=matcher, layer=layer, **kwargs)
    if args or string is None or font_config is None or page_rules is None or layers is None or matcher is not None \
            or layer is not None or counter_style is None or color_profiles is None or _varying(string):
        return ORIGINAL(*args, **given)  # not a document's own <style> sheet, or not one to reuse: as WeasyPrint does
    fetcher = kwargs.get("url_fetcher")  # the document's: it fetches the sheet's fonts, not part of the parse
    key = (string, base_url, media_type, tuple(layers), tuple(counter_style), tuple(color_profiles),
           tuple((name, value) for name, value in kwargs.items() if name != "url_fetcher"))
    if key in _parsed:
        found = _parsed[key]
        for descriptors in found.faces:  # a configuration that has the face already returns at once
            font_config.add_font_face(descriptors, fetcher)
        for value in found.pending:
            value._reported_error = False  # said again in this document, as a new parse would
        page_rules.extend(found.page_rules)
        sheet = copy.copy(found.sheet)  # its matcher shared, read only; its lists the document's
        sheet.page_rules, sheet.layers = page_rules, layers
        return sheet
    before = (len(page_rules), list(layers), dict(counter_style), dict(color_profiles))
    said, faces = _Said(), []
    adding = font_config.add_font_face

    def add_font_face(descriptors, url_fetcher):
        faces.append(descriptors)
        return adding(descriptors, url_fetcher)

    LOGGER.addHandler(said)
    font_config.add_font_face = add_font_face  # this configuration's, while the sheet is parsed
    try:
        sheet = ORIGINAL(**given)
    finally:
        del font_config.add_font_face
        LOGGER.removeHandler(said)
    added = tuple(page_rules[before[0]:])
    pending = _pending(sheet, added)
    if not said.anything and pending is not None and (list(layers), dict(counter_style),
                                                      dict(color_profiles)) == before[1:]:
        if len(_parsed) >= KEPT:
            del _parsed[next(iter(_parsed))]
        _parsed[key] = _Parsed(sheet, added, pending, tuple(faces))
    return sheet


def _varying(text: str) -> bool:
    """Whether a sheet imports another file: parsed each time."""
    return "@import" in text.lower()


def _pending(sheet, page_rules) -> tuple | None:
    """The sheet's declarations whose values wait for var() (cssselect2's entries hold them as
    (test, specificity, order, pseudo-element, (declarations, layer))); None if not as expected."""
    matcher = sheet.matcher
    try:
        entries = [*(entry for selectors in (matcher.id_selectors, matcher.class_selectors,
                                             matcher.lower_local_name_selectors, matcher.namespace_selectors)
                     for listed in selectors.values() for entry in listed),
                   *matcher.lang_attr_selectors, *matcher.other_selectors]
        lists = [entry[4][0] for entry in entries] + [declarations for _rule, _selectors, declarations in page_rules]
        found = {id(value): value for declarations in lists for _name, value, _importance in declarations
                 if isinstance(value, Pending)}
    except (AttributeError, IndexError, TypeError, ValueError):
        return None
    return tuple(found.values())


class _Said(logging.Handler):
    """Whether WeasyPrint said anything a build hears (a warning or an error, as render's
    LogCapture), meanwhile."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.anything = False

    def emit(self, record: logging.LogRecord) -> None:
        self.anything = True


@contextmanager
def parsed_once() -> Iterator[None]:
    """WeasyPrint reusing its parse of a `<style>` sheet met before, for the duration of the block."""
    if weasyprint.css.CSS is parsed:  # already applied by an enclosing block
        yield
        return
    before, weasyprint.css.CSS = weasyprint.css.CSS, parsed
    try:
        yield
    finally:
        weasyprint.css.CSS = before
