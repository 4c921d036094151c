"""Writing found identifiers back into sources.json, and ``claimgraph resolve``."""

from __future__ import annotations

import json
import os
import re
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from claimgraph.cli import main
from claimgraph.errors import InputError
from claimgraph.writeback import Addition, add_identifiers, apply_additions, plan_additions

FIXTURES = Path(__file__).resolve().parent / "fixtures"

SOURCES = """{
  "$schema": "./sources.schema.json",
  "sources": [
    {
      "id": "liu",
      "title": "Giant intrathoracic schwannoma: A case report",
      "authors": ["Liu H", "Li L"],
      "year": 2024,
      "reviewed_by": "ana",
      "doi": null
    },
    {
      "id": "rolf",
      "citation": "Rolf L et al. Mult Scler. 2018;24(10):1280-1287. Caf\\u00e9 \u00e9",
      "doi": "10.1177/1352458517722646",
      "notes": {"z": 1.50, "a": [1, 2]}
    },
    {"id": "blog", "kind": "blog", "url": "https://example.org/post"}
  ],
  "x-extra": true
}
"""


def write(tmp_path: Path, text: str, name: str = "sources.json") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def inserted_only(before: str, after: str, pieces: list[str]) -> None:
    """``after`` is ``before`` with exactly ``pieces`` inserted (or ``null`` replaced)."""
    rest = after
    for piece in pieces:
        assert piece in rest, piece
        rest = rest.replace(piece, "", 1)
    assert rest == before


# --------------------------------------------------------------------------- writeback


def test_adds_missing_and_null_identifiers_only(tmp_path: Path) -> None:
    path = write(tmp_path, SOURCES)
    found: dict[str, dict[str, str | None]] = {
        "liu": {"doi": "10.1016/j.asjsur.2024.05.017", "pmid": "38762411"},
        "rolf": {"doi": "10.9999/other", "pmid": "28731372"},
        "blog": {"doi": None, "pmid": None},
    }
    added = add_identifiers(path, found)
    assert added == [
        Addition("liu", "doi", "10.1016/j.asjsur.2024.05.017"),
        Addition("liu", "pmid", "38762411"),
        Addition("rolf", "pmid", "28731372"),
    ]
    after = path.read_text(encoding="utf-8")
    assert '"doi": "10.1016/j.asjsur.2024.05.017",\n      "pmid": "38762411"\n    },' in after
    assert '"notes": {"z": 1.50, "a": [1, 2]},\n      "pmid": "28731372"\n    },' in after
    data = json.loads(after)
    assert data["sources"][1]["doi"] == "10.1177/1352458517722646"  # never overwritten
    assert list(data["sources"][0]) == [
        "id",
        "title",
        "authors",
        "year",
        "reviewed_by",
        "doi",
        "pmid",
    ]
    # every other byte is as it was: escapes, number spelling, one-line arrays and objects
    before = SOURCES.replace('"doi": null', '"doi": "10.1016/j.asjsur.2024.05.017"')
    inserted_only(before, after, [',\n      "pmid": "38762411"', ',\n      "pmid": "28731372"'])
    assert "Caf\\u00e9 \u00e9" in after and "1.50" in after


def test_nothing_to_add_leaves_the_file_alone(tmp_path: Path) -> None:
    path = write(tmp_path, SOURCES)
    stamp = path.stat().st_mtime_ns
    assert add_identifiers(path, {"rolf": {"doi": "10.1/x"}}) == []
    assert add_identifiers(path, {}) == []
    assert path.read_bytes() == SOURCES.encode()
    assert path.stat().st_mtime_ns == stamp


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # four spaces
        (
            '{\n    "sources": [\n        {\n            "id": "a",\n            "year": 2001\n'
            "        }\n    ]\n}\n",
            '{\n    "sources": [\n        {\n            "id": "a",\n            "year": 2001,\n'
            '            "doi": "10.1/x"\n        }\n    ]\n}\n',
        ),
        # tabs and CRLF; null replaced in place
        (
            '{\r\n\t"sources": [\r\n\t\t{\r\n\t\t\t"id": "a",\r\n\t\t\t"doi": null\r\n\t\t}\r\n\t]\r\n}',
            None,
        ),
        # one-line objects, compact separators
        (
            '{"sources":[{"id":"a","year":2001}]}',
            '{"sources":[{"id":"a","year":2001,"doi":"10.1/x"}]}',
        ),
        # a lone member, on one line and over several
        ('{"sources": [{"id": "a"}]}', '{"sources": [{"id": "a", "doi": "10.1/x"}]}'),
        (
            '{"sources": [{\n  "id": "a"\n}]}',
            '{"sources": [{\n  "id": "a",\n  "doi": "10.1/x"\n}]}',
        ),
    ],
)
def test_layouts_are_kept(tmp_path: Path, text: str, expected: str | None) -> None:
    path = write(tmp_path, text)
    add_identifiers(path, {"a": {"doi": "10.1/x"}})
    after = path.read_bytes().decode("utf-8")
    if expected is None:
        expected = text.replace('"doi": null', '"doi": "10.1/x"')
    assert after == expected


