#!/usr/bin/python3
"""Write scikit-learn reference fits for memgrid's ridge into test/fixtures/models/
(logistic references: scripts/logistic_fixtures.py, from converged fits).

Run with Debian's Python (numpy 1.24, scikit-learn 1.2):

    /usr/bin/python3 scripts/model_fixtures.py

Every feature matrix is rounded to 6 decimals *before* sklearn sees it, so the JSON
holds exactly the values that were fitted (short reprs keep the files small) and the
tests need no Python. Floats are written with repr, which round-trips float64 exactly.
"""
import json
import os
import sys

import numpy as np
import scipy
import sklearn
from sklearn.datasets import load_diabetes, make_regression
from sklearn.linear_model import Ridge

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'models')
DECIMALS = 6
PRED_ROWS = [0, 1, 2, 3, 4, 10, 20]


def rounded(X):
    return np.round(np.asarray(X, dtype=np.float64), DECIMALS)


def floats(a):
    """Nested lists of Python floats (json writes their repr: exact round trip)."""
    return np.asarray(a, dtype=np.float64).tolist()


def float32_reprs(X32):
    """float32 values as their shortest reprs; Float32Array.from() restores them exactly."""
    return [[json.loads(repr(v)) for v in row] for row in X32]


def subset_rows(n, k, seed):
    """An unsorted row subset, as a fold's shuffled training rows would be."""
    return np.random.RandomState(seed).choice(n, size=k, replace=False).astype(np.int64)


def ridge_case(X, y, alpha, fit_intercept, rows=None):
    Xf, yf = (X, y) if rows is None else (X[rows], y[rows])
    m = Ridge(alpha=alpha, fit_intercept=fit_intercept).fit(Xf, yf)
    return {
        'alpha': alpha, 'fitIntercept': fit_intercept,
        'rows': None if rows is None else rows.tolist(),
        'coef': floats(m.coef_), 'intercept': float(m.intercept_),
        'predictRows': PRED_ROWS, 'predict': floats(m.predict(X[PRED_ROWS])),
        'score': float(m.score(X, y)),
    }


def write(name, payload):
    payload['generator'] = {
        'script': 'scripts/model_fixtures.py', 'sklearn': sklearn.__version__,
        'numpy': np.__version__, 'scipy': scipy.__version__,
    }
    path = os.path.join(OUT, name)
    with open(path, 'w') as f:
        json.dump(payload, f, separators=(',', ':'))
    print(f'{path}: {os.path.getsize(path)} bytes', file=sys.stderr)


def ridge_fixtures():
    d = load_diabetes()
    X, y = rounded(d.data), d.target.astype(np.float64)
    cases = [ridge_case(X, y, a, fi) for a in (0.01, 1.0, 10.0, 100.0) for fi in (True, False)]
    rows = subset_rows(len(y), 250, seed=1)
    cases += [ridge_case(X, y, a, True, rows) for a in (0.1, 1.0)]
    write('ridge_diabetes.json', {'X': floats(X), 'y': floats(y), 'cases': cases})

    Xs, ys = make_regression(n_samples=120, n_features=6, n_informative=5, noise=5.0,
                             bias=3.0, random_state=0)
    Xs, ys = rounded(Xs), np.round(ys, DECIMALS)
    X32 = Xs.astype(np.float32)
    cases64 = [ridge_case(Xs, ys, a, fi) for a in (0.5, 5.0) for fi in (True, False)]
    # Exact target for float32 input: the float32 values, fitted in float64.
    cases32exact = [ridge_case(X32.astype(np.float64), ys, a, fi) for a in (0.5, 5.0) for fi in (True, False)]
    # sklearn's own float32 fit (computed in float32: only ~1e-6 accurate).
    cases32 = [ridge_case(X32, ys, a, fi) for a in (0.5, 5.0) for fi in (True, False)]
    write('ridge_synthetic.json', {
        'X': floats(Xs), 'y': floats(ys),
        # shortest float32 reprs; Float32Array.from() restores the exact values
        'X32': float32_reprs(X32),
        'cases': cases64, 'cases32Exact': cases32exact, 'cases32Sklearn': cases32,
    })


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    ridge_fixtures()
