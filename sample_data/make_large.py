"""Regenerate `large_accuracy.csv`: a 300×300 matrix for trying navigation.

Synthetic, from a fixed seed: accuracy falls with the distance from the
diagonal, with a little noise, and three cells are planted to break that
pattern (a collapsed diagonal cell at row 120, a spike at row 40, column 250,
and a missing cell at row 7, column 9). Needs only numpy:

    python sample_data/make_large.py
"""

from pathlib import Path

import numpy as np

SIZE = 300


def main() -> None:
    rng = np.random.default_rng(7)
    index = np.arange(SIZE)
    distance = np.abs(index[:, None] - index[None, :])
    values = 0.96 * np.exp(-distance / 6.0) + rng.normal(0, 0.01, (SIZE, SIZE))
    values = np.clip(values, 0.0, 1.0)
    values[120, 120] = 0.04
    values[40, 250] = 0.81

    labels = [f"class_{i:03d}" for i in range(SIZE)]
    lines = ["true/predicted," + ",".join(labels)]
    for row, label in enumerate(labels):
        cells = [f"{v:.3f}" for v in values[row]]
        if row == 7:
            cells[9] = ""
        lines.append(label + "," + ",".join(cells))
    target = Path(__file__).with_name("large_accuracy.csv")
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
