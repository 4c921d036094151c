"""Write extracted claims and sources to ``claims.json`` / ``sources.json``, merging with
what is already there.

Researchers refine what the extractor found: they fix a claim's wording, link a source by
hand, add fields of their own. Re-running ``claimgraph extract`` must not undo that. The merge
is three-way: next to the two files it keeps ``.claimgraph-extract.json``, a snapshot of
what the extractor wrote last time. For every field:

* unchanged since the last extraction -> takes the new extracted value;
* edited by hand (differs from the snapshot) -> the hand edit is kept;
* fields the extractor never writes -> always kept.

Sources linked by hand stay linked, sources unlinked by hand stay unlinked. Claims that are
no longer in the draft are kept, marked ``"removed_from_draft": true`` and reported;
nothing is deleted. Without a snapshot (files written by hand, or by an older run) every
existing value counts as a hand edit: new claims and sources are added, existing ones keep
their values, locations are refreshed and source links are unioned.

Claims are matched by id, then by identical text, then by close text in the same file (an
edited sentence keeps its id). Sources are matched by id, then by DOI, PMID, PMCID, URL or
citation text. Files are written atomically (temporary file + rename), and only after the
merged result has been validated.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from claimgraph.atomic import make_folder, write_json_atomic
from claimgraph.errors import InputError
from claimgraph.models import Project, parse_claims, parse_sources, read_json

__all__ = ["SNAPSHOT_NAME", "MergeResult", "merge_into"]

SNAPSHOT_NAME = ".claimgraph-extract.json"
_CLAIM_FIELDS = ("text", "location", "attribution", "reasons")
_REMOVED = "removed_from_draft"
_FUZZY_WITH_SNAPSHOT = 88.0
_FUZZY_WITHOUT_SNAPSHOT = 92.0


@dataclass(slots=True)
class MergeResult:
    """What a merge did; every id list is in file order."""

    folder: Path
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    #: claims no longer found in the draft: kept in claims.json, marked and reported
    removed: list[str] = field(default_factory=list)
    sources_added: list[str] = field(default_factory=list)
    sources_updated: list[str] = field(default_factory=list)
    sources_kept: list[str] = field(default_factory=list)
    #: sources the extractor wrote before and the draft no longer cites (kept)
    sources_removed: list[str] = field(default_factory=list)
    #: extracted id -> id kept from the existing files
    renamed: dict[str, str] = field(default_factory=dict)
    files_written: list[Path] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.added or self.updated or self.removed or self.sources_added
            or self.sources_updated
        )  # fmt: skip


# --------------------------------------------------------------------------- io


def _load_list(path: Path, key: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The top-level object and its list of items; validated with the models' loaders."""
    if not path.exists():
        return {key: []}, []
    data = read_json(path)
    if key == "claims":
        parse_claims(data, str(path))
    else:
        parse_sources(data, str(path))
    items = [dict(item) for item in data[key]]
    return data, items


_SNAPSHOT_HINT = (
    "it records what the last extract wrote, so hand edits can be told apart: restore it "
    "(e.g. from version control), or delete it to merge without it (then every existing "
    "value is kept as a hand edit, and source links removed by hand come back)"
)


def _load_snapshot(path: Path) -> dict[str, Any] | None:
    """The last extraction's snapshot; None when there is none. A snapshot that is there but
    cannot be used is an error: merging without it would undo hand edits (unlinked sources
    linked again), so nothing is written until the user restores or deletes it."""
    if not path.exists() and not path.is_symlink():
        return None
    try:
        data = read_json(path)
    except InputError as exc:
        raise InputError(
            f"damaged extract snapshot: {exc.message}",
            file=exc.file,
            line=exc.line,
            column=exc.column,
            hint=_SNAPSHOT_HINT,
        ) from None
    problem = _snapshot_problem(data)
    if problem is not None:
        raise InputError(
            f"damaged extract snapshot: {problem}", file=str(path), hint=_SNAPSHOT_HINT
        )
    return dict(data)


