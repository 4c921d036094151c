"""Command line: parse the arguments, build a request, call the library, render, exit code.

``main(argv) -> int`` is the testable entry point; ``run()`` is the console script. Each
command is one short module of this package whose click command is named ``command``; the
work itself is a function of :mod:`claimgraph.app`. A command's module is imported only when
the command runs, so ``claimgraph --version`` and ``--help`` stay fast. To add a command,
write ``claimgraph/cli/NAME.py`` and add NAME to :data:`COMMANDS` with its one-line help.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import shutil
import sys
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager as ContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from claimgraph.errors import ClaimgraphError
from claimgraph.version import __version__

if TYPE_CHECKING:
    from claimgraph.app import Progress
    from claimgraph.config import Config

#: command -> the line ``claimgraph --help`` shows (tests/cli checks it is the command's own)
COMMANDS = {
    "check": "Check claims and sources (claims.json + sources.json, a folder, or article drafts).",
    "extract": "Find the claims and citations in article drafts (.md, .html, .txt or folders of them) and write claims.json and sources.json for review.",
    "graph": "Export the claim -> source graph with status and evidence as node attributes.",
    "import": "Import references from BibTeX (.bib), RIS (.ris) or CSL JSON (.json) into sources.json.",
    "resolve": "Look every cited source up in PubMed and Crossref and show the DOI/PMID found.",
    "rules": "List the rules (id, default severity, what to do), or explain one.",
    "schema": "Print the JSON Schema of claims.json, sources.json or the JSON report.",
    "support": "Judge claim / abstract pairs in a JSON-lines file.",
}
CONTEXT: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]
CONFIG_HELP = (
    "Settings file (default: the nearest claimgraph.toml or pyproject.toml [tool.claimgraph])."
)
LOG_FORMAT = "%(levelname)s %(name)s: %(message)s"
OUTPUT_HELP = (
    "Write the report to this file: atomically, through a symlink to its target, straight to "
    "a device or pipe; never over an input file."
)


#: the end of ``claimgraph --help`` (``\b``: click keeps the lines as they are)
ENVIRONMENT_HELP = """\b
Environment:
  CLAIMGRAPH_CACHE_DIR     cached answers (default: the user cache folder)
  CLAIMGRAPH_EMAIL         contact email for NCBI and Crossref (polite pool)
  NCBI_API_KEY             NCBI API key (10 PubMed requests/s instead of 3)
  CLAIMGRAPH_PUBMED_URL    PubMed E-utilities base URL (mirror, proxy, tests)
  CLAIMGRAPH_CROSSREF_URL  Crossref REST API base URL
  CLAIMGRAPH_MAX_INPUT_MB  largest input file read, in MiB (default 512)
  NO_COLOR, FORCE_COLOR    colour off / on even when not on a terminal
  GITHUB_STEP_SUMMARY      --format github appends its summary to this file

\b
No network? `claimgraph check --offline` uses only cached answers.
Settings: claimgraph.toml or [tool.claimgraph] in pyproject.toml.
"""


class _LogFormatter(logging.Formatter):
    """Log lines on stderr: ``claimgraph: warning: ...`` as a user reads them.

    With ``-v``/``-vv`` a record keeps its level and logger name (:data:`LOG_FORMAT`), for
    whoever is debugging. Control characters are shown escaped either way.
    """

    def __init__(self, verbose: bool) -> None:
        super().__init__(LOG_FORMAT)
        self.verbose = verbose

    def format(self, record: logging.LogRecord) -> str:
        from claimgraph.safetext import multiline, one_line

        if self.verbose:
            return multiline(super().format(record))
        return f"claimgraph: {record.levelname.lower()}: {one_line(record.getMessage())}"


class _LazyCommands(click.Group):
    """The commands of :data:`COMMANDS`, each imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module = importlib.import_module(f"{__name__}.{cmd_name.replace('import', 'import_')}")
        command: click.Command = module.command
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        width = formatter.width - 6 - max(map(len, COMMANDS))
        short = [
            (n, click.Command(n, help=COMMANDS[n]).get_short_help_str(width)) for n in COMMANDS
        ]
        with formatter.section("Commands"):
            formatter.write_dl(sorted(short))


@click.group(cls=_LazyCommands, context_settings=CONTEXT, epilog=ENVIRONMENT_HELP)
@click.version_option(__version__, "-V", "--version", prog_name="claimgraph")
@click.option(
    "--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), help=CONFIG_HELP
)
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None, verbose: int) -> None:
    """Audit the claims of health content and the sources they cite."""
    from claimgraph.config import load_config

    level = logging.WARNING - 10 * min(verbose, 2)  # -v info, -vv debug
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_LogFormatter(verbose > 0))
    logging.basicConfig(level=level, handlers=[handler])
    ctx.obj = load_config(config_path)


# ---------------------------------------------------------------------------- shared by commands


def config_of(ctx: click.Context) -> Config:
    """The settings the main command loaded (or the defaults, for a command run on its own)."""
    from claimgraph.config import Config, load_config

    config = ctx.find_root().obj
    return config if isinstance(config, Config) else load_config()


def flag(name: str, help_text: str) -> Decorator:
    return click.option(name, is_flag=True, help=help_text)


