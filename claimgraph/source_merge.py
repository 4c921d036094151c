"""Merge imported references into ``sources.json`` data without losing what the user wrote.

An imported entry matches an existing source by DOI, then PMID, then id, then title and
year; a match only gets the fields it lacks. (``claimgraph extract`` merges drafts into
claims.json and sources.json by its own three-way rules: :mod:`claimgraph.extract.merge`.)
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Mapping
from typing import Any, NamedTuple

from claimgraph.identifiers import normalize_doi, normalize_pmid
from claimgraph.importers import slug

__all__ = ["SourceMerge", "merge_sources"]

logger = logging.getLogger(__name__)


class SourceMerge(NamedTuple):
    """The merged ``sources.json`` data and the ids added, updated and unchanged."""

    merged: dict[str, Any]
    added: list[str]
    updated: list[str]
    unchanged: list[str]


def _title_year(entry: Mapping[str, Any]) -> str | None:
    title, year = entry.get("title"), entry.get("year")
    if not title or not year:
        return None
    return f"{slug(str(title))}|{year}"


def _key(field: str, value: Any) -> str | None:
    if value in (None, ""):
        return None
    if field == "doi":
        return normalize_doi(str(value)) or str(value).strip().lower()
    if field == "pmid":
        return normalize_pmid(str(value)) or str(value).strip()
    return str(value)


def _conflicts(existing: Mapping[str, Any], imported: Mapping[str, Any]) -> bool:
    """Both carry a DOI (or PMID) and they differ: not the same work."""
    for field in ("doi", "pmid"):
        a, b = _key(field, existing.get(field)), _key(field, imported.get(field))
        if a and b and a != b:
            return True
    return False


def merge_sources(existing_raw: Mapping[str, Any], imported: list[dict[str, Any]]) -> SourceMerge:
    """Merge imported entries into the raw ``sources.json`` data.

    An imported entry matches an existing source with the same DOI, else the same PMID,
    else the same id, else the same title and year (those two only when their DOIs or PMIDs
    do not differ: then they are different works). A match gets the fields it lacks;
    a value the user wrote is never replaced, and unknown fields and the order of the list
    are kept. Entries with no match are appended (with an id made unique if it is taken).
    Returns the merged data and the ids added, updated and unchanged.
    """
    merged: dict[str, Any] = copy.deepcopy(dict(existing_raw)) if existing_raw else {}
    sources: list[dict[str, Any]] = merged.setdefault("sources", [])
    index: dict[tuple[str, str], dict[str, Any]] = {}

    def keys(entry: Mapping[str, Any]) -> list[tuple[str, str | None]]:
        return [(field, _key(field, entry.get(field))) for field in ("doi", "pmid", "id")] + [
            ("title+year", _title_year(entry))
        ]

    def remember(entry: dict[str, Any]) -> None:
        for field, key in keys(entry):
            if key is not None:
                index.setdefault((field, key), entry)

    for entry in sources:
        remember(entry)
    added: list[str] = []
    updated: list[str] = []
    unchanged: list[str] = []
    added_here: set[int] = set()
    for entry in imported:
        match = None
        for field, key in keys(entry):
            candidate = index.get((field, key)) if key is not None else None
            if candidate is not None and (
                field in ("doi", "pmid") or not _conflicts(candidate, entry)
            ):
                match = candidate
                break
        if match is None:
            new = dict(entry)
            taken = {str(source.get("id")) for source in sources}
            if new["id"] in taken:
                base, n = new["id"], 2
                while f"{base}-{n}" in taken:
                    n += 1
                logger.warning(
                    "%s is taken by another work in sources.json: imported as %s-%d",
                    base,
                    base,
                    n,
                )
                new["id"] = f"{base}-{n}"
            sources.append(new)
            remember(new)
            added.append(new["id"])
            added_here.add(id(new))
            continue
        filled = [
            field
            for field, value in entry.items()
            if field != "id" and match.get(field) in (None, "", []) and value not in (None, "", [])
        ]
        for field in filled:
            match[field] = entry[field]
        remember(match)
        if id(match) in added_here:
            continue  # a duplicate within the import: counted once, as added
        if filled:
            updated.append(str(match["id"]))
        else:
            unchanged.append(str(match["id"]))
    # an existing source several imported entries matched is listed once
    updated = list(dict.fromkeys(updated))
    unchanged = [i for i in dict.fromkeys(unchanged) if i not in set(updated)]
    return SourceMerge(merged, added, updated, unchanged)
