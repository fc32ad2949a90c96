"""How well the anomaly detector finds planted cells, and how often it cries wolf.

Generates matrices of every pattern family the detector must understand, in
several sizes (square and not), scales, offsets and noise levels, clean and
with planted anomalies of each kind, and prints precision, recall and F1 over
the planted cells, the share of clean matrices with any report, a breakdown
per family, the two sample files' results and the time for a 1000×1000
matrix. Everything comes from fixed seeds, so the figures repeat exactly.

    python -m benchmarks.bench_anomalies [--family NAME ...] [--quick]

`--family` scores only some families (the generated cases, and so the
figures for those families, stay exactly the same); `--quick` skips the
sample files and the timing. The full default run is the one that counts.
"""

from __future__ import annotations

import argparse
import csv
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tui.anomalies import detect
from tui.matrix import Matrix

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"


@dataclass
class Case:
    """One generated matrix and the cells planted in it."""

    family: str
    values: np.ndarray
    planted: dict[tuple[int, int], str]


def _grid(rows: int, cols: int) -> tuple[np.ndarray, np.ndarray]:
    return np.arange(rows)[:, None] / max(rows - 1, 1), np.arange(cols)[None, :]


def band(rows: int, cols: int, rng: np.random.Generator) -> np.ndarray:
    """High on the diagonal, low everywhere else."""
    high = rng.uniform(0.85, 0.98)
    pattern = np.full((rows, cols), rng.uniform(0.0, 0.1))
    np.fill_diagonal(pattern, high)
    return pattern


def toeplitz(rows: int, cols: int, rng: np.random.Generator) -> np.ndarray:
    """Falls with the distance from the diagonal, maybe faster on one side."""
    i, j = np.arange(rows)[:, None], np.arange(cols)[None, :]
    width = rng.uniform(1.0, max(2.0, min(rows, cols) / 4))
    lean = rng.uniform(0.5, 2.0)
    distance = np.where(j >= i, j - i, (i - j) * lean)
    return 0.95 * np.exp(-distance / width) + 0.02


def hankel(rows: int, cols: int, rng: np.random.Generator) -> np.ndarray:
    """Falls with the sum of the indices."""
    i, j = np.arange(rows)[:, None], np.arange(cols)[None, :]
    width = rng.uniform(0.2, 0.6) * (rows + cols)
    return 0.95 * np.exp(-(i + j) / width) + 0.02


def reversed_band(rows: int, cols: int, rng: np.random.Generator) -> np.ndarray:
    """A distance-from-the-diagonal pattern with the columns stored reversed."""
    return toeplitz(rows, cols, rng)[:, ::-1].copy()


