"""The PDF/UA-1 and PDF/A-3u packs pass veraPDF's validation (tools/verapdf/install.sh installs it).

CI installs veraPDF and sets BRIEFING_REQUIRE_VERAPDF=1, so there this test cannot be skipped.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from .conftest import ROOT

VALIDATE = ROOT / ".tools" / "verapdf" / "validate.sh"
FLAVOURS = {"pdf/ua-1": "ua1", "pdf/a-3u": "3u"}


def verapdf_required() -> bool:
    """Whether veraPDF is here to validate with; where it is required (CI), its absence fails."""
    if not VALIDATE.exists() and os.environ.get("BRIEFING_REQUIRE_VERAPDF"):
        pytest.fail(f"{VALIDATE} is missing: run tools/verapdf/install.sh")
    return VALIDATE.exists()


@pytest.fixture(scope="module")
def verapdf(built):
    """`verapdf(variant)`: veraPDF's verdict on the pack of that variant. The first call starts both
    validations side by side: each starts a Java VM, seconds of work a second core can share."""
    running: dict[str, subprocess.Popen] = {}
    verdicts: dict[str, subprocess.CompletedProcess] = {}

    def verdict(variant: str) -> subprocess.CompletedProcess:
        if not running:
            for each, flavour in FLAVOURS.items():
                record = next(p for p in built.manifest["packs"] if p.get("pdf") == each)
                running[each] = subprocess.Popen([str(VALIDATE), flavour, str(Path(built.output) / record["file"])],
                                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if variant not in verdicts:
            process = running[variant]
            stdout, stderr = process.communicate(timeout=120)
            verdicts[variant] = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
        return verdicts[variant]

    yield verdict
    for process in running.values():  # one left waiting when the other failed
        process.kill()
        process.communicate()


@pytest.mark.parametrize("variant, flavour", FLAVOURS.items())
def test_variant_passes_verapdf(verapdf, variant, flavour):
    if not verapdf_required():
        pytest.skip("veraPDF is not installed here: tools/verapdf/install.sh installs it")
    done = verapdf(variant)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith(f"PASS {flavour}")
