#!/usr/bin/env python3
"""Set up everything briefing needs on a Debian machine, then build or test.

    python3 bootstrap.py build     # system libraries, .venv, packages; then `briefing build`
    python3 bootstrap.py test      # the same; then the test suite

Needs only python3. System libraries are installed with apt-get when running as root
(or with sudo); otherwise it stops and prints the one command to run.
"""

import ctypes.util
import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / "bin" / "python"
STAMP = VENV / ".briefing-installed"
LOCK = "requirements.lock"  # every package's exact version: the same PDF bytes on every machine
# (shared library WeasyPrint loads, Debian package that has it)
LIBRARIES = [
    ("pango-1.0", "libpango-1.0-0"),
    ("pangoft2-1.0", "libpangoft2-1.0-0"),
    ("harfbuzz-subset", "libharfbuzz-subset0"),  # fast font subsetting (fontTools is several times slower)
]
# (program the tests read PDFs with, Debian package that has it): poppler's text extraction is
# one of the two a copy from the PDF is checked against
TEST_PROGRAMS = [("pdftotext", "poppler-utils")]


def say(message: str) -> None:
    print(f"bootstrap: {message}", file=sys.stderr, flush=True)


def apt_install(packages: list[str]) -> None:
    line = f"apt-get install -y {' '.join(packages)}"
    if not shutil.which("apt-get"):
        sys.exit(f"bootstrap: this is not a Debian-like system; install the equivalents of: {' '.join(packages)}")
    if os.geteuid() == 0:
        prefix = []
    elif shutil.which("sudo") and sys.stdin.isatty():
        answer = input(f"bootstrap: WeasyPrint needs {' '.join(packages)}. Run `sudo {line}` now? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            sys.exit(f"bootstrap: not installed. Run it yourself, then this command again:\n  sudo {line}")
        prefix = ["sudo"]
    else:
        sys.exit(f"bootstrap: missing system packages. Run as root, then this command again:\n  sudo {line}")
    say(f"installing {' '.join(packages)} with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*prefix, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run([*prefix, "apt-get", "install", "-y", "-qq", *packages], check=True, env=env)


def system_packages(tests: bool) -> None:
    missing = [package for library, package in LIBRARIES if not ctypes.util.find_library(library)]
    if tests:
        missing += [package for program, package in TEST_PROGRAMS if not shutil.which(program)]
    try:
        import ensurepip  # noqa: F401  (Debian ships venv's pip apart, in python3-venv)
    except ImportError:
        version = f"{sys.version_info.major}.{sys.version_info.minor}"
        missing.append(f"python{version}-venv")
    if missing:
        apt_install(missing)


def virtualenv(tests: bool) -> None:
    """The venv with briefing and its locked dependencies; the test tools only when `tests`."""
    if not PYTHON.exists():
        say(f"creating {VENV}")
        venv.create(VENV, with_pip=True)
    inputs = b"".join((ROOT / name).read_bytes() for name in ("pyproject.toml", LOCK))
    wanted = hashlib.sha256(inputs).hexdigest()
    done = STAMP.read_text().split() if STAMP.exists() else []
    if done[:1] == [wanted] and (not tests or "test" in done):
        return
    extras = "[test]" if tests or "test" in done else ""
    say(f"installing briefing{extras} and its locked dependencies ({LOCK}) into .venv")
    pip = [str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--constraint", str(ROOT / LOCK), "--editable", f"{ROOT}{extras}"], check=True)
    STAMP.write_text(f"{wanted} {'test' if extras else ''}".strip())


def main() -> None:
    commands = {
        "build": [str(VENV / "bin" / "briefing"), "build", *sys.argv[2:]],
        "test": [str(PYTHON), "-m", "pytest", *sys.argv[2:]],
        "setup": ["true"],  # only the setup both of the others do
    }
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    try:
        tests = sys.argv[1] in ("test", "setup")
        system_packages(tests)
        virtualenv(tests)
    except subprocess.CalledProcessError as error:
        sys.exit(f"bootstrap: failed: {' '.join(map(str, error.cmd))} (exit {error.returncode})")
    os.chdir(ROOT)
    sys.exit(subprocess.run(commands[sys.argv[1]]).returncode)


if __name__ == "__main__":
    main()
