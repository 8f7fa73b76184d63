#!/usr/bin/env python3
"""Exports scikit-learn's small real data sets as CSV for the hebbian CLI.

    pip install scikit-learn
    python3 Scripts/export-datasets.py OUT_DIR

For each of digits (8x8 images, pixels scaled to [0, 1]), breast-cancer, wine and iris (each
feature standardised to zero mean and unit variance) it writes, in the data set's own order:

    NAME.csv           features only: the input of `hebbian pca`
    NAME-labelled.csv  features and a last column `label`: `hebbian competing --label-column label`
    NAME-raw.csv       the features as the data set gives them, uncentred and unscaled (digits:
                       pixels/16 again): the input of `pca-reference.py --one-pass`

The data are not committed to the repository; this script is how to get them.
"""
import os
import sys

import numpy as np
from sklearn import datasets


def load():
    """(name, standardised or scaled features, raw features, labels) per data set."""
    digits = datasets.load_digits()
    yield "digits", digits.data / 16.0, digits.data / 16.0, digits.target
    for name, loader in (("breast-cancer", datasets.load_breast_cancer), ("wine", datasets.load_wine),
                         ("iris", datasets.load_iris)):
        d = loader()
        raw = d.data.astype(np.float64)
        x = (raw - raw.mean(axis=0)) / raw.std(axis=0)
        yield name, x, raw, d.target


def write(path, x, y=None):
    cols = [f"x{j}" for j in range(x.shape[1])] + ([] if y is None else ["label"])
    with open(path, "w") as f:
        f.write(",".join(cols) + "\n")
        for i in range(x.shape[0]):
            row = [f"{v:.7g}" for v in x[i]]
            if y is not None:
                row.append(str(int(y[i])))
            f.write(",".join(row) + "\n")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: export-datasets.py OUT_DIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, x, raw, y in load():
        write(os.path.join(out, name + ".csv"), x)
        write(os.path.join(out, name + "-raw.csv"), raw)
        write(os.path.join(out, name + "-labelled.csv"), x, y)
        print(f"{name}: {x.shape[0]} samples x {x.shape[1]} features, {len(set(y))} classes")


if __name__ == "__main__":
    main()
