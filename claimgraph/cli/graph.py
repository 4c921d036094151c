"""``claimgraph graph``: the claim -> source graph in a format other tools read."""

from typing import Any

import click

from claimgraph import cli
from claimgraph.graph import GRAPH_FORMATS

FORMAT_HELP = "json (node-link), graphml / gexf (Gephi, Cytoscape) or dot (Graphviz)."
#: the format ``-o FILE`` writes without --format, by the end of FILE's name
GRAPH_SUFFIXES = {
    ".json": "json",
    ".graphml": "graphml",
    ".gexf": "gexf",
    ".dot": "dot",
    ".gv": "dot",
}
OFFLINE_HELP = "Use only cached answers for status attributes (default), or ask the services."


@click.command("graph", context_settings=cli.CONTEXT)
@cli.paths_argument
@cli.format_option(GRAPH_FORMATS, "json", FORMAT_HELP)
@click.option(
    "-o", "--output", metavar="FILE", help=cli.OUTPUT_HELP.replace("the report", "the graph")
)
@click.option("--offline/--online", default=True, show_default=True, help=OFFLINE_HELP)
@click.pass_context
def command(ctx: click.Context, /, fmt: str | None, output: str | None, **options: Any) -> int:
    """Export the claim -> source graph with status and evidence as node attributes."""
    from claimgraph.app import run_graph

    fmt = cli.chosen_format(fmt, output, "json", GRAPH_SUFFIXES)
    graph = run_graph(config=cli.config_of(ctx), fmt=fmt, output=output, **options)
    cli.emit(graph, output)
    return 0
