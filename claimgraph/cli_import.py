"""``claimgraph import FILE...``: add references exported from Zotero & co. to sources.json."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import click

from claimgraph.atomic import write_text_atomic
from claimgraph.importers import import_references, merge_sources, sources_json_text
from claimgraph.models import parse_sources, read_json

_INDENT = re.compile(r"^\{\s*\n([ \t]+)\S", re.MULTILINE)


def _indent_of(text: str) -> int | str:
    """The indent an existing file uses, so a rewrite changes only what it must."""
    match = _INDENT.match(text)
    if match is None:
        return 2
    indent = match.group(1)
    return indent if "\t" in indent else len(indent)


@click.command("import", context_settings={"help_option_names": ["-h", "--help"]})
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
def import_command(files: tuple[Path, ...], sources_path: Path, dry_run: bool) -> int:
    """Import references from BibTeX (.bib), RIS (.ris) or CSL JSON (.json) into sources.json.

    Entries are merged by DOI, then PMID, then id, then title and year: a source already in
    sources.json only gets the fields it lacks, and nothing you wrote is replaced.
    """
    imported: list[dict[str, Any]] = []
    for file in files:
        imported += import_references(file)
    existing: dict[str, Any] = {"sources": []}
    indent: int | str = 2
    if sources_path.exists():
        data = read_json(sources_path)
        parse_sources(data, str(sources_path))  # a clear error before anything is merged
        existing = data
        indent = _indent_of(sources_path.read_text(encoding="utf-8-sig"))
    result = merge_sources(existing, imported)
    parse_sources(result.merged, str(sources_path))
    changed = bool(result.added or result.updated) or not sources_path.exists()
    if changed and not dry_run:
        write_text_atomic(sources_path, sources_json_text(result.merged, indent))
    for marker, ids in (("+", result.added), ("~", result.updated)):
        for source_id in ids:
            click.echo(f"  {marker} {source_id}")
    note = " (dry run: nothing written)" if dry_run else ""
    click.echo(
        f"{sources_path}: {len(result.added)} added, {len(result.updated)} updated, "
        f"{len(result.unchanged)} unchanged{note}"
    )
    return 0
