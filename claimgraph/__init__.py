"""claimgraph: audit the claims of health content and the sources they cite.

The library in five names::

    from claimgraph import audit, load_project, render
    report = audit(load_project("claims.json", "sources.json"))
    print(render(report, "markdown"))
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

from claimgraph.version import __version__

if TYPE_CHECKING:
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

#: public name -> the module that defines it (imported on first use: ``import claimgraph``
#: and ``claimgraph --version`` stay fast)
_EXPORTS = {
    "audit": "audit",
    "Config": "config",
    "load_config": "config",
    "ClaimgraphError": "errors",
    "ConfigError": "errors",
    "InputError": "errors",
    "OfflineCacheMiss": "errors",
    "ServiceError": "errors",
    "FormatOptions": "formats",
    "render": "formats",
    "collect_project": "inputs",
    "ClaimStatus": "levels",
    "Evidence": "levels",
    "Severity": "levels",
    "SourceStatus": "levels",
    "Claim": "models",
    "Project": "models",
    "Source": "models",
    "load_project": "models",
    "Finding": "report",
    "Report": "report",
    "exit_code": "report",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'claimgraph' has no attribute {name!r}")
    value = getattr(import_module(f"claimgraph.{module}"), name)
    globals()[name] = value
    return value


class _Package(ModuleType):
    """Keeps ``claimgraph.audit`` the function when the submodule of that name is imported
    (the import system binds each submodule on its package; the public name wins, as it did
    when this package imported everything eagerly)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _EXPORTS and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


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
