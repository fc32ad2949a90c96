"""Regenerate `digits_confusion.csv`: a real classifier's confusion matrix.

The data is scikit-learn's bundled copy of the UCI handwritten digits (1,797
8×8 images, no download). A linear support-vector classifier is trained on a
fixed 70 % split and the matrix counts its predictions on the other 30 %:
rows are the true digit, columns the predicted one. scikit-learn is needed
only for this script, not by heatlens:

    pip install scikit-learn && python sample_data/make_digits_confusion.py
"""

from pathlib import Path

from sklearn.datasets import load_digits
from sklearn.metrics import confusion_matrix
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC


def main() -> None:
    digits = load_digits()
    train_x, test_x, train_y, test_y = train_test_split(
        digits.data, digits.target, test_size=0.3, random_state=0
    )
    model = make_pipeline(StandardScaler(), LinearSVC(C=0.05, random_state=0))
    model.fit(train_x, train_y)
    counts = confusion_matrix(test_y, model.predict(test_x), labels=range(10))

    lines = ["true/predicted," + ",".join(str(d) for d in range(10))]
    lines += [f"{d}," + ",".join(str(c) for c in row) for d, row in enumerate(counts)]
    target = Path(__file__).with_name("digits_confusion.csv")
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
