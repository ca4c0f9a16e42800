"""Sheets, packs and questions as HTML: Jinja2 templates filled from the assembled contexts.

No WeasyPrint here: a build first writes every document's HTML, and renders only those whose
HTML (with its fonts and the tool's version) differs from the last build.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from . import __version__
from .assemble import Pack, Questions, Sheet
from .dates import seireki, wareki
from .errors import RenderError
from .models import Content
from .project import Project, builtin


@dataclass(frozen=True)
class Page:
    """One document to render: its output name, HTML, and how to name it in an error."""

    name: str
    html: str
    what: str


class FolderLoader(jinja2.FileSystemLoader):
    """Loads templates from one folder only: a link pointing outside it is refused."""

    def __init__(self, folder: Path):
        super().__init__(folder)
        self.folder = folder.resolve()

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        if not Path(filename).resolve().is_relative_to(self.folder):
            raise jinja2.TemplateError(f"template '{template}' links outside {self.folder}: refused")
        return source, filename, uptodate


def environment(project: Project) -> jinja2.Environment:
    """Templates: the project's first, then the built-in ones, also reachable as default/NAME.

    Templates run sandboxed: they can fill in values, not reach Python's internals or the system.
    """
    loader = jinja2.ChoiceLoader([
        *(FolderLoader(folder) for folder in project.templates),
        jinja2.PrefixLoader({"default": FolderLoader(builtin("templates"))}),
    ])
    env = SandboxedEnvironment(
        loader=loader,
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
    )
    env.filters["seireki"] = seireki
    env.filters["wareki"] = wareki
    env.globals["font_url"] = lambda name: project.font(name).as_uri()
    return env


class Markup:
    """Fills the templates of one project for one content tree."""

    def __init__(self, project: Project, content: Content):
        self.project = project
        self.content = content
        self.env = environment(project)

    def sheet(self, sheet: Sheet) -> Page:
        hearing = self.content.hearing
        title = f"論点{sheet.topic.number} {sheet.topic.title} — {hearing.title}（{seireki(hearing.date)}）"
        return self.page(sheet.file, "sheet.html", f"sheet '{sheet.id}' from {sheet.topic.where.path}",
                         title, sheet=sheet)

    def questions(self, questions: Questions) -> Page:
        hearing = self.content.hearing
        title = f"質問事項 {questions.body.name}御中 — {hearing.title}（{seireki(hearing.date)}）"
        return self.page(questions.file, "questions.html", f"the questions to '{questions.body.id}'", title,
                         questions=questions, addressee=f"{questions.body.name}　御中")

    def pack_front(self, pack: Pack) -> Page:
        return self.page("front", "pack.html", "the pack's cover and contents", pack.title, pack=pack)

    def pack_back(self, pack: Pack) -> Page:
        return self.page("back", "history.html", "the pack's revision history", pack.title, pack=pack)

    def page(self, name: str, template: str, what: str, title: str, addressee: str = "", **context) -> Page:
        report = self.content.report
        document = {
            "title": title,
            "author": f"{report.site}（{report.author}）",
            "keywords": ", ".join(report.tags),
            "date": f"{report.posted.isoformat()}T00:00:00+09:00",
            "generator": f"briefing {__version__}",
            "addressee": addressee,
        }
        try:
            html = self.env.get_template(template).render(
                document=document, hearing=self.content.hearing, report=report, **context)
        except jinja2.TemplateNotFound as error:
            folders = ", ".join(str(f) for f in self.project.templates)
            raise RenderError(f"while rendering {what}: template '{error.name}' not found in {folders}")
        except jinja2.TemplateError as error:  # sandbox refusals included
            raise RenderError(f"while rendering {what}: template error: {error}")
        return Page(name, html, what)
