"""``claimgraph support PAIRS.jsonl``: judge claim / abstract pairs (see :func:`claimgraph.app.run_support`)."""

from pathlib import Path

import click

from claimgraph import cli


@click.command("support", context_settings=cli.CONTEXT)
@click.argument("pairs_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o", "--output", metavar="FILE", help=cli.OUTPUT_HELP.replace("the report", "the judgements")
)
@click.option("--jobs", type=click.IntRange(min=0), default=0, show_default=True,
              help="Worker processes (0: one per core when there are 64 pairs or more).")  # fmt: skip
@cli.flag("--no-cache", "Judge every pair again; keep nothing.")
@click.pass_context
def command(
    ctx: click.Context, /, pairs_file: Path, output: str | None, jobs: int, no_cache: bool
) -> int:
    """Judge claim / abstract pairs in a JSON-lines file.

    Each input line is {"id", "claim", "title", "abstract"}; each output line is
    {"id", "label", "score", "evidence": [{"text", "start", "end"}], "topic", "model"}, label
    supports | contradicts | unrelated | uncertain | not_checked. A bad line exits 2 naming
    its line number.
    """
    from claimgraph.app import run_support

    config = cli.config_of(ctx)
    outcome = run_support(pairs_file, config, jobs=jobs, use_cache=not no_cache, output=output)
    cli.emit(outcome.text, output)
    if output and output != "-":
        click.echo(
            f"{outcome.pairs} pairs; {outcome.judged} judged, {outcome.cached} from the cache",
            err=True,
        )
    return 0
