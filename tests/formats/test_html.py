"""The HTML report, read as a browser's parser would (the live check is test_html_browser.py)."""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from hypothesis import given, settings
from hypothesis import strategies as st

from claimgraph.formats import FormatOptions, render
from claimgraph.formats.html import build_graph, csp_hash, json_for_script, safe_url
from claimgraph.levels import ClaimStatus
from claimgraph.report import ClaimResult
from claimgraph.safetext import multiline
from tests.formats.report_samples import (
    ATTR_PAYLOAD,
    SCRIPT_PAYLOAD,
    assert_golden,
    empty_report,
    sample_report,
)


def _html(report: Any = None) -> str:
    return render(report or sample_report(), "html", FormatOptions())


def _soup(report: Any = None) -> BeautifulSoup:
    return BeautifulSoup(_html(report), "html.parser")


def _csp(soup: BeautifulSoup) -> dict[str, list[str]]:
    meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert isinstance(meta, Tag)
    policy: dict[str, list[str]] = {}
    for directive in str(meta["content"]).split(";"):
        name, *values = directive.split()
        policy[name] = values
    return policy


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_golden() -> None:
    assert_golden("report.html", _html())


def test_payloads_are_text_not_markup() -> None:
    html = _html()
    soup = BeautifulSoup(html, "html.parser")
    assert "<script>window" not in html
    assert "<img" not in html
    assert soup.find("img") is None and soup.find("b") is None
    scripts = soup.find_all("script")
    assert [s.get("type") for s in scripts] == ["application/json", None]
    for tag in soup.find_all(True):
        assert not [a for a in tag.attrs if a.lower().startswith("on")], tag.name
        assert "style" not in tag.attrs, tag.name  # the CSP would block it
    # the payloads are there, as text
    text = soup.get_text()
    assert SCRIPT_PAYLOAD in text
    assert ATTR_PAYLOAD in text


def test_links_are_only_https_or_in_page() -> None:
    soup = _soup()
    hrefs = [str(a["href"]) for a in soup.find_all("a")]
    assert hrefs
    assert all(h.startswith(("https://", "#")) for h in hrefs), hrefs
    assert "https://pubmed.ncbi.nlm.nih.gov/11111111/" in hrefs
    assert "https://doi.org/10.1000/rct.2019.1" in hrefs
    assert "https://pmc.ncbi.nlm.nih.gov/articles/PMC1234567/" in hrefs
    assert "https://example.org/magazine?issue=7&page=2" in hrefs
    # the javascript: URL of s-unverifiable is shown as text, never linked
    assert not any("javascript" in h for h in hrefs)
    assert "javascript:alert('pwned') (not a web link)" in soup.get_text()
    # every in-page link has a target
    ids = {str(tag["id"]) for tag in soup.find_all(id=True)}
    assert {h[1:] for h in hrefs if h.startswith("#")} <= ids


def test_self_contained() -> None:
    soup = _soup()
    for tag in soup.find_all(True):
        for attr in ("src", "srcset", "data", "poster", "action", "formaction"):
            assert attr not in tag.attrs, (tag.name, attr)
    assert soup.find("link") is None and soup.find("iframe") is None
    assert "@import" not in _html() and "url(http" not in _html()


