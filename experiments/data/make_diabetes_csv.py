"""Writes diabetes.csv: scikit-learn's diabetes table (442 patients, 10 baseline variables,
a disease-progression target one year later), unscaled, for the CSV example configs.

Run once with Debian's Python (it has scikit-learn): /usr/bin/python3 experiments/data/make_diabetes_csv.py
"""
import csv
from pathlib import Path

from sklearn.datasets import load_diabetes

data = load_diabetes(scaled=False)
with open(Path(__file__).with_name("diabetes.csv"), "w", newline="") as f:
    out = csv.writer(f)
    out.writerow([*data.feature_names, "target"])
    for row, target in zip(data.data, data.target):
        out.writerow([f"{v:.6g}" for v in row] + [f"{target:.6g}"])
