"""``claimgraph check``: audit, render the report, exit code (see :func:`claimgraph.app.run_check`)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from claimgraph.cli import (
    CONTEXT,
    check_offline_refresh,
    color_wanted,
    config_of,
    emit,
    offline_option,
    paths_argument,
    quiet_option,
    show_progress,
    terminal_width,
)
from claimgraph.config import FAIL_ON_CHOICES
from claimgraph.formats import available_formats


@click.command("check", context_settings=CONTEXT)
@paths_argument
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
@offline_option
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON_CHOICES),
    default=None,
    help="Exit 1 when findings reach this severity (default: error, or the config's fail-on).",
)
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
@quiet_option
@click.pass_context
def command(
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
    from claimgraph.app import CheckRequest, run_check
    from claimgraph.formats import FormatOptions, render
    from claimgraph.progress import progress_bar

    check_offline_refresh(offline, refresh)
    if update_baseline and baseline is None:
        raise click.UsageError("--update-baseline needs --baseline FILE")
    summary = os.environ.get("GITHUB_STEP_SUMMARY") if fmt == "github" else None
    request = CheckRequest(
        paths=paths,
        config=config_of(ctx),
        offline=offline,
        refresh=refresh,
        fail_on=fail_on,
        baseline=baseline,
        update_baseline=update_baseline,
        locked=locked,
        lock_file=lock_file,
        update_lock=update_lock,
        step_summary=Path(summary) if summary else None,
    )
    with progress_bar(show_progress(quiet)) as progress:
        outcome = run_check(request, progress)
    for note in outcome.notes:
        click.echo(note, err=True)
    if outcome.show_report:
        width, color = terminal_width(), color_wanted(output)
        options = FormatOptions(fail_on=outcome.fail_on, color=color, width=width)
        emit(render(outcome.report, fmt, options), output)
    return outcome.exit_code
