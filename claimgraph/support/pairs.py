"""``claimgraph support PAIRS.jsonl``: read pairs, write judgements, both as JSON lines.

Input lines: ``{"id", "claim", "title", "abstract"}`` (``title`` may be empty or missing;
``abstract`` may be null: that pair is ``not_checked``). Output lines:
``{"id", "label", "score", "evidence": [{"text", "start", "end"}]}`` plus ``topic`` and
``model``. A bad line is an :class:`InputError` naming the file and the line number.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from claimgraph.errors import InputError
from claimgraph.reading import number_too_long, read_input
from claimgraph.support.types import Judgement, SupportPair


def _field(row: dict[str, Any], key: str, where: dict[str, Any], *, required: bool) -> str | None:
    value = row.get(key)
    if value is None:
        if required:
            raise InputError(f'missing "{key}"', **where, hint=_HINT)
        return None
    if key == "id" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise InputError(
            f'"{key}" must be a string, not {type(value).__name__}', **where, hint=_HINT
        )
    return value


_HINT = 'each line is {"id": "...", "claim": "...", "title": "...", "abstract": "..."}'


def parse_pairs(lines: Iterable[str], file: str) -> Iterator[SupportPair]:
    """The pairs of a JSON-lines text; blank lines are skipped, ids must be unique."""
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where: dict[str, Any] = {"file": file, "line": number}
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"not valid JSON: {exc.msg}", **where, column=exc.colno, hint=_HINT
            ) from None
        except ValueError:  # an integer of more than 4,300 digits
            raise number_too_long(line, file, first_line=number) from None
        if not isinstance(row, dict):
            raise InputError("a line must be a JSON object", **where, hint=_HINT)
        pair_id = _field(row, "id", where, required=True)
        claim = _field(row, "claim", where, required=True)
        assert pair_id is not None and claim is not None
        if not claim.strip():
            raise InputError('"claim" is empty', **where, hint=_HINT)
        if pair_id in seen:
            raise InputError(
                f"duplicate id {pair_id!r}", **where, hint="give every pair its own id"
            )
        seen.add(pair_id)
        title = _field(row, "title", where, required=False) or ""
        abstract = _field(row, "abstract", where, required=False)
        yield SupportPair(id=pair_id, claim=claim, abstract=abstract, title=title)


def read_pairs(path: Path) -> list[SupportPair]:
    try:
        text = read_input(path).decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", file=str(path), hint="save the file as UTF-8") from None
    return list(parse_pairs(text.splitlines(), str(path)))


def judgement_row(pair_id: str, judgement: Judgement) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": pair_id,
        "label": judgement.label.value,
        "score": judgement.score,
        "evidence": [{"text": e.text, "start": e.start, "end": e.end} for e in judgement.evidence],
        "topic": judgement.topic,
        "model": judgement.model or None,
    }
    if judgement.note:
        row["note"] = judgement.note
    return row


def format_judgements(pairs: list[SupportPair], judgements: list[Judgement]) -> str:
    return "".join(
        json.dumps(judgement_row(p.id, j), ensure_ascii=False) + "\n"
        for p, j in zip(pairs, judgements, strict=True)
    )