def path_option(name: str, help_text: str) -> Decorator:
    return click.option(name, type=click.Path(path_type=Path), help=help_text)


def format_option(choices: Sequence[str], default: str, help_text: str) -> Decorator:
    """``-f/--format``: None when not given, so :func:`chosen_format` can read ``--output``."""
    choice = click.Choice(choices)
    shown = f"{default}, or the one --output's file name ends in"
    return click.option(
        "-f", "--format", "fmt", type=choice, default=None, show_default=shown, help=help_text
    )


def chosen_format(
    fmt: str | None, output: str | None, default: str, suffixes: dict[str, str]
) -> str:
    """The format asked for; without --format, the one the output's suffix names, else ``default``.

    ``-o report.sarif`` writes SARIF and ``-o graph.graphml`` GraphML, as a user expects;
    ``suffixes`` maps a lowercase file-name ending (``.sarif.json`` before ``.json``) to a format.
    """
    if fmt is not None:
        return fmt
    if output and output != "-":
        name = Path(output).name.lower()
        for suffix in sorted(suffixes, key=len, reverse=True):
            if name.endswith(suffix):
                return suffixes[suffix]
    return default


paths_argument = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
offline_flag = flag("--offline", "Make no network requests; use only cached answers.")
refresh_flag = flag("--refresh", "Ignore cached answers and ask the services again.")
quiet_flag = click.option("-q", "--quiet", is_flag=True, help="No progress bar.")


def service_progress(quiet: bool, options: dict[str, Any]) -> ContextManager[Progress | None]:
    """The progress bar of a run that asks the services (on a terminal, without --quiet)."""
    from claimgraph.progress import progress_bar

    if options["offline"] and options["refresh"]:
        raise click.UsageError("--offline and --refresh cannot be used together")
    return progress_bar(not quiet and sys.stderr.isatty())


def emit(text: str | Iterable[str], output: str | None) -> None:
    """Results go to stdout, or atomically to --output: a text, or its pieces in order."""
    parts = [text] if isinstance(text, str) else text
    if output and output != "-":
        from claimgraph.atomic import write_text_atomic

        write_text_atomic(output, parts, final_newline=True)
        click.echo(f"wrote {output}", err=True)
        return
    last = ""
    for part in parts:
        if part:
            click.echo(part, nl=False)  # flushed each time: a failed write raises here
            last = part
    if not last.endswith("\n"):
        click.echo("")


def _output_failed(exc: OSError) -> int:
    """Say that the output could not be written (an OSError that reached the top: every file
    the commands read or write reports its own errors, with its name); exit code 2."""
    from claimgraph.report import EXIT_BAD_INPUT  # loaded here: --version never needs it

    if exc.filename:
        message = f"{shown(str(exc.filename))}: {exc.strerror or exc}"
    else:
        message = f"<stdout>: cannot write the output: {exc.strerror or exc}"
    with contextlib.suppress(OSError, ValueError):  # stderr may be gone too
        click.echo(f"claimgraph: error: {message}", err=True)
    return EXIT_BAD_INPUT


def shown(text: str) -> str:
    """A message for the terminal: names and ids from the inputs with controls escaped."""
    from claimgraph.safetext import multiline

    return multiline(text)


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
    except (click.exceptions.Abort, KeyboardInterrupt) as exc:
        click.echo(
            "aborted" if isinstance(exc, click.exceptions.Abort) else "interrupted", err=True
        )
        return 130
    except (click.ClickException, ClaimgraphError) as exc:
        from claimgraph.report import EXIT_BAD_INPUT  # loaded here: --version never needs it

        if isinstance(exc, click.ClickException):
            exc.show()
        else:
            click.echo(f"claimgraph: error: {shown(str(exc))}", err=True)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a full disk, /dev/full
        return _output_failed(exc)
    return int(result) if isinstance(result, int) else 0


class _FastExit:
    """What :func:`run` keeps for the end of the process (nothing under :func:`main` alone)."""

    def __init__(self) -> None:
        self.armed = False
        self.kept: list[object] = []


_FAST_EXIT = _FastExit()


def keep_until_exit(value: object) -> None:
    """Under the console script, ``value`` is never freed: the process ends with it alive.

    A command passes what a large run built (the report, the project); called from
    :func:`main` alone (tests, library callers), this does nothing.
    """
    if _FAST_EXIT.armed:
        _FAST_EXIT.kept.append(value)


def exit_now(code: int) -> NoReturn:
    """Flush stdout and stderr and end the process at once, without freeing its objects.

    Output that cannot be written is exit code 2 with a line on stderr, as it is inside
    :func:`main`; a reader that went away (``| head``) is not an error.
    """
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        pass
    except OSError as exc:
        code = _output_failed(exc)
    except ValueError:  # stdout was closed
        pass
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(code)


def run() -> None:
    """The ``claimgraph`` console script: :func:`main`, then a fast exit.

    A large run builds millions of objects (a 100,000-claim audit: about 0.5 s to free them
    one by one, and the interpreter's teardown after that), and freeing them serves nothing
    when the process ends next. So, as mypy does, the process ends right after main returns
    and its output is flushed; what the command passed to :func:`keep_until_exit` is never
    freed. Every file the run writes is closed (and fsynced) before main returns.
    """
    _FAST_EXIT.armed = True
    exit_now(main())
