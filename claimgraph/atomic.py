"""Atomic file writes: a temporary file in the same folder, then ``os.replace``."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomic(
    path: str | Path, text: str, encoding: str = "utf-8", *, final_newline: bool = False
) -> None:
    """Write ``text`` to ``path`` so readers see the old file or the new one, never half.

    ``final_newline`` adds a newline when ``text`` does not end with one (without copying it).
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            handle.write(text)
            if final_newline and not text.endswith("\n"):
                handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private (0600): give it the mode the file had, or the mode
        # a new file gets under the user's umask
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask()
        with contextlib.suppress(OSError):
            os.chmod(tmp_name, mode)
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
