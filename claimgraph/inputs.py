"""Turn the paths a user names into a :class:`~claimgraph.models.Project`.

A path may be a ``claims.json`` / ``sources.json`` file, a folder holding them, or article
drafts (.md, .markdown, .html, .htm, .txt) or a folder of drafts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from claimgraph.drafts import DRAFT_SUFFIXES, drafts_in, is_draft
from claimgraph.errors import InputError
from claimgraph.models import Project, load_project, read_json


def _json_role(path: Path) -> str:
    """'claims' or 'sources': by file name, else by the file's top-level key."""
    name = path.name.lower()
    if "source" in name:
        return "sources"
    if "claim" in name:
        return "claims"
    data = read_json(path)
    if isinstance(data, dict):
        for role in ("claims", "sources"):
            if role in data:
                return role
    raise InputError(
        'neither a claims file nor a sources file: expected a top-level "claims" or "sources" list',
        file=str(path),
        path="$",
    )


def _present(path: Path) -> bool:
    """Whether something is at ``path`` (a broken symlink counts: reading it says why)."""
    return path.exists() or path.is_symlink()


def _load_drafts(drafts: Sequence[Path], jobs: int = 0) -> Project:
    from claimgraph.extract import extract_paths

    return extract_paths(list(drafts), jobs=jobs)


@dataclass
class _Named:
    """What the paths a user named point to."""

    claims_file: Path | None = None
    sources_file: Path | None = None
    drafts: list[Path] = field(default_factory=list)

    def add(self, target: Path) -> None:
        if not target.exists():
            raise InputError("no such file or folder", file=str(target))
        if target.is_dir():
            self.add_folder(target)
        elif is_draft(target):
            self.drafts.append(target)
        elif target.suffix.lower() == ".json":
            if _json_role(target) == "claims":
                self.claims_file = target
            else:
                self.sources_file = target
        else:
            raise InputError(
                f"unsupported file type {target.suffix or '(none)'!r}",
                file=str(target),
                hint="claimgraph reads claims.json, sources.json and drafts "
                + ", ".join(sorted(DRAFT_SUFFIXES)),
            )

    def add_folder(self, folder: Path) -> None:
        # exists(), not is_file(): a claims.json or sources.json that is a folder (or a pipe)
        # is reported when it is read, never silently skipped
        if _present(folder / "claims.json"):
            self.claims_file = folder / "claims.json"
            if _present(folder / "sources.json"):
                self.sources_file = folder / "sources.json"
            return
        found = drafts_in(folder)
        if not found:
            raise InputError(
                "no claims.json and no article drafts (.md, .html, .txt) in this folder",
                file=str(folder),
                hint="pass claims.json and sources.json, a folder holding them, or drafts",
            )
        self.drafts += found

    def add_siblings(self) -> None:
        """claims.json beside a sources.json named alone, sources.json beside claims.json."""
        if self.claims_file is None and self.sources_file is not None and not self.drafts:
            sibling = self.sources_file.with_name("claims.json")
            if _present(sibling):
                self.claims_file = sibling
        if self.claims_file is not None and self.sources_file is None:
            sibling = self.claims_file.with_name("sources.json")
            if _present(sibling):
                self.sources_file = sibling


def _named(targets: Sequence[Path]) -> _Named:
    named = _Named()
    for target in targets:
        named.add(target)
    named.add_siblings()
    return named


def _targets(paths: Sequence[str | Path], cwd: Path | None) -> list[Path]:
    return [Path(p) for p in paths] or [cwd if cwd is not None else Path()]


def input_files(paths: Sequence[str | Path], cwd: Path | None = None) -> list[Path]:
    """The files :func:`collect_project` reads for ``paths`` (claims.json, sources.json,
    drafts), without loading them: what an output must never overwrite."""
    named = _named(_targets(paths, cwd))
    files = [named.claims_file, named.sources_file, *named.drafts]
    return [file for file in files if file is not None]


def collect_project(
    paths: Sequence[str | Path], cwd: Path | None = None, *, jobs: int = 0
) -> Project:
    """Load everything the user named (or ``claims.json`` + ``sources.json`` in ``cwd``).

    ``jobs``: processes that read large drafts (0: one per core when worth it).
    """
    targets = _targets(paths, cwd)
    named = _named(targets)
    if named.claims_file is None:
        if not named.drafts:
            raise InputError(
                "no claims.json here",
                file=str(targets[0]),
                hint="run in a folder with claims.json and sources.json, or pass them, a folder or drafts",
            )
        return _load_drafts(named.drafts, jobs)
    project = load_project(named.claims_file, named.sources_file)
    if named.drafts:
        project = _combine(project, _load_drafts(named.drafts, jobs))
    return project


def _combine(first: Project, second: Project) -> Project:
    claim_ids = {c.id for c in first.claims}
    source_ids = {s.id for s in first.sources}
    for claim in second.claims:
        if claim.id in claim_ids:
            raise InputError(f"claim id {claim.id!r} is defined twice", file=second.claims_file)
    return Project(
        claims=[*first.claims, *second.claims],
        sources=[*first.sources, *(s for s in second.sources if s.id not in source_ids)],
        claims_file=first.claims_file,
        sources_file=first.sources_file,
        claim_locations={**second.claim_locations, **first.claim_locations},
        source_locations={**second.source_locations, **first.source_locations},
    )
