"""Reading an input file: the one place that opens what the user names for reading.

Every input (claims.json, sources.json, drafts, references to import, the lock file, the
baseline, claimgraph.toml, claim / abstract pairs) is read here, so every one gets the same
guards:

* only regular files are read: a folder, a named pipe (FIFO), a device such as
  ``/dev/zero`` or a socket is refused with a message instead of hanging or reading forever;
* a file larger than :func:`max_input_bytes` (512 MiB unless ``CLAIMGRAPH_MAX_INPUT_MB``
  says otherwise) is refused before it is read, so a stray multi-gigabyte file cannot
  exhaust memory;
* every OS error (missing file, no permission, an I/O error) is an :class:`InputError`
  naming the file, never a traceback.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path

from claimgraph.errors import InputError

__all__ = [
    "MAX_INPUT_ENV",
    "MAX_INPUT_MB",
    "decode_text",
    "max_input_bytes",
    "number_too_long",
    "read_input",
]

#: the default size cap of one input file, in MiB
MAX_INPUT_MB = 512
#: the environment variable that changes the cap (a number of MiB)
MAX_INPUT_ENV = "CLAIMGRAPH_MAX_INPUT_MB"

_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


def max_input_bytes() -> int:
    """The largest input file claimgraph reads, in bytes (``CLAIMGRAPH_MAX_INPUT_MB``)."""
    value = os.environ.get(MAX_INPUT_ENV, "").strip()
    if not value:
        return MAX_INPUT_MB * 1024 * 1024
    try:
        megabytes = float(value)
    except ValueError:
        megabytes = -1.0
    if not megabytes > 0 or megabytes == float("inf"):
        raise InputError(
            f"{MAX_INPUT_ENV}={value!r} is not a size",
            file=MAX_INPUT_ENV,
            hint="give the largest input file to read in MiB, e.g. 2048",
        )
    return int(megabytes * 1024 * 1024)


def _size(count: int) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= scale:
            return f"{count / scale:,.1f} {unit}".replace(".0 ", " ")
    return f"{count} bytes"


def _too_large(name: str, size: int | None, limit: int) -> InputError:
    shown = _size(size) if size is not None else "more than that"
    return InputError(
        f"the file is too large to read ({shown}; the limit is {_size(limit)})",
        file=name,
        hint=f"check that this is the right file, or raise the limit with {MAX_INPUT_ENV}",
    )


def read_input(path: str | Path) -> bytes:
    """The bytes of the input file at ``path``. Raises InputError (exit 2) when it is missing,
    not a regular file, larger than :func:`max_input_bytes` or cannot be read."""
    name = str(path)
    limit = max_input_bytes()
    try:
        mode = os.stat(path).st_mode  # before opening: opening a FIFO waits for a writer
        kind = _KINDS.get(stat.S_IFMT(mode))
        if stat.S_ISDIR(mode):
            raise InputError("is a folder, not a file", file=name)
        if kind is not None:
            raise InputError(
                f"is {kind}, not a regular file",
                file=name,
                hint="claimgraph reads regular files only: save the input to a file first",
            )
        # O_NONBLOCK: should the file have turned into a pipe since, opening it cannot wait
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as handle:
            status = os.fstat(fd)
            if not stat.S_ISREG(status.st_mode):
                raise InputError("is not a regular file", file=name)
            if status.st_size > limit:
                raise _too_large(name, status.st_size, limit)
            data = handle.read(limit + 1)  # the file may have grown since fstat
    except FileNotFoundError:
        raise InputError(
            "file not found", file=name, hint="pass the path of an existing file"
        ) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", file=name) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(f"cannot read the file: {reason}", file=name) from None
    if len(data) > limit:
        raise _too_large(name, None, limit)
    return data


def decode_text(raw: bytes, name: str, *, hint: str, encoding: str = "utf-8-sig") -> str:
    """``raw`` decoded as UTF-8; InputError naming the line of the first byte that is not."""
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
            file=name,
            line=line,
            hint=hint,
        ) from None


#: the shortest run of digits ``int()`` refuses (0 means no limit: then nothing is refused)
_LONG_NUMBER = re.compile(f"[0-9]{{{max(sys.get_int_max_str_digits(), 4300) + 1},}}")


def number_too_long(text: str, name: str, *, first_line: int = 1) -> InputError:
    """The error for text that holds an integer longer than Python converts (4,300 digits):
    ``json`` and ``tomllib`` raise a bare ValueError for it. Names its line and column
    (``first_line``: the line number of the first line of ``text``)."""
    match = _LONG_NUMBER.search(text)
    line = column = None
    if match is not None:
        line = text.count("\n", 0, match.start()) + first_line
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
    return InputError(
        "a number with thousands of digits: no field of claimgraph holds one",
        file=name,
        line=line,
        column=column,
        hint="remove the number or write it as a string",
    )
