"""``--format html``: one self-contained page (no CDN, no network) to look at an audit.

The page has the claim -> source graph as inline SVG (laid out here, deterministic; nodes
coloured by status, with a stripe for the evidence level), a table of claims that can be
filtered by status, one card per source with its resolved record and links to PubMed, PMC
and doi.org, and the list of findings.

Everything that comes from the inputs or the services is escaped: the template runs with
autoescape on, links are only ever ``https://`` URLs built here (or the source's own
``http(s)`` URL), and the data for the script is JSON with ``<``, ``>`` and ``&`` escaped
so it cannot end its ``<script type="application/json">`` block. A Content-Security-Policy
allows only the page's own inline script and style, by hash; the page works without script
(the graph is static SVG, every table is there), the script adds filtering and highlighting.

jinja2 stays behind this module.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2
from markupsafe import Markup

from claimgraph.formats import FormatOptions
from claimgraph.formats._common import (
    CLAIM_STATUS_LABEL,
    CLAIM_STATUS_ORDER,
    SOURCE_STATUS_LABEL,
    finding_location,
    judged_sources,
    location_text,
    summary_line,
)
from claimgraph.identifiers import doi_to_url, pmcid_to_url, pmid_to_url
from claimgraph.levels import Evidence, SourceStatus
from claimgraph.report import ClaimResult, Finding, Report, SourceResult
from claimgraph.safetext import escape_surrogates, json_text, multiline

#: status of a cited id that sources.json does not define (no SourceResult exists for it)
UNDEFINED = "undefined"

# graph geometry (px)
_NODE_H = 40
_GAP = 12
_TOP = 16
_LEFT = 96  # room for the depends-on arcs left of the claims
_CLAIM_W = 300
_SOURCE_W = 280
_COLUMN_GAP = 160
_SOURCE_X = _LEFT + _CLAIM_W + _COLUMN_GAP
_WIDTH = _SOURCE_X + _SOURCE_W + 16


# ----------------------------------------------------------------------------- escaping


def json_for_script(data: Any) -> Markup:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>`` or ``&``.

    The content of a script element is raw text (HTML entities are not decoded), so the
    escaping is JSON's own ``\\u003c`` form; nothing can close the element or open a comment.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = json_text(text)  # a lone surrogate as its escape: the page must be UTF-8
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return Markup(text)  # noqa: S704 - escaped above for this context


def csp_hash(content: str) -> str:
    """The CSP source expression that allows exactly this inline script or style."""
    digest = hashlib.sha256(str(content).encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) URL, else None (no ``javascript:`` links)."""
    if not url:
        return None
    url = escape_surrogates(url.strip())
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    if any(ord(char) < 0x20 or char in ' "<>\\^`{|}' for char in url):
        url = quote(url, safe=":/?#[]@!$&'()*+,;=%~-._")
    return url


