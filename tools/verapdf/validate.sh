#!/usr/bin/env bash
# Usage: validate.sh <flavour: 3u|ua1|2b|...> <file.pdf>   -> exit 0 PASS, 1 FAIL, 2 error
set -euo pipefail
D="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ $# -eq 2 ] || { echo "usage: $0 <flavour: 3u|ua1> <file.pdf>" >&2; exit 2; }
JAXB=/usr/share/java/jaxb-runtime.jar:/usr/share/java/jaxb-core.jar:/usr/share/java/txw2.jar:/usr/share/java/istack-commons-runtime.jar:/usr/share/java/javax.activation.jar
# C1 only, one GC thread: a validation is seconds of one short run, where the full JIT costs more
# than it saves (4.2 s of CPU against 1.9 s for the PDF/UA pack, the same verdict)
exec java -Xss8m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$D/lib/verapdf-odl.jar:$D/classes:$JAXB" VeraValidate "$1" "$2"
