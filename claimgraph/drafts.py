"""Article drafts: which files are drafts, and the drafts in a folder."""

from __future__ import annotations

from pathlib import Path

DRAFT_SUFFIXES = frozenset({".md", ".markdown", ".html", ".htm", ".txt"})


def is_draft(path: Path) -> bool:
    return path.suffix.lower() in DRAFT_SUFFIXES


def drafts_in(folder: Path) -> list[Path]:
    """The drafts under ``folder``, sorted, skipping hidden files and folders inside it.

    Only the parts below ``folder`` count: a folder that itself sits under a dot-folder
    (``~/.notes/drafts``) is searched like any other.
    """
    return sorted(
        candidate
        for candidate in folder.rglob("*")
        if is_draft(candidate)
        and candidate.is_file()
        and not any(part.startswith(".") for part in candidate.relative_to(folder).parts)
    )
