"""``claimgraph resolve``: look every citation up and show (or write) the DOIs and PMIDs found.

Paths are found as ``claimgraph check`` finds them; ``--write`` adds the identifiers found to
sources.json without touching anything else (see :mod:`claimgraph.writeback`).
"""

import sys
from typing import Any

import click

from claimgraph import cli


@click.command("resolve", context_settings=cli.CONTEXT)
@cli.paths_argument
@cli.flag("--write", "Add the DOIs and PMIDs found to sources.json (never replaces a value).")
@cli.offline_flag
@cli.refresh_flag
@cli.quiet_flag
@click.pass_context
def command(ctx: click.Context, /, quiet: bool, **options: Any) -> int:
    """Look every cited source up in PubMed and Crossref and show the DOI/PMID found.

    With --write, add them to sources.json where it has no doi/pmid yet.
    Exit codes: 0 done; 2 bad usage or input; 3 a service could not be reached.
    """
    from claimgraph.app import resolution_table, run_resolve

    with cli.service_progress(quiet, options) as progress:
        outcome = run_resolve(config=cli.config_of(ctx), progress=progress, **options)
    table = resolution_table(outcome, width=cli.terminal_width(), color=sys.stdout.isatty())
    click.echo(table, nl=False)
    if outcome.note:
        click.echo(cli.shown(outcome.note), err=True)
    return outcome.exit_code
