"""``claimgraph check``: audit, render the report, exit code (see :func:`claimgraph.app.run_check`)."""

import os
from typing import Any

import click

from claimgraph import cli
from claimgraph.config import FAIL_ON_CHOICES
from claimgraph.formats import available_formats

#: the format ``-o FILE`` writes without --format, by the end of FILE's name
REPORT_SUFFIXES = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
    ".html": "html",
    ".htm": "html",
    ".sarif": "sarif",
    ".sarif.json": "sarif",
    ".xml": "junit",
}
FAIL_ON_HELP = "Exit 1 when findings reach this severity (default: error, or the config's fail-on)."


@click.command("check", context_settings=cli.CONTEXT)
@cli.paths_argument
@cli.format_option(available_formats(), "text", "Report format.")
@click.option("-o", "--output", metavar="FILE", help=cli.OUTPUT_HELP)
@cli.offline_flag
@cli.refresh_flag
@click.option("--fail-on", type=click.Choice(FAIL_ON_CHOICES), help=FAIL_ON_HELP)
@cli.path_option("--baseline", "Ignore findings recorded in this baseline file.")
@cli.flag("--update-baseline", "Record the current findings in the --baseline file and exit 0.")
@cli.flag("--locked", "Trust claimgraph.lock; re-check only new, changed or stale sources.")
@cli.path_option("--lock-file", "Lock file to use (default: claimgraph.lock next to claims.json).")
@cli.flag("--update-lock", "Write what was verified into the lock file.")
@cli.quiet_flag
@cli.flag("--no-support", "Do not judge claims against the abstracts they cite.")
@click.option("--jobs", type=click.IntRange(min=0), default=0, show_default=True,
              help="Worker processes for reading drafts and for judging claims against "
              "abstracts (0: one per core for drafts of 256 KB or more and for 64 pairs or "
              "more).")  # fmt: skip
@click.pass_context
def command(
    ctx: click.Context, /, fmt: str | None, output: str | None, quiet: bool, **options: Any
) -> int:
    """Check claims and sources (claims.json + sources.json, a folder, or article drafts).

    Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 bad usage or
    input; 3 a service was needed and could not be reached.
    """
    from claimgraph.app import CheckRequest, run_check
    from claimgraph.formats import FormatOptions, render_parts

    fmt = cli.chosen_format(fmt, output, "text", REPORT_SUFFIXES)
    if options["update_baseline"] and options["baseline"] is None:
        raise click.UsageError("--update-baseline needs --baseline FILE")
    summary = os.environ.get("GITHUB_STEP_SUMMARY") if fmt == "github" else None
    support = not options.pop("no_support")
    request = CheckRequest(
        config=cli.config_of(ctx), step_summary=summary, support=support, output=output, **options
    )
    with cli.service_progress(quiet, options) as progress:
        outcome = run_check(request, progress)
    cli.keep_until_exit(outcome)  # a large report takes a while to free, for nothing
    for note in outcome.notes:
        click.echo(cli.shown(note), err=True)
    if outcome.show_report:
        width, color = cli.terminal_width(), cli.color_wanted(output)
        rendering = FormatOptions(fail_on=outcome.fail_on, color=color, width=width)
        cli.emit(render_parts(outcome.report, fmt, rendering), output)
    return outcome.exit_code
