"""The anomaly detector: quiet on clean patterns, finds planted cells of each kind."""

import csv
import itertools
import math
import warnings
from pathlib import Path

import numpy as np
import pytest

from tui.anomalies import Anomaly, detect, infer_bounds, tail_factor
from tui.matrix import Matrix
from tui.patterns import (
    antidiagonal_fit,
    loo_group_median,
    row_medians,
    segment,
    value_order,
)

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"


def read_csv(name: str) -> Matrix:
    with (SAMPLES / name).open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    corner, *cols = rows[0]
    y_label, _, x_label = corner.partition("/")
    values = [[float(x) if x else math.nan for x in r[1:]] for r in rows[1:]]
    return Matrix(
        np.array(values),
        row_labels=tuple(r[0] for r in rows[1:]),
        col_labels=tuple(cols),
        x_label=x_label,
        y_label=y_label,
    )


def cells(found: list[Anomaly]) -> set[tuple[int, int]]:
    return {(a.row, a.col) for a in found}


def toeplitz(size: int, rng: np.random.Generator, noise: float = 0.01) -> np.ndarray:
    i = np.arange(size)
    distance = np.abs(i[:, None] - i[None, :])
    values = 0.95 * np.exp(-distance / 3.0) + 0.02
    return np.clip(values + rng.normal(0, noise, (size, size)), 0, 1)


def hankel(size: int, rng: np.random.Generator) -> np.ndarray:
    i = np.arange(size)
    values = 0.95 * np.exp(-(i[:, None] + i[None, :]) / size) + 0.02
    return np.clip(values + rng.normal(0, 0.01, (size, size)), 0, 1)


