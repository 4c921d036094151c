"""Output paths: checked before the audit, written through symlinks, straight to devices and
pipes, never over an input, and every OSError an exit 2 (claimgraph.atomic)."""

from __future__ import annotations

import errno
import json
import os
import stat
import threading
from pathlib import Path
from typing import Any

import pytest

from claimgraph import app
from claimgraph.cli import main

DRAFT = "# Zinc\n\nZinc lozenges shorten colds by a third [1].\n\n## References\n\n1. Hemila H. Zinc lozenges. Open Forum Infect Dis. 2017;4:ofx059.\n"


@pytest.fixture
def no_audit(monkeypatch: pytest.MonkeyPatch) -> None:
    """The audit must not start: the output problem is found before it."""

    def audit(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the audit ran before the output path was checked")

    monkeypatch.setattr(app, "audit", audit)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


# ----------------------------------------------------------------------------- before the audit

MISSING_FOLDER = [
    ["check", "--offline", "-o", "nodir/r.txt"],
    ["check", "--offline", "-f", "json", "--output", "nodir/r.json"],
    ["graph", "-o", "nodir/g.json"],
    ["check", "--offline", "--baseline", "nodir/b.json", "--update-baseline"],
    ["check", "--offline", "--update-lock", "--lock-file", "nodir/claimgraph.lock"],
    ["import", "refs.json", "--sources", "nodir/sources.json"],
]


@pytest.mark.parametrize("args", MISSING_FOLDER, ids=lambda a: " ".join(a[:1] + a[-2:]))
@pytest.mark.usefixtures("no_audit")
def test_an_output_in_a_missing_folder_is_exit_2_before_the_audit(
    example: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    (example / "refs.json").write_text('[{"id": "x", "type": "article-journal", "title": "T"}]')
    before = _files(example)
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "nodir" in err and "does not exist" in err and "Traceback" not in err
    assert _files(example) == before
    assert not (example / "nodir").exists()


@pytest.mark.usefixtures("no_audit")
def test_a_file_in_the_way_of_the_folder_is_exit_2(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--offline", "-o", "claims.json/report.txt"]) == 2
    assert "claims.json is not a folder" in capsys.readouterr().err


@pytest.mark.usefixtures("no_audit")
def test_a_folder_as_output_is_exit_2(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (example / "out").mkdir()
    assert main(["check", "--offline", "-o", "out"]) == 2
    assert "is a folder" in capsys.readouterr().err


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to any folder")
@pytest.mark.usefixtures("no_audit")
def test_an_unwritable_folder_is_exit_2(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    locked = example / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        assert main(["check", "--offline", "-o", "locked/r.txt"]) == 2
    finally:
        locked.chmod(0o700)
    assert "permission denied" in capsys.readouterr().err


# ----------------------------------------------------------------------------- inputs


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--offline", "-o", "claims.json"],
        ["check", "--offline", "-o", "./sources.json"],
        ["graph", "-o", "claims.json"],
        ["check", "--offline", "--locked", "-o", "claimgraph.lock"],
        ["check", "--offline", "--baseline", "base.json", "-o", "base.json"],
        [
            "check",
            "--offline",
            "--update-lock",
            "--baseline",
            "base.json",
            "--lock-file",
            "base.json",
        ],
        ["check", "--offline", "--baseline", "claims.json", "--update-baseline"],
        ["check", "--offline", "-o", "link-to-claims.json"],
        ["check", "--offline", "-o", "claimgraph.toml"],  # the settings file found here
    ],
    ids=lambda a: " ".join(a[2:]),
)
@pytest.mark.usefixtures("no_audit")
def test_an_output_never_overwrites_an_input(
    example: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    (example / "claimgraph.lock").write_text('{"claimgraph_lock": 1, "sources": {}}\n')
    (example / "base.json").write_text('{"claimgraph_baseline": 1, "findings": []}\n')
    (example / "claimgraph.toml").write_text('fail-on = "error"\n')
    (example / "link-to-claims.json").symlink_to("claims.json")
    before = _files(example)
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "refusing to overwrite an input file" in err and "Traceback" not in err
    assert _files(example) == before


@pytest.mark.usefixtures("no_audit")
def test_an_output_never_overwrites_a_draft(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (example / "zinc.md").write_text(DRAFT)
    assert main(["check", "--offline", "zinc.md", "-o", "zinc.md"]) == 2
    assert "refusing to overwrite an input file" in capsys.readouterr().err
    assert (example / "zinc.md").read_text() == DRAFT


def test_import_refuses_to_import_a_file_into_itself(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (example / "sources.json").read_bytes()
    assert main(["import", "sources.json", "--sources", "sources.json"]) == 2
    assert "refusing to overwrite an input file" in capsys.readouterr().err
    assert (example / "sources.json").read_bytes() == before


# ----------------------------------------------------------------------------- special files


def test_an_output_symlink_is_written_through_and_stays_a_link(example: Path) -> None:
    (example / "reports").mkdir()
    link = example / "latest.json"
    link.symlink_to("reports/report.json")  # dangling until the first run
    assert main(["check", "--offline", "-f", "json", "-o", "latest.json"]) == 1
    assert link.is_symlink() and os.readlink(link) == "reports/report.json"
    first = json.loads((example / "reports" / "report.json").read_text())
    assert first["tool"]["name"] == "claimgraph"
    assert main(["check", "--offline", "-f", "markdown", "-o", "latest.json"]) == 1
    assert link.is_symlink()
    assert (example / "reports" / "report.json").read_text().startswith("## claimgraph audit")
    assert sorted(p.name for p in (example / "reports").iterdir()) == ["report.json"]


def _null_device(folder: Path) -> Path:
    """A character device to write to. As root, a private copy of /dev/null's node: a
    regression that replaces the node must never replace the machine's /dev/null (root may;
    another user cannot, so the real one is safe then)."""
    if os.geteuid() != 0:
        return Path(os.devnull)
    node = folder / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except OSError as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    return node


def test_a_device_is_written_to_not_replaced(example: Path) -> None:
    device = _null_device(example)
    assert main(["check", "--offline", "-o", str(device)]) == 1
    assert stat.S_ISCHR(os.lstat(device).st_mode)
    assert not [p.name for p in device.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_fifo_is_written_straight_to(example: Path) -> None:
    fifo = example / "report.pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as handle:
            received.append(handle.read())

    reader = threading.Thread(target=read)
    reader.start()
    try:
        code = main(["check", "--offline", "-f", "json", "-o", str(fifo)])
    finally:
        reader.join(timeout=30)
    assert code == 1
    assert json.loads(received[0])["tool"]["name"] == "claimgraph"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # the node is still the pipe
    assert not [p.name for p in example.iterdir() if p.name.endswith(".tmp")]


# ----------------------------------------------------------------------------- errors while writing


def test_an_oserror_while_writing_is_exit_2_and_keeps_the_old_file(
    example: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (example / "report.md").write_text("old report")

    def full(*args: Any) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", full)
    assert main(["check", "--offline", "-f", "markdown", "-o", "report.md"]) == 2
    err = capsys.readouterr().err
    assert "report.md: cannot write the file: No space left on device" in err
    assert "Traceback" not in err
    assert (example / "report.md").read_text() == "old report"
    assert not [p.name for p in example.iterdir() if p.name.endswith(".tmp")]


def test_extract_into_a_file_in_the_way_is_exit_2_before_extracting(
    example: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (example / "zinc.md").write_text(DRAFT)
    (example / "out").write_text("a file")

    def extract_paths(*args: Any) -> Any:
        raise AssertionError("extracted before the output was checked")

    monkeypatch.setattr("claimgraph.extract.extract_paths", extract_paths)
    assert main(["extract", "zinc.md", "-o", "out/sub"]) == 2
    assert "out is not a folder" in capsys.readouterr().err


def test_extract_creates_a_missing_output_folder(example: Path) -> None:
    (example / "zinc.md").write_text(DRAFT)
    assert main(["extract", "zinc.md", "-o", "new/folder"]) == 0
    assert (example / "new" / "folder" / "claims.json").is_file()


@pytest.mark.usefixtures("no_audit")
def test_a_folder_without_write_permission_is_exit_2(
    example: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # what a user without write access sees (the test may run as root, who may write anywhere)
    locked = example / "locked"
    locked.mkdir()
    real_access = os.access

    def access(path: Any, mode: int, **kwargs: Any) -> bool:
        if Path(path) == locked and mode & os.W_OK:
            return False
        return real_access(path, mode, **kwargs)

    monkeypatch.setattr(os, "access", access)
    assert main(["check", "--offline", "-o", "locked/r.txt"]) == 2
    assert "permission denied: cannot create files in" in capsys.readouterr().err


def test_resolve_write_checks_sources_json_before_the_lookups(
    example: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = (example / "sources.json").resolve()
    real_access = os.access

    def access(path: Any, mode: int, **kwargs: Any) -> bool:
        if Path(path) == sources and mode & os.W_OK:
            return False  # a read-only sources.json (root may write anyway: pretend not)
        return real_access(path, mode, **kwargs)

    def resolve_sources(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("looked sources up before checking sources.json can be written")

    monkeypatch.setattr(os, "access", access)
    monkeypatch.setattr(app, "resolve_sources", resolve_sources)
    assert main(["resolve", "--offline", "--write"]) == 2
    err = capsys.readouterr().err
    assert "sources.json: cannot write the sources file here: permission denied" in err


@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("report.json", "{"),
        ("report.SARIF", "{"),
        ("report.sarif.json", "{"),
        ("report.xml", "<?xml"),
        ("report.html", "<!DOCTYPE html>"),
        ("report.md", "#"),
        ("report.txt", "claimgraph"),
        ("report.out", "claimgraph"),
    ],
)
def test_check_output_suffix_names_the_format_when_format_is_not_given(
    example: Path, name: str, first: str
) -> None:
    main(["check", "--offline", "--quiet", "-o", name])
    text = (example / name).read_text(encoding="utf-8")
    assert text.lstrip().startswith(first), text[:80]
    if name.lower().endswith((".json", ".sarif")):
        document = json.loads(text)
        assert ("runs" in document) == ("sarif" in name.lower())


def test_an_explicit_format_wins_over_the_output_suffix(example: Path) -> None:
    main(["check", "--offline", "--quiet", "--format", "text", "-o", "report.json"])
    assert (example / "report.json").read_text(encoding="utf-8").startswith("claimgraph")


@pytest.mark.parametrize(
    ("name", "first"),
    [("g.graphml", "<graphml"), ("g.gexf", "<"), ("g.gv", "digraph"), ("g.json", "{")],
)
def test_graph_output_suffix_names_the_format(example: Path, name: str, first: str) -> None:
    assert main(["graph", "-o", name]) == 0
    assert (example / name).read_text(encoding="utf-8").lstrip().startswith(first)
