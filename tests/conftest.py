"""Test-wide settings: deterministic hypothesis runs in CI (CI=true), no deadlines anywhere;
the bundled example as a fixture."""

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("default", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")


ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bundled claims.json and sources.json in a fresh working folder, with its own cache;
    both services point at a closed local port, so nothing here can reach a real one."""
    shutil.copy(ROOT / "claims.json", tmp_path / "claims.json")
    shutil.copy(ROOT / "sources.json", tmp_path / "sources.json")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CLAIMGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CLAIMGRAPH_PUBMED_URL", "http://127.0.0.1:9/")
    monkeypatch.setenv("CLAIMGRAPH_CROSSREF_URL", "http://127.0.0.1:9/")
    return tmp_path
