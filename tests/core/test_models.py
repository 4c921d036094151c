import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimgraph.errors import InputError
from claimgraph.models import id_locations, load_project, parse_claims, parse_sources, read_json

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_bundled_example_loads_with_locations() -> None:
    project = load_project(ROOT / "claims.json", ROOT / "sources.json")
    assert len(project.claims) == 14
    assert {s.id for s in project.sources} >= {"good-health-2014", "alonso-navarro-2006"}
    location = project.claim_locations["mg-deficiency-prevalence"]
    assert location.line == 4 and location.file and location.file.endswith("claims.json")


def test_unknown_fields_are_kept() -> None:
    claims = parse_claims({"claims": [{"id": "a", "text": "t", "sources": [], "reviewer": "kim"}]})
    sources = parse_sources({"sources": [{"id": "s", "isbn": "978-0", "year": 2001}]})
    assert claims[0].model_dump()["reviewer"] == "kim"
    assert sources[0].model_dump()["isbn"] == "978-0"
    assert sources[0].year == 2001


def test_numbers_for_volume_and_pmid_are_kept_as_text() -> None:
    source = parse_sources({"sources": [{"id": "s", "volume": 29, "pmid": 16855427}]})[0]
    assert source.volume == "29" and source.pmid == "16855427"


def test_invalid_json_names_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "claims.json", '{"claims": [\n  {"id": "a",}\n]}')
    with pytest.raises(InputError) as info:
        load_project(path, None)
    assert info.value.file == str(path)
    assert info.value.line == 2
    assert "invalid JSON" in str(info.value)


def test_missing_required_field_names_claim_and_path() -> None:
    with pytest.raises(InputError) as info:
        parse_claims(
            {"claims": [{"id": "ok", "text": "t", "sources": []}, {"id": "b", "text": "t"}]}
        )
    assert info.value.path == "$.claims[1].sources"
    assert (
        "claim 'b'" in info.value.message
        and "missing required field 'sources'" in info.value.message
    )


def test_wrong_type() -> None:
    with pytest.raises(InputError) as info:
        parse_claims({"claims": [{"id": "a", "text": "t", "sources": "s1"}]})
    assert info.value.path == "$.claims[0].sources"
    assert "wrong type" in info.value.message


def test_duplicate_ids() -> None:
    with pytest.raises(InputError) as info:
        parse_sources({"sources": [{"id": "s"}, {"id": "t"}, {"id": "s"}]})
    assert info.value.path == "$.sources[2].id"
    assert "duplicate source id 's'" in info.value.message


@pytest.mark.parametrize("year", ["20O6", 206, 3000, "2006a", True, 2006.5, [2006]])
def test_year_that_is_not_a_year(year: object) -> None:
    with pytest.raises(InputError) as info:
        parse_sources({"sources": [{"id": "s", "year": year}]})
    assert info.value.path == "$.sources[0].year"
    assert "year" in info.value.message


def test_duplicate_json_keys_are_rejected(tmp_path: Path) -> None:
    path = write(
        tmp_path, "claims.json", '{"claims": [{"id": "a", "id": "b", "text": "t", "sources": []}]}'
    )
    with pytest.raises(InputError, match="duplicate key 'id'"):
        read_json(path)


