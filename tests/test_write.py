"""Nothing lost: a build that fails at any point leaves the previous outputs exactly as they were."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from briefing import write
from briefing.build import build
from briefing.errors import BriefingError
from briefing.project import Project

from .conftest import ROOT, SECOND_TOPIC

def snapshot(folder):
    """The output folder's files, but the scratch space of the processes alive (this one's fonts)."""
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and p.relative_to(folder).parts[:2] != (".briefing", "tmp")}


@pytest.fixture
def two_sheets(project, two_sheets_built):
    """A project with two sheets, built once, and its new content with changes to both."""
    project.take(two_sheets_built)
    path = project.content / "second.yaml"
    built = Project.at(project.root)
    before = snapshot(built.output)
    assert len([p for p in before if p.parent.name == "sheets"]) == 2
    path.write_text(path.read_text(encoding="utf-8").replace("質問です", "質問を改めます"), encoding="utf-8")
    project.write("answers/digital.yaml", """
        answers:
          - question: portal
            body: digital
            text: 書き換えた回答です。
        """)
    return built, before


def test_failure_after_some_sheets_rendered_changes_nothing(two_sheets, monkeypatch):
    built, before = two_sheets
    from briefing.render import Renderer

    rendered = []
    original = Renderer.render_alike

    def fail_on_second(self, pages):
        if rendered:
            raise RuntimeError("deliberate failure")
        rendered.append(pages[0].name)
        return original(self, pages)

    monkeypatch.setattr(Renderer, "render_alike", fail_on_second)
    with pytest.raises(RuntimeError, match="deliberate failure"):
        build(built)
    assert len(rendered) == 1  # one document rendered (the longest first), then the failure
    assert snapshot(built.output) == before


def test_failure_while_replacing_files_puts_the_old_ones_back(two_sheets, monkeypatch):
    built, before = two_sheets
    replaced = []
    original = os.replace

    def fail_on_third(source, target):
        replaced.append(target)
        if len(replaced) == 3:  # once: putting files back must work
            raise OSError(28, "No space left on device")
        original(source, target)

    monkeypatch.setattr(write.os, "replace", fail_on_third)
    with pytest.raises(BriefingError, match="No space left on device; nothing was changed"):
        build(built)
    assert len(replaced) > 3
    monkeypatch.undo()
    assert snapshot(built.output) == before


def test_a_second_build_on_the_same_output_is_refused(project):
    output = project.root / "output"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from briefing.state import locked\n"
         "with locked(Path(sys.argv[1])):\n print('held', flush=True); time.sleep(30)", str(output)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(BriefingError, match="another build is writing to"):
            build(Project.at(project.root))
    finally:
        holder.kill()
        holder.wait()
    build(Project.at(project.root))
    assert (output / "manifest.json").exists()


def test_where_hard_links_fail_the_old_files_are_copied_aside(two_sheets, monkeypatch):
    built, before = two_sheets

    def no_links(source, target):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(write.os, "link", no_links)
    build(built)
    assert snapshot(built.output) != before  # the new content is built, on a folder without links
    assert not [p for p in (built.output / ".briefing").iterdir() if p.name in ("kept", "staging", "journal.json")]
