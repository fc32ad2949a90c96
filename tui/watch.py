"""Noticing that a matrix file changed and reading it again, safely.

A training run may rewrite its matrix every epoch, and a poll may land while
the file is half-written. `FileWatcher` therefore reads a changed file only
once it has looked the same for two polls in a row, throws a read away when
the file changed while it was read (a large file is read block by block),
and reports a read that fails without replacing anything: the caller keeps
showing the last good matrix. The watcher starts no thread and no timer; the
caller polls it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from tui.errors import HeatlensError
from tui.matrix import Matrix

Signature = tuple[int, int, int] | None
"""A file's modification time (ns), size and inode; None when it is gone."""


@dataclass(frozen=True, eq=False)
class WatchResult:
    """What one poll found.

    `kind` is `"unchanged"` (nothing to do, also while a change settles),
    `"reloaded"` (a new matrix was read) or `"failed"` (the file changed but
    could not be read; keep the last good matrix and show `message`).
    """

    kind: str
    matrix: Matrix | None = None
    """The matrix just read, for `"reloaded"`."""
    changed: np.ndarray | None = None
    """For `"reloaded"`, which cells differ from the previous matrix (all of
    them when the shape changed), in stored order."""
    message: str = ""
    """For `"failed"`, the file and the problem in one line."""


UNCHANGED = WatchResult("unchanged")

_REREAD: Signature = (-1, -1, -1)
"""What the watcher takes as seen after a read the file changed under: no
file has it, so the next poll sees a change and reads again once it settles."""


def file_signature(path: str) -> Signature:
    """The modification time, size and inode of `path`; None if it is gone."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_size, status.st_ino)


class FileWatcher:
    """Polls one file and reloads it after it changed and then held still.

    Args:
        path: the file to watch.
        load_fn: reads the file into a matrix, raising `HeatlensError` (or
            `OSError` / `ValueError`) when it cannot.
        matrix: the matrix already shown, read from `path` just before the
            watcher was made; the comparison base for changed cells.
    """

    def __init__(
        self,
        path: str,
        load_fn: Callable[[str], Matrix],
        matrix: Matrix | None = None,
    ) -> None:
        self.path = path
        self._load = load_fn
        self.last_good = matrix
        """The last matrix read successfully, or None."""
        self._seen = file_signature(path)
        self._pending: Signature = self._seen

    def check(self) -> WatchResult:
        """Look at the file once; read it if it changed and has settled."""
        signature = file_signature(self.path)
        if signature == self._seen:
            self._pending = signature
            return UNCHANGED

        if signature != self._pending:
            self._pending = signature
            return UNCHANGED

        self._seen = signature
        if signature is None:
            return WatchResult("failed", message=f"{self.path}: the file is gone")
        return self._reload()

    def _reload(self) -> WatchResult:
        try:
            matrix = self._load(self.path)
        except HeatlensError as error:
            return self._unless_changed(WatchResult("failed", message=str(error)))
        except (OSError, ValueError) as error:
            failure = WatchResult("failed", message=f"{self.path}: {error}")
            return self._unless_changed(failure)
        if self._changed_while_read():
            return UNCHANGED

        previous = self.last_good
        self.last_good = matrix
        if previous is None or previous.shape != matrix.shape:
            changed = np.ones(matrix.shape, dtype=bool)
        else:
            changed = changed_cells(previous, matrix)
        return WatchResult("reloaded", matrix=matrix, changed=changed)

    def _changed_while_read(self) -> bool:
        """Whether the file changed during the read just done; if so, read again."""
        now = file_signature(self.path)
        if now == self._seen:
            return False
        self._seen, self._pending = _REREAD, now
        return True

    def _unless_changed(self, failure: WatchResult) -> WatchResult:
        """A failed read, unless the file changed under it: then it is read again."""
        return UNCHANGED if self._changed_while_read() else failure


def changed_cells(old: Matrix, new: Matrix) -> np.ndarray:
    """A boolean mask of the cells whose value differs; NaN equals NaN.

    Raises:
        ValueError: when the two matrices differ in shape.
    """
    if old.shape != new.shape:
        raise ValueError(f"shapes differ: {old.shape} and {new.shape}")
    before = np.asarray(old.values)
    after = np.asarray(new.values)
    same = (before == after) | (np.isnan(before) & np.isnan(after))
    return ~same


def map_cursor(old: Matrix, new: Matrix, row: int, col: int) -> tuple[int, int]:
    """Where the cursor at (`row`, `col`) of `old` belongs in `new`.

    On an axis where both matrices have labels from their files, the cursor
    follows its label (the same occurrence of it, when labels repeat);
    otherwise, or when the label is gone, it keeps its position, clamped to
    the new shape.
    """
    new_row = _follow(
        old.row_labels, new.row_labels, row, old.has_row_labels and new.has_row_labels
    )
    new_col = _follow(
        old.col_labels, new.col_labels, col, old.has_col_labels and new.has_col_labels
    )
    return new_row, new_col


def _follow(
    before: tuple[str, ...], after: tuple[str, ...], index: int, by_label: bool
) -> int:
    if by_label and 0 <= index < len(before):
        label = before[index]
        occurrence = before[:index].count(label)
        matches = [i for i, candidate in enumerate(after) if candidate == label]
        if occurrence < len(matches):
            return matches[occurrence]
    return max(0, min(index, len(after) - 1))
