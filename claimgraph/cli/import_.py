"""``claimgraph import FILE...``: add references exported from Zotero & co. to sources.json."""

from pathlib import Path

import click

from claimgraph import cli

HELP = "The sources.json to merge into (created if missing)."
FILES = click.Path(dir_okay=False, path_type=Path)


@click.command("import", context_settings=cli.CONTEXT)
@click.argument("files", nargs=-1, required=True, type=FILES)
@click.option("--sources", type=FILES, default="sources.json", show_default=True, help=HELP)
@cli.flag("--dry-run", "Say what would change; write nothing.")
def command(files: tuple[Path, ...], sources: Path, dry_run: bool) -> int:
    """Import references from BibTeX (.bib), RIS (.ris) or CSL JSON (.json) into sources.json.

    Entries are merged by DOI, then PMID, then id, then title and year: a source already in
    sources.json only gets the fields it lacks, and nothing you wrote is replaced.
    """
    from claimgraph.app import run_import

    click.echo(cli.shown("\n".join(run_import(files, sources, dry_run=dry_run).lines())))
    return 0
