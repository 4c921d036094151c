"""The graph with the audit's verdicts on it, ready for ``claimgraph graph``."""

from __future__ import annotations

from typing import Any

import networkx as nx

from claimgraph.graph import ClaimGraph, annotated, claim_node, export, source_node
from claimgraph.models import Project
from claimgraph.report import Report
from claimgraph.safetext import json_text, multiline


def graph_attributes(report: Report) -> dict[str, dict[str, Any]]:
    """Node attributes from the report: label, status, evidence, findings count."""
    attributes: dict[str, dict[str, Any]] = {}
    for claim in report.claims:
        attributes[claim_node(claim.id)] = {
            "label": claim.text,
            "status": claim.status.value,
            "evidence": claim.evidence.value if claim.evidence else "none",
            "findings": len(claim.findings),
        }
    for source in report.sources:
        label = (source.record.title if source.record else None) or source.title or source.citation
        attributes[source_node(source.id)] = {
            "label": label or source.id,
            "status": source.status.value,
            "evidence": source.evidence.value,
            "kind": source.kind,
            "pmid": source.pmid,
            "doi": source.doi,
            "findings": len(source.findings),
        }
    return attributes


def _shown(value: Any) -> Any:
    return multiline(value) if isinstance(value, str) else value


def shown_graph(graph: Any) -> Any:
    """A copy of ``graph`` whose node keys and text attributes show control characters escaped.

    GraphML and GEXF are XML, which cannot hold most control characters at all, and DOT
    labels are drawn for people: the policy of :mod:`claimgraph.safetext` applies to them.
    """
    shown = nx.relabel_nodes(graph, {node: _shown(node) for node in graph}, copy=True)
    for _, data in shown.nodes(data=True):
        data.update({key: _shown(value) for key, value in data.items()})
    for _, _, data in shown.edges(data=True):
        data.update({key: _shown(value) for key, value in data.items()})
    return shown


def export_graph(project: Project, report: Report, fmt: str) -> str:
    graph = annotated(ClaimGraph(project), graph_attributes(report))
    if fmt == "json":
        # exact, as the JSON report: only a lone surrogate is written as its escape
        return json_text(export(graph, fmt))
    return export(shown_graph(graph), fmt)
