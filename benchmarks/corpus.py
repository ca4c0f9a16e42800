"""A synthetic report of N topics, built from the seed report's own sentences.

    .venv/bin/python benchmarks/corpus.py DIR --topics 200

Writes DIR/content/: the default hearing and report, four bodies, N topics in files of 20,
two questions per topic (one with a preamble), answers from three bodies in one file each,
one or two discussion parts, notes cited once and twice on a sheet, and long notes cited
from several sheets. `ppc_round(DIR, topics)` adds a new body's file: follow-up questions
to some topics and their answers, as a late answer does.
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
from pathlib import Path

from briefing.load import load

ROOT = Path(__file__).resolve().parent.parent
FILE_TOPICS = 20


def seed_paragraphs() -> dict[str, list[str]]:
    """The default content's paragraphs by kind, without note calls."""
    content = load(ROOT / "content")
    kinds = {"question": [], "answer": [], "discussion": [], "heading": [], "title": []}
    for topic in content.topics:
        kinds["title"].append(topic.title)
        for question in topic.questions:
            kinds["question"] += [p.plain for p in question.text.paragraphs]
        for part in topic.discussion:
            kinds["heading"].append(part.heading)
            kinds["discussion"] += [p.plain for p in part.text.paragraphs]
    for answer in content.answers:
        kinds["answer"] += [p.plain for p in answer.text.paragraphs]
    kinds["note"] = [n.text for n in content.notes]
    kinds["intro-note"] = [n.text for n in content.notes if n.id == "hearing-notice"]
    return kinds


def block(paragraphs: list[str], indent: int) -> str:
    pad = " " * indent
    return "|\n" + "\n\n".join(pad + p for p in paragraphs) + "\n"


def quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def make(root: Path, topics: int) -> Path:
    content = root / "content"
    shutil.rmtree(content, ignore_errors=True)
    (content / "topics").mkdir(parents=True)
    (content / "answers").mkdir()
    seed = seed_paragraphs()
    shutil.copy(ROOT / "content" / "report.yaml", content / "report.yaml")
    shutil.copy(ROOT / "content" / "bodies.yaml", content / "bodies.yaml")
    take = {kind: itertools.cycle(texts) for kind, texts in seed.items()}

    def some(kind: str, count: int) -> list[str]:
        return [next(take[kind]) for _ in range(count)]

    notes = ["notes:\n", f"  - id: hearing-notice\n    text: {quoted(seed['intro-note'][0])}\n"]
    long_notes = 10
    for n in range(long_notes):  # long notes, each cited from several sheets
        notes.append(f"  - id: long-{n}\n    text: {quoted(''.join(some('note', 4) + some('discussion', 1)))}\n")
    answers = {"digital": ["answers:\n"], "mhlw": ["answers:\n"], "soumu": ["answers:\n"]}
    for first in range(1, topics + 1, FILE_TOPICS):
        lines = ["topics:\n"]
        for i in range(first, min(first + FILE_TOPICS, topics + 1)):
            notes.append(f"  - id: n{i}\n    text: {quoted(next(take['note']))}\n")
            other = "mhlw" if i % 2 else "soumu"
            call = f"[^n{i}]"
            long_call = f"[^long-{i % long_notes}]" if i % 3 == 0 else ""
            q1, q2 = some("question", 2), some("question", 1)
            q1[0] += call
            lines.append(
                f"  - id: t{i:03d}\n    number: {i}\n    heading: {next(take['title'])}（{i}）について\n"
                f"    title: {next(take['title'])}（{i}）\n    questions:\n"
                f"      - id: q{i}-1\n        to: [digital, {other}]\n        number: 1\n"
                f"        text: {block(q1, 10)}"
                f"      - id: q{i}-2\n        to: [digital]\n        number: 2\n"
                f"        preamble: {block(some('question', 1), 10)}"
                f"        text: {block(q2, 10)}"
                f"    discussion:\n")
            for part in range(1 + i % 2):
                text = some("discussion", 3)
                text[-1] += call + long_call  # the same note called again: no second footnote
                lines.append(f"      - heading: {next(take['heading'])}\n        text: {block(text, 10)}")
            answers["digital"].append(f"  - question: q{i}-1\n    body: digital\n    text: {block(some('answer', 2), 6)}")
            answers["digital"].append(f"  - question: q{i}-2\n    body: digital\n    text: {block(some('answer', 3), 6)}")
            answers[other].append(f"  - question: q{i}-1\n    body: {other}\n    text: {block(some('answer', 2), 6)}")
        last = min(first + FILE_TOPICS - 1, topics)
        (content / "topics" / f"{first:03d}-{last:03d}.yaml").write_text("".join(lines), encoding="utf-8")
    for body, parts in answers.items():
        (content / "answers" / f"{body}.yaml").write_text("".join(parts), encoding="utf-8")
    used = {f"long-{i % long_notes}" for i in range(1, topics + 1) if i % 3 == 0}
    notes = [notes[0]] + [n for n in notes[1:] if not n.startswith("  - id: long-") or n.split()[2] in used]
    (content / "notes.yaml").write_text("".join(notes), encoding="utf-8")
    return content


def ppc_round(root: Path, topics: list[int]) -> Path:
    """A new body's file: follow-up questions to `topics` and the body's answers to them."""
    seed = seed_paragraphs()
    lines = ["questions:\n"]
    for i in topics:
        lines.append(f"  - topic: t{i:03d}\n    id: q{i}-ppc\n    to: [ppc]\n    text: {block(seed['question'][:1], 6)}")
    lines.append("answers:\n")
    for i in topics:
        lines.append(f"  - question: q{i}-ppc\n    body: ppc\n    text: {block(seed['answer'][:2], 6)}")
    path = root / "content" / "answers" / "ppc.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--topics", type=int, default=200)
    options = parser.parse_args()
    print(make(options.folder, options.topics))


if __name__ == "__main__":
    main()
