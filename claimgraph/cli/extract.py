"""``claimgraph extract DRAFT... [-o DIR]``: write the claims and sources a draft makes."""

from pathlib import Path

import click

from claimgraph import cli

FOLDER = click.Path(path_type=Path, file_okay=False)
OUTPUT_HELP = "Folder to write claims.json and sources.json to (merged when they exist)."


@click.command("extract", context_settings=cli.CONTEXT)
@click.argument("drafts", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=FOLDER, default=Path("."), show_default=True, help=OUTPUT_HELP)
def command(drafts: tuple[Path, ...], output: Path) -> None:
    """Find the claims and citations in article drafts (.md, .html, .txt or folders of them)
    and write claims.json and sources.json for review.

    Existing files are merged, not overwritten: hand edits, extra fields and hand-linked
    sources are kept; claims no longer in the draft are kept, marked and reported.
    """
    from claimgraph.app import run_extract

    click.echo(cli.shown("\n".join(run_extract(drafts, output))))
