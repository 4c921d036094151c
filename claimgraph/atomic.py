"""Atomic file writes: a temporary file in the same folder, then ``os.replace``.

The one place that writes files for the project: reports, schemas, the lock file, the
baseline, and ``claims.json`` / ``sources.json`` (:func:`write_json_atomic`).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

_INDENT = re.compile(r"^\{\s*\n([ \t]+)\S", re.MULTILINE)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomic(
    path: str | Path,
    text: str | Iterable[str],
    encoding: str = "utf-8",
    *,
    final_newline: bool = False,
) -> None:
    """Write ``text`` (a string, or its pieces in order) to ``path`` so readers see the old
    file or the new one, never half.

    ``final_newline`` adds a newline when ``text`` does not end with one (without copying it).
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            last = ""
            for part in [text] if isinstance(text, str) else text:
                if part:
                    handle.write(part)
                    last = part
            if final_newline and not last.endswith("\n"):
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


def indent_of(text: str, default: int = 2) -> int | str:
    """The indent a JSON file uses (spaces counted, or the tab string), else ``default``."""
    match = _INDENT.match(text)
    if match is None:
        return default
    indent = match.group(1)
    return indent if "\t" in indent else len(indent)


def json_text(data: Any, indent: int | str = 2) -> str:
    """JSON as claimgraph writes input files: non-ASCII kept as is, a final newline."""
    return json.dumps(data, indent=indent, ensure_ascii=False) + "\n"


def write_json_atomic(
    path: str | Path, data: Any, *, indent: int | str | Literal["keep"] = 2
) -> None:
    """Write ``data`` as JSON to ``path`` atomically.

    ``indent="keep"`` keeps the indent of the file being replaced (2 for a new file), so a
    rewrite of a hand-edited file changes only what it must.
    """
    if indent == "keep":
        target = Path(path)
        indent = indent_of(target.read_text(encoding="utf-8-sig")) if target.exists() else 2
    write_text_atomic(path, json_text(data, indent))
