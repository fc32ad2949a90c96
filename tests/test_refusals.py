"""Every kind of bad input, at the command line: exit 2 and one line naming the file."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from tui.cli import main

ROOT = Path(__file__).resolve().parent.parent


def text(content: str | bytes, name: str = "bad.csv") -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        data = content.encode() if isinstance(content, str) else content
        path.write_bytes(data)
        return path

    return make


def array(value: np.ndarray, name: str = "bad.npy") -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        buffer = io.BytesIO()
        np.save(buffer, value, allow_pickle=value.dtype.hasobject)
        path = folder / name
        path.write_bytes(buffer.getvalue())
        return path

    return make


def pickled_member(folder: Path) -> Path:
    value = np.empty((1, 1), dtype=object)
    value[0, 0] = {"a": 1}
    path = folder / "bad.npz"
    np.savez(path, values=value)
    return path


def npz_without_the_key(folder: Path) -> Path:
    path = folder / "bad.npz"
    np.savez(path, values=np.eye(2))
    return path


def directory(folder: Path) -> Path:
    path = folder / "bad.csv"
    path.mkdir()
    return path


def symlink_loop(folder: Path) -> Path:
    path = folder / "bad.csv"
    path.symlink_to(path)
    return path


def missing(folder: Path) -> Path:
    return folder / "absent.csv"


def objects() -> np.ndarray:
    value = np.empty((2, 2), dtype=object)
    value[:] = "x"
    return value


REFUSED = {
    "empty": text(""),
    "whitespace only": text(" \n \n"),
    "header only": text("a,b,c\n"),
    "ragged": text("a,b,c\n1,2,3\n4,5\n"),
    "not a number": text("a,b\n1,abc\n"),
    "thousands separator": text('a,b\n"1,234",2\n'),
    "decimal comma": text("a;b\n0,97;0,5\n"),
    "mixed separators": text("a,b\n1,2\n3;4\n", "bad.txt"),
    "binary": text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
    "latin-1 garbage": text(b"\xfa\xfb,\xe9\n\xe8,\xe7\n"),
    "0-D": array(np.float64(1.0)),
    "1-D": array(np.arange(3.0)),
    "3-D": array(np.zeros((2, 2, 2))),
    "complex": array(np.zeros((2, 2), dtype=complex)),
    "object": array(objects()),
    "strings": array(np.array([["a", "b"]])),
    "pickled npz member": pickled_member,
    "npz key": npz_without_the_key,
    "json 1-D": text("[1, 2, 3]", "bad.json"),
    "json strings": text('[["1", 2]]', "bad.json"),
    "json label count": text('{"values": [[1]], "col_labels": ["a", "b"]}', "bad.json"),
    "json deep": text("[" * 50_000 + "]" * 50_000, "bad.json"),
    "directory": directory,
    "symlink loop": symlink_loop,
    "missing": missing,
}


def options_for(make: Callable[[Path], Path]) -> list[str]:
    """The options a case needs besides the file: the missing `.npz` key."""
    return ["--key", "nothing"] if make is npz_without_the_key else []


def assert_refused(code: int, out: str, err: str, path: Path) -> None:
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.endswith("\n")
    assert err.startswith("heatlens: ")
    assert str(path) in err
    assert "Traceback" not in err


@pytest.mark.parametrize("make", REFUSED.values(), ids=REFUSED.keys())
def test_anomalies_refuses_with_one_line(tmp_path, capsys, make):
    path = make(tmp_path)

    code = main(["anomalies", str(path), *options_for(make)])

    captured = capsys.readouterr()
    assert_refused(code, captured.out, captured.err, path)


@pytest.mark.parametrize("make", REFUSED.values(), ids=REFUSED.keys())
def test_export_writes_nothing_for_bad_input(tmp_path, capsys, make):
    path = make(tmp_path)
    output = tmp_path / "out.svg"

    code = main(["export", str(path), "-o", str(output), *options_for(make)])

    captured = capsys.readouterr()
    assert code == 2
    assert not output.exists()
    assert captured.err.count("\n") == 1


def test_device_is_refused(capsys):
    code = main(["anomalies", "/dev/zero"])

    captured = capsys.readouterr()
    assert_refused(code, captured.out, captured.err, Path("/dev/zero"))
    assert "device" in captured.err


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file_is_refused(tmp_path, capsys):
    path = tmp_path / "locked.csv"
    path.write_text("1,2\n")
    path.chmod(0)

    code = main(["anomalies", str(path)])

    captured = capsys.readouterr()
    assert_refused(code, captured.out, captured.err, path)


def run_cli(*arguments: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui", *arguments],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        timeout=30,
        check=False,
    )


def test_fifo_is_refused_promptly(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)

    result = run_cli("anomalies", str(fifo))

    err = result.stderr.decode()
    assert_refused(result.returncode, result.stdout.decode(), err, fifo)
    assert "named pipe" in err


def test_bad_standard_input_is_named_dash():
    result = run_cli("anomalies", "-", stdin=b"a,b\n1,2,3\n")

    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.decode() == "heatlens: -: line 2 has 3 values, expected 2\n"


def test_control_characters_in_names_and_cells_stay_harmless(tmp_path, capsys):
    path = tmp_path / "bad\x1b[2J.csv"
    path.write_text("a,b\n1,\x1b]52;c;cHduZWQ=\x07\n")

    code = main(["anomalies", str(path)])

    err = capsys.readouterr().err
    assert code == 2
    assert "\x1b" not in err and "\x07" not in err
    assert "bad␛[2J.csv" in err
