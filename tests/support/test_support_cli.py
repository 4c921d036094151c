"""``claimgraph support PAIRS.jsonl``: bad lines exit 2 with their line number; real judging."""

import json
from pathlib import Path

import pytest

from claimgraph.cli import main
from claimgraph.errors import InputError
from claimgraph.support.pairs import parse_pairs


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize(
    ("lines", "line", "message"),
    [
        (['{"id": "a", "claim": "x"}', "{not json"], 2, "not valid JSON"),
        (['{"id": "a", "claim": "x"}', "", '["a list"]'], 3, "must be a JSON object"),
        (['{"claim": "x"}'], 1, 'missing "id"'),
        (['{"id": "a", "claim": 3}'], 1, '"claim" must be a string'),
        (['{"id": "a", "claim": "  "}'], 1, '"claim" is empty'),
        (['{"id": "a", "claim": "x"}', '{"id": "a", "claim": "y"}'], 2, "duplicate id"),
        (['{"id": "a", "claim": "x", "abstract": ["s1"]}'], 1, '"abstract" must be a string'),
    ],
)
def test_bad_lines_name_their_line(lines: list[str], line: int, message: str) -> None:
    with pytest.raises(InputError) as raised:
        list(parse_pairs(lines, "pairs.jsonl"))
    assert raised.value.line == line
    assert message in str(raised.value)
    assert f"pairs.jsonl:{line}" in str(raised.value)


def test_bad_file_exits_2_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pairs.jsonl").write_text('{"id": 1, "claim": "ok"}\n{"id": 2}\n')
    assert main(["support", "pairs.jsonl"]) == 2
    err = capsys.readouterr().err
    assert "pairs.jsonl:2" in err and 'missing "claim"' in err and "Traceback" not in err
    assert main(["support", "missing.jsonl"]) == 2


PPI_ABSTRACT = (
    "Proton pump inhibitors are widely prescribed for acid reflux. "
    "In this cohort of 2,000 adults, long-term proton pump inhibitor use was associated with "
    "lower serum magnesium. "
    "Patients should have magnesium checked during long-term treatment."
)


def test_support_command_judges_with_the_shipped_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        {"id": "related", "claim": "Long-term proton pump inhibitor use lowers serum magnesium.",
         "title": "Proton pump inhibitors and magnesium", "abstract": PPI_ABSTRACT},
        {"id": "other-topic", "claim": "Regular running improves memory in teenagers.",
         "title": "Proton pump inhibitors and magnesium", "abstract": PPI_ABSTRACT},
        {"id": "no-abstract", "claim": "Something.", "title": "", "abstract": None},
    ]  # fmt: skip
    (tmp_path / "pairs.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert main(["support", "pairs.jsonl", "-o", "out.jsonl"]) == 0
    assert "3 pairs; 3 judged, 0 from the cache" in capsys.readouterr().err
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    by_id = {row["id"]: row for row in out}
    assert [row["id"] for row in out] == ["related", "other-topic", "no-abstract"]
    related = by_id["related"]
    assert related["label"] in {"supports", "uncertain"}
    evidence = related["evidence"][0]
    assert PPI_ABSTRACT[evidence["start"] : evidence["end"]] == evidence["text"]
    assert "magnesium" in evidence["text"]
    assert by_id["other-topic"]["label"] == "unrelated"
    assert by_id["related"]["topic"] > by_id["other-topic"]["topic"]
    assert by_id["no-abstract"]["label"] == "not_checked"
    # a warm run reads the cache and judges nothing again
    assert main(["support", "pairs.jsonl", "-o", "out2.jsonl"]) == 0
    assert "3 judged" not in capsys.readouterr().err
    assert (tmp_path / "out2.jsonl").read_text() == (tmp_path / "out.jsonl").read_text()


def test_check_judges_online_and_switches_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from benchmarks.fake_services import FakeServices, WorkUniverse

    with FakeServices(WorkUniverse(size=5), latency=0.0) as fake:
        work = fake.universe.work(fake.universe.first_pmid)
        assert work is not None
        (tmp_path / "claims.json").write_text(
            json.dumps(
                {
                    "claims": [
                        {
                            "id": "c1",
                            "text": "Magnesium lowers blood pressure.",
                            "sources": ["s1", "mag"],
                        }
                    ]
                }
            )
        )
        (tmp_path / "sources.json").write_text(json.dumps({"sources": [
            {"id": "s1", "pmid": work.pmid, "title": work.title},
            {"id": "mag", "kind": "magazine", "title": "Ten signs"}]}))  # fmt: skip
        monkeypatch.setenv("CLAIMGRAPH_PUBMED_URL", fake.pubmed_url)
        monkeypatch.setenv("CLAIMGRAPH_CROSSREF_URL", fake.crossref_url)
        main(["check", "--format", "json", "--jobs", "1"])
        report = json.loads(capsys.readouterr().out)
        [judged, magazine] = report["claims"][0]["support"]["sources"]
        assert judged["label"] != "not_checked" and judged["evidence"][0]["text"]
        assert magazine["label"] == "not_checked" and "kind" in magazine["note"]
        for args, config in ((["--no-support"], ""), ([], "support = false\n")):
            (tmp_path / "claimgraph.toml").write_text(config)
            main(["check", "--format", "json", *args])
            off = json.loads(capsys.readouterr().out)["claims"][0]["support"]
            assert off["label"] == "not_checked"
            assert {s["note"] for s in off["sources"]} == {"support checking is switched off"}


def test_config_settings(tmp_path: Path) -> None:
    from claimgraph.config import load_config

    (tmp_path / "models" / "nli").mkdir(parents=True)
    (tmp_path / "claimgraph.toml").write_text('support = false\nsupport-model = "models/nli"\n')
    config = load_config(start=tmp_path, environ={})
    assert config.support is False
    assert config.support_model == tmp_path / "models" / "nli"
    for text, message in (
        ('support = "no"\n', "support must be true or false"),
        ('support-model = "missing"\n', "support-model folder not found"),
    ):
        (tmp_path / "claimgraph.toml").write_text(text)
        with pytest.raises(InputError, match=message):
            load_config(start=tmp_path, environ={})
