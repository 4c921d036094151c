"""Writing files: the one place that writes for the project (reports, schemas, the lock file,
the baseline, ``claims.json`` / ``sources.json``, the GitHub job summary).

A regular file is written atomically: a temporary file in the same folder, then
``os.replace``, so readers see the old file or the new one, never half. Output paths are
treated as ``>`` in a shell treats them, only safer:

* a symlink is written through: its target is replaced, the link stays a link;
* a file that is not a regular file (``/dev/null``, ``/dev/stdout``, a named pipe) is
  written to directly: no temporary file beside it, the node itself is never replaced;
* :func:`check_output` says, before any work is done, why a path cannot be written (no
  such folder, a folder in the way, no permission) or must not be (it is one of the run's
  inputs); the commands call it before the audit so a long run never ends in a lost report;
* every ``OSError`` while writing is an :class:`~claimgraph.errors.InputError` naming the
  file (exit code 2), never a traceback.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any, Literal

from claimgraph.errors import InputError

_INDENT = re.compile(r"^\{\s*\n([ \t]+)\S", re.MULTILINE)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _destination(path: str | Path) -> tuple[Path, bool]:
    """Where writing to ``path`` lands, and whether it is written in place.

    Symlinks are followed (a dangling one to where it points), so the file they name is
    replaced and the link stays. A device or a pipe (``/dev/null``, ``/dev/stdout``, a FIFO)
    is written in place, as is a file reached through a link that does not resolve to it
    (``/proc/self/fd/1`` to a deleted file).
    """
    try:
        status = os.stat(path)
    except OSError:
        return Path(os.path.realpath(path)), False  # a new file
    if not stat.S_ISREG(status.st_mode):
        return Path(path), True
    real = Path(os.path.realpath(path))
    try:
        same = os.path.samestat(status, os.stat(real))
    except OSError:
        same = False
    return (real, False) if same else (Path(path), True)


def _write_error(path: str | Path, exc: OSError) -> InputError:
    reason = exc.strerror or str(exc)
    return InputError(f"cannot write the file: {reason}", file=str(path))


def _write_parts(handle: IO[str], text: str | Iterable[str], *, final_newline: bool) -> None:
    last = ""
    for part in [text] if isinstance(text, str) else text:
        if part:
            handle.write(part)
            last = part
    if final_newline and not last.endswith("\n"):
        handle.write("\n")
    handle.flush()


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
    A symlink is written through to its target; a device or pipe is written to directly.
    Raises InputError for any OSError (nothing is left behind: the old file stays as it was),
    except BrokenPipeError from a pipe whose reader went away.
    """
    target, in_place = _destination(path)
    try:
        if in_place:
            with open(target, "w", encoding=encoding, newline="") as handle:
                _write_parts(handle, text, final_newline=final_newline)
            return
        _replace_atomically(target, text, encoding, final_newline=final_newline)
    except BrokenPipeError:
        raise  # the reader of a pipe stopped reading (``-o /dev/stdout | head``): not an error
    except OSError as exc:
        raise _write_error(path, exc) from None


def _replace_atomically(
    target: Path, text: str | Iterable[str], encoding: str, *, final_newline: bool
) -> None:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            _write_parts(handle, text, final_newline=final_newline)
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


def append_text(path: str | Path, text: str) -> None:
    """Append ``text`` to ``path`` (created when missing); raises InputError for an OSError."""
    try:
        with open(path, "a", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except OSError as exc:
        raise _write_error(path, exc) from None


def make_folder(path: str | Path) -> None:
    """Create the folder ``path`` and its parents (fine when it exists); raises InputError."""
    try:
        Path(path).mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise InputError("is a file, not a folder", file=str(path)) from None
    except OSError as exc:
        raise InputError(
            f"cannot create the folder: {exc.strerror or exc}", file=str(path)
        ) from None


# --------------------------------------------------------------------------- output paths


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _folder_problem(folder: Path) -> str | None:
    """Why files cannot be created in ``folder``, or None."""
    if not folder.exists():
        return f"the folder {folder} does not exist (create it first)"
    if not folder.is_dir():
        return f"{folder} is not a folder"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"permission denied: cannot create files in {folder}"
    return None


def _output_problem(path: Path) -> str | None:
    """Why ``path`` cannot be written, or None."""
    target, in_place = _destination(path)
    try:
        mode = os.stat(target).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return _folder_problem(target.parent)
    except OSError as exc:
        return f"cannot use it: {exc.strerror or exc}"
    if stat.S_ISDIR(mode):
        return "is a folder (name a file to write)"
    if not (stat.S_ISREG(mode) or stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
        return "is neither a regular file, a device nor a pipe: claimgraph cannot write to it"
    if not os.access(target, os.W_OK):
        return "permission denied" + (": the file is read-only" if stat.S_ISREG(mode) else "")
    return None if in_place else _folder_problem(target.parent)


def check_output(
    path: str | Path, *, inputs: Iterable[str | Path | None] = (), what: str = "output"
) -> None:
    """Raise InputError (exit 2) when ``path`` cannot be written, or is one of ``inputs``.

    Call it before the work whose result goes to ``path``: a missing folder, a folder in the
    way, no permission, or an output that would overwrite an input file (claims.json, a
    draft, the lock file, ...) is then found in a moment instead of after the audit.
    ``what`` names the output in the message (``--output``, ``--baseline``, ...).
    """
    target = Path(path)
    problem = _output_problem(target)
    if problem is not None:
        raise InputError(f"cannot write the {what} here: {problem}", file=str(path))
    for item in inputs:
        if item is not None and _same_file(target, Path(item)):
            raise InputError(
                f"refusing to overwrite an input file with the {what}",
                file=str(path),
                hint=f"{item} is read by this run: write the {what} to another file",
            )


def check_output_folder(
    folder: str | Path,
    names: Iterable[str],
    *,
    inputs: Iterable[str | Path | None] = (),
    what: str = "output",
) -> None:
    """:func:`check_output` for the files ``names`` a run writes into ``folder``, which is
    created when missing (then the nearest folder that exists must allow it)."""
    target = Path(folder)
    if target.exists() or target.is_symlink():
        if not target.is_dir():
            raise InputError(f"the {what} must be a folder, not a file", file=str(folder))
        kept = list(inputs)
        for name in names:
            check_output(target / name, inputs=kept, what=what)
        return
    ancestor = target.absolute().parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    problem = _folder_problem(ancestor)
    if problem is not None:
        raise InputError(f"cannot create the {what} folder: {problem}", file=str(folder))


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
        try:
            indent = indent_of(target.read_text(encoding="utf-8-sig")) if target.exists() else 2
        except (OSError, ValueError):
            indent = 2  # the file is replaced whole: its old indent is only a courtesy
    write_text_atomic(path, json_text(data, indent))
