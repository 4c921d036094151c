"""``claimgraph resolve``: look every citation up and show (or write) the DOIs and PMIDs found.

Paths are found as ``claimgraph check`` finds them (claims.json + sources.json, a folder, or
drafts; the current folder by default). ``--write`` adds the identifiers found to
sources.json without touching anything else (see :mod:`claimgraph.writeback`).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from claimgraph.cli import (
    CONTEXT,
    check_offline_refresh,
    config_of,
    offline_option,
    paths_argument,
    quiet_option,
    show_progress,
    terminal_width,
)


@click.command("resolve", context_settings=CONTEXT)
@paths_argument
@click.option(
    "--write",
    is_flag=True,
    help="Add the DOIs and PMIDs found to sources.json (never replaces a value).",
)
@offline_option
@quiet_option
@click.pass_context
def command(
    ctx: click.Context,
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
    from claimgraph.app import resolution_table, run_resolve
    from claimgraph.progress import progress_bar

    check_offline_refresh(offline, refresh)
    with progress_bar(show_progress(quiet)) as progress:
        outcome = run_resolve(
            paths, config_of(ctx), write=write, offline=offline, refresh=refresh, progress=progress
        )
    color = sys.stdout.isatty()
    table = resolution_table(outcome.sources, outcome.results, width=terminal_width(), color=color)
    click.echo(table, nl=False)
    if outcome.added is not None:
        s = "s" if outcome.added != 1 else ""
        click.echo(f"added {outcome.added} identifier{s} to {outcome.sources_file}", err=True)
    elif outcome.found:
        count = sum(bool(ids["doi"]) + bool(ids["pmid"]) for ids in outcome.found.values())
        s = "s" if count != 1 else ""
        click.echo(
            f"{count} identifier{s} found; run with --write to add them to sources.json", err=True
        )
    return outcome.exit_code