def _truncate(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ----------------------------------------------------------------------------- view model


@dataclass
class Link:
    label: str
    url: str


@dataclass
class GraphNode:
    key: str
    kind: str  # claim | source
    id: str
    line1: str
    line2: str
    status: str
    evidence: str
    x: int
    y: int
    w: int
    anchor: str
    title: str

    @property
    def cy(self) -> int:
        return self.y + _NODE_H // 2


@dataclass
class GraphEdge:
    source: str
    target: str
    kind: str  # cites | depends
    status: str
    path: str


@dataclass(frozen=True)
class _SourceEntry:
    id: str
    status: str
    evidence: str
    line2: str
    anchor: str
    title: str


@dataclass
class Graph:
    width: int
    height: int
    nodes: list[GraphNode] = field(default_factory=list)
    edges: list[GraphEdge] = field(default_factory=list)
    #: claims drawn, of how many (a large project draws the first GRAPH_MAX_CLAIMS)
    shown_claims: int = 0
    total_claims: int = 0

    @property
    def truncated(self) -> bool:
        return self.shown_claims < self.total_claims


#: template pieces (a few characters to a line each) written as one part of the page
_PIECES_PER_PART = 50_000

#: a browser stays responsive with a few hundred claim nodes; the table lists every claim
GRAPH_MAX_CLAIMS = 400


def _source_links(source: SourceResult) -> list[Link]:
    links: list[Link] = []
    record = source.record
    pmid = source.pmid or (record.pmid if record else None)
    doi = source.doi or (record.doi if record else None)
    doi = escape_surrogates(doi) if doi else doi  # a URL must be UTF-8
    pmcid = source.pmcid or (record.pmcid if record else None)
    if pmid and pmid.isascii() and pmid.isdigit():
        links.append(Link(f"PubMed {pmid}", pmid_to_url(pmid)))
    if pmcid and pmcid.isascii() and pmcid.upper().removeprefix("PMC").isdigit():
        links.append(Link(pmcid, pmcid_to_url(pmcid.upper())))
    if doi:
        links.append(Link(f"doi:{doi}", doi_to_url(doi)))
    url = safe_url(source.url)
    if url:
        links.append(Link(_truncate(url, 60), url))
    return links


def _claim_node_title(claim: ClaimResult) -> str:
    evidence = claim.evidence.value if claim.evidence else "none"
    return f"{claim.id} ({CLAIM_STATUS_LABEL[claim.status]}, evidence: {evidence})\n{claim.text}"


def _source_label(source: SourceResult) -> str:
    if source.record and source.record.title:
        return source.record.title
    return source.title or source.citation or source.url or ""


def build_graph(report: Report) -> Graph:
    """Claims on the left in article order, sources on the right near the claims citing them."""
    nodes: list[GraphNode] = []
    edges: list[GraphEdge] = []
    claim_nodes: dict[str, GraphNode] = {}
    shown = report.claims[:GRAPH_MAX_CLAIMS]
    truncated = len(shown) < len(report.claims)
    cited_by_shown = {source_id for claim in shown for source_id in claim.sources}
    for index, claim in enumerate(shown):
        node = GraphNode(
            key=f"c{index}",
            kind="claim",
            id=claim.id,
            line1=_truncate(claim.id, 36),
            line2=_truncate(claim.text, 46),
            status=claim.status.value,
            evidence=claim.evidence.value if claim.evidence else "none",
            x=_LEFT,
            y=_TOP + index * (_NODE_H + _GAP),
            w=_CLAIM_W,
            anchor=f"claim-{index}",
            title=_claim_node_title(claim),
        )
        nodes.append(node)
        claim_nodes.setdefault(claim.id, node)

    # sources: defined ones, then ids cited but not defined
    entries: list[_SourceEntry] = []
    for index, source in enumerate(report.sources):
        if truncated and source.id not in cited_by_shown:
            continue
        label = _source_label(source)
        title = f"{source.id} ({SOURCE_STATUS_LABEL[source.status]}, {source.evidence.value})"
        entries.append(
            _SourceEntry(
                id=source.id,
                status=source.status.value,
                evidence=source.evidence.value,
                line2=f"{SOURCE_STATUS_LABEL[source.status]} · {source.evidence.value}",
                anchor=f"source-{index}",
                title=title + (f"\n{label}" if label else ""),
            )
        )
    defined = {source.id for source in report.sources}
    for claim in shown:
        for source_id in claim.sources:
            if source_id not in defined:
                defined.add(source_id)
                entries.append(
                    _SourceEntry(
                        id=source_id,
                        status=UNDEFINED,
                        evidence=Evidence.UNKNOWN.value,
                        line2="not defined",
                        anchor="",
                        title=f"{source_id} (not defined in sources.json)",
                    )
                )

    citing: dict[str, list[GraphNode]] = {}
    for claim in shown:
        for source_id in dict.fromkeys(claim.sources):
            citing.setdefault(source_id, []).append(claim_nodes[claim.id])

    def centre(source_id: str) -> float | None:
        near = citing.get(source_id)
        return sum(n.cy for n in near) / len(near) if near else None

    # each source as close as it can get to the middle of the claims citing it, in order,
    # without overlapping; sources no claim cites go last
    order = sorted(
        range(len(entries)),
        key=lambda i: (centre(entries[i].id) is None, centre(entries[i].id) or 0.0, i),
    )
    next_y = _TOP
    source_nodes: dict[str, GraphNode] = {}
    for index in order:
        entry = entries[index]
        middle = centre(entry.id)
        wanted = round(middle) - _NODE_H // 2 if middle is not None else next_y
        y = max(wanted, next_y)
        source_nodes[entry.id] = GraphNode(
            key=f"s{index}",
            kind="source",
            id=entry.id,
            line1=_truncate(entry.id, 34),
            line2=entry.line2,
            status=entry.status,
            evidence=entry.evidence,
            x=_SOURCE_X,
            y=y,
            w=_SOURCE_W,
            anchor=entry.anchor,
            title=entry.title,
        )
        next_y = y + _NODE_H + _GAP
    nodes += sorted(source_nodes.values(), key=lambda n: int(n.key[1:]))

    for claim in shown:
        start = claim_nodes[claim.id]
        for source_id in dict.fromkeys(claim.sources):
            end = source_nodes[source_id]
            x1, y1, x2, y2 = start.x + start.w, start.cy, end.x, end.cy
            mid = (x1 + x2) // 2
            edges.append(
                GraphEdge(
                    source=start.key,
                    target=end.key,
                    kind="cites",
                    status=end.status,
                    path=f"M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}",
                )
            )
        for premise_id in dict.fromkeys(claim.depends_on):
            premise = claim_nodes.get(premise_id)
            if premise is None or premise is start:
                continue
            reach = 24 + min(abs(start.cy - premise.cy) // 6, _LEFT - 34)
            x = start.x
            edges.append(
                GraphEdge(
                    source=start.key,
                    target=premise.key,
                    kind="depends",
                    status=premise.status,
                    path=f"M{x},{start.cy} C{x - reach},{start.cy} {x - reach},{premise.cy} "
                    f"{x},{premise.cy}",
                )
            )
    bottom = max((n.y + _NODE_H for n in nodes), default=_TOP)
    return Graph(
        width=_WIDTH,
        height=bottom + _TOP,
        nodes=nodes,
        edges=edges,
        shown_claims=len(shown),
        total_claims=len(report.claims),
    )


@dataclass
class FindingView:
    severity: str
    rule: str
    message: str
    where: str
    claim_anchor: str | None
    source_anchor: str | None
    claim: str | None
    source: str | None


def _finding_views(
    report: Report,
    findings: Iterable[Finding],
    claim_anchor: dict[str, str],
    source_anchor: dict[str, str],
) -> Iterator[FindingView]:
    """One view per finding, made as the template reaches it (none are kept)."""
    return (
        FindingView(
            severity=f.severity.value,
            rule=f.rule,
            message=f.message,
            where=location_text(finding_location(report, f)),
            claim_anchor=claim_anchor.get(f.claim) if f.claim else None,
            source_anchor=source_anchor.get(f.source) if f.source else None,
            claim=f.claim,
            source=f.source,
        )
        for f in findings
    )


def _script_data(graph: Graph, report: Report) -> dict[str, Any]:
    claims = {claim.id: claim for claim in report.claims}
    sources = {source.id: source for source in report.sources}
    nodes: dict[str, dict[str, Any]] = {}
    for node in graph.nodes:
        item: dict[str, Any] = {
            "kind": node.kind,
            "id": multiline(node.id),
            "status": node.status,
            "evidence": node.evidence,
            "anchor": node.anchor,
        }
        if node.kind == "claim":
            claim = claims[node.id]
            item["text"] = claim.text
            item["detail"] = claim.reason
        elif node.id in sources:
            source = sources[node.id]
            item["text"] = _source_label(source)
            item["detail"] = source.message or ""
        else:
            item["text"] = ""
            item["detail"] = "cited, but not defined in sources.json"
        item["text"] = multiline(item["text"])
        item["detail"] = multiline(item["detail"]) if item["detail"] else item["detail"]
        nodes[node.key] = item
    return {
        "nodes": nodes,
        "edges": [[edge.source, edge.target, edge.kind] for edge in graph.edges],
    }


# ----------------------------------------------------------------------------- rendering


def _shown(value: Any) -> Any:
    """Every value the template writes: text from the inputs with controls shown escaped."""
    if type(value) is str:  # not Markup: that is the page's own
        return multiline(value)
    return value


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("claimgraph.formats", "templates"),
        autoescape=True,
        finalize=_shown,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # base64 and quotes only: nothing to escape
    env.filters["csp_hash"] = lambda content: Markup(csp_hash(content))  # noqa: S704
    return env


def _context(report: Report) -> dict[str, Any]:
    """What the template needs. Per-row views are made as the rows are written, not kept."""
    graph = build_graph(report)
    claim_anchor: dict[str, str] = {}
    for index, claim in enumerate(report.claims):
        claim_anchor.setdefault(claim.id, f"claim-{index}")
    source_anchor = {source.id: f"source-{i}" for i, source in enumerate(report.sources)}
    present = [s for s in CLAIM_STATUS_ORDER if s.value in report.summary.by_status]

    def finding_views(findings: Iterable[Finding]) -> Iterator[FindingView]:
        return _finding_views(report, findings, claim_anchor, source_anchor)

    return {
        "report": report,
        "summary": summary_line(report),
        "graph": graph,
        "node_height": _NODE_H,
        "claim_width": _CLAIM_W,
        "source_width": _SOURCE_W,
        "claim_x": _LEFT,
        "source_x": _SOURCE_X,
        "data": json_for_script(_script_data(graph, report)),
        "claim_statuses": [(s.value, CLAIM_STATUS_LABEL[s]) for s in present],
        "claim_status_label": {s.value: CLAIM_STATUS_LABEL[s] for s in CLAIM_STATUS_LABEL},
        "source_status_label": {s.value: SOURCE_STATUS_LABEL[s] for s in SOURCE_STATUS_LABEL},
        "source_statuses": [(s.value, SOURCE_STATUS_LABEL[s]) for s in SourceStatus],
        "evidence_levels": [level.value for level in Evidence],
        "claim_anchor": claim_anchor,
        "source_anchor": source_anchor,
        "source_status": {source.id: source.status.value for source in report.sources},
        "source_links": _source_links,
        "finding_views": finding_views,
        "location_text": location_text,
        "safe_url": safe_url,
        "support_of": {
            (claim.id, judged.source): judged
            for claim in report.claims
            for judged in judged_sources(claim)
        },
    }


def render_parts(report: Report, options: FormatOptions) -> Iterator[str]:
    """The page in parts of about a megabyte, written as the template produces them.

    A page of 100,000 claims is a few hundred megabytes of text: made in one string, it and
    the template's list of pieces were most of the 2 GB the run peaked at.
    """
    del options
    template = _environment().get_template("report.html.j2")
    batch: list[str] = []
    for piece in template.generate(**_context(report)):
        batch.append(piece)
        if len(batch) >= _PIECES_PER_PART:
            yield "".join(batch)
            batch = []
    yield "".join(batch)


def render(report: Report, options: FormatOptions) -> str:
    return "".join(render_parts(report, options))
