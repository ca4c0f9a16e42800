"""Random and mutated content: the only outcomes are success or clean errors with exit 1."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from briefing.cli import main
from briefing.incremental import entries

from .conftest import MINIMAL

FILES = sorted(MINIMAL)
PROBLEM = re.compile(r"^content(/[^:]+)?:\d+:\d+: ")
SUMMARY = re.compile(r"^content: \d+ topics, \d+ answers, \d+ notes: (ok|no errors; warnings: \d+)$")
# Characters that stress each layer: YAML syntax, note calls, escaping, encodings, fonts, controls.
NASTY = list(":-[]{}#&*!|>'\"%@`^\\\n\t ") + ["[^", "[^second]", "<b>", "{{", "\x00", "\x1b", "\u200b",
                                            "\ufeff", "😀", "\ud800", "𠮷", "ー", "、", "..", "/", "\r\n"]


@pytest.fixture(scope="module")
def good_build(tmp_path_factory) -> Path:
    """The outputs of the unmutated content: a failed build must leave them as they are."""
    root = tmp_path_factory.mktemp("good")
    write_mutated(root, None)
    assert invoke(root, "build").exit_code == 0
    return root / "output"


def mutate(text: str, data) -> str:
    """One random edit of the kind a person or a paste makes: insert, delete, duplicate, cut, swap."""
    kind = data.draw(st.sampled_from(["in-text"] * 4 + ["insert", "delete", "duplicate", "truncate", "swap",
                                                        "indent"]))
    at = data.draw(st.integers(0, len(text)))
    if kind == "in-text":  # inside Japanese running text, where most edits happen
        places = [i for i, c in enumerate(text) if ord(c) > 0x3000]
        at = data.draw(st.sampled_from(places)) if places else at
        kind = "insert"
    if kind == "insert":
        piece = data.draw(st.one_of(st.sampled_from(NASTY), st.text(max_size=5)))
        return text[:at] + piece + text[at:]
    if kind == "delete":
        return text[:at] + text[at + data.draw(st.integers(1, 8)):]
    if kind == "truncate":
        return text[:at]
    lines = text.split("\n")
    i, j = (data.draw(st.integers(0, len(lines) - 1)) for _ in range(2))
    if kind == "duplicate":
        lines.insert(i, lines[j])
    elif kind == "swap":
        lines[i], lines[j] = lines[j], lines[i]
    else:
        lines[i] = " " * data.draw(st.integers(0, 6)) + lines[i].lstrip()
    return "\n".join(lines)


def write_mutated(root: Path, data) -> None:
    content = root / "content"
    shutil.rmtree(content, ignore_errors=True)
    texts = {name: textwrap.dedent(text).lstrip("\n") for name, text in MINIMAL.items()}
    for _ in range(data.draw(st.integers(0, 3)) if data else 0):
        name = data.draw(st.sampled_from(FILES))
        texts[name] = mutate(texts[name], data)
    for name, text in texts.items():
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8", "surrogatepass"))


def invoke(root: Path, *args):
    cwd = os.getcwd()
    os.chdir(root)
    try:
        return CliRunner().invoke(main, list(args))
    finally:
        os.chdir(cwd)


def assert_clean(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    lines = [line for line in result.output.splitlines() if not line.startswith(("rendering ", "writing "))]
    if result.exit_code == 1:
        assert lines and all(PROBLEM.match(line) for line in lines if "warning:" not in line), result.output
    else:
        assert result.exit_code == 0, result.output


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 150)), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_check_survives_mutated_content(tmp_path_factory, data):
    root = tmp_path_factory.mktemp("fuzz")
    write_mutated(root, data)
    result = invoke(root, "check")
    event(f"check exit {result.exit_code}")
    assert_clean(result)
    if result.exit_code == 0:
        assert any(SUMMARY.match(line) for line in result.output.splitlines()), result.output


@settings(max_examples=int(os.environ.get("FUZZ_BUILDS", 8)), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_build_survives_mutated_content_and_keeps_good_pdfs(tmp_path_factory, good_build, data):
    root = tmp_path_factory.mktemp("fuzz")
    write_mutated(root, data)
    good = root / "output"
    shutil.copytree(good_build, good)
    before = {p: p.read_bytes() for p in good.rglob("*") if p.is_file()}
    result = invoke(root, "build")
    event(f"build exit {result.exit_code}")
    assert_clean(result)
    if result.exit_code == 0:  # what the build wrote: its manifest, and every file as the manifest has it
        manifest = json.loads((good / "manifest.json").read_text(encoding="utf-8"))
        for name, record in entries(manifest).items():
            data = (good / name).read_bytes()
            assert data.startswith(b"%PDF-") and hashlib.sha256(data).hexdigest() == record["sha256"], name
    else:
        assert {p: p.read_bytes() for p in good.rglob("*") if p.is_file()} == before


KEYS = st.sampled_from(["hearing", "report", "bodies", "topics", "answers", "notes", "id", "text", "to",
                        "questions", "question", "body", "number", "heading", "title", "url", "date"])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-3, 10**12), st.dates(), st.text(max_size=20),
                    st.sampled_from(["portal", "digital", "second", "[^first]", "2024-01-15"]))
TREES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                      st.dictionaries(KEYS | st.text(max_size=8), inner,
                                                                      max_size=5)), max_leaves=25)


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 150)), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(tree=st.dictionaries(KEYS, TREES, max_size=4), name=st.sampled_from(FILES))
def test_check_survives_random_sections(tmp_path_factory, tree, name):
    """Whole random files, well-formed YAML of any shape, in place of one content file."""
    import yaml

    root = tmp_path_factory.mktemp("fuzz")
    write_mutated(root, None)
    (root / "content" / name).write_text(yaml.safe_dump(tree, allow_unicode=True), encoding="utf-8")
    result = invoke(root, "check")
    event(f"check exit {result.exit_code}")
    assert_clean(result)
