"""Command line: parse arguments, build a config, call the library, render, return an exit code.

``main(argv) -> int`` is the testable entry point; ``run()`` is the console script.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from claimgraph import __version__
from claimgraph.atomic import write_text_atomic
from claimgraph.audit import audit
from claimgraph.config import FAIL_ON_CHOICES, Config, load_config
from claimgraph.errors import ClaimgraphError, InputError
from claimgraph.formats import FormatOptions, available_formats, render
from claimgraph.graph import GRAPH_FORMATS
from claimgraph.inputs import collect_project
from claimgraph.progress import progress_bar
from claimgraph.report import EXIT_BAD_INPUT, exit_code
from claimgraph.resolvers.base import Resolver

log = logging.getLogger("claimgraph")

_CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


# ---------------------------------------------------------------------------- helpers


def _config(ctx: click.Context) -> Config:
    config: Config = ctx.obj["config"]
    return config


def _emit(text: str, output: str | None) -> None:
    """Results go to stdout, or atomically to --output."""
    if output and output != "-":
        write_text_atomic(output, text, final_newline=True)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=not text.endswith("\n"))


def _stderr_is_tty() -> bool:
    return sys.stderr.isatty()


def build_resolver(
    config: Config,
    *,
    offline: bool,
    refresh: bool,
    progress: Callable[[int, int], None] | None,
) -> Resolver:
    """The service resolver (PubMed + Crossref, cached)."""
    from claimgraph.resolvers.service import build_resolver as build_service_resolver

    resolver: Resolver = build_service_resolver(
        config, offline=offline, refresh=refresh, progress=progress
    )
    return resolver


def _fail_on_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--fail-on",
        type=click.Choice(FAIL_ON_CHOICES),
        default=None,
        help="Exit 1 when findings reach this severity (default: error, or the config's fail-on).",
    )(function)


# ---------------------------------------------------------------------------- commands


@click.group(context_settings=_CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="claimgraph")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Settings file (default: the nearest claimgraph.toml or pyproject.toml [tool.claimgraph]).",
)
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None, verbose: int) -> None:
    """Audit the claims of health content and the sources they cite."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(
        level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    ctx.ensure_object(dict)
    ctx.obj["config"] = load_config(config_path)


