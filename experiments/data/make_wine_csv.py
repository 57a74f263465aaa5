"""Writes wine.csv: scikit-learn's wine table (178 wines, 13 chemical measurements on very
different scales) with the cultivar as a text label, for the pipeline example config.

Run once with Debian's Python (it has scikit-learn): /usr/bin/python3 experiments/data/make_wine_csv.py
"""
import csv
from pathlib import Path

from sklearn.datasets import load_wine

CULTIVARS = ["barolo", "grignolino", "barbera"]  # the three cultivars of the UCI description

data = load_wine()
with open(Path(__file__).with_name("wine.csv"), "w", newline="") as f:
    out = csv.writer(f)
    out.writerow([*data.feature_names, "cultivar"])
    for row, target in zip(data.data, data.target):
        out.writerow([f"{v:.6g}" for v in row] + [CULTIVARS[target]])
