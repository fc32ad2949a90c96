"""How long the similarity order takes for confusion matrices of many classes.

Run with `python3 benchmarks/bench_reorder.py` (after `pip install -e .`); it
prints the best of a few runs for each size. The target: under a second at
1000 classes.
"""

from __future__ import annotations

import time

import numpy as np

from tui.matrix import Matrix
from tui.transforms import reorder

SIZES = (200, 1000)
REPEATS = 3


def confusion(classes: int, seed: int = 0) -> Matrix:
    """Counts with a strong diagonal and sparse confusion between classes."""
    rng = np.random.default_rng(seed)
    values = rng.poisson(0.3, (classes, classes)).astype(float)
    values += np.eye(classes) * rng.integers(50, 200, classes)
    return Matrix(values)


def best_time(matrix: Matrix) -> float:
    """The fastest of `REPEATS` runs of the similarity order, in seconds."""
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        reorder(matrix, "similarity")
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    for classes in SIZES:
        seconds = best_time(confusion(classes))
        print(f"similarity order, {classes:>4} classes: {seconds * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