def test_byte_order_mark_and_numeric_pmids_are_kept(tmp_path: Path) -> None:
    text = '\ufeff{"sources": [{"id": "a", "pmid": 123}, {"id": "b"}]}'
    path = write(tmp_path, text)
    add_identifiers(path, {"b": {"pmid": "456"}})
    after = path.read_bytes().decode("utf-8")
    assert after == '\ufeff{"sources": [{"id": "a", "pmid": 123}, {"id": "b", "pmid": 456}]}'


def test_empty_string_is_a_value_the_user_wrote(tmp_path: Path) -> None:
    assert plan_additions({"sources": [{"id": "a", "doi": ""}]}, {"a": {"doi": "10.1/x"}}) == []


def test_bad_files_are_input_errors_and_stay_unchanged(tmp_path: Path) -> None:
    path = write(tmp_path, '{"sources": [{"id": "a",}]}')
    with pytest.raises(InputError, match="invalid JSON"):
        add_identifiers(path, {"a": {"doi": "10.1/x"}})
    assert path.read_text() == '{"sources": [{"id": "a",}]}'
    with pytest.raises(InputError, match="file not found"):
        add_identifiers(tmp_path / "missing.json", {})


def test_a_failed_write_leaves_the_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, SOURCES)

    def refuse(*args: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(InputError, match="cannot write the file: disk full"):
        add_identifiers(path, {"liu": {"pmid": "38762411"}})
    assert path.read_text(encoding="utf-8") == SOURCES
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sources.json"]  # no temp file left


# --------------------------------------------------------------------------- property

json_scalars = st.none() | st.booleans() | st.integers(-10, 10**6) | st.text(max_size=8)
extra_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)
source_dicts = st.builds(
    lambda extra, doi, pmid: {"id": "", **extra, **doi, **pmid},
    st.dictionaries(st.sampled_from(["title", "year", "x", "authors"]), extra_values, max_size=3),
    st.sampled_from([{}, {"doi": None}, {"doi": "10.5/kept"}]),
    st.sampled_from([{}, {"pmid": None}, {"pmid": "77"}]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sources=st.lists(source_dicts, min_size=1, max_size=4),
    indent=st.sampled_from([None, 0, 1, 2, 4, "\t"]),
    separators=st.sampled_from([None, (",", ":"), (", ", ": ")]),
    ensure_ascii=st.booleans(),
    pick=st.lists(st.booleans(), min_size=4, max_size=4),
)
def test_any_layout_gets_exactly_the_additions(
    sources: list[dict[str, Any]],
    indent: int | str | None,
    separators: tuple[str, str] | None,
    ensure_ascii: bool,
    pick: list[bool],
) -> None:
    for index, source in enumerate(sources):
        source["id"] = f"s{index}"
    data = {"sources": sources}
    text = json.dumps(data, indent=indent, separators=separators, ensure_ascii=ensure_ascii)
    found = {
        f"s{i}": {"doi": f"10.1/{i}", "pmid": str(100 + i)} for i in range(len(sources)) if pick[i]
    }
    additions = plan_additions(json.loads(text), found)
    updated = apply_additions(text, additions)
    expected = json.loads(text)
    for source in expected["sources"]:
        for name, value in found.get(source["id"], {}).items():
            if source.get(name) is None:
                source[name] = value
    assert json.loads(updated) == expected
    # nothing but the additions changed: undoing them gives the original text back
    undone = updated
    for addition in additions:
        source = next(s for s in sources if s["id"] == addition.source_id)
        value = re.escape(json.dumps(addition.value, ensure_ascii=False))
        member = rf'"{addition.field}"(\s*:\s*){value}'
        if addition.field in source:  # it was null: replaced in place
            undone, count = re.subn(member, rf'"{addition.field}"\1null', undone, count=1)
        else:  # inserted after the last member
            undone, count = re.subn(rf",\s*{member}", "", undone, count=1)
        assert count == 1
    assert undone == text


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_apply_additions_on_any_text_fails_cleanly(text: str) -> None:
    try:
        result = apply_additions(text, [Addition("a", "doi", "10.1/x")])
    except ValueError:
        return
    assert isinstance(result, str)


# --------------------------------------------------------------------------- claimgraph resolve

CLAIMS = '{"claims": [{"id": "c1", "text": "A claim.", "sources": ["liu", "rolf", "blog"]}]}\n'


def fake_services(request: Request) -> Response:
    """PubMed and Crossref for the two checkable sources above, from recorded bodies."""
    path = request.path
    if path.endswith("efetch.fcgi"):
        ids = request.form.get("id", "")
        files = {"38762411": "metapub/38762411.xml", "28731372": "metapub/pmid_28731372.xml"}
        texts = [(FIXTURES / "pubmed" / files[i]).read_text() for i in ids.split(",") if i in files]
        body = (
            texts[0] if len(texts) == 1 else (FIXTURES / "pubmed/metapub/37909814.xml").read_text()
        )
        return Response(body, content_type="text/xml")
    if path.endswith("esearch.fcgi"):
        term = request.values.get("term", "")  # GET or POST
        body = json.loads(
            (
                FIXTURES / "pubmed/yeliztli/pubmed-30939045-correction-retraction-esearch.json"
            ).read_text()
        )
        if "10.1177/1352458517722646" in term:
            body["esearchresult"].update(count="1", idlist=["28731372"])
        if "schwannoma[ti]" in term:
            body["esearchresult"].update(count="1", idlist=["38762411"])
        return Response(json.dumps(body), content_type="application/json")
    if path == "/works":
        empty = json.loads(
            (FIXTURES / "crossref/rcrossref/cr_works_fails_well.yml.decoded.json").read_text()
        )["interactions"][0]["body"]
        return Response(json.dumps(empty), content_type="application/json")
    return Response("Resource not found.", status=404, content_type="text/plain")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    server.expect_request(re.compile(".*")).respond_with_handler(fake_services)
    monkeypatch.setenv("CLAIMGRAPH_PUBMED_URL", server.url_for("/eutils/"))
    monkeypatch.setenv("CLAIMGRAPH_CROSSREF_URL", server.url_for("/"))
    monkeypatch.setenv("CLAIMGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CLAIMGRAPH_EMAIL", "auditor@example.org")
    monkeypatch.setenv("NCBI_API_KEY", "test-key")
    folder = tmp_path / "article"
    folder.mkdir()
    (folder / "claims.json").write_text(CLAIMS)
    (folder / "sources.json").write_text(SOURCES)
    monkeypatch.chdir(folder)
    try:
        yield folder
    finally:
        server.stop()


def test_resolve_shows_the_identifiers_found(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["resolve", "-q"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    rows = {line.split()[0]: n for n, line in enumerate(lines) if line.split()}
    liu = "\n".join(lines[rows["liu"] : rows["rolf"]])
    assert "verified" in liu and "doi 10.1016/j.asjsur.2024.05.017" in liu
    assert "pmid 38762411" in liu and "Giant intrathoracic schwannoma" in liu
    rolf = "\n".join(lines[rows["rolf"] : rows["blog"]])
    assert "verified" in rolf and "pmid 28731372" in rolf
    assert "not_checkable" in lines[rows["blog"]]
    assert "3 identifiers found; run with --write" in err
    assert (project / "sources.json").read_text(encoding="utf-8") == SOURCES


def test_resolve_write(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["resolve", str(project), "--write", "--quiet"]) == 0
    assert "added 3 identifiers" in capsys.readouterr().err
    data = json.loads((project / "sources.json").read_text(encoding="utf-8"))
    liu, rolf, blog = data["sources"]
    assert liu["doi"] == "10.1016/j.asjsur.2024.05.017" and liu["pmid"] == "38762411"
    assert rolf["pmid"] == "28731372"
    assert "doi" not in blog
    # offline, from the cache the first run filled: the same answers, nothing left to add
    assert main(["resolve", "sources.json", "--offline", "--write", "-q"]) == 0
    assert "added 0 identifiers" in capsys.readouterr().err


def test_resolve_usage_errors(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["resolve", "--offline", "--refresh"]) == 2
    assert "cannot be used together" in capsys.readouterr().err
    draft = project / "draft.md"
    draft.write_text("# Draft\n\nMagnesium helps, studies show.\n")
    assert main(["resolve", str(draft), "--write"]) == 2


def test_resolve_offline_with_an_empty_cache(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["resolve", "--offline", "-q"]) == 0  # offline: unverifiable, not an outage
    out = capsys.readouterr().out
    assert out.count("unverifiable") == 2


def test_resolve_exit_code_when_a_service_is_down(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from dataclasses import replace

    from claimgraph.resolvers.profiles import HttpSettings

    original = HttpSettings.from_config

    def impatient(config: Any, *, offline: bool = False, refresh: bool = False) -> HttpSettings:
        return replace(original(config, offline=offline, refresh=refresh), max_retries=0)

    monkeypatch.setattr(HttpSettings, "from_config", impatient)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}/"
    monkeypatch.setenv("CLAIMGRAPH_PUBMED_URL", closed)
    monkeypatch.setenv("CLAIMGRAPH_CROSSREF_URL", closed)
    assert main(["resolve", "-q", "--write"]) == 3
    captured = capsys.readouterr()
    assert captured.out.count("unverifiable") == 2
    assert "added 0 identifiers" in captured.err
    assert (project / "sources.json").read_text(encoding="utf-8") == SOURCES
