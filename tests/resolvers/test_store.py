"""The record store: answers per key, lifetimes, damage, and several processes at once."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from claimgraph.cli import main
from claimgraph.records import Record
from claimgraph.store import NEGATIVE_SHARE, STORE_FILE, Answer, RecordStore, StoreError, open_store

DAY = 86400.0
RECORD = Record(service="pubmed", pmid="123", title="A title", abstract="An abstract.")


def test_answers_round_trip_in_bulk(tmp_path: Path) -> None:
    store = open_store(tmp_path, max_age=DAY, offline=False)
    store.put_many(
        {
            "pubmed:pmid:123": Answer(records=(RECORD,)),
            "pubmed:pmid:9": Answer(),
            "pubmed:term:x": Answer(ids=("123",)),
            "crossref:doi:10.1/x": Answer(agency="datacite"),
        }
    )
    found = store.get_many(["pubmed:pmid:123", "pubmed:pmid:9", "absent", "pubmed:term:x"])
    assert found["pubmed:pmid:123"].records == (RECORD,)
    assert found["pubmed:pmid:123"].records[0].abstract == "An abstract."
    assert not found["pubmed:pmid:9"].exists
    assert found["pubmed:term:x"].ids == ("123",)
    assert "absent" not in found
    assert store.get_many([f"k{i}" for i in range(2500)]) == {}  # more keys than one SELECT
    store.close()
    offline = open_store(tmp_path, max_age=DAY, offline=True)
    assert offline.get_many(["crossref:doi:10.1/x"])["crossref:doi:10.1/x"].agency == "datacite"
    offline.put_many({"never": Answer()})  # offline never writes
    offline.close()
    again = open_store(tmp_path, max_age=DAY, offline=False)
    assert again.get_many(["never"]) == {}


def test_does_not_exist_lives_shorter_and_expired_answers_serve_offline_only(
    tmp_path: Path,
) -> None:
    store = open_store(tmp_path, max_age=DAY, offline=False)
    store.put_many({"found": Answer(records=(RECORD,)), "missing": Answer()})
    with sqlite3.connect(tmp_path / STORE_FILE) as db:
        rows = dict(db.execute("SELECT key, expires - stored FROM answers").fetchall())
        assert rows["found"] == pytest.approx(DAY)
        assert rows["missing"] == pytest.approx(DAY * NEGATIVE_SHARE)
        db.execute("UPDATE answers SET expires = ?", (time.time() - 1,))
    assert store.get_many(["found", "missing"]) == {}  # online: expired is a miss
    offline = open_store(tmp_path, max_age=DAY, offline=True)
    assert set(offline.get_many(["found", "missing"])) == {"found", "missing"}


def test_refresh_reads_nothing_but_writes(tmp_path: Path) -> None:
    store = open_store(tmp_path, max_age=DAY, offline=False)
    store.put_many({"a": Answer()})
    store.refresh = True
    assert store.get_many(["a"]) == {}
    store.put_many({"b": Answer(ids=("1",))})
    store.refresh = False
    assert set(store.get_many(["a", "b"])) == {"a", "b"}


def _filled(folder: Path) -> Path:
    store = open_store(folder, max_age=DAY, offline=False)
    store.put_many({f"pubmed:pmid:{n}": Answer(records=(RECORD,)) for n in range(300)})
    store.close()
    return folder / STORE_FILE


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _garble(path: Path) -> None:
    path.write_bytes(b"this is not a database\n" * 100)


@pytest.mark.parametrize("damage", [_truncate, _garble], ids=["truncated", "not-a-database"])
def test_a_damaged_store_is_set_aside_online_and_skipped_offline(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, damage: object
) -> None:
    path = _filled(tmp_path)
    for extra in tmp_path.glob(STORE_FILE + "-*"):
        extra.unlink()
    damage(path)  # type: ignore[operator]
    with caplog.at_level(logging.WARNING):
        offline = open_store(tmp_path, max_age=DAY, offline=True)
        assert offline.get_many(["pubmed:pmid:1"]) == {}
    assert path.exists()  # offline changes nothing
    with caplog.at_level(logging.WARNING):
        store = open_store(tmp_path, max_age=DAY, offline=False)
    aside = list(tmp_path.glob(STORE_FILE + ".damaged-*"))
    assert len(aside) == 1
    assert any(
        str(path) in r.getMessage() and aside[0].name in r.getMessage() for r in caplog.records
    )
    store.put_many({"fresh": Answer()})
    assert set(store.get_many(["fresh", "pubmed:pmid:1"])) == {"fresh"}


def test_a_store_of_another_version_is_set_aside(tmp_path: Path) -> None:
    path = _filled(tmp_path)
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    open_store(tmp_path, max_age=DAY, offline=False).close()
    aside = [p for p in tmp_path.glob(STORE_FILE + ".damaged-*") if not p.name.endswith("-shm")]
    assert [p.suffix for p in aside if not p.name.endswith("-wal")]  # the database itself


def test_a_file_where_the_folder_should_be(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError) as err:
        open_store(blocker, max_age=DAY, offline=False)
    assert str(blocker) in str(err.value) and "CLAIMGRAPH_CACHE_DIR" in str(err.value)
    offline = open_store(blocker, max_age=DAY, offline=True)
    assert offline.get_many(["x"]) == {}
    assert blocker.read_text() == "not a folder"


def test_an_unwritable_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "cache"
    _filled(folder)
    if os.geteuid() == 0:  # root writes anywhere: pretend the permission check says no
        monkeypatch.setattr("claimgraph.store.os.access", lambda *_args, **_kw: False)
    folder.chmod(0o500)
    try:
        with pytest.raises(StoreError, match="not writable"):
            open_store(folder, max_age=DAY, offline=False)
        # offline only reads: what is there is still used
        offline = open_store(folder, max_age=DAY, offline=True)
        assert "pubmed:pmid:1" in offline.get_many(["pubmed:pmid:1"])
    finally:
        folder.chmod(0o700)


def test_a_store_failing_mid_run_is_dropped_not_raised(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = open_store(tmp_path, max_age=DAY, offline=False)
    assert store._db is not None
    store._db.execute("DROP TABLE answers")
    with caplog.at_level(logging.WARNING):
        assert store.get_many(["a"]) == {}
        store.put_many({"a": Answer()})
    assert "continuing without it" in caplog.text


# --------------------------------------------------------------------------- CLI


def _project(folder: Path) -> Path:
    folder.mkdir()
    (folder / "claims.json").write_text(
        json.dumps({"claims": [{"id": "c", "text": "A claim.", "sources": ["s", "b"]}]})
    )
    (folder / "sources.json").write_text(
        json.dumps(
            {
                "sources": [
                    {"id": "s", "kind": "journal-article", "pmid": "16855421"},
                    {"id": "b", "kind": "blog", "url": "https://example.org"},
                ]
            }
        )
    )
    return folder


def test_check_with_a_file_for_a_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _project(tmp_path / "article")
    blocker = tmp_path / "cache"
    blocker.write_text("x")
    monkeypatch.setenv("CLAIMGRAPH_CACHE_DIR", str(blocker))
    monkeypatch.setenv("CLAIMGRAPH_PUBMED_URL", "http://127.0.0.1:9/")
    monkeypatch.setenv("CLAIMGRAPH_CROSSREF_URL", "http://127.0.0.1:9/")
    # offline: a report all the same
    assert main(["check", "--offline", "--format", "json", str(folder)]) in (0, 1)
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert {s["id"]: s["status"] for s in report["sources"]}["s"] == "unverifiable"
    assert "Traceback" not in err
    # online: exit 2 naming the file and the fix, no traceback
    assert main(["check", str(folder)]) == 2
    out, err = capsys.readouterr()
    assert str(blocker) in err and "CLAIMGRAPH_CACHE_DIR" in err
    assert "Traceback" not in err


def test_check_with_a_damaged_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _project(tmp_path / "article")
    cache = tmp_path / "cache"
    _garble(_filled(cache))
    monkeypatch.setenv("CLAIMGRAPH_CACHE_DIR", str(cache))
    assert main(["check", "--offline", "--format", "json", str(folder)]) in (0, 1)
    out, err = capsys.readouterr()
    assert json.loads(out)["summary"]["sources"] == 2
    assert "Traceback" not in err


# --------------------------------------------------------------------------- processes

_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from claimgraph.records import Record
    from claimgraph.store import Answer, open_store

    folder, name = Path(sys.argv[1]), sys.argv[2]
    store = open_store(folder, max_age=86400.0, offline=False)
    for batch in range(40):
        keys = [f"{name}:{batch}:{n}" for n in range(50)]
        store.put_many({k: Answer(records=(Record(service="pubmed", pmid="1", title=k),))
                        for k in keys})
        shared = store.get_many([f"{other}:{batch}:0" for other in ("a", "b")])
        assert f"{name}:{batch}:0" in shared
    store.close()
    """
)


def test_two_processes_write_one_store(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(tmp_path), name], env=env, stderr=subprocess.PIPE
        )
        for name in ("a", "b")
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err.decode()
    store = open_store(tmp_path, max_age=DAY, offline=False)
    assert store.count() == 2 * 40 * 50
    with sqlite3.connect(tmp_path / STORE_FILE) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    found = store.get_many([f"b:39:{n}" for n in range(50)])
    assert found["b:39:7"].records[0].title == "b:39:7"


def test_memory_store_for_tests() -> None:
    store = RecordStore.memory()
    store.put_many({"k": Answer(ids=("1",))})
    assert store.get_many(["k"])["k"].ids == ("1",)
