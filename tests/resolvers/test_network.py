"""No network: every service fails fast, with one clear line each that names --offline."""

from __future__ import annotations

import datetime
import json
import logging
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from claimgraph.cli import main
from claimgraph.resolvers.profiles import HttpSettings


def _closed_port() -> str:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/"


def test_stalls_cost_at_most_ten_seconds_before_the_retry(tmp_path: Path) -> None:
    settings = HttpSettings(
        pubmed_url="http://127.0.0.1:9/",
        crossref_url="http://127.0.0.1:9/",
        email=None,
        ncbi_api_key=None,
        cache_dir=tmp_path,
        cache_max_age=datetime.timedelta(days=1),
    )
    assert settings.read_timeout <= 10.0
    assert settings.connect_timeout <= 10.0


def test_no_network_fails_fast_with_one_line_per_service(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    folder = tmp_path / "article"
    folder.mkdir()
    sources = [{"id": f"p{n}", "pmid": str(30_000_000 + n)} for n in range(450)]
    sources += [{"id": f"d{n}", "doi": f"10.5555/x.{n}"} for n in range(250)]
    sources += [{"id": "t", "citation": "Smith J. A title of some length. Some J. 2001;2:3-4."}]
    claims = [{"id": "c", "text": "A claim.", "sources": [s["id"] for s in sources]}]
    (folder / "claims.json").write_text(json.dumps({"claims": claims}))
    (folder / "sources.json").write_text(json.dumps({"sources": sources}))
    closed = _closed_port()
    monkeypatch.setenv("CLAIMGRAPH_PUBMED_URL", closed + "eutils/")
    monkeypatch.setenv("CLAIMGRAPH_CROSSREF_URL", closed + "crossref/")
    monkeypatch.setenv("CLAIMGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    with caplog.at_level(logging.WARNING):
        code = main(["check", "--format", "json", str(folder)])
    assert code == 3  # a service was needed and unreachable
    report = json.loads(capsys.readouterr().out)
    assert {s["status"] for s in report["sources"]} == {"unverifiable"}
    # each source says what happened; what to do is said once, in the warning line
    said = [f["message"] for f in report["findings"] if f["rule"] == "unverifiable-source"]
    assert len(said) == len(sources)
    assert all("cannot be reached" in m and "check the network" not in m for m in said), said[0]
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    reached = [w for w in warnings if "cannot be reached" in w]
    assert len(reached) == 2, warnings  # one line per service
    assert all("--offline" in w for w in reached)
    assert not [w for w in warnings if w not in reached], warnings  # nothing else, no raw logs


def test_first_contact_without_network_says_so_in_one_plain_line_per_service(
    tmp_path: Path,
) -> None:
    """The real command line, as a user runs it: a host name that does not resolve and a
    port nobody listens on. One ``claimgraph: warning:`` line per service naming --offline,
    no logger names, exit 3."""
    (tmp_path / "claims.json").write_text(
        json.dumps({"claims": [{"id": "c", "text": "A claim.", "sources": ["p", "d", "t"]}]})
    )
    sources = [
        {"id": "p", "pmid": "30000001"},
        {"id": "d", "doi": "10.5555/x.1"},
        {"id": "t", "citation": "Smith J. A title of some length. Some J. 2001;2:3-4."},
    ]
    (tmp_path / "sources.json").write_text(json.dumps({"sources": sources}))
    env = {
        **os.environ,
        "CLAIMGRAPH_PUBMED_URL": "http://nonexistent.invalid/eutils/",
        "CLAIMGRAPH_CROSSREF_URL": _closed_port(),
        "CLAIMGRAPH_CACHE_DIR": str(tmp_path / "cache"),
    }
    command = [sys.executable, "-m", "claimgraph", "check", "--no-support", str(tmp_path)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 3, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 2, lines
    assert all(line.startswith("claimgraph: warning: ") for line in lines), lines
    assert all("cannot be reached" in line and "--offline" in line for line in lines)
    assert {line.split()[2] for line in lines} == {"PubMed", "Crossref"}
