"""Watching a matrix file: settle, reload, fail safely, keep the cursor."""

import json
import os

import numpy as np
import pytest

from tui.errors import InputError
from tui.matrix import Matrix
from tui.watch import FileWatcher, changed_cells, file_signature, map_cursor

nan = np.nan


def read_json(path):
    """A minimal loader for these tests: a JSON list of rows, or InputError."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    try:
        rows = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(path, f"not valid JSON ({error.msg})") from None
    return Matrix(np.array(rows, dtype=float), source=path)


class Clock:
    """Hands out distinct modification times, so no test needs to sleep."""

    def __init__(self):
        self.now = 1_700_000_000_000_000_000

    def stamp(self, path):
        self.now += 1_000_000_000
        os.utime(path, ns=(self.now, self.now))


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def watched(tmp_path, clock):
    path = tmp_path / "matrix.json"
    path.write_text("[[1, 2], [3, 4]]")
    clock.stamp(path)
    watcher = FileWatcher(str(path), read_json, read_json(str(path)))
    return path, watcher


def rewrite(path, clock, text):
    path.write_text(text)
    clock.stamp(path)


def test_an_untouched_file_is_unchanged(watched):
    _, watcher = watched

    assert watcher.check().kind == "unchanged"
    assert watcher.check().kind == "unchanged"


def test_a_change_is_read_once_it_held_still_for_a_poll(watched, clock):
    path, watcher = watched
    rewrite(path, clock, "[[1, 2], [3, 5]]")

    first = watcher.check()
    second = watcher.check()
    third = watcher.check()

    assert first.kind == "unchanged"
    assert second.kind == "reloaded"
    np.testing.assert_array_equal(second.matrix.values, [[1, 2], [3, 5]])
    np.testing.assert_array_equal(second.changed, [[False, False], [False, True]])
    assert watcher.last_good is second.matrix
    assert third.kind == "unchanged"


def test_a_read_the_file_changed_under_is_thrown_away_and_done_again(tmp_path, clock):
    path = tmp_path / "matrix.json"
    path.write_text("[[1, 2], [3, 4]]")
    clock.stamp(path)
    rewrites = ["[[9, 9], [9, 9]]"]

    def read_while_written(name):
        matrix = read_json(name)
        if rewrites:
            rewrite(path, clock, rewrites.pop())
        return matrix

    watcher = FileWatcher(str(path), read_while_written, read_json(str(path)))
    rewrite(path, clock, "[[1, 2], [3, 5]]")

    results = [watcher.check().kind for _ in range(3)]

    assert results == ["unchanged", "unchanged", "reloaded"]
    np.testing.assert_array_equal(watcher.last_good.values, [[9, 9], [9, 9]])


def test_a_failure_while_the_file_changed_is_not_reported(tmp_path, clock):
    path = tmp_path / "matrix.json"
    path.write_text("[[1, 2], [3, 4]]")
    clock.stamp(path)
    fixes = ["[[5, 6], [7, 8]]"]

    def fail_while_written(name):
        if fixes:
            rewrite(path, clock, fixes.pop())
            raise InputError(name, "line 1 is half-written")
        return read_json(name)

    watcher = FileWatcher(str(path), fail_while_written, read_json(str(path)))
    rewrite(path, clock, "[[1, 2")

    results = [watcher.check() for _ in range(3)]

    assert [result.kind for result in results] == ["unchanged", "unchanged", "reloaded"]
    np.testing.assert_array_equal(results[2].matrix.values, [[5, 6], [7, 8]])


def test_a_file_still_being_written_is_not_read(watched, clock):
    path, watcher = watched
    rewrite(path, clock, "[[1, 2], [3")
    assert watcher.check().kind == "unchanged"

    rewrite(path, clock, "[[1, 2], [3, 6]]")
    assert watcher.check().kind == "unchanged"

    result = watcher.check()
    assert result.kind == "reloaded"
    assert result.matrix.value(1, 1) == 6


def test_an_invalid_rewrite_fails_and_keeps_the_last_good(watched, clock):
    path, watcher = watched
    good = watcher.last_good
    rewrite(path, clock, "[[1, 2], [3")

    watcher.check()
    result = watcher.check()

    assert result.kind == "failed"
    assert result.matrix is None
    assert result.message.startswith(str(path))
    assert "not valid JSON" in result.message
    assert watcher.last_good is good
    assert watcher.check().kind == "unchanged"


def test_a_fixed_file_is_read_after_a_failure(watched, clock):
    path, watcher = watched
    rewrite(path, clock, "oops")
    watcher.check()
    assert watcher.check().kind == "failed"

    rewrite(path, clock, "[[0, 0], [0, 0]]")
    watcher.check()
    result = watcher.check()

    assert result.kind == "reloaded"
    assert result.changed.all()


def test_a_file_replaced_by_rename_is_noticed(watched, clock, tmp_path):
    path, watcher = watched
    fresh = tmp_path / "fresh.json"
    fresh.write_text("[[9, 2], [3, 4]]")
    os.replace(fresh, path)

    watcher.check()
    result = watcher.check()

    assert result.kind == "reloaded"
    np.testing.assert_array_equal(result.changed, [[True, False], [False, False]])


def test_a_new_shape_marks_every_cell_changed(watched, clock):
    path, watcher = watched
    rewrite(path, clock, "[[1, 2, 3]]")

    watcher.check()
    result = watcher.check()

    assert result.changed.shape == (1, 3)
    assert result.changed.all()


def test_a_deleted_file_fails_once_then_comes_back(watched, clock):
    path, watcher = watched
    path.unlink()

    assert watcher.check().kind == "unchanged"
    gone = watcher.check()
    assert gone.kind == "failed"
    assert "gone" in gone.message
    assert watcher.check().kind == "unchanged"

    rewrite(path, clock, "[[1, 2], [3, 4]]")
    watcher.check()
    back = watcher.check()
    assert back.kind == "reloaded"
    assert not back.changed.any()


def test_a_loader_error_other_than_ours_is_a_failure_too(tmp_path, clock):
    path = tmp_path / "m.json"
    path.write_text("[[1]]")

    def broken(_):
        raise PermissionError("permission denied")

    watcher = FileWatcher(str(path), broken)
    rewrite(path, clock, "[[2]]")
    watcher.check()
    result = watcher.check()

    assert result.kind == "failed"
    assert result.message == f"{path}: permission denied"


def test_file_signature_of_a_missing_file_is_none(tmp_path):
    assert file_signature(str(tmp_path / "absent.csv")) is None
    assert file_signature(str(tmp_path)) is not None


def test_changed_cells_treats_missing_as_equal():
    old = Matrix(np.array([[nan, 1.0], [2.0, nan]]))
    new = Matrix(np.array([[nan, 1.0], [2.5, 0.0]]))

    np.testing.assert_array_equal(
        changed_cells(old, new), [[False, False], [True, True]]
    )


def test_changed_cells_refuses_different_shapes():
    with pytest.raises(ValueError, match="shapes differ"):
        changed_cells(Matrix(np.zeros((1, 2))), Matrix(np.zeros((2, 1))))


def labelled(rows, cols):
    return Matrix(
        np.zeros((len(rows), len(cols))),
        row_labels=tuple(rows),
        col_labels=tuple(cols),
        has_row_labels=True,
        has_col_labels=True,
    )


def test_cursor_follows_its_labels():
    old = labelled(["a", "b", "c"], ["x", "y"])
    new = labelled(["c", "a", "b"], ["y", "x"])

    assert map_cursor(old, new, 2, 0) == (0, 1)


def test_cursor_whose_label_is_gone_keeps_its_place_clamped():
    old = labelled(["a", "b", "c"], ["x", "y"])
    new = labelled(["a", "b"], ["y"])

    assert map_cursor(old, new, 2, 0) == (1, 0)


def test_cursor_follows_the_same_occurrence_of_a_repeated_label():
    old = labelled(["a", "b", "a"], ["x"])
    new = labelled(["b", "a", "a"], ["x"])

    assert map_cursor(old, new, 2, 0) == (2, 0)
    assert map_cursor(old, new, 0, 0) == (1, 0)


def test_cursor_without_labels_keeps_its_position():
    old = Matrix(np.zeros((5, 5)))
    new = Matrix(np.zeros((3, 6)))

    assert map_cursor(old, new, 4, 4) == (2, 4)
    assert map_cursor(old, new, 1, 2) == (1, 2)
