"""Text from the inputs or the services made safe to show: one policy for every format.

Claim ids, claim text, titles and messages come from files anyone can write and from
services claimgraph does not control. Shown raw, they can drive a terminal (``ESC[2J``
clears it, OSC sequences set the title, a hyperlink or the clipboard), forge lines of the
report (an id with a newline and ``Summary: ... 0 errors``), reorder what a reader sees
(Trojan Source bidi overrides), or make XML ill-formed. The policy, for every format meant
for people or for XML parsers (text, markdown, github, html, junit, sarif messages, GraphML,
GEXF, DOT):

- C0 controls (U+0000-U+001F, except tab and newline where a field may span lines),
  DEL (U+007F) and C1 controls (U+0080-U+009F) are shown as ``\\x1b``;
- lone surrogates (what a cut emoji escape such as ``"\\ud800"`` decodes to; they cannot be
  written as UTF-8) are shown as ``\\ud800``;
- bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and the
  non-characters U+FFFE and U+FFFF (not allowed in XML) are shown as ``\\u202e``;
- in a single-line field every run of whitespace, newlines included, becomes one space.

Escaping makes the character visible rather than silently dropping it, so a reader sees
that something odd is in the input. The JSON report is the exception: JSON escapes control
characters itself and stays exact; :func:`json_text` only writes lone surrogates as the
``\\ud800`` escapes JSON has for them.
"""

from __future__ import annotations

import re

#: what is never shown raw (the bidi controls and U+FFFE/U+FFFF listed one by one)
_UNSAFE = "\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\ufffe\uffff"
_UNSAFE_MULTILINE = re.compile(f"[{_UNSAFE}]")
_UNSAFE_ONE_LINE = re.compile(f"[{_UNSAFE}\t\n]")
_SURROGATE = re.compile("[\ud800-\udfff]")
#: whitespace runs a single-line field folds into one space
_WHITESPACE = re.compile(r"\s+")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def multiline(text: str) -> str:
    """``text`` with the unsafe characters escaped; tabs and newlines kept (CRLF as LF)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    return _UNSAFE_MULTILINE.sub(_escape, text)


def one_line(text: str) -> str:
    """``text`` on one line: whitespace runs folded to a space, unsafe characters escaped."""
    text = _WHITESPACE.sub(" ", text).strip()
    return _UNSAFE_ONE_LINE.sub(_escape, text)


def is_safe(text: str) -> bool:
    """Whether ``text`` shows as it is on one line (most text does: a fast path for callers)."""
    return _UNSAFE_ONE_LINE.search(text) is None


def escape_surrogates(text: str) -> str:
    """``text`` with lone surrogates written as ``\\udXXX``: writable as UTF-8 (for URLs)."""
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def json_text(text: str) -> str:
    """JSON text with lone surrogates written as ``\\udXXX`` escapes (its exact meaning).

    A lone surrogate can only stand inside a JSON string, where its escape is what
    ``ensure_ascii`` would write; everything else is left as it is.
    """
    return escape_surrogates(text)
