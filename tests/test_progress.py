"""The progress display is honest: it pulses until a count exists, and advances per request."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

from rich.console import Console

from claimgraph.progress import ProgressDisplay, progress_bar
from claimgraph.resolvers.profiles import HttpSettings, build_http
from claimgraph.resolvers.service import ServiceResolver


def _console() -> Console:
    return Console(file=io.StringIO(), force_terminal=True, width=100)


def test_no_count_yet_means_an_indeterminate_bar_not_zero_percent() -> None:
    with progress_bar(True, console=_console()) as display:
        assert isinstance(display, ProgressDisplay)
        display(0, 700)
        (task,) = display.bar.tasks
        assert task.total is None  # pulses: no "0/700" sitting at 0 %
        assert task.description == "checking sources (700)"
        display.request_done("pubmed", False)
        display.request_done("crossref", False)
        assert task.fields["counts"] == "2 requests answered"  # work shows as it happens
        display(300, 700)
        (task,) = display.bar.tasks
        assert (task.completed, task.total) == (300, 700)
        assert task.fields["counts"] == "300/700 · 2 requests answered"
        display(700, 700)  # the rest of the run has no count: no bar sitting at 100 %
        (task,) = display.bar.tasks
        assert task.total is None
        assert task.description == "700 sources checked; building the report"


def test_disabled_is_none() -> None:
    with progress_bar(False) as display:
        assert display is None


def test_the_resolver_reports_each_answered_request(tmp_path: Path) -> None:
    settings = HttpSettings(
        "http://127.0.0.1:9/",
        "http://127.0.0.1:9/c/",
        None,
        None,
        tmp_path,
        datetime.timedelta(days=1),
        offline=True,
    )
    with progress_bar(True, console=_console()) as display:
        assert display is not None
        resolver = ServiceResolver(build_http(settings), progress=display)
        try:
            assert resolver.client.on_request == display.request_done
        finally:
            resolver.close()
