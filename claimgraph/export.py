"""The graph with the audit's verdicts on it, ready for ``claimgraph graph``."""

from __future__ import annotations

from typing import Any

from claimgraph.graph import ClaimGraph, annotated, claim_node, export, source_node
from claimgraph.models import Project
from claimgraph.report import Report


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


def export_graph(project: Project, report: Report, fmt: str) -> str:
    graph = ClaimGraph(project)
    return export(annotated(graph, graph_attributes(report)), fmt)
