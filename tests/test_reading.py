"""Odd input that used to end in a traceback or a hang: every one is exit 2 naming the file."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from claimgraph.cli import main
from claimgraph.errors import InputError
from claimgraph.reading import MAX_INPUT_ENV, read_input

HUGE = "9" * 5000  # past Python's 4,300-digit limit for int()


def _run(args: list[str], seconds: float = 30) -> int:
    """main(args) in a thread: a hang fails the test instead of stalling the suite."""
    result: list[int] = []
    worker = threading.Thread(target=lambda: result.append(main(args)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"claimgraph {' '.join(args)} hangs"
    return result[0]


def _exit_2(capsys: pytest.CaptureFixture[str], *expected: str) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    for text in expected:
        assert text in err
    return err


# ----------------------------------------------------------------------------- huge integers


@pytest.mark.parametrize("name", ["claims.json", "sources.json"])
def test_an_integer_of_thousands_of_digits_in_the_inputs_is_exit_2(
    example: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (example / name).read_text()
    (example / name).write_text(text.replace("{", '{"n": ' + HUGE + ",", 1))
    assert main(["check", "--offline"]) == 2
    _exit_2(capsys, f"{name}:1:", "thousands of digits")


def test_an_integer_of_thousands_of_digits_in_the_baseline_and_lock_is_exit_2(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (example / "base.json").write_text('{"claimgraph_baseline": ' + HUGE + ', "findings": []}')
    assert main(["check", "--offline", "--baseline", "base.json"]) == 2
    _exit_2(capsys, "base.json:1:25", "thousands of digits")
    (example / "claimgraph.lock").write_text('{\n"claimgraph_lock": 1,\n"x": -' + HUGE + "}")
    assert main(["check", "--offline", "--locked"]) == 2
    _exit_2(capsys, "claimgraph.lock:3:7", "thousands of digits")


def test_an_integer_of_thousands_of_digits_in_the_settings_is_exit_2(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (example / "claimgraph.toml").write_text(f"lock-max-age-days = {HUGE}\n")
    assert main(["check", "--offline"]) == 2
    _exit_2(capsys, "claimgraph.toml:1:21", "thousands of digits")


def test_an_integer_of_thousands_of_digits_in_support_pairs_is_exit_2(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    row = {"id": "a", "claim": "Zinc helps.", "abstract": "Zinc helped."}
    (example / "pairs.jsonl").write_text(json.dumps(row) + "\n" + '{"id": ' + HUGE + "}\n")
    assert main(["support", "pairs.jsonl"]) == 2
    _exit_2(capsys, "pairs.jsonl:2:8", "thousands of digits")


# ----------------------------------------------------------------------------- settings


def test_a_settings_file_that_is_not_utf8_is_exit_2(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (example / "claimgraph.toml").write_bytes(b'fail-on = "warning"\n# caf\xe9\n')
    assert main(["check", "--offline"]) == 2
    _exit_2(capsys, "claimgraph.toml:2", "not UTF-8", "0xe9")


# ----------------------------------------------------------------------------- special files


def test_a_fifo_as_an_input_is_refused_not_waited_on(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.mkfifo(example / "base.json")
    assert _run(["check", "--offline", "--baseline", "base.json"]) == 2
    _exit_2(capsys, "base.json", "named pipe", "regular files only")
    folder = example / "project"
    folder.mkdir()
    os.mkfifo(folder / "claims.json")
    assert _run(["check", "--offline", str(folder)]) == 2
    _exit_2(capsys, "named pipe")


# /dev/zero is what a user names by mistake; the tests use /dev/null, the same kind of file
# (a character device), so that a regression reads nothing instead of memory without end
DEVICE = os.devnull


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--offline", "--baseline", DEVICE],
        ["check", "--offline", "--locked", "--lock-file", DEVICE],
        ["--config", DEVICE, "check", "--offline"],
        ["support", DEVICE],
        ["import", DEVICE + ".json"],  # a link named like CSL JSON, below
    ],
    ids=lambda a: " ".join(a[:3]),
)
def test_a_device_as_an_input_is_refused(
    example: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    if args[0] == "import":
        (example / "refs.json").symlink_to(DEVICE)
        args = ["import", "refs.json"]
    assert _run(args) == 2
    _exit_2(capsys, "character device")


def test_a_draft_linked_to_a_device_is_refused(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (example / "endless.md").symlink_to(DEVICE)
    assert _run(["extract", "endless.md", "-o", "out"]) == 2
    _exit_2(capsys, "endless.md", "character device")


def test_sources_json_that_is_a_folder_is_exit_2_not_ignored(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (example / "sources.json").unlink()
    (example / "sources.json").mkdir()
    assert main(["check", "--offline"]) == 2
    _exit_2(capsys, "sources.json: is a folder, not a file")
    assert main(["check", "--offline", "claims.json"]) == 2  # found beside claims.json
    _exit_2(capsys, "sources.json: is a folder")


# ----------------------------------------------------------------------------- size cap


def test_an_input_over_the_size_cap_is_refused_before_it_is_read(
    example: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(MAX_INPUT_ENV, "0.001")  # about 1 kB; the example is larger
    assert main(["check", "--offline"]) == 2
    _exit_2(capsys, "claims.json", "too large", MAX_INPUT_ENV)
    monkeypatch.setenv(MAX_INPUT_ENV, "64")
    assert main(["check", "--offline", "--fail-on", "never"]) == 0


@pytest.mark.parametrize("value", ["lots", "0", "-5", "inf", "nan"])
def test_a_bad_size_cap_is_exit_2(
    example: Path, monkeypatch: pytest.MonkeyPatch, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(MAX_INPUT_ENV, value)
    assert main(["check", "--offline"]) == 2
    _exit_2(capsys, MAX_INPUT_ENV, "is not a size")


def test_read_input_default_cap_and_errors(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_bytes(b"{}")
    assert read_input(tmp_path / "a.json") == b"{}"
    with pytest.raises(InputError, match="file not found"):
        read_input(tmp_path / "missing.json")
    with pytest.raises(InputError, match="is a folder"):
        read_input(tmp_path)


def test_a_settings_file_that_is_a_folder_is_exit_2_not_ignored(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (example / "claimgraph.toml").mkdir()
    assert main(["check", "--offline"]) == 2
    _exit_2(capsys, "claimgraph.toml: is a folder")


def test_a_lock_file_that_is_a_folder_is_exit_2(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (example / "claimgraph.lock").mkdir()
    assert main(["check", "--offline", "--locked"]) == 2
    _exit_2(capsys, "claimgraph.lock: is a folder")
