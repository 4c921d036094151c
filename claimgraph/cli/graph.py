"""``claimgraph graph``: the claim -> source graph in a format other tools read."""

from __future__ import annotations

from pathlib import Path

import click

from claimgraph.cli import CONTEXT, config_of, emit, paths_argument
from claimgraph.graph import GRAPH_FORMATS


@click.command("graph", context_settings=CONTEXT)
@paths_argument
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(GRAPH_FORMATS),
    default="json",
    show_default=True,
    help="json (node-link), graphml / gexf (Gephi, Cytoscape) or dot (Graphviz).",
)
@click.option("-o", "--output", default=None, help="Write to this file (atomically).")
@click.option(
    "--offline/--online",
    default=True,
    show_default=True,
    help="Use only cached answers for status attributes (default), or ask the services.",
)
@click.pass_context
def command(
    ctx: click.Context, paths: tuple[Path, ...], fmt: str, output: str | None, offline: bool
) -> int:
    """Export the claim -> source graph with status and evidence as node attributes."""
    from claimgraph.app import run_graph

    emit(run_graph(paths, config_of(ctx), offline=offline, fmt=fmt), output)
    return 0
