"""Command line: parse the arguments, build a request, call the library, render, exit code.

``main(argv) -> int`` is the testable entry point; ``run()`` is the console script. Each
command is one short module in this package whose click command is named ``command``; the
work itself is a function of :mod:`claimgraph.app`. A command module is imported only when
its command runs, so ``claimgraph --version`` and ``claimgraph --help`` stay fast. To add a
command, write ``claimgraph/cli/NAME.py`` and add it to :data:`COMMANDS`.
"""

from __future__ import annotations

import importlib
import logging
import os
import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from claimgraph.errors import ClaimgraphError
from claimgraph.version import __version__

if TYPE_CHECKING:
    from claimgraph.config import Config

__all__ = ["COMMANDS", "main", "run"]

#: command name -> (module in this package, the one line ``claimgraph --help`` shows)
COMMANDS: dict[str, tuple[str, str]] = {
    "check": (
        "check",
        "Check claims and sources (claims.json + sources.json, a folder, or article drafts).",
    ),
    "extract": (
        "extract",
        "Find the claims and citations in article drafts (.md, .html, .txt or folders of them) and write claims.json and sources.json for review.",
    ),
    "graph": (
        "graph",
        "Export the claim -> source graph with status and evidence as node attributes.",
    ),
    "import": (
        "import_",
        "Import references from BibTeX (.bib), RIS (.ris) or CSL JSON (.json) into sources.json.",
    ),
    "resolve": (
        "resolve",
        "Look every cited source up in PubMed and Crossref and show the DOI/PMID found.",
    ),
    "rules": ("rules", "List the rules (id, default severity, what to do), or explain one."),
    "schema": ("schema", "Print the JSON Schema of claims.json, sources.json or the JSON report."),
}
CONTEXT: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _LazyCommands(click.Group):
    """The commands of :data:`COMMANDS`, each imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        command: click.Command = importlib.import_module(
            f"{__name__}.{COMMANDS[cmd_name][0]}"
        ).command
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        width = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [
            (name, click.Command(name, help=COMMANDS[name][1]).get_short_help_str(width))
            for name in self.list_commands(ctx)
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=_LazyCommands, context_settings=CONTEXT)
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
    from claimgraph.config import load_config

    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(
        level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    ctx.obj = load_config(config_path)


# ---------------------------------------------------------------------------- shared by commands


def config_of(ctx: click.Context) -> Config:
    """The settings the main command loaded (or the defaults, for a command run on its own)."""
    from claimgraph.config import Config, load_config

    config = ctx.find_root().obj
    return config if isinstance(config, Config) else load_config()


def paths_argument(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.argument("paths", nargs=-1, type=click.Path(path_type=Path))(function)


def offline_option(function: Callable[..., Any]) -> Callable[..., Any]:
    offline = click.option(
        "--offline", is_flag=True, help="Make no network requests; use only cached answers."
    )
    refresh = click.option(
        "--refresh", is_flag=True, help="Ignore cached answers and ask the services again."
    )
    return offline(refresh(function))


def quiet_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("-q", "--quiet", is_flag=True, help="No progress bar.")(function)


def check_offline_refresh(offline: bool, refresh: bool) -> None:
    if offline and refresh:
        raise click.UsageError("--offline and --refresh cannot be used together")


def show_progress(quiet: bool) -> bool:
    return not quiet and sys.stderr.isatty()


def emit(text: str, output: str | None) -> None:
    """Results go to stdout, or atomically to --output."""
    if output and output != "-":
        from claimgraph.atomic import write_text_atomic

        write_text_atomic(output, text, final_newline=True)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=not text.endswith("\n"))


def color_wanted(output: str | None) -> bool:
    if (output and output != "-") or os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or sys.stdout.isatty()


def terminal_width() -> int:
    return shutil.get_terminal_size((120, 24)).columns if sys.stdout.isatty() else 120


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
        return _exit_bad_input()
    except ClaimgraphError as exc:
        click.echo(f"claimgraph: error: {exc}", err=True)
        return _exit_bad_input()
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    except BrokenPipeError:
        return 0
    return int(result) if isinstance(result, int) else 0


def _exit_bad_input() -> int:
    from claimgraph.report import EXIT_BAD_INPUT  # loaded here: --version never needs it

    return EXIT_BAD_INPUT


def run() -> None:
    sys.exit(main())
