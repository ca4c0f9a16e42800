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
# (shared library WeasyPrint loads, Debian package that has it)
LIBRARIES = [
    ("pango-1.0", "libpango-1.0-0"),
    ("pangoft2-1.0", "libpangoft2-1.0-0"),
    ("harfbuzz-subset", "libharfbuzz-subset0"),  # fast font subsetting (fontTools is several times slower)
]


def say(message: str) -> None:
    print(f"bootstrap: {message}", file=sys.stderr, flush=True)


def apt_install(packages: list[str]) -> None:
    if os.geteuid() == 0:
        prefix = []
    elif shutil.which("sudo"):
        prefix = ["sudo"]
    else:
        sys.exit(f"bootstrap: missing system packages. Run as root:\n  apt-get install -y {' '.join(packages)}")
    if not shutil.which("apt-get"):
        sys.exit(f"bootstrap: this is not a Debian-like system; install the equivalents of: {' '.join(packages)}")
    say(f"installing {' '.join(packages)} with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*prefix, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run([*prefix, "apt-get", "install", "-y", "-qq", *packages], check=True, env=env)


def system_packages() -> None:
    missing = [package for library, package in LIBRARIES if not ctypes.util.find_library(library)]
    try:
        import ensurepip  # noqa: F401  (Debian ships venv's pip apart, in python3-venv)
    except ImportError:
        version = f"{sys.version_info.major}.{sys.version_info.minor}"
        missing.append(f"python{version}-venv")
    if missing:
        apt_install(missing)


def virtualenv() -> None:
    if not PYTHON.exists():
        say(f"creating {VENV}")
        venv.create(VENV, with_pip=True)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    say("installing briefing and its pinned dependencies into .venv")
    pip = [str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--editable", f"{ROOT}[test]"], check=True)
    STAMP.write_text(wanted)


def main() -> None:
    commands = {
        "build": [str(VENV / "bin" / "briefing"), "build", *sys.argv[2:]],
        "test": [str(PYTHON), "-m", "pytest", *sys.argv[2:]],
        "setup": ["true"],  # only the setup both of the others do
    }
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    try:
        system_packages()
        virtualenv()
    except subprocess.CalledProcessError as error:
        sys.exit(f"bootstrap: failed: {' '.join(map(str, error.cmd))} (exit {error.returncode})")
    os.chdir(ROOT)
    sys.exit(subprocess.run(commands[sys.argv[1]]).returncode)


if __name__ == "__main__":
    main()
