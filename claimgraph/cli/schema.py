"""``claimgraph schema``: the JSON Schemas of the input files and the report."""

from pathlib import Path

import click

from claimgraph import cli

FOLDER = click.Path(file_okay=False, path_type=Path)


@click.command("schema", context_settings=cli.CONTEXT)
@click.argument("name", required=False, type=click.Choice(["claims", "sources", "report"]))
@click.option("--write", "write_dir", type=FOLDER, help="Write every schema into this folder.")
def command(name: str | None, write_dir: Path | None) -> int:
    """Print the JSON Schema of claims.json, sources.json or the JSON report."""
    from claimgraph.schemas import schema_text, write_schemas

    if write_dir is not None:
        for path in write_schemas(write_dir):
            click.echo(f"wrote {path}", err=True)
        return 0
    if name is None:
        raise click.UsageError("name a schema (claims, sources, report) or use --write DIR")
    click.echo(schema_text(name), nl=False)
    return 0
