"""Shared fixtures: one build of the real content, read back as a reader would; scratch projects."""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner

from briefing.build import build
from briefing.cli import main
from briefing.load import load
from briefing.project import Project

ROOT = Path(__file__).resolve().parent.parent
BODY_SIZE = 10.5  # running text; calls are smaller, notes and page furniture too
CALL_SIZE = 6.5
NOTE_SIZE = 8.0


@dataclass
class Page:
    number: int
    body: str  # running text and headings, in reading order, calls left out
    calls: list[int]  # note numbers called on this page, in order
    markers: list[int]  # note numbers printed at its foot
    notes: str  # the text at its foot
    lines: list[str]


def read_pdf(path: Path) -> list[Page]:
    with pdfplumber.open(path) as pdf:
        return read_pages(pdf)


def read_pages(pdf: pdfplumber.PDF) -> list[Page]:
    pages = []
    for index, page in enumerate(pdf.pages):
        chars = page.chars
        foot = page.height - 20 * 72 / 25.4  # the bottom margin holds the page number
        body = "".join(c["text"] for c in chars if c["size"] >= BODY_SIZE - 0.01)
        calls = _numbers(c for c in chars if abs(c["size"] - CALL_SIZE) < 0.01)
        in_notes = [c for c in chars if abs(c["size"] - NOTE_SIZE) < 0.01 and c["top"] < foot]
        markers = _numbers(c for c in in_notes if "Gothic" in c["fontname"])
        notes = "".join(c["text"] for c in chars if c["size"] <= NOTE_SIZE + 0.01 and c["top"] < foot
                        and not (c["size"] == NOTE_SIZE and "Gothic" in c["fontname"])
                        and abs(c["size"] - CALL_SIZE) > 0.01)
        pages.append(Page(index + 1, body, calls, markers, notes,
                          (page.extract_text(x_tolerance=1.5) or "").splitlines()))
    return pages


def set_lines(pages: list[Page]) -> list[list[str]]:
    """Each page's lines as set, its folios (「論点2　1 / 2」, the pack's page number) left out:
    how two editions of a pack are compared page for page."""
    return [[line for line in page.lines if not re.search(r"論点\d+\s*\d+ / \d+|^\d+$", line)] for page in pages]


def _numbers(chars) -> list[int]:
    """Runs of adjacent digit glyphs as numbers."""
    numbers, run, last = [], "", None
    for c in chars:
        if c["text"].isdigit() and last is not None and abs(c["x0"] - last["x1"]) < 1 and abs(c["top"] - last["top"]) < 1:
            run += c["text"]
        else:
            if run:
                numbers.append(int(run))
            run = c["text"] if c["text"].isdigit() else ""
        last = c
    if run:
        numbers.append(int(run))
    return numbers


@dataclass
class Built:
    """The real content built once for the session; each PDF is parsed once too, on first use."""
    output: Path
    manifest: dict
    content: object
    opened: dict = field(default_factory=dict, repr=False)
    read: dict = field(default_factory=dict, repr=False)

    def pdf(self, file: str) -> pdfplumber.PDF:
        """`file` opened with pdfplumber, its pages' characters parsed at most once a session: read only."""
        if file not in self.opened:
            self.opened[file] = pdfplumber.open(self.output / file)
        return self.opened[file]

    def pages(self, file: str) -> list[Page]:
        if file not in self.read:
            self.read[file] = read_pages(self.pdf(file))
        return self.read[file]

    def files(self) -> list[str]:
        """Every PDF a reader gets: the sheets and the packs."""
        return sorted(str(p.relative_to(self.output)) for p in self.output.rglob("*.pdf")
                      if ".briefing" not in p.parts)

    @property
    def pack(self) -> dict:
        """The manifest's record of the lawmakers' pack: cover, summary, contents, sheets, history."""
        return next(p for p in self.manifest["packs"] if p.get("style") == "lawmakers")


