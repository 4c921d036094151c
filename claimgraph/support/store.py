"""Judgements kept between runs: one SQLite file under the cache directory.

Keyed by the claim text, the record (its identifiers and a hash of its title and abstract)
and the model version, so a warm re-run judges nothing again, and a new model or an edited
claim is judged afresh. Separate from the HTTP cache. A damaged file is set aside (renamed
``*.damaged``) and a new one started: the cache never stops a run.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path

from claimgraph.support.types import EvidenceSpan, Judgement, SupportLabel, SupportPair

log = logging.getLogger(__name__)

STORE_NAME = "support-judgements.sqlite3"


def judgement_key(pair: SupportPair, model_version: str) -> str:
    """The cache key: claim text + record content + model version."""
    parts = (model_version, pair.claim, pair.title, pair.abstract or "", "\x1e".join(pair.mesh))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def to_json(judgement: Judgement) -> str:
    return json.dumps(
        {
            "label": judgement.label.value,
            "score": judgement.score,
            "evidence": [[e.text, e.start, e.end] for e in judgement.evidence],
            "topic": judgement.topic,
            "confident": judgement.confident,
            "model": judgement.model,
            "note": judgement.note,
            "probabilities": judgement.probabilities,
        }
    )


def from_json(text: str) -> Judgement:
    data = json.loads(text)
    return Judgement(
        label=SupportLabel(data["label"]),
        score=float(data["score"]),
        evidence=tuple(EvidenceSpan(t, int(s), int(e)) for t, s, e in data["evidence"]),
        topic=data["topic"],
        confident=bool(data["confident"]),
        model=str(data["model"]),
        note=str(data["note"]),
        probabilities={str(k): float(v) for k, v in data["probabilities"].items()},
    )


class JudgementStore:
    """Judgements by key in one SQLite file; a cache, so any trouble with it costs only speed.

    A damaged file is set aside (renamed, with a warning); a file that cannot be opened or
    written (a locked, read-only or missing folder) makes the run go on without the cache,
    with one warning. Nothing here ever ends a run.
    """

    #: seconds to wait for another process's write before giving up on the cache
    busy_timeout = 30.0

    def __init__(self, cache_dir: Path) -> None:
        self.path = cache_dir / STORE_NAME
        self._db: sqlite3.Connection | None = None
        self._unusable = False

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is None and not self._unusable:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                try:
                    self._db = self._open()
                except sqlite3.OperationalError:
                    raise  # locked, read-only or not openable: not damage
                except sqlite3.DatabaseError as exc:
                    damaged = self.path.with_suffix(".damaged")
                    log.warning(
                        "support cache %s is damaged (%s); set aside as %s", self.path, exc, damaged
                    )
                    self.path.replace(damaged)
                    self._db = self._open()
            except (OSError, sqlite3.Error) as exc:
                self._give_up(exc)
        return self._db

    def _give_up(self, exc: Exception) -> None:
        log.warning(
            "support cache %s cannot be used (%s); judging without it this run", self.path, exc
        )
        self._unusable = True
        self.close()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=self.busy_timeout)
        try:
            db.execute("CREATE TABLE IF NOT EXISTS judgements (key TEXT PRIMARY KEY, value TEXT)")
            db.execute("SELECT count(*) FROM judgements").fetchone()
        except sqlite3.Error:
            db.close()
            raise
        return db

    def get_many(self, keys: Iterable[str]) -> dict[str, Judgement]:
        wanted = list(dict.fromkeys(keys))
        found: dict[str, Judgement] = {}
        db = self._connect()
        if db is None:
            return found
        try:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = db.execute(
                    f"SELECT key, value FROM judgements WHERE key IN ({marks})",  # noqa: S608 - placeholders only
                    chunk,
                )
                for key, value in rows:
                    try:
                        found[key] = from_json(value)
                    except (ValueError, KeyError, TypeError):
                        continue  # an unreadable entry is judged again
        except sqlite3.Error as exc:
            self._give_up(exc)
        return found

    def put_many(self, items: Mapping[str, Judgement]) -> None:
        db = self._connect()
        if db is None:
            return
        rows = [
            (k, to_json(v)) for k, v in items.items() if v.label is not SupportLabel.NOT_CHECKED
        ]
        try:
            with db:
                db.executemany("INSERT OR REPLACE INTO judgements (key, value) VALUES (?, ?)", rows)
        except sqlite3.Error as exc:
            self._give_up(exc)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
