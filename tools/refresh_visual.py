#!/usr/bin/env python3
"""Refresh the visual references of tests/test_visual.py from a build of the default content.

    .venv/bin/python tools/refresh_visual.py

Run it after an intended change to the look, then open every picture in tests/visual/ and
look at it before committing: the test compares later builds against exactly these.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.build import build  # noqa: E402
from briefing.project import Project  # noqa: E402
from tests.test_visual import PAGES, REFERENCES, picture  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "output"
        build(Project.at(ROOT, output=output))
        for name, file, index in PAGES:
            picture(output / file, index).save(REFERENCES / f"{name}.png", optimize=True)
            print(f"wrote {REFERENCES / name}.png from {file}, page {index + 1}")


if __name__ == "__main__":
    main()
