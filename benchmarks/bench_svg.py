"""Time and size of `heatlens export` against matplotlib and seaborn vector SVGs.

Each case renders the same matrix with heatlens's own writer, matplotlib's
`pcolormesh` and seaborn's `heatmap`, all saved as vector SVG in memory, and
prints the time, the size and heatlens's advantage on both. The targets are
at least 20 times faster and at most a fifth of the size in every case.

matplotlib and seaborn are optional (`pip install heatlens[bench]`); without
them their rows say "skipped". Seaborn at 1000×1000 takes minutes, so
`--skip-seaborn-large` leaves it out of a quick run.

Run: python benchmarks/bench_svg.py [--sizes 200 1000] [--skip-seaborn-large]
"""

from __future__ import annotations

import argparse
import io
import time
from collections.abc import Callable

import numpy as np

from tui.matrix import Matrix
from tui.scale import ColourScale
from tui.svg import render_svg

SPEED_TARGET = 20.0
SIZE_TARGET = 5.0


def uniform(size: int, rng: np.random.Generator) -> np.ndarray:
    """Scores spread evenly over [0, 1]: the worst case for merging runs."""
    return rng.random((size, size))


def confusion(size: int, rng: np.random.Generator) -> np.ndarray:
    """Counts with a strong diagonal and a few small confusions elsewhere."""
    counts = rng.poisson(0.3, (size, size)).astype(np.float64)
    np.fill_diagonal(counts, rng.integers(500, 1000, size))
    return counts


def with_heatlens(values: np.ndarray) -> bytes:
    matrix = Matrix(values)
    scale = ColourScale.for_values(values)
    return render_svg(matrix, scale).encode("utf-8")


def with_matplotlib(values: np.ndarray) -> bytes:
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots()
    axes.pcolormesh(values, cmap="RdBu")
    axes.invert_yaxis()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg")
    plt.close(figure)
    return buffer.getvalue()


def with_seaborn(values: np.ndarray) -> bytes:
    import matplotlib.pyplot as plt
    import seaborn

    figure, axes = plt.subplots()
    seaborn.heatmap(values, cmap="RdBu", ax=axes)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg")
    plt.close(figure)
    return buffer.getvalue()


def available(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def measure(render: Callable[[np.ndarray], bytes], values: np.ndarray) -> tuple:
    """Seconds and bytes for one rendering."""
    start = time.perf_counter()
    data = render(values)
    return time.perf_counter() - start, len(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000])
    parser.add_argument(
        "--skip-seaborn-large",
        action="store_true",
        help="leave out seaborn for matrices above 500×500 (it takes minutes)",
    )
    args = parser.parse_args()

    tools: dict[str, Callable[[np.ndarray], bytes] | None] = {
        "matplotlib": with_matplotlib if available("matplotlib") else None,
        "seaborn": with_seaborn if available("seaborn") else None,
    }
    if tools["matplotlib"] is not None:
        import matplotlib

        matplotlib.use("svg")
    warm = np.random.default_rng(0).random((4, 4))
    for render in (with_heatlens, *(tool for tool in tools.values() if tool)):
        render(warm)

    print(
        f"{'case':<20} {'tool':<11} {'time s':>9} {'size MB':>9}"
        f" {'faster':>8} {'smaller':>8}  target"
    )
    met = True
    for size in args.sizes:
        for kind, make in (("uniform", uniform), ("confusion", confusion)):
            values = make(size, np.random.default_rng(size))
            case = f"{kind} {size}×{size}"
            seconds, length = measure(with_heatlens, values)
            print(f"{case:<20} {'heatlens':<11} {seconds:>9.3f} {length / 1e6:>9.2f}")
            for name, render in tools.items():
                skip = render is None or (
                    name == "seaborn" and args.skip_seaborn_large and size > 500
                )
                if skip:
                    print(f"{case:<20} {name:<11} {'skipped':>9}")
                    continue
                other_seconds, other_length = measure(render, values)
                faster = other_seconds / seconds
                smaller = other_length / length
                ok = faster >= SPEED_TARGET and smaller >= SIZE_TARGET
                met = met and ok
                print(
                    f"{case:<20} {name:<11} {other_seconds:>9.3f}"
                    f" {other_length / 1e6:>9.2f} {faster:>7.1f}× {smaller:>7.1f}×"
                    f"  {'met' if ok else 'MISSED'}"
                )
    print(
        f"targets (≥{SPEED_TARGET:g}× faster, ≥{SIZE_TARGET:g}× smaller):"
        f" {'met on every measured case' if met else 'missed somewhere'}"
    )


if __name__ == "__main__":
    main()
