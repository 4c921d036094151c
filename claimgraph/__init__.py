"""claimgraph: audit the claims of health content and the sources they cite.

The library in five names::

    from claimgraph import audit, load_project, render
    report = audit(load_project("claims.json", "sources.json"))
    print(render(report, "markdown"))
"""

from __future__ import annotations

__version__ = "0.1.0"

from claimgraph.audit import audit
from claimgraph.config import Config, load_config
from claimgraph.errors import (
    ClaimgraphError,
    ConfigError,
    InputError,
    OfflineCacheMiss,
    ServiceError,
)
from claimgraph.formats import FormatOptions, render
from claimgraph.inputs import collect_project
from claimgraph.levels import ClaimStatus, Evidence, Severity, SourceStatus
from claimgraph.models import Claim, Project, Source, load_project
from claimgraph.report import Finding, Report, exit_code

__all__ = [
    "Claim",
    "ClaimStatus",
    "ClaimgraphError",
    "Config",
    "ConfigError",
    "Evidence",
    "Finding",
    "FormatOptions",
    "InputError",
    "OfflineCacheMiss",
    "Project",
    "Report",
    "ServiceError",
    "Severity",
    "Source",
    "SourceStatus",
    "__version__",
    "audit",
    "collect_project",
    "exit_code",
    "load_config",
    "load_project",
    "render",
]
