"""What starting the command line loads (the timings are in benchmarks/bench_startup.py)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
from claimgraph.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def _modules_after(args: list[str], cwd: Path) -> tuple[int, set[str]]:
    env = {**os.environ, "CLAIMGRAPH_CACHE_DIR": str(cwd / "cache")}
    command = [sys.executable, "-c", PROBE, *args]
    run = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=True)
    result = json.loads(run.stdout.strip().splitlines()[-1])
    return int(result["code"]), set(result["modules"])


def test_version_and_help_load_no_library_module(tmp_path: Path) -> None:
    for args in (["--version"], ["--help"]):
        code, modules = _modules_after(args, tmp_path)
        assert code == 0
        assert {"pydantic", "networkx", "claimgraph.report", "claimgraph.models"}.isdisjoint(
            modules
        )


def test_a_json_check_loads_no_draft_extractor(tmp_path: Path) -> None:
    shutil.copy(ROOT / "claims.json", tmp_path / "claims.json")
    shutil.copy(ROOT / "sources.json", tmp_path / "sources.json")
    code, modules = _modules_after(["check", "--offline", "-f", "json"], tmp_path)
    assert code == 1 and "claimgraph.audit" in modules
    assert not {m for m in modules if m.startswith(("claimgraph.extract", "bs4", "markdown_it"))}


def test_the_package_exports_load_on_first_use() -> None:
    probe = (
        "import sys, claimgraph; assert 'claimgraph.audit' not in sys.modules;"
        "import claimgraph.audit; from claimgraph import audit, Report, __version__;"
        "assert callable(audit) and audit.__module__ == 'claimgraph.audit';"
        "assert Report.__name__ == 'Report'"
    )
    subprocess.run([sys.executable, "-c", probe], check=True)


def test_an_offline_check_loads_no_http_stack(tmp_path: Path) -> None:
    """``--offline`` sends nothing, so requests and urllib3 (~40 ms) stay unloaded, whether
    the sources go through the store's rounds (one is stored) or not."""
    from claimgraph.records import Record
    from claimgraph.store import Answer, open_store

    sources = [
        {"id": "doi", "kind": "journal-article", "doi": "10.1000/xyz", "title": "A title"},
        {"id": "pmid", "kind": "journal-article", "pmid": "16855421"},
        {"id": "free", "kind": "journal-article", "title": "Magnesium and sleep"},
    ]
    claims = [{"id": "c1", "text": "A claim.", "sources": ["doi", "pmid", "free"]}]
    (tmp_path / "claims.json").write_text(json.dumps({"claims": claims}), encoding="utf-8")
    (tmp_path / "sources.json").write_text(json.dumps({"sources": sources}), encoding="utf-8")
    for stored in (False, True):
        if stored:
            store = open_store(tmp_path / "cache", max_age=86400.0, offline=False)
            record = Record(service="pubmed", pmid="16855421", title="Another")
            store.put_many({"pubmed:pmid:16855421": Answer(records=(record,))})
            store.close()
        code, modules = _modules_after(["check", "--offline", "-f", "json"], tmp_path)
        assert code in (0, 1) and "claimgraph.resolvers.service" in modules
        assert not {m for m in modules if m.split(".")[0] in ("requests", "urllib3")}, stored
