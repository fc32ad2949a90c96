"""Output files are written whole or not at all."""

import os

import pytest

from tui.atomic import write_atomic
from tui.errors import OutputError


def test_writes_the_whole_file(tmp_path):
    target = tmp_path / "out.svg"

    write_atomic(target, "<svg/>")

    assert target.read_text() == "<svg/>"
    assert os.listdir(tmp_path) == ["out.svg"]


def test_replaces_an_existing_file(tmp_path):
    target = tmp_path / "out.svg"
    target.write_text("old")

    write_atomic(target, b"new")

    assert target.read_text() == "new"


def test_missing_folder_is_one_clear_error(tmp_path):
    with pytest.raises(OutputError, match="no such folder"):
        write_atomic(tmp_path / "nope" / "out.svg", "x")


def test_a_directory_is_not_overwritten(tmp_path):
    with pytest.raises(OutputError, match="is a directory"):
        write_atomic(tmp_path, "x")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_folder_leaves_nothing(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)

    with pytest.raises(OutputError):
        write_atomic(folder / "out.svg", "x")
    assert os.listdir(folder) == []


def test_failure_while_writing_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "out.svg"
    target.write_text("old")

    def broken_replace(source, destination):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)

    with pytest.raises(OutputError, match="no space left"):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["out.svg"]