@cli.command(context_settings=_CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(available_formats()),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option("-o", "--output", default=None, help="Write the report to this file (atomically).")
@click.option("--offline", is_flag=True, help="Make no network requests; use only cached answers.")
@click.option("--refresh", is_flag=True, help="Ignore cached answers and ask the services again.")
@_fail_on_option
@click.option(
    "--baseline",
    type=click.Path(path_type=Path),
    default=None,
    help="Ignore findings recorded in this baseline file.",
)
@click.option(
    "--update-baseline",
    is_flag=True,
    help="Record the current findings in the --baseline file and exit 0.",
)
@click.option(
    "--locked",
    is_flag=True,
    help="Trust claimgraph.lock; re-check only new, changed or stale sources.",
)
@click.option(
    "--lock-file",
    type=click.Path(path_type=Path),
    default=None,
    help="Lock file to use (default: claimgraph.lock next to claims.json).",
)
@click.option("--update-lock", is_flag=True, help="Write what was verified into the lock file.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@click.pass_context
def check(
    ctx: click.Context,
    paths: tuple[Path, ...],
    fmt: str,
    output: str | None,
    offline: bool,
    refresh: bool,
    fail_on: str | None,
    baseline: Path | None,
    update_baseline: bool,
    locked: bool,
    lock_file: Path | None,
    update_lock: bool,
    quiet: bool,
) -> int:
    """Check claims and sources (claims.json + sources.json, a folder, or article drafts).

    Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 bad usage or
    input; 3 a service was needed and could not be reached.
    """
    config = _config(ctx)
    fail_on = fail_on or config.fail_on
    if offline and refresh:
        raise click.UsageError("--offline and --refresh cannot be used together")
    if update_baseline and baseline is None:
        raise click.UsageError("--update-baseline needs --baseline FILE")
    project = collect_project(paths)
    show_progress = not quiet and _stderr_is_tty()
    with progress_bar(show_progress) as progress:
        resolver = build_resolver(config, offline=offline, refresh=refresh, progress=progress)
        lock_path = lock_file or _default_lock_path(project.claims_file)
        locked_resolver = None
        if locked or update_lock:
            from claimgraph.lockfile import LockedResolver, load_lock

            # --locked trusts entries up to lock-max-age-days; --update-lock alone re-checks all
            locked_resolver = LockedResolver.from_config(
                load_lock(lock_path), resolver, config, recheck_all=not locked
            )
            resolver = locked_resolver
        # new or stale sources still go to the services with --locked: an outage is still exit 3
        report = audit(project, resolver, config, offline=offline)
        # the report holds everything from here on: free the inputs before rendering, which
        # makes rendering a large report measurably faster (benchmarks/bench_core.py)
        del project
        if update_lock and locked_resolver is not None:
            from claimgraph.lockfile import write_lock

            updated = locked_resolver.updated_lock(prune=not paths)  # prune on whole-project runs
            if updated != locked_resolver.lock:
                write_lock(updated, lock_path)
                click.echo(f"wrote {lock_path}", err=True)
    if baseline is not None:
        from claimgraph.baseline import apply_baseline, load_baseline, write_baseline

        if update_baseline:
            write_baseline(report, baseline)
            click.echo(f"wrote {baseline} ({len(report.findings)} findings)", err=True)
            return 0
        report = apply_baseline(report, load_baseline(baseline))
    options = FormatOptions(
        fail_on=fail_on,
        color=_color_wanted(output),
        width=shutil.get_terminal_size((120, 24)).columns if sys.stdout.isatty() else 120,
    )
    _emit(render(report, fmt, options), output)
    if fmt == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        from claimgraph.formats.github import append_step_summary

        append_step_summary(report, Path(os.environ["GITHUB_STEP_SUMMARY"]))
    return exit_code(report, fail_on)


def _default_lock_path(claims_file: str | None) -> Path:
    folder = Path(claims_file).parent if claims_file else Path.cwd()
    return folder / "claimgraph.lock"


def _color_wanted(output: str | None) -> bool:
    if output and output != "-":
        return False
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


@cli.command(context_settings=_CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
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
def graph(
    ctx: click.Context, paths: tuple[Path, ...], fmt: str, output: str | None, offline: bool
) -> int:
    """Export the claim -> source graph with status and evidence as node attributes."""
    from claimgraph.export import export_graph

    config = _config(ctx)
    project = collect_project(paths)
    resolver = build_resolver(config, offline=offline, refresh=False, progress=None)
    report = audit(project, resolver, config, offline=offline)
    _emit(export_graph(project, report, fmt), output)
    return 0


@cli.command(context_settings=_CONTEXT)
@click.argument("rule_id", required=False)
def rules(rule_id: str | None) -> int:
    """List the rules (id, default severity, what to do), or explain one."""
    from claimgraph.rules import RULES

    if rule_id is not None:
        if rule_id not in RULES:
            raise InputError(
                f"unknown rule {rule_id!r}", hint="run `claimgraph rules` for the list"
            )
        registered = RULES[rule_id]
        click.echo(f"{registered.id} ({registered.default_severity.value})\n\n{registered.help}")
        return 0
    width = max(len(r) for r in RULES)
    for registered in RULES.values():
        click.echo(
            f"{registered.id:<{width}}  {registered.default_severity.value:<7}  "
            f"{registered.summary}"
        )
    return 0


@cli.command(context_settings=_CONTEXT)
@click.argument("name", required=False, type=click.Choice(["claims", "sources", "report"]))
@click.option(
    "--write",
    "write_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write every schema into this folder.",
)
def schema(name: str | None, write_dir: Path | None) -> int:
    """Print the JSON Schema of claims.json, sources.json or the JSON report."""
    from claimgraph.schemas import SCHEMAS, schema_path, schema_text

    if write_dir is not None:
        write_dir.mkdir(parents=True, exist_ok=True)
        for schema_name in SCHEMAS:
            write_text_atomic(schema_path(write_dir, schema_name), schema_text(schema_name))
            click.echo(f"wrote {schema_path(write_dir, schema_name)}", err=True)
        return 0
    if name is None:
        raise click.UsageError("name a schema (claims, sources, report) or use --write DIR")
    click.echo(schema_text(name), nl=False)
    return 0


def _register_feature_commands() -> None:
    """Commands that live beside their feature modules."""
    from claimgraph.cli_extract import extract_command
    from claimgraph.cli_import import import_command
    from claimgraph.cli_resolve import resolve_command

    cli.add_command(resolve_command, "resolve")
    cli.add_command(extract_command, "extract")
    cli.add_command(import_command, "import")


# ---------------------------------------------------------------------------- entry points


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code (never raises for bad input)."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        result = cli.main(args=args, prog_name="claimgraph", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return EXIT_BAD_INPUT
    except ClaimgraphError as exc:
        click.echo(f"claimgraph: error: {exc}", err=True)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    except BrokenPipeError:
        return 0
    return int(result) if isinstance(result, int) else 0


def run() -> None:
    sys.exit(main())


_register_feature_commands()
