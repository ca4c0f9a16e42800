"""The lines heading each file an import writes: the schema's, then the stamp of the post it came from."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .. import schema
from ..i18n import _

STAMP = re.compile(r"# briefing import: post (#[0-9]+), part [0-9]+; ([0-9a-f]{16})\b")


def schema_line(path: Path, content_dir: Path) -> str | None:
    """The line naming the content's schema that `briefing init` heads a file at `path` with; None without a schema."""
    return schema.modeline(path, content_dir) if (content_dir / schema.FILE).is_file() else None


def stamped(body: bytes, post: str, part: int, head: str | None = None) -> bytes:
    """`body` headed by `head` (the schema's line), then the stamp that tells a later import whether it was edited."""
    stamp = (f"# briefing import: post {post}, part {part}; {digest(body)} "
             + _("(edit freely: an import never overwrites an edited file)") + "\n")
    return (f"{head}\n" if head else "").encode("utf-8") + stamp.encode("utf-8") + body


def stamp_of(data: bytes) -> tuple[str, bool] | None:
    """The post (#N) an import wrote a file's bytes from, and whether they were edited since; None if not stamped."""
    first, newline, rest = data.partition(b"\n")
    if first.startswith(schema.MODELINE.encode("utf-8")):
        first, newline, rest = rest.partition(b"\n")
    stamp = STAMP.match(first.decode("utf-8", "replace"))
    return (stamp.group(1), stamp.group(2) != digest(rest)) if stamp else None


def digest(data: bytes) -> str:
    """The short digest a stamp records of a file's bytes after the stamp."""
    return hashlib.sha256(data).hexdigest()[:16]
