"""What each command does, as library functions: a request in, an outcome out.

The command line (:mod:`claimgraph.cli`) parses arguments into a request, calls one function
here and renders the outcome; everything else (the lock file, the baseline, the GitHub job
summary, closing the HTTP client, the exit code) happens here, where it can be tested and
reused without a terminal.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimgraph.atomic import append_text, check_output, check_output_folder, write_json_atomic
from claimgraph.audit import audit, resolve_sources
from claimgraph.config import Config
from claimgraph.errors import InputError
from claimgraph.inputs import collect_project, input_files
from claimgraph.levels import SourceStatus
from claimgraph.models import Project, Source
from claimgraph.report import EXIT_OK, EXIT_UNREACHABLE, Report, exit_code
from claimgraph.resolvers.base import Resolution, Resolver
from claimgraph.safetext import one_line
from claimgraph.support.checker import support_checker

if TYPE_CHECKING:
    from claimgraph.extract.merge import MergeResult

__all__ = [
    "CheckOutcome",
    "CheckRequest",
    "ImportOutcome",
    "ResolveOutcome",
    "append_step_summary",
    "extraction_summary",
    "open_resolver",
    "resolution_table",
    "run_check",
    "run_extract",
    "run_graph",
    "run_import",
    "run_resolve",
    "run_support",
]

Progress = Callable[[int, int], None]


@contextmanager
def open_resolver(
    config: Config, *, offline: bool, refresh: bool = False, progress: Progress | None = None
) -> Iterator[Resolver]:
    """The service resolver (PubMed + Crossref, with the record store); its HTTP client and
    its store are closed on exit."""
    from claimgraph.resolvers.service import build_resolver

    resolver = build_resolver(config, offline=offline, refresh=refresh, progress=progress)
    with resolver:
        yield resolver


# --------------------------------------------------------------------------- check


@dataclass(frozen=True, kw_only=True)
class CheckRequest:
    """Everything ``claimgraph check`` was asked to do."""

    paths: Sequence[Path] = ()
    config: Config = field(default_factory=Config)
    offline: bool = False
    refresh: bool = False
    #: error | warning | never; None: the config's
    fail_on: str | None = None
    baseline: Path | None = None
    update_baseline: bool = False
    locked: bool = False
    lock_file: Path | None = None
    update_lock: bool = False
    #: append the Markdown job summary to this file (``$GITHUB_STEP_SUMMARY``; "" or None: none)
    step_summary: str | Path | None = None
    #: False: do not judge claims against the abstracts they cite (``--no-support``)
    support: bool = True
    #: worker processes for reading large drafts and for judging claims against abstracts
    #: (``--jobs``; 0: one per core for large drafts and larger batches)
    jobs: int = 0
    #: the file the caller will write the report to (checked before the audit; not written)
    output: str | Path | None = None


@dataclass(frozen=True, kw_only=True)
class CheckOutcome:
    report: Report
    exit_code: int
    fail_on: str
    #: the report is the result (False when the run only recorded a baseline)
    show_report: bool = True
    #: what the run wrote, for stderr
    notes: list[str] = field(default_factory=list)
    #: the claims and sources that were checked
    project: Project | None = None


def run_check(request: CheckRequest, progress: Progress | None = None) -> CheckOutcome:
    """Audit what the request names, with its lock file and baseline; decide the exit code."""
    config = request.config
    fail_on = request.fail_on or config.fail_on
    if request.update_baseline and request.baseline is None:
        raise InputError("--update-baseline needs --baseline FILE")
    project = collect_project(request.paths, jobs=request.jobs)
    notes: list[str] = []
    lock_path = request.lock_file or _default_lock_path(project.claims_file)
    _check_outputs(request, lock_path)
    accepted = None
    if request.baseline is not None and not request.update_baseline:
        from claimgraph.baseline import load_baseline

        accepted = load_baseline(request.baseline)  # a bad baseline fails before the audit
    with open_resolver(
        config, offline=request.offline, refresh=request.refresh, progress=progress
    ) as services:
        resolver: Resolver = services
        locked = None
        if request.locked or request.update_lock:
            from claimgraph.lockfile import LockedResolver, load_lock

            # --locked trusts entries up to lock-max-age-days; --update-lock alone re-checks all
            recheck_all = not request.locked
            locked = LockedResolver.from_config(
                load_lock(lock_path), services, config, recheck_all=recheck_all
            )
            resolver = locked
        # new or stale sources still go to the services with --locked: an outage is still exit 3
        with support_checker(config, enabled=request.support, jobs=request.jobs) as support:
            report = audit(project, resolver, config, offline=request.offline, support=support)
    if request.update_lock and locked is not None:
        from claimgraph.lockfile import write_lock

        updated = locked.updated_lock(prune=not request.paths)  # prune on whole-project runs
        if updated != locked.lock:
            write_lock(updated, lock_path)
            notes.append(f"wrote {lock_path}")
    if request.baseline is not None and request.update_baseline:
        from claimgraph.baseline import write_baseline

        write_baseline(report, request.baseline)
        notes.append(f"wrote {request.baseline} ({len(report.findings)} findings)")
        return CheckOutcome(
            report=report,
            exit_code=EXIT_OK,
            fail_on=fail_on,
            show_report=False,
            notes=notes,
            project=project,
        )
    if accepted is not None:
        from claimgraph.baseline import apply_baseline

        report = apply_baseline(report, accepted)
    if request.step_summary:
        append_step_summary(report, request.step_summary)
    return CheckOutcome(
        report=report,
        exit_code=exit_code(report, fail_on),
        fail_on=fail_on,
        notes=notes,
        project=project,
    )


def _check_outputs(request: CheckRequest, lock_path: Path) -> None:
    """Every file the run will write can be written and is none of its inputs (exit 2 now,
    not after the audit)."""
    report = request.output if request.output is not None and str(request.output) != "-" else None
    baseline = request.baseline if request.update_baseline else None
    lock = lock_path if request.update_lock else None
    summary = request.step_summary or None
    if report is None and baseline is None and lock is None and summary is None:
        return
    read = [*input_files(request.paths), request.config.origin]
    read_lock = lock_path if request.locked or request.update_lock else None
    written: list[tuple[str | Path | None, str, list[str | Path | None]]] = [
        (report, "report", [*read, request.baseline, read_lock, summary]),
        (baseline, "baseline", [*read, read_lock, summary]),
        (lock, "lock file", [*read, request.baseline, summary]),
        (summary, "job summary", [*read, request.baseline, read_lock]),
    ]
    for path, what, inputs in written:
        if path is not None:
            check_output(path, inputs=inputs, what=what)


def _default_lock_path(claims_file: str | None) -> Path:
    folder = Path(claims_file).parent if claims_file else Path.cwd()
    return folder / "claimgraph.lock"


def append_step_summary(report: Report, path: str | Path) -> None:
    """Append the Markdown job summary to ``path`` (the file ``$GITHUB_STEP_SUMMARY`` names)."""
    from claimgraph.formats.github import step_summary

    append_text(path, step_summary(report))


# --------------------------------------------------------------------------- graph


def run_graph(
    paths: Sequence[Path],
    config: Config,
    *,
    offline: bool,
    fmt: str,
    output: str | Path | None = None,
) -> str:
    """The claim -> source graph in ``fmt``, with each node's status and evidence.

    ``output``: the file the caller will write it to, checked before the audit (not written).
    """
    from claimgraph.export import export_graph

    project = collect_project(paths)
    if output is not None and str(output) != "-":
        check_output(output, inputs=[*input_files(paths), config.origin], what="graph")
    with open_resolver(config, offline=offline) as resolver:
        report = audit(project, resolver, config, offline=offline)
    return export_graph(project, report, fmt)


# --------------------------------------------------------------------------- resolve


@dataclass(frozen=True, kw_only=True)
class ResolveOutcome:
    sources: list[Source]
    results: dict[str, Resolution]
    #: source id -> the identifiers found for it
    found: dict[str, dict[str, str | None]]
    #: identifiers written to sources.json (None: not asked to write)
    added: int | None
    sources_file: str | None
    exit_code: int

    @property
    def note(self) -> str | None:
        """What was written, or how to write what was found (for stderr)."""
        if self.added is not None:
            s = "s" if self.added != 1 else ""
            return f"added {self.added} identifier{s} to {self.sources_file}"
        count = sum(bool(ids["doi"]) + bool(ids["pmid"]) for ids in self.found.values())
        if not count:
            return None
        s = "s" if count != 1 else ""
        return f"{count} identifier{s} found; run with --write to add them to sources.json"


def run_resolve(
    paths: Sequence[Path],
    config: Config,
    *,
    write: bool,
    offline: bool,
    refresh: bool,
    progress: Progress | None = None,
) -> ResolveOutcome:
    """Look every checkable source up; with ``write``, add the identifiers found to sources.json."""
    from claimgraph.writeback import add_identifiers

    project = collect_project(paths)
    if write and project.sources_file is None:
        raise InputError("--write needs a sources.json to write to")
    if write and project.sources_file is not None:
        check_output(project.sources_file, what="sources file")  # before the lookups
    with open_resolver(config, offline=offline, refresh=refresh, progress=progress) as resolver:
        results = resolve_sources(project, resolver)
    found = {
        source_id: {"doi": resolution.found_doi, "pmid": resolution.found_pmid}
        for source_id, resolution in results.items()
        if resolution.found_doi or resolution.found_pmid
    }
    added = None
    if write and project.sources_file is not None:
        added = len(add_identifiers(project.sources_file, found))
    unreachable = any(r.unreachable for r in results.values())
    return ResolveOutcome(
        sources=project.sources,
        results=results,
        found=found,
        added=added,
        sources_file=project.sources_file,
        exit_code=EXIT_UNREACHABLE if unreachable and not offline else EXIT_OK,
    )


def _found_text(resolution: Resolution | None) -> str:
    if resolution is None:
        return "-"
    found = []
    if resolution.found_doi:
        found.append(f"doi {one_line(resolution.found_doi)}")
    if resolution.found_pmid:
        found.append(f"pmid {one_line(resolution.found_pmid)}")
    return "\n".join(found) or "-"


def resolution_table(outcome: ResolveOutcome, *, width: int, color: bool) -> str:
    """The per-source table: id, status, identifiers found, record title.

    Cells are :class:`rich.text.Text` (no console markup is read in a title) with control
    characters shown escaped (:mod:`claimgraph.safetext`).
    """
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    results = outcome.results
    lines = [line for r in results.values() for line in _found_text(r).split("\n")]
    found_width = max((len(line) for line in lines), default=5)
    table = Table(show_edge=False, pad_edge=False, header_style="bold" if color else "")
    table.add_column("source", overflow="fold", min_width=min(12, width // 6))
    table.add_column("status", no_wrap=True)
    # identifiers are copied from here: keep each on one line while the terminal allows
    table.add_column("found", overflow="fold", min_width=min(found_width, width // 3))
    table.add_column("record", overflow="fold", min_width=min(20, width // 5))
    for source in outcome.sources:
        resolution = results.get(source.id)
        status = resolution.status.value if resolution else SourceStatus.NOT_CHECKABLE.value
        title = "-"
        if resolution is not None and resolution.record is not None:
            title = resolution.record.title or "-"
        elif resolution is not None and resolution.message:
            title = resolution.message
        table.add_row(
            Text(one_line(source.id)), status, Text(_found_text(resolution)), Text(one_line(title))
        )
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        color_system="auto" if color else None,
        force_terminal=color,
        highlight=False,
    )
    console.print(table)
    return buffer.getvalue()


# --------------------------------------------------------------------------- import


@dataclass(frozen=True, kw_only=True)
class ImportOutcome:
    sources_file: Path
    added: list[str]
    updated: list[str]
    unchanged: list[str]
    written: bool
    dry_run: bool

    def lines(self) -> list[str]:
        """The ids added (+) and updated (~), then the counts."""
        lines = [f"  + {source_id}" for source_id in self.added]
        lines += [f"  ~ {source_id}" for source_id in self.updated]
        note = " (dry run: nothing written)" if self.dry_run else ""
        counts = f"{len(self.added)} added, {len(self.updated)} updated"
        return [*lines, f"{self.sources_file}: {counts}, {len(self.unchanged)} unchanged{note}"]


def run_import(files: Sequence[Path], sources_path: Path, *, dry_run: bool) -> ImportOutcome:
    """Merge the references in ``files`` into ``sources_path`` (created if missing)."""
    from claimgraph.importers import import_references
    from claimgraph.models import parse_sources, read_json
    from claimgraph.source_merge import merge_sources

    if not dry_run:
        check_output(sources_path, inputs=files, what="sources file")
    imported: list[dict[str, Any]] = []
    for file in files:
        imported += import_references(file)
    existing: dict[str, Any] = {"sources": []}
    exists = sources_path.exists()
    if exists:
        existing = read_json(sources_path)
        parse_sources(existing, str(sources_path))  # a clear error before anything is merged
    result = merge_sources(existing, imported)
    parse_sources(result.merged, str(sources_path))
    changed = bool(result.added or result.updated) or not exists
    if changed and not dry_run:
        write_json_atomic(sources_path, result.merged, indent="keep")
    return ImportOutcome(
        sources_file=sources_path,
        added=result.added,
        updated=result.updated,
        unchanged=result.unchanged,
        written=changed and not dry_run,
        dry_run=dry_run,
    )


# --------------------------------------------------------------------------- extract


def _ids(label: str, ids: list[str], limit: int = 10) -> str:
    shown = ", ".join(ids[:limit])
    more = f" and {len(ids) - limit} more" if len(ids) > limit else ""
    return f"  {label}: {shown}{more}"


def run_extract(drafts: Sequence[Path], output: Path) -> list[str]:
    """Extract ``drafts`` into ``output``/claims.json and sources.json; say what was done."""
    from claimgraph.extract import extract_paths, find_drafts, merge_into
    from claimgraph.extract.merge import SNAPSHOT_NAME

    names = ("claims.json", "sources.json", SNAPSHOT_NAME)
    check_output_folder(output, names, inputs=find_drafts(list(drafts)), what="output")
    project = extract_paths(list(drafts))
    return extraction_summary(project, merge_into(output, project))


def extraction_summary(project: Project, result: MergeResult) -> list[str]:
    """What ``claimgraph extract`` found in the drafts, and what it wrote or merged."""
    cited = sum(1 for claim in project.claims if claim.sources)
    attributions = sum(
        1 for claim in project.claims if (claim.model_extra or {}).get("attribution")
    )
    lines = [
        f"found {len(project.claims)} claims ({cited} citing a source, "
        f"{len(project.claims) - cited} citing nothing, {attributions} unsupported "
        f"attributions) and {len(project.sources)} sources",
    ]
    claims_path, sources_path = result.files_written[:2]
    lines.append(
        f"wrote {claims_path}: {len(result.added)} added, {len(result.updated)} updated, "
        f"{len(result.kept)} kept, {len(result.removed)} no longer in the draft"
    )
    lines.append(
        f"wrote {sources_path}: {len(result.sources_added)} added, "
        f"{len(result.sources_updated)} updated, {len(result.sources_kept)} kept, "
        f"{len(result.sources_removed)} no longer cited"
    )
    if result.removed:
        label = "kept and marked removed_from_draft (delete them by hand if they are gone)"
        lines.append(_ids(label, result.removed))
    if result.sources_removed:
        lines.append(_ids("sources no longer cited by the draft (kept)", result.sources_removed))
    return lines


# --------------------------------------------------------------------------- support


@dataclass(frozen=True, kw_only=True)
class SupportOutcome:
    #: the judgements as JSON lines
    text: str
    pairs: int
    judged: int
    cached: int


def run_support(
    pairs_file: Path,
    config: Config,
    *,
    jobs: int = 0,
    use_cache: bool = True,
    output: str | Path | None = None,
) -> SupportOutcome:
    """Judge the claim / abstract pairs of a JSON-lines file (``claimgraph support``).

    ``output``: the file the caller will write the judgements to, checked first (not written).
    """
    from claimgraph.support.checker import SupportChecker
    from claimgraph.support.pairs import format_judgements, read_pairs

    if output is not None and str(output) != "-":
        check_output(output, inputs=[pairs_file, config.origin], what="judgements")
    pairs = read_pairs(pairs_file)
    cache_dir = config.cache_dir if use_cache else None
    checker = SupportChecker(cache_dir, model_dir=config.support_model, jobs=jobs)
    try:
        judgements = checker.judge(pairs)
    finally:
        checker.close()
    return SupportOutcome(
        text=format_judgements(pairs, judgements),
        pairs=len(pairs),
        judged=checker.judged,
        cached=checker.cached,
    )
