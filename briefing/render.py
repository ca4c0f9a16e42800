"""HTML to PDF with WeasyPrint: one renderer per project, which sets each document well
(notes on their calls' pages, no short last lines or pages) and writes it in its PDF variants.

Content never reaches a file or the network: the fetcher (`boundary`) serves only the project's
own templates and fonts, and any refused or missing resource, or any WeasyPrint error, stops
the render. Nothing here writes a file.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError

from . import justify, noteareas, styles
from .adjust import Adjusted, Breaks, can_pull_in
from .boundary import ProjectFetcher, captured_log, said
from .footnotes import (CUT_TRIES, ROUNDS, calls_alone, cuts, first_line, misplaced_notes, pages_alone,
                        pieces_in_place, placed, short_note_ends, tall_notes)
from .layout import (balance, ended_at_their_text, notes_pages, short_last_lines, short_last_pages, spilt,
                     thin_pages, without_attachments)
from .errors import RenderError
from .i18n import _
from .markup import Page
from .project import Project
from .state import scratch


@dataclass(frozen=True)
class Rendered:
    """A rendered document: its page count and PDF bytes, not yet written anywhere."""

    pages: int
    data: bytes
    warnings: tuple[str, ...] = ()
    misplaced: tuple[str, ...] = ()  # notes printed on another page than their call
    too_long: tuple[str, ...] = ()  # of those, the ones too tall to sit whole under any call
    layouts: int = 1  # how many layouts setting it well took
    alone: tuple = ()  # ((note, which of its repeated calls), page): a call left without its note on its page


PULL_BACK = 3  # lines of text on a sheet's last page that setting it closer may bring back


class Renderer:
    """Renders pages of one project; keeps the loaded fonts between documents."""

    def __init__(self, project: Project):
        self.project = project
        self.fetcher = ProjectFetcher(project.resources())
        self.fonts = FontConfiguration()
        self.layouts = 0  # made for the document being rendered
        self.laid: dict[str, object] = {}  # its layouts, by their HTML

    def render_alike(self, pages: Sequence[Page]) -> list[Rendered]:
        """Render pages of one HTML (a pack's part, and that part for the pack's PDF/UA and PDF/A
        editions): laid out once, written once per PDF variant."""
        first, self.layouts, self.laid = pages[0], 0, {}
        # see justify.py, noteareas.py, styles.py
        with justify.applied(), noteareas.measured(), styles.parsed_once(), captured_log() as records:
            try:
                document, misplaced, adjusted = self.set_well(first.html)
                without_attachments(document)
                ended_at_their_text(document)
                data = [document.write_pdf(pdf_variant=page.variant or None) for page in pages]
            except FatalURLFetchingError as error:
                raise RenderError(_("while rendering {what}: {error}").format(what=first.what,
                                                                             error=error.__cause__ or error)) from None
            except Exception as error:  # WeasyPrint's or ours: say which document, keep the cause
                raise RenderError(_("while rendering {what}: {error}").format(
                    what=first.what, error=f"{type(error).__name__}: {error}")) from error
            finally:
                self.laid = {}  # not kept past the document: `watch` keeps the renderer
        warnings = []
        for record in records:
            message = _("while rendering {what}: {error}").format(what=first.what, error=said(record))
            if record.levelno >= logging.ERROR or ".notdef" in message:
                raise RenderError(message)
            warnings.append(message)
        long = tall_notes(document, misplaced)
        alone = tuple(pages_alone(document, adjusted.again, adjusted.cut))
        return [Rendered(len(document.pages), pdf, tuple(dict.fromkeys(warnings)), misplaced, long, self.layouts, alone)
                for pdf in data]

    def set_well(self, source: str):
        """The layout of `source` with what sets it well: notes on their calls' pages, no
        paragraph ending on a line of a character or two, no sheet ending on a page of a few
        lines; with the notes still away, and what was done to set it so."""
        adjusted = Adjusted()
        document, misplaced = self.notes_at_their_calls(source, adjusted)
        if spilt(document, "cover"):  # the cover keeps to its page, set closer (briefing.css)
            adjusted.compact = True
            document, misplaced = self.notes_at_their_calls(source, adjusted)
        document, misplaced = self.cut_to_fit(document, source, adjusted, misplaced)
        document, misplaced = self.noted_again(document, source, adjusted, misplaced)  # before pages are balanced
        document, misplaced = self.pulled_back(document, source, adjusted, misplaced)
        document, misplaced = self.finished(document, source, adjusted, misplaced)
        document, misplaced = self.pulled_in(document, source, adjusted, misplaced)  # what is left, if anything
        document, misplaced = self.balanced(document, source, adjusted, misplaced)
        document, misplaced = self.noted_again(document, source, adjusted, misplaced)  # a call the steps moved
        return document, misplaced, adjusted

    def noted_again(self, document, source: str, adjusted: Adjusted, misplaced: tuple[str, ...]):
        """`document`, or, while a repeated call of a note (its number alone) stands on a page
        where the note is not printed, its layout with that call made the note again, number and
        words, at that page's foot: all such calls at once, or, where that takes a note away from
        its call (the notes printed again push the text on), one at a time (a note too long to be
        printed twice keeps its number alone). A call still alone is said at its `file:line`
        (`Rendered.alone`)."""
        alone = calls_alone(document, adjusted.again, adjusted.cut)
        # layouts for trying one at a time (each may take two): enough for every call alone now, within bounds
        budget = self.layouts + min(ROUNDS + 2 * len(alone), 4 * ROUNDS)
        for _round in range(ROUNDS):
            if not alone:
                break
            for calls in [alone] + ([[call] for call in alone] if len(alone) > 1 else []):
                if self.layouts >= budget:
                    return document, misplaced
                kept = self.printed_again(document, source, adjusted, misplaced, calls)
                if kept is not None:
                    document, misplaced = kept
                    if calls is alone:
                        break
            before, alone = alone, calls_alone(document, adjusted.again, adjusted.cut)
            if alone == before:
                break  # none could be
        return document, misplaced

    def printed_again(self, document, source: str, adjusted: Adjusted, misplaced: tuple[str, ...], calls):
        """The layout of `document` with `calls` made their note again (and `adjusted` changed to
        it), if no more notes are away from their calls, the copies' included (another call may now
        be alone: the next round sees to it); else None. A note those push off its call's page gets a page
        break before what leads into its paragraph, as a note WeasyPrint defers does, unless that
        leaves a page mid-sheet nearly empty."""
        trying = replace(adjusted, again=adjusted.again + [c for c in calls if c not in adjusted.again])
        again = self.layout(trying.html(source))
        away = misplaced_notes(again)
        pushed = [note for note in away if note not in misplaced and note not in tall_notes(again, away)]
        if pushed:
            broken = replace(trying, breaks=Breaks([*trying.breaks.notes, *pushed], set(trying.breaks.bare)))
            layout = self.layout(broken.html(source))
            if set(thin_pages(layout)) <= set(thin_pages(document)):
                trying, again, away = broken, layout, misplaced_notes(layout)
        if not set(away) <= set(misplaced):  # a copy WeasyPrint defers is a note away from its call too
            return None
        adjusted.again, adjusted.breaks = trying.again, trying.breaks
        return again, away

    def pulled_back(self, document, source: str, adjusted: Adjusted, misplaced: tuple[str, ...]):
        """`document`, or, where a sheet runs over onto a last page of a few lines, its layout
        set closer (briefing.css `.closer`: its headings and blocks nearer together, its type and
        lines as they are), kept if it has a page fewer and no more notes away from their calls:
        a typesetter pulls a few lines back rather than leave them a page, or fill that page
        from a page before left half empty. Tried where the last page holds PULL_BACK lines at
        most (the spacing saves a line or two, not more), not where a note is cut over pages."""
        if adjusted.cut or not any(count <= PULL_BACK for _page, count in short_last_pages(document)):
            return document, misplaced
        again = self.layout(replace(adjusted, closer=True).html(source))
        away = misplaced_notes(again)
        if len(again.pages) < len(document.pages) and set(away) <= set(misplaced):
            adjusted.closer = True
            return again, away
        return document, misplaced

    def finished(self, document, source: str, adjusted: Adjusted, misplaced: tuple[str, ...]):
        """`document`, or its layout with every short last line and short last page seen to at
        once: 追い込み where the paragraph has a mark to set half, else 追い出し, and the page
        breaks that fill short last pages; kept when it leaves fewer of them in all (a page the
        fix makes short is seen to next), as many pages and no more notes away from their calls.
        What is left is seen to one way at a time."""
        short, pages = short_last_lines(document), short_last_pages(document)
        # a break at a line's end is counted on this layout, which the tightening changes: left to `balanced`
        places = [made for made in balance(document) if not made.after] if pages else []
        if not short and not places:
            return document, misplaced
        html = adjusted.html(source)
        tight = [place for place in short if can_pull_in(html, place)]
        trying = replace(adjusted, tight=adjusted.tight + tight, balance=adjusted.balance + places,
                         loose=adjusted.loose + [place for place in short if place not in tight])
        kept = self.tried(document, misplaced, trying.html(source),  # a page made short is seen to next
                          lambda again: len(short_last_lines(again)) + len(short_last_pages(again))
                          < len(short) + len(pages))
        if kept is None:
            return document, misplaced
        adjusted.tight, adjusted.loose, adjusted.balance = trying.tight, trying.loose, trying.balance
        return kept

    def tried(self, document, misplaced: tuple[str, ...], html: str, better):
        """The layout of `html` with its notes away, if it has as many pages as `document` (the
        packs' folios stand), no more notes away from their calls, and is `better`; else None."""
        again = self.layout(html)
        away = misplaced_notes(again)
        if len(again.pages) == len(document.pages) and set(away) <= set(misplaced) and better(again):
            return again, away
        return None

    def notes_at_their_calls(self, source: str, adjusted: Adjusted):
        """The layout of `source`, laid out again with page breaks while WeasyPrint defers a note
        that fits (it can, backtracking over a page); with the notes still away."""
        document = self.layout(adjusted.html(source))
        breaks = adjusted.breaks
        for _round in range(ROUNDS):
            misplaced = misplaced_notes(document)
            uncut = set(misplaced) - set(tall_notes(document, misplaced))  # no break fits a tall one: it is cut
            deferred = [note for note in misplaced if note not in breaks.notes and note in uncut]
            stubborn = {note for note in misplaced if note in breaks.notes and note in uncut} - breaks.bare
            if not deferred and not stubborn:
                return document, misplaced  # or no break helped
            breaks.notes += deferred  # each break moves the pages after it: a later note may now be deferred
            breaks.bare |= stubborn  # those a break before their heading did not bring back
            document = self.layout(adjusted.html(source))
        return document, misplaced_notes(document)

    def cut_to_fit(self, document, source: str, adjusted: Adjusted, misplaced: tuple[str, ...]):
        """For each note still away from its call (too long for the room under it), the layout
        with that note cut, where the cut puts every piece in its place: the first under the call,
        where the text leads to it (no page break made for the note), the rest going on at the foot
        of the next pages. With the notes still away."""
        for note in misplaced:
            trying = replace(adjusted, cut={**adjusted.cut, note: first_line(document, note)})
            probe = self.layout(trying.html(source))  # where the call stands
            stands = placed(probe, note).call_page
            for fewer in range(CUT_TRIES):
                counts, call_page = cuts(document, probe, note, fewer)
                if not counts:
                    break
                trying = replace(adjusted, cut={**adjusted.cut, note: counts})
                if call_page != stands:  # no room under the call: a page break before it
                    trying = replace(trying, kept=[*adjusted.kept, note],
                                     breaks=Breaks([*adjusted.breaks.notes, note], adjusted.breaks.bare))
                again = self.layout(trying.html(source))
                away = misplaced_notes(again)
                if pieces_in_place(again, note, call_page) and set(away) < set(misplaced):
                    document, misplaced = again, away
                    adjusted.cut, adjusted.kept, adjusted.breaks = trying.cut, trying.kept, trying.breaks
                    break
        if adjusted.cut and notes_pages(document) != adjusted.notes_pages:
            # pages of notes alone, after the text, are made pages of the sheet's own (an empty block
            # each), so that they are counted as its pages wherever the sheet is set
            adjusted.notes_pages = notes_pages(document)
            document = self.layout(adjusted.html(source))
            misplaced = misplaced_notes(document)
        return document, misplaced

    def pulled_in(self, document, source: str, adjusted: Adjusted, misplaced: tuple[str, ...]):
        """`document`, or, if some of its paragraphs or notes end on a line of a character or
        two, its layout with their marks set half (追い込み), and then, for those still short,
        their last characters set a little apart (追い出し), each kept when it leaves fewer such
        lines, as many pages and no more notes away from their calls; with its notes away."""
        def shorts(layout) -> tuple[list[int], list[str]]:
            return short_last_lines(layout), short_note_ends(layout)

        for how in ("tight", "loose"):
            html = adjusted.html(source)
            lines, ends = shorts(document)
            short = [place for place in lines if place not in getattr(adjusted, how)
                     and (how == "loose" or can_pull_in(html, place))]
            notes = [note for note in ends if note not in getattr(adjusted, f"{how}_notes")]
            if not short and not notes:
                continue
            trying = replace(adjusted, **{how: getattr(adjusted, how) + short,
                                          f"{how}_notes": getattr(adjusted, f"{how}_notes") + notes})
            kept = self.tried(document, misplaced, trying.html(source),
                              lambda again: sum(map(len, shorts(again))) < len(lines) + len(ends))
            if kept is not None:
                document, misplaced = kept
                setattr(adjusted, how, getattr(trying, how))
                setattr(adjusted, f"{how}_notes", getattr(trying, f"{how}_notes"))
        return document, misplaced

    def balanced(self, document, source: str, adjusted: Adjusted, misplaced: tuple[str, ...]):
        """`document`, or, if a sheet of it ends on a page of a few lines, its layout with the
        paragraph at the foot of the page before broken over the page, or a page break before a
        paragraph there (`layout.balance`), when that leaves fewer short last pages, the same
        number of pages (the packs' folios stand) and no more notes away from their calls; with
        its notes away."""
        short = short_last_pages(document)
        places = balance(document) if short else []
        if not places:
            return document, misplaced
        kept = self.tried(document, misplaced, replace(adjusted, balance=adjusted.balance + places).html(source),
                          lambda again: len(short_last_pages(again)) < len(short))
        if kept is None:
            return document, misplaced
        adjusted.balance = adjusted.balance + places
        return kept

    def layout(self, html: str):
        """The layout of `html`; the same one again where a step tries HTML laid out already in
        this document (`finished` and `pulled_in` can ask for the same)."""
        if html in self.laid:
            return self.laid[html]
        self.layouts += 1
        self.laid[html] = HTML(string=html, base_url=self.project.templates[0].as_uri() + "/",
                               url_fetcher=self.fetcher).render(font_config=self.fonts)
        return self.laid[html]


def renderer_of(project: Project) -> Renderer:
    """This process's renderer for `project` while its fonts and its temporary folder stay as they are."""
    files = tuple((p, p.stat().st_mtime_ns) for p in project.resources())
    return renderer_for(project, files, scratch(project.output, str(os.getpid()), for_life=True).stat().st_ino)


@functools.lru_cache(maxsize=2)
def renderer_for(project: Project, files: tuple, folder: int) -> Renderer:
    """One renderer per project, state of its template and font files, temporary folder and
    process: `watch` keeps its loaded fonts, and starts a new renderer when a file was added or
    changed, or the output folder was deleted meanwhile."""
    return Renderer(project)