def shared(tmp_path_factory, name: str, make) -> Path:
    """A folder `make` fills once for the whole run: under pytest-xdist, the first worker to ask
    makes it while the others wait (each made its own, all at once, on the same cores)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        folder = tmp_path_factory.mktemp(name)
        make(folder)
        return folder
    root = tmp_path_factory.getbasetemp().parent  # the run's, shared by its workers
    folder = root / name
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, or the worker dies
        if not (root / f"{name}.made").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            (root / f"{name}.made").touch()
    return folder


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Iterator[Built]:
    # in two processes: the other pytest worker, if any, waits for it
    output = shared(tmp_path_factory, "output", lambda folder: build(Project.at(ROOT, output=folder), workers=2))
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    result = Built(output, manifest, load(ROOT / "content"))
    yield result
    for pdf in result.opened.values():
        pdf.close()


MINIMAL = {
    "report.yaml": """
        hearing:
          title: テスト ヒアリング
          date: 2024-01-15
          held_through: テスト議員事務所
          participants: 約10名
          bodies: [digital]
        report:
          site: テストの会
          author: tester
          posted: 2024-02-01
          post: "#1"
          title: テスト報告
          part: 1
          tags: [テスト]
          intro: |
            はじめに[^first]。
          series:
            heading: 報告
            parts: [digital]
        bodies:
          - id: digital
            name: デジタル庁
        notes:
          - id: first
            text: 最初の注。
          - id: second
            text: 二番目の注。
        """,
    "topics.yaml": """
        topics:
          - id: portal
            number: 1
            heading: マイナポータルについて
            title: マイナポータル
            questions:
              - id: portal
                to: [digital]
                text: |
                  質問の本文[^second]です。
        """,
    "answers/digital.yaml": """
        answers:
          - question: portal
            body: digital
            text: |
              回答の本文です。
        """,
}


# A second topic with its answer, for a project of two sheets.
SECOND_TOPIC = """
    topics:
      - id: second
        number: 2
        heading: 二つ目の論点について
        title: 二つ目
        questions:
          - id: second
            to: [digital]
            text: 二つ目の質問です。
    answers:
      - question: second
        body: digital
        text: 二つ目の回答です。
    """


# The scratch project's pack as a lawmakers' pack with its PDF/UA edition.
PACK_WITH_UA = """
    packs:
      - id: pack
        title: ブリーフィング資料
        style: lawmakers
        pdf: [ua]
    """


class Scratch:
    """A small valid project in `root`; `write(name, yaml)` replaces or adds a file."""

    def __init__(self, root: Path):
        self.root = root
        self.content = root / "content"
        for name, text in MINIMAL.items():
            self.write(name, text)

    def write(self, name: str, text: str, encoding: str = "utf-8") -> Path:
        path = self.content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(textwrap.dedent(text).lstrip("\n").encode(encoding))
        return path

    def take(self, built: Path) -> None:
        """Become a copy of the scratch project built at `built`, its output as its build left it."""
        shutil.copytree(built, self.root, dirs_exist_ok=True)


@pytest.fixture
def project(tmp_path):
    """A small valid project in tmp_path; `write(name, yaml)` replaces or adds a file."""
    return Scratch(tmp_path)


@pytest.fixture(scope="session")
def minimal_built(tmp_path_factory) -> Path:
    """The scratch project, built once for the run: `project.take` it."""
    return shared(tmp_path_factory, "minimal", lambda folder: build(Project.at(Scratch(folder).root)))


@pytest.fixture(scope="session")
def two_sheets_built(tmp_path_factory) -> Path:
    """The scratch project with SECOND_TOPIC added, built once for the run: `project.take` it."""
    def make(folder: Path) -> None:
        Scratch(folder).write("second.yaml", SECOND_TOPIC)
        build(Project.at(folder))

    return shared(tmp_path_factory, "two-sheets", make)


ENGLISH = {"LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": "C.UTF-8"}  # None: unset
JAPANESE = {"LANG": "ja_JP.UTF-8"}


@pytest.fixture(autouse=True)
def english(monkeypatch):
    """Messages in English, whatever the machine's locale; a test sets LANG=ja_JP.UTF-8 for Japanese."""
    for name in ENGLISH:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", ENGLISH["LANG"])


def invoke(folder: Path, *args, env: dict | None = None):
    """The command line `briefing ARGS` in `folder`."""
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        return CliRunner(env=env).invoke(main, list(args), prog_name="briefing", catch_exceptions=False)
    finally:
        os.chdir(cwd)


@pytest.fixture
def run(project):
    """`run(*args, env=...)`: the command line, in the scratch project's folder (env: JAPANESE for Japanese)."""

    def in_project(*args, folder: Path | None = None, env: dict | None = None):
        return invoke(folder or project.root, *args, env=env)

    return in_project
