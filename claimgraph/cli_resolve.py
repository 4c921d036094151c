"""``claimgraph resolve``: look every citation up and show (or write) the DOIs and PMIDs found.

Paths are found as ``claimgraph check`` finds them (claims.json + sources.json, a folder, or
drafts; the current folder by default). ``--write`` adds the identifiers found to
sources.json without touching anything else (see :mod:`claimgraph.writeback`).
"""

from __future__ import annotations

import io
import shutil
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import click

from claimgraph.audit import resolve_sources
from claimgraph.config import Config, load_config
from claimgraph.inputs import collect_project
from claimgraph.levels import SourceStatus
from claimgraph.models import Source
from claimgraph.progress import progress_bar
from claimgraph.report import EXIT_OK, EXIT_UNREACHABLE
from claimgraph.resolvers.base import Resolution
from claimgraph.writeback import add_identifiers

__all__ = ["render_table", "resolve_command"]

_CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _config(ctx: click.Context) -> Config:
    obj = ctx.find_root().obj
    config = obj.get("config") if isinstance(obj, dict) else None
    return config if isinstance(config, Config) else load_config()


def _found_text(resolution: Resolution | None) -> str:
    if resolution is None:
        return "-"
    found = []
    if resolution.found_doi:
        found.append(f"doi {resolution.found_doi}")
    if resolution.found_pmid:
        found.append(f"pmid {resolution.found_pmid}")
    return "\n".join(found) or "-"


def render_table(
    sources: Sequence[Source], results: Mapping[str, Resolution], *, width: int, color: bool
) -> str:
    """The per-source table: id, status, identifiers found, record title."""
    from rich.console import Console
    from rich.table import Table

    lines = [line for r in results.values() for line in _found_text(r).split("\n")]
    found_width = max((len(line) for line in lines), default=5)
    table = Table(show_edge=False, pad_edge=False, header_style="bold" if color else "")
    table.add_column("source", overflow="fold", min_width=min(12, width // 6))
    table.add_column("status", no_wrap=True)
    # identifiers are copied from here: keep each on one line while the terminal allows
    table.add_column("found", overflow="fold", min_width=min(found_width, width // 3))
    table.add_column("record", overflow="fold", min_width=min(20, width // 5))
    for source in sources:
        resolution = results.get(source.id)
        status = resolution.status.value if resolution else SourceStatus.NOT_CHECKABLE.value
        title = "-"
        if resolution is not None and resolution.record is not None:
            title = resolution.record.title or "-"
        elif resolution is not None and resolution.message:
            title = resolution.message
        table.add_row(source.id, status, _found_text(resolution), title)
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


@click.command("resolve", context_settings=_CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--write",
    is_flag=True,
    help="Add the DOIs and PMIDs found to sources.json (never replaces a value).",
)
@click.option("--offline", is_flag=True, help="Make no network requests; use only cached answers.")
@click.option("--refresh", is_flag=True, help="Ignore cached answers and ask the services again.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@click.pass_context
def resolve_command(
    ctx: click.Context,
    *,
    paths: tuple[Path, ...],
    write: bool,
    offline: bool,
    refresh: bool,
    quiet: bool,
) -> int:
    """Look every cited source up in PubMed and Crossref and show the DOI/PMID found.

    With --write, add them to sources.json where it has no doi/pmid yet.
    Exit codes: 0 done; 2 bad usage or input; 3 a service could not be reached.
    """
    from claimgraph.resolvers.service import build_resolver

    if offline and refresh:
        raise click.UsageError("--offline and --refresh cannot be used together")
    config = _config(ctx)
    project = collect_project(paths)
    if write and project.sources_file is None:
        raise click.UsageError("--write needs a sources.json to write to")
    show_progress = not quiet and sys.stderr.isatty()
    with progress_bar(show_progress) as progress:
        resolver = build_resolver(config, offline=offline, refresh=refresh, progress=progress)
        try:
            results = resolve_sources(project, resolver)
        finally:
            resolver.client.close()
    stdout_tty = sys.stdout.isatty()
    width = shutil.get_terminal_size((120, 24)).columns if stdout_tty else 120
    click.echo(render_table(project.sources, results, width=width, color=stdout_tty), nl=False)

    found = {
        source_id: {"doi": resolution.found_doi, "pmid": resolution.found_pmid}
        for source_id, resolution in results.items()
        if resolution.found_doi or resolution.found_pmid
    }
    if write and project.sources_file is not None:
        added = add_identifiers(project.sources_file, found)
        click.echo(
            f"added {len(added)} identifier{'s' if len(added) != 1 else ''} "
            f"to {project.sources_file}",
            err=True,
        )
    elif found:
        count = sum(bool(ids["doi"]) + bool(ids["pmid"]) for ids in found.values())
        click.echo(
            f"{count} identifier{'s' if count != 1 else ''} found; "
            "run with --write to add them to sources.json",
            err=True,
        )
    unreachable = any(r.unreachable for r in results.values())
    return EXIT_UNREACHABLE if unreachable and not offline else EXIT_OK
