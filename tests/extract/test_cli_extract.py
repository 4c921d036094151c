"""`claimgraph extract DRAFT... [-o DIR]` as a click command."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from claimgraph.cli.extract import command as extract_command
from claimgraph.errors import InputError

DRAFT = """# Iron

Iron deficiency affects 1.2 billion people.[^1] Studies show it causes fatigue.

[^1]: World Health Organization. Anaemia estimates. Geneva: WHO; 2021.
"""


def test_writes_and_reports(tmp_path: Path) -> None:
    draft = tmp_path / "iron.md"
    draft.write_text(DRAFT, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(extract_command, [str(draft), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "found 2 claims (1 citing a source, 1 citing nothing, 1 unsupported attributions)" in (
        result.output
    )
    assert f"wrote {out / 'claims.json'}: 2 added" in result.output
    claims = json.loads((out / "claims.json").read_text(encoding="utf-8"))["claims"]
    assert len(claims) == 2
    again = CliRunner().invoke(extract_command, [str(draft), "-o", str(out)])
    assert "0 added, 0 updated, 2 kept" in again.output


def test_removed_claims_are_listed(tmp_path: Path) -> None:
    draft = tmp_path / "iron.md"
    draft.write_text(DRAFT, encoding="utf-8")
    CliRunner().invoke(extract_command, [str(draft), "-o", str(tmp_path)])
    draft.write_text(DRAFT.replace(" Studies show it causes fatigue.", ""), encoding="utf-8")
    result = CliRunner().invoke(extract_command, [str(draft), "-o", str(tmp_path)])
    assert "1 no longer in the draft" in result.output
    assert "removed_from_draft" in result.output


def test_bad_input_raises_input_error_for_the_main_command(tmp_path: Path) -> None:
    draft = tmp_path / "bad.md"
    draft.write_bytes(b"caf\xe9")
    result = CliRunner().invoke(extract_command, [str(draft), "-o", str(tmp_path)])
    assert isinstance(result.exception, InputError)
    assert "not UTF-8" in str(result.exception)


def test_draft_argument_is_required() -> None:
    result = CliRunner().invoke(extract_command, [])
    assert result.exit_code == 2
