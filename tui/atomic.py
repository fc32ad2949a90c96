"""Writing output files whole or not at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from tui.errors import OutputError


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write `data` to `path` through a temporary file renamed into place.

    A failure part-way leaves no partial file behind, and an existing file is
    replaced only by a complete new one.

    Raises:
        OutputError: when the folder is missing or the file cannot be written.
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = target.parent if str(target.parent) else Path(".")

    if target.is_dir():
        raise OutputError(str(path), "is a directory")
    if not folder.is_dir():
        raise OutputError(str(path), f"no such folder: {folder}")

    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=folder
        )
    except OSError as error:
        raise OutputError(str(path), _reason(error)) from None

    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        if target.exists():
            os.chmod(temporary, target.stat().st_mode & 0o777)
        else:
            os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except OSError as error:
        _remove_quietly(temporary)
        raise OutputError(str(path), _reason(error)) from None
    except BaseException:
        _remove_quietly(temporary)
        raise


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _remove_quietly(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
