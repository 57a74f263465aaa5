#!/usr/bin/python3
"""Write scikit-learn reference fits for memgrid's models into test/fixtures/models/.

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
from sklearn.datasets import (load_breast_cancer, load_diabetes, load_iris,
                              make_classification, make_regression)
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.preprocessing import StandardScaler

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'models')
DECIMALS = 6
PRED_ROWS = [0, 1, 2, 3, 4, 10, 20]
LOGISTIC_TOL = 1e-10
LOGISTIC_MAX_ITER = 10000


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


def logistic_case(X, y, C, fit_intercept, rows=None):
    Xf, yf = (X, y) if rows is None else (X[rows], y[rows])
    m = LogisticRegression(C=C, fit_intercept=fit_intercept, tol=LOGISTIC_TOL,
                           max_iter=LOGISTIC_MAX_ITER).fit(Xf, yf)
    # sklearn 1.2's lbfgs usually stops on scipy's relative-decrease test (ftol 2.2e-9),
    # not on tol, so on ill-conditioned problems its answer moves with rounding noise:
    # refitting on the same rows in reverse order measures by how much.
    rev = LogisticRegression(C=C, fit_intercept=fit_intercept, tol=LOGISTIC_TOL,
                             max_iter=LOGISTIC_MAX_ITER).fit(Xf[::-1].copy(), yf[::-1].copy())
    spread = max(np.abs(rev.coef_ - m.coef_).max(), np.abs(rev.intercept_ - m.intercept_).max())
    return {
        'rowOrderSpread': float(spread),
        'C': C, 'fitIntercept': fit_intercept,
        'rows': None if rows is None else rows.tolist(),
        'coef': floats(m.coef_), 'intercept': floats(m.intercept_),
        'classes': floats(m.classes_), 'nIter': int(m.n_iter_.max()),
        'predictRows': PRED_ROWS,
        'predict': floats(m.predict(X[PRED_ROWS])),
        'predictProba': floats(m.predict_proba(X[PRED_ROWS])),
        'decisionFunction': floats(m.decision_function(X[PRED_ROWS])),
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


def logistic_fixtures():
    bc = load_breast_cancer()
    X = rounded(StandardScaler().fit_transform(bc.data))
    y = bc.target.astype(np.int64)
    cases = [logistic_case(X, y, C, fi) for C in (0.01, 0.1, 1.0, 10.0) for fi in (True, False)]
    rows = subset_rows(len(y), 300, seed=2)
    cases += [logistic_case(X, y, 1.0, True, rows)]
    write('logistic_breast_cancer.json', {'X': floats(X), 'y': y.tolist(), 'cases': cases})

    ir = load_iris()
    y = ir.target.astype(np.int64)
    X = rounded(StandardScaler().fit_transform(ir.data))
    cases = [logistic_case(X, y, C, fi) for C in (0.1, 1.0, 10.0) for fi in (True, False)]
    rows = subset_rows(len(y), 100, seed=3)
    cases += [logistic_case(X, y, 1.0, True, rows)]
    write('logistic_iris.json', {'X': floats(X), 'y': y.tolist(), 'cases': cases})
    # Raw (unscaled) iris: ill-conditioned with an intercept; see rowOrderSpread.
    X = rounded(ir.data)
    cases = [logistic_case(X, y, C, fi) for C in (0.1, 1.0, 10.0) for fi in (True, False)]
    write('logistic_iris_raw.json', {'X': floats(X), 'y': y.tolist(), 'cases': cases})

    Xs, ys = make_classification(n_samples=200, n_features=5, n_informative=3, n_redundant=1,
                                 random_state=0)
    Xs = rounded(Xs)
    X32 = Xs.astype(np.float32)
    write('logistic_synthetic.json', {
        'X': floats(Xs), 'y': ys.astype(np.int64).tolist(),
        'X32': float32_reprs(X32),
        'cases': [logistic_case(Xs, ys, C, True) for C in (0.05, 1.0)],
        # the float32 values fitted in float64: what memgrid computes from float32 input
        'cases32Exact': [logistic_case(X32.astype(np.float64), ys, C, True) for C in (0.05, 1.0)],
    })


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    ridge_fixtures()
    logistic_fixtures()
