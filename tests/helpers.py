"""Builders shared by the tests: small projects and canned resolutions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hypothesis import strategies as st

from claimgraph.levels import SourceStatus
from claimgraph.models import Project, parse_claims, parse_sources
from claimgraph.records import Record
from claimgraph.resolvers.base import Resolution


def project(
    claims: Sequence[Mapping[str, Any]], sources: Sequence[Mapping[str, Any]] = ()
) -> Project:
    return Project(
        claims=parse_claims({"claims": list(claims)}),
        sources=parse_sources({"sources": list(sources)}),
        claims_file="claims.json",
        sources_file="sources.json",
    )


def claim(
    claim_id: str, *sources: str, depends_on: Sequence[str] = (), **extra: Any
) -> dict[str, Any]:
    return {
        "id": claim_id,
        "text": f"Claim {claim_id}.",
        "sources": list(sources),
        "depends_on": list(depends_on),
        **extra,
    }


def journal(source_id: str, **extra: Any) -> dict[str, Any]:
    return {"id": source_id, "kind": "journal-article", "pmid": "12345", **extra}


def verified(*publication_types: str, mesh: Sequence[str] = (), **record: Any) -> Resolution:
    return Resolution(
        status=SourceStatus.VERIFIED,
        record=Record(
            service="pubmed", publication_types=publication_types, mesh=tuple(mesh), **record
        ),
    )


class FixedResolver:
    """A resolver that answers from a table (and records what it was asked)."""

    def __init__(self, answers: Mapping[str, Resolution]) -> None:
        self.answers = dict(answers)
        self.asked: list[str] = []

    def resolve(self, sources: Sequence[Any]) -> dict[str, Resolution]:
        self.asked += [s.id for s in sources]
        return {s.id: self.answers[s.id] for s in sources if s.id in self.answers}


#: any small JSON value (for feeding loaders random documents)
ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)
