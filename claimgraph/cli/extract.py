"""``claimgraph extract DRAFT... [-o DIR]``: write the claims and sources a draft makes.

Bad input raises :class:`~claimgraph.errors.InputError`; :func:`claimgraph.cli.main` turns it
into exit code 2.
"""

from __future__ import annotations

from pathlib import Path

import click

from claimgraph.cli import CONTEXT


@click.command("extract", context_settings=CONTEXT)
@click.argument("drafts", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("."),
    show_default=True,
    help="Folder to write claims.json and sources.json to (merged when they exist).",
)
def command(drafts: tuple[Path, ...], output: Path) -> None:
    """Find the claims and citations in article drafts (.md, .html, .txt or folders of them)
    and write claims.json and sources.json for review.

    Existing files are merged, not overwritten: hand edits, extra fields and hand-linked
    sources are kept; claims no longer in the draft are kept, marked and reported.
    """
    from claimgraph.app import extraction_summary
    from claimgraph.extract import extract_paths, merge_into

    project = extract_paths(list(drafts))
    result = merge_into(output, project)
    for line in extraction_summary(project, result):
        click.echo(line)
