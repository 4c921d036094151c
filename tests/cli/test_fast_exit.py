"""The console script ends the process without freeing what the run built (``cli.run``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from claimgraph import cli

#: the console script as installed (``claimgraph = claimgraph.cli:run``)
CONSOLE = [sys.executable, "-c", "from claimgraph.cli import run; run()"]
#: main() alone, with the ordinary interpreter exit
PLAIN = [sys.executable, "-c", "import sys; from claimgraph.cli import main; sys.exit(main())"]


def _run(command: list[str], cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [*command, *args], cwd=cwd, env=os.environ, capture_output=True, check=False
    )


@pytest.mark.parametrize(
    "args",
    [
        ("check", "--offline", "--format", "json"),
        ("check", "--offline", "--format", "text"),
        ("check", "--offline", "--format", "sarif", "--fail-on", "never"),
        ("rules",),
        ("check", "--offline", "no-such-folder"),
    ],
)
def test_the_console_script_says_and_exits_as_main_does(example: Path, args: tuple[str]) -> None:
    """Everything written to stdout and stderr arrives, and the exit code is main's."""
    fast, plain = _run(CONSOLE, example, *args), _run(PLAIN, example, *args)
    assert fast.returncode == plain.returncode
    assert fast.stdout == plain.stdout
    assert fast.stderr == plain.stderr
    assert fast.stdout or fast.stderr


def test_a_report_file_is_complete_when_the_process_ends(example: Path) -> None:
    done = _run(CONSOLE, example, "check", "--offline", "-o", "r.json")
    assert done.returncode == 1
    report = json.loads((example / "r.json").read_text(encoding="utf-8"))
    assert report["summary"]["claims"] == len(report["claims"]) > 0
    assert done.stderr.decode().strip().endswith("wrote r.json")


def test_a_reader_that_went_away_gets_no_traceback(example: Path) -> None:
    """``claimgraph check -f json | true``: writing and the flush at exit meet a closed pipe."""
    with subprocess.Popen(
        [*CONSOLE, "check", "--offline", "--format", "json"],
        cwd=example,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as writer:
        assert writer.stdout is not None and writer.stderr is not None
        writer.stdout.close()  # before the report is written: every write meets a closed pipe
        errors = writer.stderr.read()
        code = writer.wait(timeout=60)
    assert b"Traceback" not in errors and b"Exception ignored" not in errors
    assert code in (0, 1)  # the findings' exit code (a plain interpreter exit would be 120)


def test_main_alone_keeps_nothing(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A library caller (or a test) that calls main() again and again frees every run."""
    assert not cli._FAST_EXIT.armed
    for _ in range(2):
        assert cli.main(["check", "--offline", "--format", "json"]) == 1
        assert json.loads(capsys.readouterr().out)["summary"]["claims"] > 0
    assert cli._FAST_EXIT.kept == []


FULL = Path("/dev/full")


@pytest.mark.skipif(not FULL.exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize(
    "args", [("check", "--offline", "--format", "json"), ("rules",), ("--version",)]
)
def test_output_that_cannot_be_written_is_exit_2_with_one_line(
    example: Path, args: tuple[str]
) -> None:
    """``claimgraph check > /dev/full`` (a full disk): one error line, exit 2, no traceback."""
    for command in (CONSOLE, PLAIN):
        with FULL.open("w") as full:
            done = subprocess.run(
                [*command, *args], cwd=example, stdout=full, stderr=subprocess.PIPE, check=False
            )
        assert done.returncode == 2, done.stderr
        assert done.stderr.decode().splitlines() == [
            "claimgraph: error: <stdout>: cannot write the output: No space left on device"
        ]


@pytest.mark.skipif(not FULL.exists(), reason="needs /dev/full (Linux)")
def test_the_fast_exit_reports_output_it_could_not_flush(tmp_path: Path) -> None:
    """Output still buffered when the process ends is flushed, and a failure is exit 2."""
    code = "import sys; from claimgraph import cli; sys.stdout.write('x'); cli.exit_now(1)"
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    with FULL.open("w") as full:
        done = subprocess.run(
            [sys.executable, "-c", code],
            stdout=full,
            stderr=subprocess.PIPE,
            env=buffered,
            check=False,
        )
    assert done.returncode == 2
    assert b"cannot write the output: No space left on device" in done.stderr
    assert b"Traceback" not in done.stderr
