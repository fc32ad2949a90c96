"""How fast heatlens loads a large CSV, side by side with `numpy.loadtxt`.

The bar: `tui.loaders.load` of a 2000 x 2000 CSV (values like `0.123456`,
about 36 MB) takes at most 1.2 times a plain `numpy.loadtxt(path,
delimiter=",")` of the same file, also when about 1% of the cells are empty.
`loadtxt` cannot read the empty cells at all, so that file is compared with
plain `loadtxt` of the full file; `loadtxt` with a converter is printed
beside it for reference. The files are written to `benchmarks/data/`.

Run from the repository root: `python -m benchmarks.bench_load [--size 2000]`.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from tui.loaders import load

DATA = Path(__file__).resolve().parent / "data"


def write_csv(path: Path, values: np.ndarray, empty: np.ndarray | None) -> None:
    """Write values with six decimals; cells where `empty` is set are left blank."""
    text = np.char.mod("%.6f", values)
    if empty is not None:
        text[empty] = ""
    lines = [",".join(row) for row in text.tolist()]
    path.write_text("\n".join(lines) + "\n")


def write_labelled_csv(path: Path, values: np.ndarray) -> None:
    """The same values with a header row, a label column and axis names."""
    n_cols = values.shape[1]
    text = np.char.mod("%.6f", values).tolist()
    header = "true/predicted," + ",".join(f"c{j}" for j in range(n_cols))
    lines = [header] + [f"c{i}," + ",".join(row) for i, row in enumerate(text)]
    path.write_text("\n".join(lines) + "\n")


def best_of(repeat: int, runs: dict[str, Callable[[], object]]) -> dict[str, float]:
    """The best time of each run, the runs taking turns so drift hits all alike."""
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(repeat):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def missing_to_nan(field: str) -> float:
    return float(field) if field.strip() else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    DATA.mkdir(exist_ok=True)
    rng = np.random.default_rng(7)
    values = rng.random((args.size, args.size))
    empty = rng.random(values.shape) < 0.01
    full, holes, labelled, array = (
        DATA / "full.csv",
        DATA / "empty_cells.csv",
        DATA / "labelled.csv",
        DATA / "full.npy",
    )
    write_csv(full, values, None)
    write_csv(holes, values, empty)
    write_labelled_csv(labelled, values)
    np.save(array, values)

    size = full.stat().st_size / 1e6
    print(f"{args.size} x {args.size} cells, {size:.1f} MB, best of {args.repeat}")
    times = best_of(
        args.repeat,
        {
            "loadtxt, full file": lambda: np.loadtxt(full, delimiter=","),
            "heatlens, full file": lambda: load(full),
            "heatlens, 1% empty cells": lambda: load(holes),
            "heatlens, header and labels": lambda: load(labelled),
            "loadtxt + converter, 1% empty": lambda: np.loadtxt(
                holes, delimiter=",", converters=missing_to_nan
            ),
        },
    )
    bar = times["loadtxt, full file"]
    for name, seconds in times.items():
        print(f"  {name:32} {seconds:7.3f} s   {seconds / bar:5.2f} x loadtxt")

    loaded = load(holes).values
    assert np.array_equal(np.isnan(loaded), empty)
    assert np.allclose(loaded[~empty], np.round(values[~empty], 6))

    opened = best_of(args.repeat, {"npy": lambda: load(array)})["npy"]
    kind = type(load(array).values).__name__
    print(f"  {'heatlens, .npy open':32} {opened * 1e3:7.3f} ms  ({kind})")


if __name__ == "__main__":
    main()
