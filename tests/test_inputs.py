"""Finding the inputs: claims.json + sources.json, folders, drafts."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimgraph.cli import main
from claimgraph.drafts import drafts_in
from claimgraph.extract import find_drafts
from claimgraph.inputs import collect_project

DRAFT = "# Iron\n\nStudies show iron deficiency causes fatigue.\n"


@pytest.fixture
def hidden_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Drafts in ``.notes/drafts`` (a folder under a dot-folder), with a hidden one inside."""
    folder = tmp_path / ".notes" / "drafts"
    (folder / ".trash").mkdir(parents=True)
    (folder / "iron.md").write_text(DRAFT, encoding="utf-8")
    (folder / ".trash" / "old.md").write_text(DRAFT, encoding="utf-8")
    (folder / ".hidden.md").write_text(DRAFT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CLAIMGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    return folder


def test_check_and_extract_find_the_same_drafts_under_a_dot_folder(hidden_home: Path) -> None:
    expected = [hidden_home / "iron.md"]
    assert drafts_in(hidden_home) == expected
    assert find_drafts([hidden_home]) == expected
    project = collect_project([hidden_home])
    assert {claim.location.file for claim in project.claims if claim.location} == {
        str(hidden_home / "iron.md")
    }


def test_check_of_a_folder_under_a_dot_folder_is_not_bad_input(
    hidden_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--offline", "--fail-on", "never", str(hidden_home)]) == 0
    assert "iron" in capsys.readouterr().out
    assert main(["extract", str(hidden_home), "-o", "out"]) == 0