def corner(rows: int, cols: int, rng: np.random.Generator) -> np.ndarray:
    """High where both indices are below a cut, low beyond."""
    cut_r = int(rng.integers(max(2, rows // 4), max(3, 3 * rows // 4)))
    cut_c = int(rng.integers(max(2, cols // 4), max(3, 3 * cols // 4)))
    pattern = np.full((rows, cols), rng.uniform(0.05, 0.3))
    pattern[:cut_r, :cut_c] = rng.uniform(0.8, 0.97)
    return pattern


def blocks(rows: int, cols: int, rng: np.random.Generator) -> np.ndarray:
    """Grouped classes: high within a group, higher on the diagonal, low across."""
    count = int(rng.integers(2, max(3, min(rows, cols) // 4 + 1)))
    row_groups = np.sort(rng.integers(0, count, rows))
    col_groups = np.sort(rng.integers(0, count, cols))
    within = rng.uniform(0.3, 0.6)
    pattern = np.where(row_groups[:, None] == col_groups[None, :], within, 0.03)
    if rng.random() < 0.5:
        size = min(rows, cols)
        pattern[np.arange(size), np.arange(size)] = 0.95
    return pattern


def uneven(rows: int, cols: int, rng: np.random.Generator) -> np.ndarray:
    """No anomaly at all: smooth row and column effects plus a gentle trend."""
    row_effect = rng.normal(0, 0.1, rows)[:, None]
    col_effect = rng.normal(0, 0.1, cols)[None, :]
    i, _ = _grid(rows, cols)
    return np.clip(0.6 + row_effect + col_effect - 0.2 * i, 0.0, 1.0)


FAMILIES: dict[str, Callable[[int, int, np.random.Generator], np.ndarray]] = {
    "band": band,
    "toeplitz": toeplitz,
    "hankel": hankel,
    "reversed": reversed_band,
    "corner": corner,
    "blocks": blocks,
    "uneven": uneven,
}
SCALES = ("accuracy", "percent", "negated", "tiny", "offset")


def _noise(pattern: np.ndarray, level: float, style: str, rng) -> np.ndarray:
    if style == "binomial":
        size = level * 2 * np.sqrt(pattern * (1 - pattern) + 0.01)
        return rng.normal(0, 1, pattern.shape) * size
    if style == "heavy":
        tails = rng.standard_t(4, pattern.shape) * level * 0.5
        return np.clip(tails, -5 * level, 5 * level)
    return rng.normal(0, level, pattern.shape)


def _plant(
    pattern: np.ndarray, values: np.ndarray, kinds: list[str], rng
) -> dict[tuple[int, int], str]:
    """Set cells far from what the pattern says, each kind where it is clear."""
    planted: dict[tuple[int, int], str] = {}
    for kind in kinds:
        if kind == "collapse":
            pool = np.argwhere(pattern >= pattern.max() - 0.05)
        elif kind == "spike":
            pool = np.argwhere(pattern <= pattern.min() + 0.1)
        else:
            pool = np.argwhere(np.ones(pattern.shape, dtype=bool))
        pool = [tuple(p) for p in pool.tolist() if tuple(p) not in planted]
        if not pool:
            continue
        row, col = pool[int(rng.integers(len(pool)))]
        if kind == "collapse":
            values[row, col] = rng.uniform(0.0, max(pattern[row, col] - 0.6, 0.02))
        elif kind == "spike":
            values[row, col] = min(pattern[row, col] + rng.uniform(0.6, 0.8), 1.0)
        else:
            values[row, col] = rng.choice([1.3, 1.15, -0.2, -0.1])
        planted[(row, col)] = kind
    return planted


def _rescale(values: np.ndarray, scale: str) -> np.ndarray:
    if scale == "percent":
        return values * 100
    if scale == "negated":
        return -values
    if scale == "tiny":
        return values * 1e-6
    if scale == "offset":
        return values + 1000
    return values


def score_cases(rng: np.random.Generator) -> list[Case]:
    """Score matrices of every family, clean and planted."""
    cases = []
    shapes = [(5, 5), (8, 8), (12, 12), (20, 20), (30, 18), (50, 50), (64, 100)]
    shapes += [(120, 120), (200, 200)]
    for family, make in FAMILIES.items():
        for rows, cols in shapes:
            for trial in range(6):
                pattern = make(rows, cols, rng)
                level = (0.005, 0.02, 0.03)[trial % 3]
                style = ("normal", "binomial", "heavy")[trial % 3]
                values = np.clip(pattern + _noise(pattern, level, style, rng), 0, 1)
                scale = SCALES[(trial + rows) % len(SCALES)]
                planted: dict[tuple[int, int], str] = {}
                if trial % 2 == 1 and family != "uneven":
                    kinds = ["collapse", "spike"]
                    if rows * cols >= 100:
                        kinds += ["collapse", "spike"]
                    if scale in ("accuracy", "percent"):
                        kinds.append("impossible")
                    planted = _plant(pattern, values, kinds, rng)
                cases.append(Case(family, _rescale(values, scale), planted))
    return cases


def confusion(classes: int, rng: np.random.Generator, plant: bool) -> Case:
    """A classifier's confusion matrix as counts, with realistic confusions."""
    support = np.round(np.exp(rng.uniform(np.log(30), np.log(600), classes)))
    recall = rng.uniform(0.8, 0.99, classes)
    mix = rng.dirichlet(np.full(classes, 0.5), classes)
    np.fill_diagonal(mix, 0)
    mix /= mix.sum(axis=1, keepdims=True)
    rates = mix * (1 - recall)[:, None]
    planted: dict[tuple[int, int], str] = {}
    if plant:
        rows = rng.choice(classes, 2, replace=False)
        low = int(rows[0])
        rates[low] = (1 - 0.25) / (classes - 1)
        recall[low] = 0.25
        planted[(low, low)] = "collapse"
        high = int(rows[1])
        col = int(rng.choice([c for c in range(classes) if c != high]))
        rates[high, col] += 0.45
        recall[high] = max(recall[high] - 0.45, 0.05)
        planted[(high, col)] = "spike"
    np.fill_diagonal(rates, recall)
    rates /= rates.sum(axis=1, keepdims=True)
    counts = np.array(
        [rng.multinomial(int(n), p) for n, p in zip(support, rates, strict=True)]
    )
    return Case("confusion", counts.astype(float), planted)


def confusion_cases(rng: np.random.Generator) -> list[Case]:
    cases = []
    for classes in (8, 10, 15, 20, 40, 100):
        for trial in range(8):
            case = confusion(classes, rng, plant=trial % 2 == 1)
            cases.append(case)
            if trial % 4 == 0:
                shares = case.values / case.values.sum(axis=1, keepdims=True)
                cases.append(Case("row-normalised", shares, dict(case.planted)))
    return cases


def evaluate(cases: list[Case]) -> None:
    totals = defaultdict(lambda: np.zeros(6))
    for case in cases:
        found = detect(Matrix(case.values))
        cells = {(a.row, a.col): a.kind for a in found}
        hits = sum(1 for cell in cells if cell in case.planted)
        right = sum(1 for c, k in cells.items() if case.planted.get(c) == k)
        clean = not case.planted
        row = [len(cells), hits, len(case.planted), clean, clean and bool(cells), right]
        for key in (case.family, "all"):
            totals[key] += row

    print(
        f"{'family':15} {'prec':>6} {'recall':>6} {'F1':>6} {'kind ok':>7} "
        f"{'clean':>6} {'false alarm':>11}"
    )
    for family, (reported, hits, planted, clean, alarms, right) in totals.items():
        precision = hits / reported if reported else 1.0
        recall = hits / planted if planted else 1.0
        f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
        kinds = right / hits if hits else 1.0
        share = alarms / clean if clean else 0.0
        print(
            f"{family:15} {precision:6.3f} {recall:6.3f} {f1:6.3f} {kinds:7.3f} "
            f"{int(clean):6d} {share:11.1%}"
        )


def _read_csv(path: Path) -> np.ndarray:
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[1:]
    return np.array([[float(x) if x else np.nan for x in r[1:]] for r in rows])


def samples() -> None:
    for name in ("digits_accuracy.csv", "digits_confusion.csv", "large_accuracy.csv"):
        found = detect(Matrix(_read_csv(SAMPLES / name)))
        cells = ", ".join(f"({a.row},{a.col}) {a.kind}" for a in found) or "none"
        print(f"{name}: {len(found)} reported: {cells}")


def timing(rng: np.random.Generator) -> None:
    values = toeplitz(1000, 1000, rng) + rng.normal(0, 0.01, (1000, 1000))
    values[500, 500] = 0.0
    detect(Matrix(values[:50, :50]))
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        detect(Matrix(values))
        runs.append(time.perf_counter() - start)
    print(f"1000×1000: best {min(runs):.2f} s, worst {max(runs):.2f} s of 3 runs")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--family",
        action="append",
        help="score only this family (repeatable); the cases stay the same",
    )
    parser.add_argument(
        "--quick", action="store_true", help="skip the sample files and the timing"
    )
    args = parser.parse_args(argv)

    rng = np.random.default_rng(2024)
    cases = score_cases(rng) + confusion_cases(rng)
    if args.family:
        cases = [case for case in cases if case.family in args.family]
    evaluate(cases)
    if not args.quick:
        samples()
        timing(rng)


if __name__ == "__main__":
    main()
