"""``claimgraph extract DRAFT... [-o DIR]``: write the claims and sources a draft makes.

The command reads the drafts, writes (or merges into) ``claims.json`` and ``sources.json``
in the output folder and prints what it did. Bad input raises
:class:`~claimgraph.errors.InputError`; the main command turns it into exit code 2.
"""

from __future__ import annotations

from pathlib import Path

import click

from claimgraph.extract import extract_paths, merge_into
from claimgraph.extract.merge import MergeResult
from claimgraph.models import Project

__all__ = ["extract_command", "summarise"]


def _ids(label: str, ids: list[str], limit: int = 10) -> str:
    shown = ", ".join(ids[:limit])
    more = f" and {len(ids) - limit} more" if len(ids) > limit else ""
    return f"  {label}: {shown}{more}"


def summarise(project: Project, result: MergeResult) -> list[str]:
    """The lines the command prints: what was found, and what was written or merged."""
    cited = sum(1 for claim in project.claims if claim.sources)
    attributions = sum(
        1 for claim in project.claims if (claim.model_extra or {}).get("attribution")
    )
    lines = [
        f"found {len(project.claims)} claims ({cited} citing a source, "
        f"{len(project.claims) - cited} citing nothing, {attributions} unsupported "
        f"attributions) and {len(project.sources)} sources",
    ]
    claims_path, sources_path = result.files_written[:2]
    lines.append(
        f"wrote {claims_path}: {len(result.added)} added, {len(result.updated)} updated, "
        f"{len(result.kept)} kept, {len(result.removed)} no longer in the draft"
    )
    lines.append(
        f"wrote {sources_path}: {len(result.sources_added)} added, "
        f"{len(result.sources_updated)} updated, {len(result.sources_kept)} kept, "
        f"{len(result.sources_removed)} no longer cited"
    )
    if result.removed:
        label = "kept and marked removed_from_draft (delete them by hand if they are gone)"
        lines.append(_ids(label, result.removed))
    if result.sources_removed:
        lines.append(_ids("sources no longer cited by the draft (kept)", result.sources_removed))
    return lines


@click.command("extract")
@click.argument("drafts", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("."),
    show_default=True,
    help="Folder to write claims.json and sources.json to (merged when they exist).",
)
def extract_command(drafts: tuple[Path, ...], output: Path) -> None:
    """Find the claims and citations in article drafts (.md, .html, .txt or folders of them)
    and write claims.json and sources.json for review.

    Existing files are merged, not overwritten: hand edits, extra fields and hand-linked
    sources are kept; claims no longer in the draft are kept, marked and reported.
    """
    project = extract_paths(list(drafts))
    result = merge_into(output, project)
    for line in summarise(project, result):
        click.echo(line)
