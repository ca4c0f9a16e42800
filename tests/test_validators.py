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


@pytest.mark.parametrize("variant, flavour", [("pdf/ua-1", "ua1"), ("pdf/a-3u", "3u")])
def test_variant_passes_verapdf(built, variant, flavour):
    if not VALIDATE.exists():
        if os.environ.get("BRIEFING_REQUIRE_VERAPDF"):
            pytest.fail(f"{VALIDATE} is missing: run tools/verapdf/install.sh")
        pytest.skip("veraPDF is not installed here: tools/verapdf/install.sh installs it")
    record = next(p for p in built.manifest["packs"] if p.get("pdf") == variant)
    done = subprocess.run([str(VALIDATE), flavour, str(Path(built.output) / record["file"])],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith(f"PASS {flavour}")
