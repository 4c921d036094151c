import json
import re
from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path

import pytest

from claimgraph import app
from claimgraph.cli import main
from claimgraph.levels import SourceStatus
from claimgraph.models import Source
from claimgraph.resolvers.base import Resolution
from claimgraph.schemas import SCHEMAS, schema_text

ROOT = Path(__file__).resolve().parents[2]


def test_example_offline_exits_1_and_shows_unsourced_and_anecdotal(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--offline"]) == 1
    out = capsys.readouterr().out
    assert "unsourced" in out and "anecdotal only" in out
    assert "mg-daily-value-400mg" in out and "good-health-2014" in out
    assert "Summary:" in out and "\x1b[" not in out  # no colour when not a terminal


def test_fail_on_never_and_warning(example: Path) -> None:
    assert main(["check", "--offline", "--fail-on", "never"]) == 0
    assert main(["check", "--offline", "--fail-on", "warning"]) == 1


def test_json_report_contract(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--offline", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert report["schema_version"] == 2
    assert report["tool"]["name"] == "claimgraph"
    assert set(report["summary"]) >= {"claims", "sources", "by_status", "findings"}
    assert report["summary"]["by_status"] == {"anecdotal_only": 4, "unsourced": 10}
    claim = report["claims"][0]
    assert set(claim) >= {"id", "text", "status", "evidence", "sources", "location", "findings"}
    source = report["sources"][0]
    assert set(source) >= {"id", "status", "evidence", "pmid", "doi", "record", "findings"}
    finding = report["findings"][0]
    assert set(finding) >= {"rule", "severity", "claim", "source", "message", "location"}


def test_output_file_is_written(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--offline", "-f", "markdown", "-o", "report.md"]) == 1
    assert (example / "report.md").read_text().startswith("## claimgraph audit")
    assert capsys.readouterr().out == ""


def test_folder_argument(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = example / "elsewhere"
    other.mkdir()
    assert main(["check", "--offline", "--fail-on", "never", str(example)]) == 0


def test_bad_input_exit_2_without_traceback(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (example / "claims.json").write_text('{"claims": [{"id": "a", "text": "t"}]}')
    assert main(["check", "--offline"]) == 2
    err = capsys.readouterr().err
    assert "claims.json" in err and "missing required field 'sources'" in err
    assert "Traceback" not in err


def test_bad_usage_exit_2(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--format", "pdf"]) == 2
    assert main(["check", "--offline", "--refresh"]) == 2
    assert main(["no-such-command"]) == 2
    assert main(["check", "missing-folder"]) == 2


def test_empty_folder_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--offline"]) == 2
    assert "no claims.json" in capsys.readouterr().err


def test_bad_config_exit_2(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (example / "claimgraph.toml").write_text("typo-key = 1\n")
    assert main(["check", "--offline"]) == 2
    assert "unknown setting: typo-key" in capsys.readouterr().err


def test_config_fail_on(example: Path) -> None:
    (example / "claimgraph.toml").write_text('fail-on = "never"\n')
    assert main(["check", "--offline"]) == 0


class _Outage:
    def resolve(self, sources: Sequence[Source]) -> dict[str, Resolution]:
        return {
            s.id: Resolution(
                status=SourceStatus.UNVERIFIABLE,
                message="PubMed unreachable",
                unreachable=("pubmed",),
            )
            for s in sources
        }


def test_outage_alone_exits_3_never_1(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (example / "claims.json").write_text(
        json.dumps({"claims": [{"id": "a", "text": "t", "sources": ["alonso-navarro-2006"]}]})
    )
    (example / "sources.json").write_text(
        json.dumps(
            {"sources": [{"id": "alonso-navarro-2006", "kind": "journal-article", "pmid": "1"}]}
        )
    )
    monkeypatch.setattr(app, "open_resolver", lambda *a, **k: nullcontext(_Outage()))
    assert main(["check"]) == 3
    assert main(["check", "--fail-on", "warning"]) == 3
    assert main(["check", "--fail-on", "never"]) == 0


def test_rules_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    assert "unsourced-claim" in out and "circular-support" in out
    assert main(["rules", "anecdotal-only"]) == 0
    assert "stronger design" in capsys.readouterr().out
    assert main(["rules", "nope"]) == 2


@pytest.mark.parametrize("fmt", ["json", "graphml", "gexf", "dot"])
def test_graph_command(example: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    assert main(["graph", "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert "good-health-2014" in out and "anecdotal" in out


def test_schema_command_prints_each_schema(capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("claims", "sources", "report"):
        assert main(["schema", name]) == 0
        assert json.loads(capsys.readouterr().out)["$id"].endswith(f"{name}.schema.json")


def test_committed_schemas_match_the_models() -> None:
    for name in SCHEMAS:
        committed = (ROOT / "schema" / f"{name}.schema.json").read_text(encoding="utf-8")
        assert committed == schema_text(name), (
            f"schema/{name}.schema.json is out of date: run `claimgraph schema --write schema`"
        )


def test_example_files_validate_against_the_committed_schemas() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    for name in ("claims", "sources"):
        schema = json.loads((ROOT / "schema" / f"{name}.schema.json").read_text())
        jsonschema.validate(json.loads((ROOT / f"{name}.json").read_text()), schema)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert "claimgraph" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args", [["check", "--offline"], ["graph"], ["resolve", "--offline"]], ids=str
)
def test_every_command_closes_its_http_client(
    example: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    from claimgraph.http import HttpClient

    closed: list[HttpClient] = []
    original = HttpClient.close

    def close(self: HttpClient) -> None:
        closed.append(self)
        original(self)

    monkeypatch.setattr(HttpClient, "close", close)
    assert main(args) in (0, 1)
    assert len(closed) == 1


def test_help_lists_the_environment_variables(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    config = (ROOT / "claimgraph" / "config.py").read_text(encoding="utf-8")
    read = set(re.findall(r'env\.get\("([A-Z_]+)"\)', config))
    assert read >= {"CLAIMGRAPH_CACHE_DIR", "NCBI_API_KEY", "CLAIMGRAPH_PUBMED_URL"}
    from claimgraph.reading import MAX_INPUT_ENV, MAX_INPUT_MB

    assert f"{MAX_INPUT_ENV}  largest input file read, in MiB (default {MAX_INPUT_MB})" in out
    for name in read | {"NO_COLOR", "FORCE_COLOR", "GITHUB_STEP_SUMMARY"}:
        assert name in out, name
    assert "--offline" in out
    assert max(len(line) for line in out.splitlines()) <= 80
