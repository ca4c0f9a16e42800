"""Write rendered files and the manifest into the output folder, each atomically."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

UMASK = os.umask(0)
os.umask(UMASK)


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder and rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(temporary, 0o666 & ~UMASK)  # mkstemp makes 0600; outputs are for sharing
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_outputs(output: Path, files: dict[str, bytes], manifest: dict) -> None:
    """Write every file, then the manifest that describes them."""
    for name, data in files.items():
        write_atomic(output / name, data)
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    write_atomic(output / "manifest.json", text.encode("utf-8"))