def corner(size: int, rng: np.random.Generator) -> np.ndarray:
    values = np.full((size, size), 0.1)
    values[: size // 2, : size // 2] = 0.9
    return np.clip(values + rng.normal(0, 0.01, (size, size)), 0, 1)


def blocks(size: int, rng: np.random.Generator) -> np.ndarray:
    group = np.arange(size) * 3 // size
    values = np.where(group[:, None] == group[None, :], 0.5, 0.03)
    np.fill_diagonal(values, 0.95)
    return np.clip(values + rng.normal(0, 0.01, (size, size)), 0, 1)


def band(size: int, rng: np.random.Generator) -> np.ndarray:
    values = np.full((size, size), 0.02)
    np.fill_diagonal(values, 0.97)
    return np.clip(values + rng.normal(0, 0.01, (size, size)), 0, 1)


FAMILIES = {
    "band": band,
    "toeplitz": toeplitz,
    "hankel": hankel,
    "reversed": lambda size, rng: toeplitz(size, rng)[:, ::-1].copy(),
    "corner": corner,
    "blocks": blocks,
}


def test_sample_reports_exactly_the_collapsed_diagonal_cell():
    found = detect(read_csv("digits_accuracy.csv"))

    assert [(a.row, a.col, a.kind) for a in found] == [(4, 4, "collapse")]
    assert found[0].reason == (
        "diagonal cell digit_b=5, digit_a=5 is 0.00; "
        "the other diagonal cells are 0.94–1.00"
    )
    assert found[0].expected == pytest.approx(0.98, abs=0.02)


def test_real_confusion_counts_are_quiet():
    assert detect(read_csv("digits_confusion.csv")) == []


def test_large_sample_finds_both_planted_cells_and_not_the_missing_one():
    found = detect(read_csv("large_accuracy.csv"))
    kinds = {(a.row, a.col): a.kind for a in found}

    assert kinds.get((120, 120)) == "collapse"
    assert kinds.get((40, 250)) == "spike"
    assert (7, 9) not in kinds
    assert len(found) <= 3


@pytest.mark.parametrize("family", sorted(FAMILIES))
@pytest.mark.parametrize("size", [6, 12, 40])
def test_clean_families_are_quiet(family, size):
    rng = np.random.default_rng(size)
    values = FAMILIES[family](size, rng)

    assert detect(Matrix(values)) == []


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_planted_collapse_and_spike_are_found_with_their_kind(family):
    rng = np.random.default_rng(3)
    values = FAMILIES[family](30, rng)
    highs = np.argwhere(values >= np.quantile(values, 0.97))
    high = tuple(int(k) for k in highs[len(highs) // 2])
    low = tuple(int(k) for k in np.argwhere(values < np.quantile(values, 0.3))[40])
    expected_high = float(values[high])
    expected_low = float(values[low])
    values[high] = 0.05
    values[low] = 0.8

    found = {(a.row, a.col): a for a in detect(Matrix(values))}

    assert found[high].kind == "collapse"
    assert found[high].expected == pytest.approx(expected_high, abs=0.1)
    assert found[low].kind == "spike"
    assert found[low].expected == pytest.approx(expected_low, abs=0.1)
    assert set(found) == {high, low}


def test_out_of_range_accuracy_is_impossible():
    values = toeplitz(12, np.random.default_rng(1))
    values[2, 7] = 1.3
    values[9, 9] = -0.2

    found = {(a.row, a.col): a for a in detect(Matrix(values))}

    assert found[(2, 7)].kind == "impossible"
    assert found[(9, 9)].kind == "impossible"
    assert "outside 0.00–1.00" in found[(2, 7)].reason
    assert set(found) == {(2, 7), (9, 9)}


def test_bounds_are_inferred_only_for_matrices_that_show_them():
    accuracies = np.linspace(0, 1, 50)
    assert infer_bounds(np.append(accuracies, 1.3), counts=False) == (0.0, 1.0)
    assert infer_bounds(np.append(accuracies * 100, 130), counts=False) == (0, 100)
    assert infer_bounds(np.linspace(0, 1e-3, 50), counts=False) is None
    assert infer_bounds(np.linspace(-1, 1, 50), counts=False) is None
    assert infer_bounds(np.append(np.zeros(99), 50.0), counts=True) is None


def _planted_toeplitz() -> tuple[np.ndarray, set[tuple[int, int]]]:
    values = toeplitz(25, np.random.default_rng(5))
    values[10, 10] = 0.1
    values[3, 20] = 0.75
    return values, {(10, 10), (3, 20)}


@pytest.mark.parametrize(
    "transform",
    [
        lambda v: v * 100,
        lambda v: v + 1000,
        lambda v: v * 1e-6,
        lambda v: -v,
        lambda v: (v - 0.5) * 40,
    ],
    ids=["percent", "offset", "tiny", "negated", "scores"],
)
def test_detection_does_not_depend_on_scale(transform):
    values, planted = _planted_toeplitz()

    found = detect(Matrix(transform(values)))

    assert cells(found) == planted


def test_negated_pattern_swaps_collapse_and_spike():
    values, _ = _planted_toeplitz()
    kinds = {(a.row, a.col): a.kind for a in detect(Matrix(-values))}

    assert kinds == {(10, 10): "spike", (3, 20): "collapse"}


def test_non_square_matrices_are_handled():
    rng = np.random.default_rng(8)
    i, j = np.arange(18)[:, None], np.arange(30)[None, :]
    values = 0.9 * np.exp(-np.abs(i - j) / 4) + rng.normal(0, 0.01, (18, 30))
    assert detect(Matrix(values)) == []

    values[5, 5] = 0.0
    assert cells(detect(Matrix(values))) == {(5, 5)}


def test_missing_cells_are_never_reported_and_do_not_mask():
    values, planted = _planted_toeplitz()
    values[0, 0] = math.nan
    values[4:6, :] = math.nan

    found = detect(Matrix(values))

    assert cells(found) == planted
    assert all(not math.isnan(a.value) for a in found)


@pytest.mark.parametrize(
    "values",
    [
        np.full((4, 4), math.nan),
        np.array([[0.5]]),
        np.full((6, 6), 0.7),
        np.array([[1.0, 2.0], [3.0, 4.0]]),
        np.full((1, 8), 3.0),
        np.array([[1e308, -1e308, 0.0], [1e308, 5.0, 1e-310]]),
        np.full((5, 5), 5e-324),
    ],
    ids=["all-missing", "1x1", "constant", "2x2", "one-row", "huge", "denormal"],
)
def test_edge_matrices_never_warn_or_break(values):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        found = detect(Matrix(values))

    assert all(math.isfinite(a.score) for a in found)
    assert found == [] or found[0].score >= found[-1].score


def test_infinite_and_huge_cells_among_accuracies_are_reported_finitely():
    values = toeplitz(10, np.random.default_rng(2))
    values[1, 8] = math.inf
    values[6, 6] = 1e308

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        found = {(a.row, a.col): a for a in detect(Matrix(values))}

    assert found[(1, 8)].kind == "impossible"
    assert found[(6, 6)].kind == "impossible"
    assert all(math.isfinite(a.score) for a in found.values())


def test_constant_matrix_with_one_odd_cell():
    values = np.full((6, 6), 0.5)
    values[2, 3] = 0.0

    found = detect(Matrix(values))

    assert [(a.row, a.col, a.kind) for a in found] == [(2, 3, "collapse")]


def test_sensitivity_is_monotonic():
    rng = np.random.default_rng(11)
    values = toeplitz(30, rng, noise=0.03)
    values[4, 4] = 0.6
    values[20, 2] = 0.25
    values[15, 15] = 0.2
    matrix = Matrix(values)

    reported = [cells(detect(matrix, sensitivity=s)) for s in (0.5, 1, 2, 4, 8)]

    for fewer, more in itertools.pairwise(reported):
        assert fewer <= more
    assert len(reported[-1]) > len(reported[0])


def test_sensitivity_must_be_positive():
    with pytest.raises(ValueError):
        detect(Matrix(np.eye(3)), sensitivity=0)


def confusion_counts(rng: np.random.Generator, classes: int = 10) -> np.ndarray:
    support = rng.integers(40, 400, classes)
    rates = np.full((classes, classes), 0.04 / (classes - 1))
    np.fill_diagonal(rates, 0.96)
    return np.array(
        [rng.multinomial(n, p) for n, p in zip(support, rates, strict=True)], float
    )


def test_count_noise_is_not_a_spike():
    counts = confusion_counts(np.random.default_rng(4))
    counts[3, 7] += 3

    assert detect(Matrix(counts)) == []


def test_counts_find_a_large_confusion_and_a_collapsed_class():
    counts = confusion_counts(np.random.default_rng(4))
    counts[2, 5] += 0.6 * counts[2, 2]
    counts[2, 2] *= 0.4
    counts[7, 7] = np.round(0.2 * counts[7, 7])
    counts[7, :7] += 10

    found = {(a.row, a.col): a for a in detect(Matrix(counts))}

    assert found[(2, 5)].kind == "spike"
    assert found[(7, 7)].kind == "collapse"
    assert (2, 2) not in found
    assert "of its row" in found[(2, 5)].reason


def test_row_normalised_confusion_finds_the_collapse():
    counts = confusion_counts(np.random.default_rng(6))
    counts[4, 4] = np.round(0.1 * counts[4, 4])
    counts[4, :4] += 20
    shares = counts / counts.sum(axis=1, keepdims=True)

    assert cells(detect(Matrix(shares))) == {(4, 4)}


def test_reasons_use_safe_labels():
    values = toeplitz(8, np.random.default_rng(9))
    values[3, 3] = 0.0
    labels = tuple(f"c{k}" for k in range(8))
    matrix = Matrix(values, labels, labels, x_label="pred\x1b[31m", y_label="true")

    (found,) = detect(matrix)

    assert "\x1b" not in found.reason
    assert "true=c3" in found.reason


def test_leave_one_out_group_median():
    values = np.array([[1.0, 2.0, 3.0, 10.0, 7.0, 8.0]])
    groups = np.array([[0, 0, 0, 0, 1, 1]])

    result = loo_group_median(values, groups)

    assert result[0, :4].tolist() == [3.0, 3.0, 2.0, 2.0]
    assert np.isnan(result[0, 4:]).all()


def test_row_medians_skip_missing_cells():
    values = np.array([[1.0, math.nan, 3.0], [math.nan, math.nan, math.nan]])

    assert row_medians(values).tolist() == [2.0, 0.0]


def steep_hankel(rows: int, cols: int, width: float, seed: int) -> np.ndarray:
    i, j = np.arange(rows)[:, None], np.arange(cols)[None, :]
    values = 0.95 * np.exp(-(i + j) / width) + 0.02
    noise = np.random.default_rng(seed).normal(0, 0.01, (rows, cols))
    return np.clip(values + noise, 0, 1)


@pytest.mark.parametrize(("rows", "cols", "width"), [(8, 8, 4.0), (30, 18, 15.0)])
def test_sum_of_indices_corner_collapse_is_found(rows, cols, width):
    values = steep_hankel(rows, cols, width, seed=rows)
    values[0, 0] = 0.2

    found = detect(Matrix(values))

    assert [(a.row, a.col, a.kind) for a in found] == [(0, 0, "collapse")]
    assert 0.7 <= found[0].expected <= 1.0
    assert "the neighbouring anti-diagonals predict about" in found[0].reason


@pytest.mark.parametrize(("rows", "cols", "width"), [(5, 5, 2.0), (8, 8, 4.0)])
def test_steep_sum_of_indices_corners_are_quiet(rows, cols, width):
    for seed in range(5):
        assert detect(Matrix(steep_hankel(rows, cols, width, seed))) == []


def test_far_corner_spike_of_a_distance_pattern_is_found():
    values = toeplitz(12, np.random.default_rng(4))
    values[11, 0] = 0.8

    found = detect(Matrix(values))

    assert [(a.row, a.col, a.kind) for a in found] == [(11, 0, "spike")]
    assert "neighbouring diagonals" in found[0].reason


def test_two_collapses_in_one_short_line_are_both_found():
    values = steep_hankel(20, 20, 12.0, seed=2)
    values[0, 3] = 0.1
    values[2, 1] = 0.3

    assert cells(detect(Matrix(values))) == {(0, 3), (2, 1)}


def test_short_line_prediction_resists_a_wild_neighbouring_line():
    values = steep_hankel(20, 20, 12.0, seed=3)
    values[0, 1] = 0.3
    values[1, 0] = 0.25

    expected = antidiagonal_fit(values, value_order(values)).expected

    assert expected[0, 0] == pytest.approx(values[0, 0], abs=0.1)


def heavy_blocks(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    group = np.arange(120) * 4 // 120
    values = np.where(group[:, None] == group[None, :], 0.5, 0.03)
    noise = np.clip(rng.standard_t(4, values.shape) * 0.015, -0.15, 0.15)
    return np.clip(values + noise, 0, 1)


def test_heavy_tailed_noise_is_not_reported_but_anomalies_are():
    values = heavy_blocks(5)

    assert detect(Matrix(values)) == []

    values[10, 100] = 0.75
    values[70, 70] = 0.0
    assert cells(detect(Matrix(values))) == {(10, 100), (70, 70)}


def test_tail_factor_grows_with_heavy_tails_only():
    rng = np.random.default_rng(6)

    assert tail_factor(rng.normal(0, 1, 40_000)) == pytest.approx(1.0, abs=0.1)
    assert tail_factor(rng.standard_t(3, 40_000) / 0.82) > 1.5
    assert tail_factor(rng.standard_t(3, 100)) == 1.0


def test_block_cut_by_the_diagonal_is_structure():
    values = np.full((30, 30), 0.03)
    values[10:14, 12:16] = 0.5
    np.fill_diagonal(values, 0.95)
    values += np.random.default_rng(7).normal(0, 0.005, values.shape)

    assert detect(Matrix(values)) == []


def test_small_corner_block_is_a_segment_but_a_band_is_not():
    corner = np.full((5, 5), 0.3)
    corner[:2, :2] = 0.9
    band = np.full((6, 6), 0.05)
    np.fill_diagonal(band, 0.9)

    assert segment(corner, 0.2).tolist() == [0, 0, 1, 1, 1]
    assert segment(band, 0.2).tolist() == [0] * 6