def test_csp_allows_only_the_page_own_script_and_style_by_hash() -> None:
    soup = _soup()
    policy = _csp(soup)
    assert policy["default-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    (script,) = [s for s in soup.find_all("script") if s.get("type") is None]
    (style,) = soup.find_all("style")
    assert policy["script-src"] == [_sha256(script.string or "")]
    assert policy["style-src"] == [_sha256(style.string or "")]
    assert "'unsafe-inline'" not in str(policy)


def test_embedded_json_is_escaped_and_complete() -> None:
    soup = _soup()
    block = soup.find("script", id="cg-data")
    assert isinstance(block, Tag)
    raw = block.string or ""
    assert not set("<>&") & set(raw)
    data = json.loads(raw)
    texts = {node["text"] for node in data["nodes"].values()}
    assert any(SCRIPT_PAYLOAD in t for t in texts)
    assert any(ATTR_PAYLOAD in t for t in texts)
    report = sample_report()
    claims = [n for n in data["nodes"].values() if n["kind"] == "claim"]
    assert [n["id"] for n in claims] == [c.id for c in report.claims]


@given(st.recursive(st.text() | st.integers() | st.none(), st.lists))
def test_json_for_script_round_trips_and_cannot_close_the_block(value: Any) -> None:
    text = str(json_for_script({"v": value}))
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == {"v": value}


def test_claims_table_has_one_row_per_claim_with_its_status() -> None:
    soup = _soup()
    rows = soup.select("#claims-table tbody tr")
    report = sample_report()
    assert [r["data-status"] for r in rows] == [c.status.value for c in report.claims]
    buttons = [b["data-status"] for b in soup.select("#claim-filter button")]
    assert buttons == ["all", "broken", "unsourced", "anecdotal_only", "unverified", "supported"]


def test_sources_show_record_links_and_differences() -> None:
    soup = _soup()
    cards = soup.select("article.source")
    assert len(cards) == len(sample_report().sources)
    rct = cards[0].get_text(" ")
    assert "Magnesium and blood pressure: a randomized controlled trial." in rct
    assert "Journal of Hypertension 2019;37(2):100-108" in rct
    mismatch = next(c for c in cards if "s-mismatch" in c.get_text())
    assert "year: cited “2005”, record “2006”" in mismatch.get_text()
    otherwork = next(c for c in cards if "s-otherwork" in c.get_text())
    assert "belongs to a different work" in otherwork.get_text()


def test_graph_nodes_and_edges() -> None:
    report = sample_report()
    graph = build_graph(report)
    claims = [n for n in graph.nodes if n.kind == "claim"]
    sources = [n for n in graph.nodes if n.kind == "source"]
    assert len(claims) == len(report.claims)
    # every defined source, plus the cited-but-undefined s-missing
    assert [n.id for n in sources][-1] == "s-missing"
    assert len(sources) == len(report.sources) + 1
    assert sources[-1].status == "undefined"
    cites = [e for e in graph.edges if e.kind == "cites"]
    assert len(cites) == sum(len(set(c.sources)) for c in report.claims)
    (depends,) = [e for e in graph.edges if e.kind == "depends"]
    assert (depends.source, depends.target) == ("c5", "c0")
    # sources do not overlap
    ys = sorted(n.y for n in sources)
    assert all(b - a >= 40 for a, b in itertools.pairwise(ys))
    soup = _soup()
    assert len(soup.select("svg.graph g.node")) == len(graph.nodes)
    assert len(soup.select("svg.graph path.edge")) == len(graph.edges)


def test_empty_report_renders() -> None:
    soup = _soup(empty_report())
    assert soup.select("#claims-table tbody tr") == []
    assert "No claims and no sources." in soup.get_text()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a?b=1&c=2", "https://example.org/a?b=1&c=2"),
        ("http://example.org", "http://example.org"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        (" javascript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("//example.org/x", None),
        ("https:///nohost", None),
        ('https://example.org/a b"<>', "https://example.org/a%20b%22%3C%3E"),
        (None, None),
        ("", None),
    ],
)
def test_safe_url(url: str | None, expected: str | None) -> None:
    assert safe_url(url) == expected


def test_csp_hash() -> None:
    assert csp_hash("") == "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"


@settings(max_examples=50)
@given(st.text(max_size=200))
def test_any_claim_text_stays_text(text: str) -> None:
    claim = ClaimResult(id="c", text=text, status=ClaimStatus.UNSOURCED)
    report = empty_report().model_copy(update={"claims": [claim]})
    soup = _soup(report)
    (row,) = soup.select("#claims-table tbody tr")
    cell = row.select("td")[1]

    # HTML parsers normalise CR and CRLF to LF (HTML spec, "preprocessing the input stream")
    # the page shows the text with its whitespace collapsed (and HTML parsers normalise CR)
    def words(value: str) -> str:
        return " ".join(value.split())

    # control characters are shown escaped (claimgraph.safetext)
    assert words(multiline(text)) in words(cell.get_text())
    assert len(soup.find_all("script")) == 2


def test_a_large_project_draws_a_bounded_graph_but_lists_every_claim() -> None:
    from claimgraph.formats.html import GRAPH_MAX_CLAIMS

    total = GRAPH_MAX_CLAIMS + 25
    claims = [
        ClaimResult(id=f"c{i}", text=f"Claim {i}.", status=ClaimStatus.UNSOURCED)
        for i in range(total)
    ]
    report = empty_report().model_copy(update={"claims": claims})
    graph = build_graph(report)
    assert graph.truncated
    assert sum(1 for node in graph.nodes if node.kind == "claim") == GRAPH_MAX_CLAIMS
    soup = _soup(report)
    assert len(soup.select("#claims-table tbody tr")) == total
    assert f"first {GRAPH_MAX_CLAIMS} of {total} claims" in soup.get_text()
