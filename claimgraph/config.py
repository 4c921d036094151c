"""Configuration: ``claimgraph.toml`` or ``[tool.claimgraph]`` in ``pyproject.toml``, plus environment.

Example::

    fail-on = "error"            # error | warning | never
    email = "you@example.org"    # sent to NCBI (email=) and Crossref (mailto=)
    cache-max-age-days = 30
    lock-max-age-days = 90
    support = true               # judge each claim against the abstracts it cites
    support-model = "models/nli" # optional: a local ONNX cross-encoder folder (see README)

    [severity]
    citation-mismatch = "error"

    [disable]
    orphan-source = "we keep a reading list in sources.json"

Unknown keys are an error that names them. Environment variables (DESIGN.md):
``CLAIMGRAPH_PUBMED_URL``, ``CLAIMGRAPH_CROSSREF_URL``, ``CLAIMGRAPH_CACHE_DIR``,
``CLAIMGRAPH_EMAIL``, ``NCBI_API_KEY``.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from claimgraph.errors import ConfigError, InputError
from claimgraph.levels import RULE_IDS, Severity
from claimgraph.reading import decode_text, number_too_long, read_input

DEFAULT_PUBMED_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
DEFAULT_CROSSREF_URL = "https://api.crossref.org/"
FAIL_ON_CHOICES = ("error", "warning", "never")

_TOP_KEYS = {
    "fail-on",
    "email",
    "cache-max-age-days",
    "lock-max-age-days",
    "severity",
    "disable",
    "support",
    "support-model",
}


@dataclass(frozen=True)
class Config:
    """Everything a run needs to know that is not an input file."""

    fail_on: str = "error"
    severities: Mapping[str, Severity] = field(default_factory=dict)
    #: rule id -> the reason it is switched off
    disabled: Mapping[str, str] = field(default_factory=dict)
    email: str | None = None
    ncbi_api_key: str | None = None
    pubmed_url: str = DEFAULT_PUBMED_URL
    crossref_url: str = DEFAULT_CROSSREF_URL
    cache_dir: Path = field(default_factory=lambda: Path(platformdirs.user_cache_dir("claimgraph")))
    cache_max_age_days: float = 30.0
    lock_max_age_days: float = 90.0
    #: judge each claim against the abstracts it cites (schema 2)
    support: bool = True
    #: a local ONNX cross-encoder folder to judge with instead of the bundled model
    support_model: Path | None = None
    #: the file the settings came from, if any
    origin: str | None = None

    def __repr__(self) -> str:  # keep the API key out of logs and tracebacks
        key = "***" if self.ncbi_api_key else None
        return (
            f"Config(fail_on={self.fail_on!r}, severities={dict(self.severities)!r}, "
            f"disabled={dict(self.disabled)!r}, email={self.email!r}, ncbi_api_key={key!r}, "
            f"pubmed_url={self.pubmed_url!r}, crossref_url={self.crossref_url!r}, "
            f"cache_dir={str(self.cache_dir)!r}, origin={self.origin!r})"
        )


def parse_config(table: Mapping[str, Any], origin: str) -> dict[str, Any]:
    """Validate a settings table; return keyword arguments for :class:`Config`."""
    unknown = sorted(set(table) - _TOP_KEYS)
    if unknown:
        raise ConfigError(
            f"unknown setting{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}",
            file=origin,
            hint="known settings: " + ", ".join(sorted(_TOP_KEYS)),
        )
    values: dict[str, Any] = {"origin": origin}
    if "fail-on" in table:
        fail_on = table["fail-on"]
        if fail_on not in FAIL_ON_CHOICES:
            raise ConfigError(
                f"fail-on must be one of {', '.join(FAIL_ON_CHOICES)}, not {fail_on!r}",
                file=origin,
                path="fail-on",
            )
        values["fail_on"] = fail_on
    if "email" in table:
        if not isinstance(table["email"], str) or "@" not in table["email"]:
            raise ConfigError(
                "email must be an address like you@example.org", file=origin, path="email"
            )
        values["email"] = table["email"]
    for key, attr in (
        ("cache-max-age-days", "cache_max_age_days"),
        ("lock-max-age-days", "lock_max_age_days"),
    ):
        if key in table:
            number = table[key]
            if isinstance(number, bool) or not isinstance(number, int | float) or number < 0:
                raise ConfigError(f"{key} must be a number of days >= 0", file=origin, path=key)
            values[attr] = float(number)
    values.update(_support_settings(table, origin))
    values["severities"] = _severities(table, origin)
    values["disabled"] = _disabled(table, origin)
    return values


def _rule_table(table: Mapping[str, Any], key: str, shape: str, origin: str) -> Mapping[str, Any]:
    """The ``[severity]`` or ``[disable]`` table, every key a known rule id."""
    rules = table.get(key, {})
    if not isinstance(rules, Mapping):
        raise ConfigError(f"[{key}] must be a table of {shape}", file=origin, path=key)
    for rule in rules:
        if rule not in RULE_IDS:
            raise ConfigError(
                f"unknown rule {rule!r}",
                file=origin,
                path=f"{key}.{rule}",
                hint="run `claimgraph rules` for the list",
            )
    return rules


def _severities(table: Mapping[str, Any], origin: str) -> dict[str, Severity]:
    severities = {}
    for rule, level in _rule_table(table, "severity", "rule = severity", origin).items():
        if level not in {s.value for s in Severity}:
            raise ConfigError(
                f"severity must be error, warning or info, not {level!r}",
                file=origin,
                path=f"severity.{rule}",
            )
        severities[rule] = Severity(level)
    return severities


def _disabled(table: Mapping[str, Any], origin: str) -> dict[str, str]:
    disabled = {}
    for rule, reason in _rule_table(table, "disable", 'rule = "reason"', origin).items():
        if not isinstance(reason, str) or not reason.strip():
            raise ConfigError(
                'a rule is switched off with a reason: rule = "why"',
                file=origin,
                path=f"disable.{rule}",
            )
        disabled[rule] = reason.strip()
    return disabled


def _support_settings(table: Mapping[str, Any], origin: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if "support" in table:
        if not isinstance(table["support"], bool):
            raise ConfigError("support must be true or false", file=origin, path="support")
        values["support"] = table["support"]
    if "support-model" in table:
        folder = table["support-model"]
        if not isinstance(folder, str) or not folder.strip():
            raise ConfigError(
                "support-model must be the path of a folder", file=origin, path="support-model"
            )
        path = Path(folder).expanduser()
        if not path.is_absolute():
            path = Path(origin).parent / path  # relative to the config file
        if not path.is_dir():
            raise ConfigError(
                f"support-model folder not found: {path}",
                file=origin,
                path="support-model",
                hint="a folder with model.onnx, tokenizer.json and labels.json",
            )
        values["support_model"] = path
    return values


def _read_toml(path: Path) -> dict[str, Any]:
    name = str(path)
    try:
        raw = read_input(path)
        text = decode_text(
            raw, name, hint="TOML files are UTF-8: save the file as UTF-8", encoding="utf-8"
        )
    except InputError as exc:
        raise ConfigError(exc.message, file=name, line=exc.line, hint=exc.hint) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", file=name) from None
    except ValueError:  # an integer of more than 4,300 digits
        error = number_too_long(text, name)
        raise ConfigError(error.message, file=name, line=error.line, column=error.column) from None


def find_config_file(start: Path) -> tuple[Path, bool] | None:
    """The nearest claimgraph.toml, or pyproject.toml with [tool.claimgraph], at or above start."""
    folder = start.resolve()
    for candidate_dir in (folder, *folder.parents):
        toml = candidate_dir / "claimgraph.toml"
        if toml.exists():  # a folder or pipe of that name is an error when read, never skipped
            return toml, False
        pyproject = candidate_dir / "pyproject.toml"
        if pyproject.is_file():
            data = _read_toml(pyproject)
            if "claimgraph" in data.get("tool", {}):
                return pyproject, True
    return None


def load_config(
    path: Path | None = None, *, start: Path | None = None, environ: Mapping[str, str] | None = None
) -> Config:
    """Settings from ``path`` (or the nearest config file above ``start``), then the environment."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    if path is not None:
        found: tuple[Path, bool] | None = (path, path.name == "pyproject.toml")
        if not path.exists():
            raise ConfigError("config file not found", file=str(path))
    else:
        found = find_config_file(start or Path.cwd())
    if found is not None:
        config_path, is_pyproject = found
        data = _read_toml(config_path)
        table = data.get("tool", {}).get("claimgraph", {}) if is_pyproject else data
        if not isinstance(table, Mapping):
            raise ConfigError("[tool.claimgraph] must be a table", file=str(config_path))
        values.update(parse_config(table, str(config_path)))
    if env.get("CLAIMGRAPH_EMAIL"):
        values["email"] = env["CLAIMGRAPH_EMAIL"]
    if env.get("NCBI_API_KEY"):
        values["ncbi_api_key"] = env["NCBI_API_KEY"]
    if env.get("CLAIMGRAPH_PUBMED_URL"):
        values["pubmed_url"] = env["CLAIMGRAPH_PUBMED_URL"]
    if env.get("CLAIMGRAPH_CROSSREF_URL"):
        values["crossref_url"] = env["CLAIMGRAPH_CROSSREF_URL"]
    if env.get("CLAIMGRAPH_CACHE_DIR"):
        values["cache_dir"] = Path(env["CLAIMGRAPH_CACHE_DIR"])
    return Config(**values)
