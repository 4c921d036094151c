"""``claimgraph import FILE...``: add references exported from Zotero & co. to sources.json."""

from __future__ import annotations

from pathlib import Path

import click

from claimgraph.cli import CONTEXT


@click.command("import", context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--sources",
    "sources_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("sources.json"),
    show_default=True,
    help="The sources.json to merge into (created if missing).",
)
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
def command(files: tuple[Path, ...], sources_path: Path, dry_run: bool) -> int:
    """Import references from BibTeX (.bib), RIS (.ris) or CSL JSON (.json) into sources.json.

    Entries are merged by DOI, then PMID, then id, then title and year: a source already in
    sources.json only gets the fields it lacks, and nothing you wrote is replaced.
    """
    from claimgraph.app import run_import

    outcome = run_import(files, sources_path, dry_run=dry_run)
    for marker, ids in (("+", outcome.added), ("~", outcome.updated)):
        for source_id in ids:
            click.echo(f"  {marker} {source_id}")
    note = " (dry run: nothing written)" if dry_run else ""
    click.echo(
        f"{sources_path}: {len(outcome.added)} added, {len(outcome.updated)} updated, "
        f"{len(outcome.unchanged)} unchanged{note}"
    )
    return 0
