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


def test_a_symlink_is_written_through_to_its_target(tmp_path: Path) -> None:
    (tmp_path / "real.txt").write_text("old")
    (tmp_path / "link.txt").symlink_to("real.txt")
    write_text_atomic(tmp_path / "link.txt", "new")
    assert (tmp_path / "link.txt").is_symlink()
    assert (tmp_path / "real.txt").read_text() == "new"


def test_an_oserror_is_an_input_error_naming_the_file(tmp_path: Path) -> None:
    from claimgraph.errors import InputError

    with pytest.raises(InputError, match="cannot write the file") as caught:
        write_text_atomic(tmp_path / "missing" / "report.txt", "x")
    assert caught.value.file == str(tmp_path / "missing" / "report.txt")


def test_check_output_names_the_reason(tmp_path: Path) -> None:
    from claimgraph.atomic import check_output, check_output_folder
    from claimgraph.errors import InputError

    (tmp_path / "claims.json").write_text("{}")
    with pytest.raises(InputError, match="does not exist"):
        check_output(tmp_path / "nodir" / "r.txt")
    with pytest.raises(InputError, match="refusing to overwrite an input file"):
        check_output(tmp_path / "claims.json", inputs=[tmp_path / "claims.json"])
    check_output(tmp_path / "report.txt", inputs=[tmp_path / "claims.json", None])
    check_output(os.devnull)
    check_output_folder(tmp_path / "new" / "deeper", ["claims.json"])
    with pytest.raises(InputError, match="must be a folder"):
        check_output_folder(tmp_path / "claims.json", ["claims.json"])
