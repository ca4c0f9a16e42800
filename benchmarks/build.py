"""Time `briefing build` as its users meet it: first build, nothing changed, an answer edited,
a new body's answers arriving; for the default report and a synthetic one of N topics; with
1 worker and with 2. Each build runs in a fresh process, as the command line does.

    .venv/bin/python benchmarks/build.py              # default content and 200 topics
    .venv/bin/python benchmarks/build.py --topics 50 --skip-default

Prints wall and CPU seconds (the build and its worker processes) and peak memory (the
largest single process) per step, then the ratios the targets are stated in, and the
sizes per page. Figures, not assertions: the machines are small and shared, so run it
twice and read the figures as ranges.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import make, ppc_round  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
# Runs one build in a child process and reports what it and its workers used.
MEASURE = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.perf_counter() - started
use = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": use.ru_utime + use.ru_stime, "rss": use.ru_maxrss * 1024,
                  "code": done.returncode, "out": done.stderr[-2000:]}))
"""


@dataclass
class Step:
    name: str
    wall: float
    cpu: float
    rss: int
    summary: str


def build(project: Path, workers: int, cache: Path) -> Step:
    command = [sys.executable, "-c", MEASURE, sys.executable, "-m", "briefing", "build", "--workers", str(workers)]
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    result = json.loads(subprocess.run(command, cwd=project, env=env, capture_output=True, text=True,
                                       check=True).stdout)
    if result["code"] != 0:
        raise SystemExit(f"build failed in {project}:\n{result['out']}")
    return Step("", result["wall"], result["cpu"], result["rss"], result["out"].strip().splitlines()[-1])


