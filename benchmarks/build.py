"""Time `briefing build` of the default content: cold (no charset cache) and warm, in fresh processes.

    .venv/bin/python benchmarks/build.py [--runs N]

Prints wall and CPU seconds and peak memory per run, and the output's pages and sizes.
Figures, not assertions: the machines are small and shared, so read them as ranges.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_build(output: Path, cache: Path) -> tuple[float, float, int]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "briefing", "build", "--output", str(output)],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        for label, clear_cache in (("cold (empty font cache)", True), ("warm", False)):
            if not clear_cache:
                run_build(scratch / "out", scratch / "cache")  # fill the cache once
            figures = []
            for _ in range(runs):
                if clear_cache:
                    shutil.rmtree(scratch / "cache", ignore_errors=True)
                figures.append(run_build(scratch / "out", scratch / "cache"))
            walls = sorted(f[0] for f in figures)
            cpus = sorted(f[1] for f in figures)
            print(f"{label:24} wall {walls[0]:.2f}–{walls[-1]:.2f} s (median {walls[len(walls) // 2]:.2f}), "
                  f"cpu median {cpus[len(cpus) // 2]:.2f} s, peak rss {max(f[2] for f in figures) / 1024:.0f} MB")
        manifest = json.loads((scratch / "out" / "manifest.json").read_text(encoding="utf-8"))
        files = [(manifest["pack"], manifest["pack_pages"])] + [(s["file"], s["pages"]) for s in manifest["sheets"]]
        for file, pages in files:
            size = (scratch / "out" / file).stat().st_size
            print(f"{file:28} {pages:2} pages {size / 1024:7.1f} KB  {size / 1024 / pages:6.1f} KB/page")


if __name__ == "__main__":
    main()