def _snapshot_problem(data: Any) -> str | None:
    if not isinstance(data, dict):
        return "expected a JSON object"
    if data.get("version") != 1:
        return f"unknown snapshot version {data.get('version')!r} (this claimgraph writes 1)"
    for key in ("claims", "sources"):
        entries = data.get(key)
        if not isinstance(entries, dict):
            return f'"{key}" must be an object of {key} by id'
        bad = next((k for k, v in entries.items() if not isinstance(v, dict)), None)
        if bad is not None:
            return f'"{key}"."{bad}" must be an object'
    for claim_id, claim in data["claims"].items():
        links = claim.get("sources", [])
        if not isinstance(links, list) or not all(isinstance(s, str) for s in links):
            return f'"claims"."{claim_id}".sources must be a list of source ids'
        if not isinstance(claim.get("text", ""), str | None):
            return f'"claims"."{claim_id}".text must be a string'
    return None


def _write_atomic(path: Path, data: Any) -> None:
    make_folder(path.parent)
    write_json_atomic(path, data)


# --------------------------------------------------------------------------- helpers


def _norm(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().lower()


def _file_of(item: dict[str, Any]) -> str | None:
    location = item.get("location")
    if isinstance(location, dict) and isinstance(location.get("file"), str):
        return str(location["file"])
    return None


def _source_keys(source: dict[str, Any]) -> list[str]:
    keys: list[str] = []
    for name in ("doi", "pmid", "pmcid", "url"):
        value = source.get(name)
        if value:
            keys.append(f"{name}:{_norm(value).rstrip('/')}")
    if source.get("citation"):
        keys.append("citation:" + re.sub(r"[^a-z0-9]+", " ", _norm(source["citation"])).strip())
    return keys


def _unique_id(wanted: str, taken: set[str]) -> str:
    candidate, number = wanted, 2
    while candidate in taken:
        candidate, number = f"{wanted}-{number}", number + 1
    return candidate


def _dump(project: Project) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    claims = [c.model_dump(mode="json", exclude_none=True) for c in project.claims]
    for claim in claims:
        claim.setdefault("sources", [])
        if not claim.get("depends_on"):
            claim.pop("depends_on", None)
    sources = [s.model_dump(mode="json", exclude_none=True) for s in project.sources]
    return claims, sources


def _take_field(
    result: dict[str, Any],
    name: str,
    new: dict[str, Any],
    base: dict[str, Any] | None,
    existing: dict[str, Any],
) -> None:
    """Three-way rule for one extractor-written field."""
    if base is not None and existing.get(name) != base.get(name):
        return  # edited by hand: keep
    if base is None and name in existing and name not in {"location", "reasons"}:
        return  # no snapshot: every existing value counts as a hand edit
    if name in new:
        result[name] = new[name]
    else:
        result.pop(name, None)


# --------------------------------------------------------------------------- sources


def _updated_source(
    old: dict[str, Any], new: dict[str, Any], base: dict[str, Any] | None
) -> dict[str, Any]:
    """``old`` with the fields of ``new``, except fields edited by hand since ``base``."""
    updated = dict(old)
    for name, value in new.items():
        if name == "id":
            continue
        if base is not None and old.get(name) != base.get(name):
            continue  # edited by hand
        if base is None and name in old and name != "location":
            continue
        updated[name] = value
    if base is not None:
        for name in base:
            if name not in new and name != "id" and old.get(name) == base.get(name):
                updated.pop(name, None)
    return updated


def _merge_sources(
    existing: list[dict[str, Any]],
    extracted: list[dict[str, Any]],
    snapshot: dict[str, Any] | None,
    result: MergeResult,
) -> list[dict[str, Any]]:
    base_sources: dict[str, dict[str, Any]] = snapshot["sources"] if snapshot else {}
    by_id = {source["id"]: index for index, source in enumerate(existing)}
    by_key: dict[str, int] = {}
    for position, source in enumerate(existing):
        for key in _source_keys(source):
            by_key.setdefault(key, position)
    merged = [dict(source) for source in existing]
    matched: set[int] = set()
    taken = set(by_id)
    for new in extracted:
        index: int | None = by_id.get(new["id"])
        if index is None or index in matched:
            index = next(
                (by_key[k] for k in _source_keys(new) if k in by_key and by_key[k] not in matched),
                None,
            )
        if index is None:
            wanted = _unique_id(new["id"], taken)
            if wanted != new["id"]:
                result.renamed[new["id"]] = wanted
            taken.add(wanted)
            merged.append({**new, "id": wanted})
            result.sources_added.append(wanted)
            continue
        matched.add(index)
        old = existing[index]
        if old["id"] != new["id"]:
            result.renamed[new["id"]] = old["id"]
        updated = _updated_source(old, new, base_sources.get(old["id"]))
        merged[index] = updated
        (result.sources_updated if updated != old else result.sources_kept).append(old["id"])
    for index, source in enumerate(existing):
        if index not in matched:
            if source["id"] in base_sources:
                result.sources_removed.append(source["id"])
            else:
                result.sources_kept.append(source["id"])
    return merged


# --------------------------------------------------------------------------- claims


def _match_claims(
    existing: list[dict[str, Any]],
    extracted: list[dict[str, Any]],
    base_claims: dict[str, dict[str, Any]],
    have_snapshot: bool,
) -> dict[int, int]:
    """extracted index -> existing index."""
    pairs: dict[int, int] = {}
    used: set[int] = set()
    by_id = {claim["id"]: index for index, claim in enumerate(existing)}
    for new_index, new in enumerate(extracted):
        index = by_id.get(new["id"])
        if index is not None and index not in used:
            pairs[new_index] = index
            used.add(index)
    by_text: dict[tuple[str | None, str], list[int]] = {}
    for index, claim in enumerate(existing):
        by_text.setdefault((_file_of(claim), _norm(claim.get("text"))), []).append(index)
    for new_index, new in enumerate(extracted):
        if new_index in pairs:
            continue
        for index in by_text.get((_file_of(new), _norm(new.get("text"))), []):
            if index not in used:
                pairs[new_index] = index
                used.add(index)
                break
    threshold = _FUZZY_WITH_SNAPSHOT if have_snapshot else _FUZZY_WITHOUT_SNAPSHOT
    for new_index, new in enumerate(extracted):
        if new_index in pairs:
            continue
        best, best_score = None, threshold
        for index, claim in enumerate(existing):
            if index in used or _file_of(claim) != _file_of(new):
                continue
            base = base_claims.get(claim["id"])
            if have_snapshot and base is None:
                continue  # written by hand: never taken over by a draft sentence
            reference = (base or claim).get("text", "")
            score = fuzz.ratio(_norm(reference), _norm(new.get("text")))
            if score >= best_score:
                best, best_score = index, score
        if best is not None:
            pairs[new_index] = best
            used.add(best)
    return pairs


def _merge_claim(
    old: dict[str, Any], new: dict[str, Any], base: dict[str, Any] | None
) -> dict[str, Any]:
    merged = dict(old)
    merged.pop(_REMOVED, None)
    for name in _CLAIM_FIELDS:
        _take_field(merged, name, new, base, old)
    old_sources = list(old.get("sources") or [])
    new_sources = list(new.get("sources") or [])
    if base is not None:
        base_sources = list(base.get("sources") or [])
        by_hand = [s for s in old_sources if s not in base_sources]
        unlinked = {s for s in base_sources if s not in old_sources}
        sources = [s for s in new_sources if s not in unlinked] + by_hand
    else:
        sources = old_sources + new_sources
    merged["sources"] = list(dict.fromkeys(sources))
    return merged


def _merge_claims(
    existing: list[dict[str, Any]],
    extracted: list[dict[str, Any]],
    snapshot: dict[str, Any] | None,
    drafts: set[str],
    result: MergeResult,
) -> list[dict[str, Any]]:
    base_claims: dict[str, dict[str, Any]] = snapshot["claims"] if snapshot else {}
    pairs = _match_claims(existing, extracted, base_claims, snapshot is not None)
    merged: list[dict[str, Any] | None] = [dict(claim) for claim in existing]
    taken = {claim["id"] for claim in existing}
    inserts: dict[int, list[dict[str, Any]]] = {}
    last_position = -1
    for new_index, new in enumerate(extracted):
        index = pairs.get(new_index)
        if index is None:
            wanted = _unique_id(new["id"], taken)
            taken.add(wanted)
            if wanted != new["id"]:
                result.renamed[new["id"]] = wanted
            inserts.setdefault(last_position, []).append({**new, "id": wanted})
            result.added.append(wanted)
            continue
        old = existing[index]
        if old["id"] != new["id"]:
            result.renamed[new["id"]] = old["id"]
        updated = _merge_claim(old, new, base_claims.get(old["id"]))
        merged[index] = updated
        (result.updated if updated != old else result.kept).append(old["id"])
        last_position = index
    matched = set(pairs.values())
    for index, claim in enumerate(existing):
        if index in matched:
            continue
        from_draft = claim["id"] in base_claims or (snapshot is None and _file_of(claim) in drafts)
        if from_draft and _file_of(claim) in drafts | {None}:
            marked = {**claim, _REMOVED: True}
            merged[index] = marked
            result.removed.append(claim["id"])
        else:
            result.kept.append(claim["id"])
    output: list[dict[str, Any]] = list(inserts.get(-1, []))
    for index, entry in enumerate(merged):
        if entry is not None:
            output.append(entry)
        output.extend(inserts.get(index, []))
    return output


# --------------------------------------------------------------------------- entry point


def _snapshot(
    claims: Iterable[dict[str, Any]],
    sources: Iterable[dict[str, Any]],
    previous: dict[str, Any] | None,
    removed: Iterable[str],
) -> dict[str, Any]:
    base_claims = {
        claim["id"]: {name: claim[name] for name in (*_CLAIM_FIELDS, "sources") if name in claim}
        for claim in claims
    }
    if previous:
        for claim_id in removed:
            if claim_id in previous["claims"]:
                base_claims[claim_id] = previous["claims"][claim_id]
    base_sources = {source["id"]: dict(source) for source in sources}
    return {"version": 1, "claims": base_claims, "sources": base_sources}


def merge_into(folder: Path, extracted: Project) -> MergeResult:
    """Write ``extracted`` to ``folder``/claims.json and sources.json, merging existing files."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError("the output must be a folder", file=str(folder))
    claims_path = folder / "claims.json"
    sources_path = folder / "sources.json"
    snapshot_path = folder / SNAPSHOT_NAME
    claims_doc, existing_claims = _load_list(claims_path, "claims")
    sources_doc, existing_sources = _load_list(sources_path, "sources")
    snapshot = _load_snapshot(snapshot_path)
    result = MergeResult(folder=folder)
    new_claims, new_sources = _dump(extracted)
    drafts = {f for f in (_file_of(c) for c in new_claims + new_sources) if f is not None}

    merged_sources = _merge_sources(existing_sources, new_sources, snapshot, result)
    renamed_sources = dict(result.renamed)
    for claim in new_claims:
        claim["sources"] = [renamed_sources.get(s, s) for s in claim.get("sources", [])]
    result.renamed.clear()
    merged_claims = _merge_claims(existing_claims, new_claims, snapshot, drafts, result)
    claim_renames = dict(result.renamed)
    result.renamed = {**renamed_sources, **claim_renames}
    for claim in new_claims:
        claim["id"] = claim_renames.get(claim["id"], claim["id"])
    for source in new_sources:
        source["id"] = renamed_sources.get(source["id"], source["id"])

    claims_out = {**claims_doc, "claims": merged_claims}
    sources_out = {**sources_doc, "sources": merged_sources}
    # never write what the loaders would reject
    parse_claims(json.loads(json.dumps(claims_out)), str(claims_path))
    parse_sources(json.loads(json.dumps(sources_out)), str(sources_path))
    _write_atomic(sources_path, sources_out)
    _write_atomic(claims_path, claims_out)
    _write_atomic(snapshot_path, _snapshot(new_claims, new_sources, snapshot, result.removed))
    result.files_written = [claims_path, sources_path, snapshot_path]
    return result
