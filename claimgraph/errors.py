"""The one family of exceptions claimgraph raises.

Outcomes (a source that does not exist, a claim that cites nothing) are values, never
exceptions. Exceptions are for input the user must fix (exit code 2) and for services
that could not be reached (turned into ``unverifiable`` at the edge).
"""

from __future__ import annotations


class ClaimgraphError(Exception):
    """Base class of every error claimgraph raises on purpose."""


class InputError(ClaimgraphError):
    """Bad input: the message names the file, the place and what to do. Exit code 2."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        path: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.hint = hint
        super().__init__(self.describe())

    def describe(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        if self.path:
            where += f" at {self.path}"
        text = f"{where}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class ConfigError(InputError):
    """A bad claimgraph.toml or [tool.claimgraph] table. Exit code 2."""


class ServiceError(ClaimgraphError):
    """A service could not answer: outage, timeout, rate limit past retries, offline cache miss.

    Never means "not found": a service that answers 404 is an answer, not an error.
    """

    def __init__(self, service: str, message: str) -> None:
        self.service = service
        self.message = message
        super().__init__(f"{service}: {message}")


class OfflineCacheMiss(ServiceError):
    """``--offline`` was given and the answer is not in the cache."""
