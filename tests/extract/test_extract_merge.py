"""merge_into: writing claims.json / sources.json and merging with hand edits."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from claimgraph.errors import InputError
from claimgraph.extract import extract_draft, merge_into
from claimgraph.extract.merge import SNAPSHOT_NAME
from claimgraph.models import load_project

DRAFT = b"""# Zinc

Zinc lozenges shorten colds by 33% [1]. Zinc is needed by more than 100 enzymes.

Studies show that zinc nasal sprays cause a loss of smell.

## References

1. Hemila H. Zinc lozenges and the common cold. Open Forum Infect Dis. 2017;4(2):ofx059.
"""


def write(folder: Path, raw: bytes = DRAFT) -> Any:
    return merge_into(folder, extract_draft(Path("zinc.md"), raw))


def load(folder: Path, name: str) -> Any:
    return json.loads((folder / name).read_text(encoding="utf-8"))


def claim_by_text(folder: Path, fragment: str) -> dict[str, Any]:
    claims = [c for c in load(folder, "claims.json")["claims"] if fragment in c["text"]]
    assert len(claims) == 1
    claim: dict[str, Any] = claims[0]
    return claim


def edit(folder: Path, name: str, change: Any) -> None:
    data = load(folder, name)
    change(data)
    (folder / name).write_text(json.dumps(data, indent=2), encoding="utf-8")


def test_first_write_creates_loadable_files(tmp_path: Path) -> None:
    result = write(tmp_path)
    assert len(result.added) == 3 and result.sources_added == ["hemila-2017"]
    assert result.files_written == [
        tmp_path / "claims.json",
        tmp_path / "sources.json",
        tmp_path / SNAPSHOT_NAME,
    ]
    project = load_project(tmp_path / "claims.json", tmp_path / "sources.json")
    assert {s.id for s in project.sources} == {"hemila-2017"}
    assert claim_by_text(tmp_path, "shorten colds")["sources"] == ["hemila-2017"]
    assert claim_by_text(tmp_path, "100 enzymes")["sources"] == []
    assert claim_by_text(tmp_path, "Studies show")["attribution"] == "Studies show"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".claims")]


def test_the_same_draft_twice_changes_nothing(tmp_path: Path) -> None:
    write(tmp_path)
    before = (tmp_path / "claims.json").read_bytes(), (tmp_path / "sources.json").read_bytes()
    result = write(tmp_path)
    assert not result.changed
    assert len(result.kept) == 3
    assert (
        (tmp_path / "claims.json").read_bytes(),
        (tmp_path / "sources.json").read_bytes(),
    ) == before


def test_hand_edits_extra_fields_and_hand_links_are_kept(tmp_path: Path) -> None:
    write(tmp_path)
    claim_id = claim_by_text(tmp_path, "Studies show")["id"]

    def refine(data: dict[str, Any]) -> None:
        for claim in data["claims"]:
            if claim["id"] == claim_id:
                claim["text"] = "Zinc nasal sprays can cause a lasting loss of smell."
                claim["sources"] = ["fda-2009"]
                claim["reviewer"] = "A. Researcher"
                claim["depends_on"] = []
        data["reviewed"] = True

    edit(tmp_path, "claims.json", refine)
    edit(
        tmp_path,
        "sources.json",
        lambda data: data["sources"].append({"id": "fda-2009", "kind": "government"}),
    )
    result = write(tmp_path)
    claim = claim_by_text(tmp_path, "lasting loss of smell")
    assert claim["id"] == claim_id
    assert claim["sources"] == ["fda-2009"]
    assert claim["reviewer"] == "A. Researcher"
    assert load(tmp_path, "claims.json")["reviewed"] is True
    assert "fda-2009" in result.sources_kept
    assert {s["id"] for s in load(tmp_path, "sources.json")["sources"]} == {
        "hemila-2017",
        "fda-2009",
    }


def test_hand_unlinked_sources_stay_unlinked(tmp_path: Path) -> None:
    write(tmp_path)
    edit(
        tmp_path,
        "claims.json",
        lambda data: [c.update(sources=[]) for c in data["claims"] if "shorten" in c["text"]],
    )
    write(tmp_path)
    assert claim_by_text(tmp_path, "shorten colds")["sources"] == []


def test_draft_edits_added_and_removed_claims(tmp_path: Path) -> None:
    write(tmp_path)
    old = {c["text"]: c["id"] for c in load(tmp_path, "claims.json")["claims"]}
    changed = DRAFT.replace(b"more than 100 enzymes", b"more than 300 enzymes").replace(
        b"Studies show that zinc nasal sprays cause a loss of smell.",
        b"Zinc supplements lower copper levels in 20% of users.",
    )
    result = write(tmp_path, changed)
    edited = claim_by_text(tmp_path, "300 enzymes")
    assert edited["id"] == old["Zinc is needed by more than 100 enzymes."]
    assert edited["id"] in result.updated
    added = claim_by_text(tmp_path, "copper")
    assert result.added == [added["id"]]
    removed = claim_by_text(tmp_path, "loss of smell")
    assert result.removed == [removed["id"]]
    assert removed["removed_from_draft"] is True
    # back in the draft: the mark goes
    result = write(tmp_path, DRAFT)
    assert "removed_from_draft" not in claim_by_text(tmp_path, "loss of smell")


def test_hand_fixed_source_fields_are_kept_and_gaps_filled(tmp_path: Path) -> None:
    write(tmp_path)

    def fix(data: dict[str, Any]) -> None:
        source = data["sources"][0]
        source["title"] = "Zinc lozenges and the common cold: a meta-analysis"
        source["doi"] = "10.1093/ofid/ofx059"
        del source["volume"]

    edit(tmp_path, "sources.json", fix)
    write(tmp_path)
    source = load(tmp_path, "sources.json")["sources"][0]
    assert source["title"] == "Zinc lozenges and the common cold: a meta-analysis"
    assert source["doi"] == "10.1093/ofid/ofx059"
    assert "volume" not in source  # deleted by hand: stays deleted


def test_merging_into_hand_written_files_without_a_snapshot(tmp_path: Path) -> None:
    (tmp_path / "claims.json").write_text(
        json.dumps(
            {
                "claims": [
                    {
                        "id": "zinc-colds",
                        "text": "Zinc lozenges shorten colds by 33% [1].",
                        "sources": ["hemila"],
                        "location": {"file": "zinc.md", "line": 3},
                    },
                    {"id": "other", "text": "Something else.", "sources": []},
                ]
            }
        ),
        encoding="utf-8",
    )
    (tmp_path / "sources.json").write_text(
        json.dumps({"sources": [{"id": "hemila", "citation": "Hemila 2017", "note": "mine"}]}),
        encoding="utf-8",
    )
    result = write(tmp_path)
    claims = {c["id"]: c for c in load(tmp_path, "claims.json")["claims"]}
    assert "other" in claims and "other" in result.kept
    # close enough to the draft sentence: the hand-written claim keeps its id and text,
    # its location is refreshed and the extracted source is linked next to the hand one
    assert "zinc-colds" in result.updated and len(result.added) == 2
    assert claims["zinc-colds"]["text"] == "Zinc lozenges shorten colds by 33% [1]."
    assert claims["zinc-colds"]["sources"] == ["hemila", "hemila-2017"]
    assert claims["zinc-colds"]["location"]["column"] == 1
    sources = {s["id"]: s for s in load(tmp_path, "sources.json")["sources"]}
    assert sources["hemila"] == {"id": "hemila", "citation": "Hemila 2017", "note": "mine"}
    assert "hemila-2017" in sources


def test_invalid_existing_file_is_an_input_error_and_nothing_is_written(tmp_path: Path) -> None:
    (tmp_path / "claims.json").write_text('{"claims": [{"id": 1}]}', encoding="utf-8")
    with pytest.raises(InputError):
        write(tmp_path)
    assert not (tmp_path / "sources.json").exists()


def test_output_must_be_a_folder(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="folder"):
        write(tmp_path / "file")


@pytest.mark.parametrize(
    "damage",
    [
        b"{not json",
        b"",  # cut to nothing (a full disk, a bad copy)
        b"\xff\xfe",
        b"[]",
        b'{"version": 2, "claims": {}, "sources": {}}',
        b'{"version": 1, "claims": [], "sources": {}}',
        b'{"version": 1, "claims": {"a": 1}, "sources": {}}',
        b'{"version": 1, "claims": {"a": {"sources": 5}}, "sources": {}}',
        b'{"version": 1, "claims": {}, "sources": {}, "n": 1' + b"9" * 5000 + b"}",
    ],
)
def test_a_damaged_snapshot_stops_the_merge_and_keeps_hand_edits(
    tmp_path: Path, damage: bytes
) -> None:
    # without the snapshot a hand-removed link cannot be told from one the draft added since:
    # merging anyway would link the source again, so nothing is written until it is fixed
    write(tmp_path)
    claims = load(tmp_path, "claims.json")
    cited = next(c for c in claims["claims"] if c["sources"])
    cited["sources"] = []  # unlinked by hand
    cited["text"] = "Edited by hand."
    (tmp_path / "claims.json").write_text(json.dumps(claims), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name != SNAPSHOT_NAME}
    (tmp_path / SNAPSHOT_NAME).write_bytes(damage)
    with pytest.raises(InputError, match="damaged extract snapshot") as caught:
        write(tmp_path)
    assert caught.value.file == str(tmp_path / SNAPSHOT_NAME)
    assert "delete it" in str(caught.value)
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name != SNAPSHOT_NAME}
    assert after == before
    assert (tmp_path / SNAPSHOT_NAME).read_bytes() == damage


def test_without_a_snapshot_the_merge_keeps_every_existing_value(tmp_path: Path) -> None:
    write(tmp_path)
    (tmp_path / SNAPSHOT_NAME).unlink()  # what the error message offers
    result = write(tmp_path)
    assert not result.added and len(result.kept) == 3


def test_extract_cli_exits_2_on_a_damaged_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from claimgraph.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "zinc.md").write_bytes(DRAFT)
    assert main(["extract", "zinc.md"]) == 0
    claims_before = (tmp_path / "claims.json").read_bytes()
    (tmp_path / SNAPSHOT_NAME).write_text('{"version": 1, "claims": {', encoding="utf-8")
    capsys.readouterr()
    assert main(["extract", "zinc.md"]) == 2
    err = capsys.readouterr().err
    assert SNAPSHOT_NAME in err and "Traceback" not in err
    assert (tmp_path / "claims.json").read_bytes() == claims_before