def edit_one_answer(project: Path) -> None:
    """Change one word of one answer in the middle of the report, as a correction would."""
    path = next(p for p in sorted((project / "content" / "answers").glob("*.yaml")) if "digital" in p.name)
    text = path.read_text(encoding="utf-8")
    middle = text.index("\n  - question:", len(text) // 2)
    start = text.index("text:", middle)
    first_char = text.index("\n", start) + 1
    first_char += len(text[first_char:]) - len(text[first_char:].lstrip(" "))
    path.write_text(text[:first_char] + "（訂正）" + text[first_char:], encoding="utf-8")


def add_new_body(project: Path, topics: list[int], default: bool) -> None:
    if default:
        (project / "content" / "answers" / "ppc.yaml").write_text(DEFAULT_PPC, encoding="utf-8")
    else:
        ppc_round(project, topics)


DEFAULT_PPC = """questions:
  - topic: duty
    id: duty-ppc
    to: [ppc]
    text: マイナンバー記載の義務化について、個人情報保護の観点から見解を問う。
  - topic: portal
    id: portal-ppc
    to: [ppc]
    text: マイナポータルの法的根拠について、委員会の見解を問う。
answers:
  - question: duty-ppc
    body: ppc
    text: 所管省庁において適切に検討されるものと考えている。
  - question: portal-ppc
    body: ppc
    text: デジタル庁において法令に基づき運用されているものと承知している。
"""


def scenario(label: str, make_project, workers: int, scratch: Path, default: bool, topics: int) -> list[Step]:
    project = scratch / f"{label}-{workers}"
    shutil.rmtree(project, ignore_errors=True)
    make_project(project)
    cache = scratch / f"cache-{label}-{workers}"
    shutil.rmtree(cache, ignore_errors=True)
    steps = []
    for name, change in (
        ("cold (empty output and cache)", None),
        ("no-op rebuild", None),
        ("one answer edited", lambda: edit_one_answer(project)),
        ("new body's file added", lambda: add_new_body(project, [max(1, topics // 3), max(1, 2 * topics // 3)],
                                                       default)),
    ):
        if change:
            change()
        step = build(project, workers, cache)
        step.name = name
        steps.append(step)
        print(f"  {label:8} workers={workers}  {name:30} wall {step.wall:6.2f} s  cpu {step.cpu:6.2f} s  "
              f"peak {step.rss / 2**20:5.0f} MB   [{step.summary}]", flush=True)
    return steps


def watched_edit(project: Path, cache: Path, workers: int = 2, edits: int = 1) -> float:
    """Seconds from saving an edited answer to `briefing watch` reporting the rebuild (the median
    of `edits` saves, one after the other, under one watch)."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    process = subprocess.Popen([sys.executable, "-m", "briefing", "watch", "--workers", str(workers)], cwd=project,
                               env=env, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    times = []
    try:
        for line in process.stderr:
            if line.startswith("watching"):
                break
        for _ in range(edits):
            time.sleep(0.5)
            edit_one_answer(project)
            saved = time.perf_counter()
            for line in process.stderr:
                if line.startswith("built "):
                    times.append(time.perf_counter() - saved - WATCH_DEBOUNCE)
                    break
            else:
                raise SystemExit("watch stopped without building")
        return statistics.median(times)
    finally:
        process.terminate()
        process.wait()


WATCH_DEBOUNCE = 0.3  # watch waits this long for more saves before it builds


def jlreq_figures(project: Path) -> str:
    """The JLREQ measures of tests/test_jlreq.py, as figures: right edges and Japanese-Latin gaps."""
    from types import SimpleNamespace

    sys.path.insert(0, str(ROOT))
    from briefing.load import load
    from tests.test_jlreq import EM, japanese, latin, pairs, right_edges

    manifest = json.loads((project / "output" / "manifest.json").read_text(encoding="utf-8"))
    built = SimpleNamespace(output=project / "output", manifest=manifest, content=load(project / "content"))
    edges = [d for d, _ in right_edges(built)]
    gaps = [(b["x0"] - a["x1"]) / EM for a, b in [*pairs(built, japanese, latin), *pairs(built, latin, japanese)]]
    return (f"JLREQ: {len(edges)} non-final body lines end {max(edges):.2f} pt from the column's edge at most "
            f"({sum(d > 0.5 for d in edges)} beyond 0.5 pt); {len(gaps)} Japanese-Latin gaps of "
            f"{min(gaps):.3f}-{max(gaps):.3f} em")


def sizes(project: Path) -> str:
    manifest = json.loads((project / "output" / "manifest.json").read_text(encoding="utf-8"))
    sheets = [(project / "output" / s["file"]).stat().st_size / s["pages"] for s in manifest["sheets"]]
    packs = []
    for pack in manifest["packs"]:
        size = (project / "output" / pack["file"]).stat().st_size
        packs.append(f"{pack['file']} {pack['pages']} pages {size / 2**20:.1f} MB ({size / 1024 / pack['pages']:.1f} KB/page)")
    return (f"sheets: {len(sheets)}, {sum(s['pages'] for s in manifest['sheets'])} pages, KB/page "
            f"min {min(sheets) / 1024:.1f} median {sorted(sheets)[len(sheets) // 2] / 1024:.1f} max "
            f"{max(sheets) / 1024:.1f}\n  " + "\n  ".join(packs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", type=int, default=200)
    parser.add_argument("--skip-default", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        corpora = [] if options.skip_default else [
            ("default", lambda p: shutil.copytree(ROOT / "content", p / "content"), True, 3)]
        corpora.append((f"N={options.topics}", lambda p: make(p, options.topics), False, options.topics))
        for label, make_project, default, topics in corpora:
            print(f"{label}:")
            runs = {w: scenario(label, make_project, w, scratch, default, topics) for w in (1, 2)}
            one, two = runs[1], runs[2]
            print(f"  cold build, 1 worker / 2 workers: {one[0].wall / two[0].wall:.2f}x faster with 2")
            for w, steps in runs.items():
                print(f"  workers={w}: one answer edited = {steps[2].wall / steps[0].wall:.1%} of the cold build; "
                      f"peak memory {max(s.rss for s in steps) / 2**20:.0f} MB")
            print(f"  one answer edited under `briefing watch` (no process start, no imports): "
                  f"{watched_edit(scratch / f'{label}-1', scratch / f'cache-{label}-1'):.2f} s after its "
                  f"{WATCH_DEBOUNCE} s wait for more saves")
            print(f"  {sizes(scratch / f'{label}-2')}")
            if default:
                print(f"  {jlreq_figures(scratch / f'{label}-2')}")


if __name__ == "__main__":
    main()
