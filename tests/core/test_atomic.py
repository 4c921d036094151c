import os
import stat
from pathlib import Path

import pytest

from claimgraph.atomic import write_text_atomic


def test_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_text_atomic(tmp_path / "report.html", "<p>x</p>")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "report.html").stat().st_mode) == 0o644


def test_existing_file_keeps_its_mode_and_no_temp_file_is_left(tmp_path: Path) -> None:
    target = tmp_path / "sources.json"
    target.write_text("old")
    target.chmod(0o600)
    write_text_atomic(target, "new", final_newline=True)
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["sources.json"]


def test_a_failed_write_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "claims.json"
    target.write_text("keep me")

    class Boom(str):
        __slots__ = ()

        def endswith(self, *args: object) -> bool:
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_text_atomic(target, Boom("partial"), final_newline=True)
    assert target.read_text() == "keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["claims.json"]
