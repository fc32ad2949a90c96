"""Block aggregation for the overview: what each block shows and where zoom lands."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import tui.overview as overview
from tui.matrix import Matrix
from tui.overview import (
    BlockCache,
    block_reduce,
    fit_block,
    representative_cell,
    summarise,
)

NAN = math.nan


def direct(values: np.ndarray, size_r: int, size_c: int, how: str) -> np.ndarray:
    """The reduction written the obvious way, one block at a time."""
    rows, cols = values.shape
    out = np.full((math.ceil(rows / size_r), math.ceil(cols / size_c)), NAN)
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            block = values[i * size_r : (i + 1) * size_r, j * size_c : (j + 1) * size_c]
            present = block[~np.isnan(block)]
            if present.size:
                out[i, j] = {"min": np.min, "max": np.max, "mean": np.mean}[how](
                    present
                )
    return out


def test_min_max_and_mean_skip_missing_cells():
    values = np.array(
        [
            [0.9, NAN, 0.1, 0.2],
            [0.8, 0.7, NAN, NAN],
        ]
    )

    assert block_reduce(values, 2, 2, "min").tolist() == [[0.7, 0.1]]
    assert block_reduce(values, 2, 2, "max").tolist() == [[0.9, 0.2]]
    assert np.allclose(block_reduce(values, 2, 2, "mean"), [[0.8, 0.15]])


def test_one_bad_cell_shows_in_min_but_is_averaged_away_in_mean():
    values = np.full((10, 10), 0.95)
    values[3, 7] = 0.05

    assert block_reduce(values, 10, 10, "min")[0, 0] == pytest.approx(0.05)
    assert block_reduce(values, 10, 10, "mean")[0, 0] == pytest.approx(0.941)


def test_a_block_with_no_present_cell_is_missing():
    values = np.array([[NAN, NAN, 1.0], [NAN, NAN, 2.0]])

    reduced = block_reduce(values, 2, 2, "min")

    assert np.isnan(reduced[0, 0])
    assert reduced[0, 1] == 1.0


def test_edge_blocks_reduce_over_the_cells_they_have():
    values = np.arange(35, dtype=float).reshape(5, 7)

    reduced = block_reduce(values, 2, 3, "max")

    assert reduced.shape == (3, 3)
    assert reduced[2, 2] == 34.0
    assert reduced[0, 2] == 13.0
    assert reduced[2, 0] == 30.0


def test_a_1x1_matrix_and_1x1_blocks():
    one = np.array([[0.25]])
    values = np.array([[1.0, NAN], [3.0, 4.0]])

    assert block_reduce(one, 4, 4, "mean").tolist() == [[0.25]]
    assert np.array_equal(block_reduce(values, 1, 1, "min"), values, equal_nan=True)


def test_unknown_aggregate_and_empty_block_are_refused():
    values = np.zeros((2, 2))

    with pytest.raises(ValueError, match="aggregate"):
        block_reduce(values, 1, 1, "median")
    with pytest.raises(ValueError, match="one row"):
        block_reduce(values, 0, 1, "min")


@pytest.mark.parametrize("how", ["min", "max", "mean"])
def test_chunked_bands_give_the_same_as_one_pass(monkeypatch, how):
    rng = np.random.default_rng(7)
    values = rng.random((97, 61))
    values[rng.random(values.shape) < 0.1] = NAN
    whole = block_reduce(values, 4, 5, how)

    monkeypatch.setattr(overview, "BAND_CELLS", 50)
    banded = block_reduce(values, 4, 5, how)

    assert np.allclose(banded, whole, equal_nan=True)
    assert np.allclose(banded, direct(values, 4, 5, how), equal_nan=True)


@settings(max_examples=60, deadline=None)
@given(
    values=arrays(
        np.float64,
        st.tuples(st.integers(1, 12), st.integers(1, 12)),
        elements=st.one_of(st.just(NAN), st.floats(-5, 5)),
    ),
    size_r=st.integers(1, 5),
    size_c=st.integers(1, 5),
    how=st.sampled_from(["min", "max", "mean"]),
)
def test_any_matrix_reduces_as_the_direct_computation(values, size_r, size_c, how):
    expected = direct(values, size_r, size_c, how)

    assert np.allclose(
        block_reduce(values, size_r, size_c, how), expected, equal_nan=True
    )


def test_a_memory_map_is_reduced_in_place(tmp_path):
    values = np.arange(400, dtype=float).reshape(20, 20)
    path = tmp_path / "m.npy"
    np.save(path, values)
    mapped = np.load(path, mmap_mode="r")

    assert np.array_equal(
        block_reduce(mapped, 6, 6, "mean"), block_reduce(values, 6, 6, "mean")
    )


def test_the_zoom_lands_on_the_cell_the_aggregate_shows():
    values = np.full((6, 6), 0.5)
    values[4, 1] = 0.3
    values[5, 2] = 1.0

    assert representative_cell(values, 3, 3, (1, 0), "min") == (4, 1)
    assert representative_cell(values, 3, 3, (1, 0), "max") == (5, 2)
    assert representative_cell(values, 3, 3, (1, 0), "mean") == (5, 2)
    assert representative_cell(values, 3, 3, (0, 1), "min") == (0, 3)


def test_the_zoom_into_an_empty_block_lands_on_its_first_cell():
    values = np.full((4, 4), NAN)
    values[0, 0] = 1.0

    assert representative_cell(values, 2, 2, (1, 1), "min") == (2, 2)


@pytest.mark.parametrize(
    ("shape", "area", "expected"),
    [
        ((5, 5), (100, 76), 1),
        ((4000, 4000), (100, 76), 53),
        ((300, 10), (100, 76), 4),
        ((10, 1000), (100, 76), 10),
    ],
)
def test_the_block_fits_the_whole_matrix(shape, area, expected):
    block = fit_block(*shape, *area)

    assert block == expected
    assert math.ceil(shape[0] / block) <= area[1]
    assert math.ceil(shape[1] / block) <= area[0]


def test_the_cache_computes_each_reduction_once(monkeypatch):
    values = np.arange(16, dtype=float).reshape(4, 4)
    cache = BlockCache(values)
    calls = []
    original = overview.block_reduce

    def counting(*args):
        calls.append(args[1:])
        return original(*args)

    monkeypatch.setattr(overview, "block_reduce", counting)
    first = cache.reduced(2, "min")
    again = cache.reduced(2, "min")
    cache.reduced(2, "max")

    assert again is first
    assert calls == [(2, 2, "min"), (2, 2, "max")]


@pytest.mark.parametrize(
    "values",
    [
        [[1.0, 2.0], [0.0, 7.0]],
        [[1.0, 2.5], [NAN, 0.0]],
        [[-1.0, 2.0], [3.0, 4.0]],
        [[NAN, NAN], [NAN, NAN]],
        [[math.inf, 3.0], [1.0, NAN]],
    ],
)
def test_the_banded_summary_agrees_with_the_matrix(monkeypatch, values):
    monkeypatch.setattr(overview, "BAND_CELLS", 1)
    matrix = Matrix(np.array(values))

    summary = summarise(matrix.values)

    assert summary.is_counts == matrix.is_counts
    finite = matrix.finite_values
    if finite.size:
        assert (summary.low, summary.high) == (finite.min(), finite.max())
    else:
        assert summary.low is None and summary.high is None
