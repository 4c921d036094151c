"""claimgraph: audit the claims of health content and the sources they cite."""

from __future__ import annotations

__version__ = "0.1.0"
