"""CLI wiring of the support checker: ``claimgraph support`` and the options ``check`` takes.

All logic lives in :mod:`claimgraph.support`; this module only parses options.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from claimgraph.atomic import write_text_atomic
from claimgraph.config import Config


def support_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """``--no-support`` and ``--jobs N`` for commands that audit."""

    @click.option(
        "--no-support",
        is_flag=True,
        help="Do not judge claims against the abstracts they cite (also: support = false).",
    )
    @click.option(
        "--jobs",
        type=click.IntRange(min=1),
        default=1,
        show_default=True,
        help="Worker processes for judging claims against abstracts.",
    )
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return function(*args, **kwargs)

    return wrapper


def build_support_checker(config: Config, *, no_support: bool, jobs: int) -> Any:
    """The checker ``audit`` takes, or None when checking is switched off."""
    if no_support or not config.support:
        return None
    from claimgraph.support.checker import SupportChecker

    return SupportChecker(config.cache_dir, model_dir=config.support_model, jobs=jobs)


@click.command("support", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("pairs_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", default=None, help="Write the judgements here (atomically).")
@click.option(
    "--jobs", type=click.IntRange(min=1), default=1, show_default=True, help="Worker processes."
)
@click.option("--no-cache", is_flag=True, help="Judge every pair again; keep nothing.")
@click.pass_context
def support_command(
    ctx: click.Context, pairs_file: Path, output: str | None, jobs: int, no_cache: bool
) -> int:
    """Judge claim / abstract pairs in a JSON-lines file.

    Each input line is {"id", "claim", "title", "abstract"}; each output line is
    {"id", "label", "score", "evidence": [{"text", "start", "end"}], "topic", "model"}, label
    supports | contradicts | unrelated | uncertain | not_checked. A bad line exits 2 naming
    its line number.
    """
    from claimgraph.support.checker import SupportChecker
    from claimgraph.support.pairs import format_judgements, read_pairs

    config: Config = ctx.obj["config"]
    pairs = read_pairs(pairs_file)
    checker = SupportChecker(
        None if no_cache else config.cache_dir, model_dir=config.support_model, jobs=jobs
    )
    try:
        judgements = checker.judge(pairs)
    finally:
        checker.close()
    text = format_judgements(pairs, judgements)
    if output and output != "-":
        write_text_atomic(output, text)
        click.echo(
            f"wrote {output} ({len(pairs)} pairs; {checker.judged} judged, "
            f"{checker.cached} from the cache)",
            err=True,
        )
    else:
        click.echo(text, nl=False)
    return 0