def test_not_utf8_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "claims.json", b'{"claims": [{"id": "caf\xe9"}]}')
    with pytest.raises(InputError, match="not UTF-8"):
        read_json(path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        read_json(tmp_path / "nope.json")
    with pytest.raises(InputError, match="folder"):
        read_json(tmp_path)


def test_top_level_must_be_an_object_with_the_list() -> None:
    with pytest.raises(InputError, match='"claims" list'):
        parse_claims([{"id": "a"}])
    with pytest.raises(InputError, match='"sources" list'):
        parse_sources({"claims": []})


def test_depends_on_an_unknown_claim(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "claims.json",
        json.dumps({"claims": [{"id": "a", "text": "t", "sources": [], "depends_on": ["ghost"]}]}),
    )
    with pytest.raises(InputError) as info:
        load_project(path, None)
    assert info.value.path == "$.claims[0].depends_on[0]"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "text",
                    "sources",
                    "depends_on",
                    "year",
                    "claims",
                    "sources",
                    "location",
                    "line",
                    "x",
                ]
            )
            | st.text(max_size=4),
            children,
            max_size=5,
        )
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_random_json_gives_a_result_or_a_clean_error(data: object) -> None:
    for parse in (parse_claims, parse_sources):
        try:
            parse(data)
        except InputError as exc:
            assert str(exc)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_give_a_clean_error(raw: bytes) -> None:
    try:
        data = read_json("claims.json", raw)
        parse_claims(data)
    except InputError as exc:
        assert exc.file == "claims.json"


@pytest.mark.parametrize("value", [True, 1.5, [1], {"a": 1}])
def test_text_or_number_fields_name_what_they_take(value: object) -> None:
    with pytest.raises(InputError) as info:
        parse_sources({"sources": [{"id": "s", "volume": value}]})
    assert info.value.path == "$.sources[0].volume"
    assert "expected text or a whole number" in info.value.message
    assert "more problem" not in info.value.message


def test_one_problem_per_place_is_counted() -> None:
    with pytest.raises(InputError) as info:
        parse_sources({"sources": [{"id": "s", "volume": True, "year": "x"}]})
    assert info.value.message.endswith("(and 1 more problem)")
    assert "Value error" not in info.value.message


def test_an_extra_field_holding_an_id_does_not_move_a_claim(tmp_path: Path) -> None:
    claims = {
        "claims": [
            {"id": "a", "text": "t", "sources": [], "see_also": {"id": "b"}},
            {"id": "b", "text": "u", "sources": [], "history": [{"id": "a"}]},
        ]
    }
    path = tmp_path / "claims.json"
    path.write_text(json.dumps(claims, indent=2), encoding="utf-8")
    locations = load_project(path, None).claim_locations
    assert (locations["a"].line, locations["a"].column) == (4, 7)
    lines = path.read_text(encoding="utf-8").splitlines()
    b = locations["b"]
    assert b.line is not None and b.column is not None
    assert lines[b.line - 1][b.column - 1 :] == '"id": "b",'


_ids = st.text(st.characters(codec="utf-8"), min_size=1, max_size=8)


@settings(max_examples=60)
@given(
    ids=st.lists(_ids.filter(lambda s: s == s.strip()), min_size=1, max_size=6, unique=True),
    nested=st.lists(st.tuples(st.integers(0, 5), _ids), max_size=4),
    separators=st.lists(st.sampled_from([", ", ",\n", ",\n\t  "]), min_size=6, max_size=6),
)
def test_each_id_is_located_at_its_own_item(
    ids: list[str], nested: list[tuple[int, str]], separators: list[str]
) -> None:
    """Whatever extra fields hold (other ids included), the location is the item's own "id"."""
    items: list[dict[str, object]] = [{"id": i, "text": "t", "sources": []} for i in ids]
    for index, value in nested:
        items[index % len(items)]["extra"] = {"id": value}
    text = '{"note": ' + json.dumps({"id": ids[-1]}) + ', "claims": [\n'
    expected: dict[str, int] = {}
    for item, separator in zip(items, separators, strict=False):
        if item is not items[0]:
            text += separator
        expected[str(item["id"])] = len(text) + 1  # json.dumps writes "id" first
        text += json.dumps(item)
    text += "]}"
    assert json.loads(text)["claims"] == items
    locations = id_locations(text, "claims.json", "claims")
    for item_id, offset in expected.items():
        line_start = text.rfind("\n", 0, offset) + 1
        location = locations[item_id]
        assert (location.line, location.column) == (
            text.count("\n", 0, offset) + 1,
            offset - line_start + 1,
        )
