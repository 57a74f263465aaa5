#!/usr/bin/python3
"""Write scikit-learn 1.2 reference values for memgrid's search primitives.

Run with Debian's Python (numpy 1.24, scikit-learn 1.2):

    /usr/bin/python3 scripts/search_fixtures.py

Outputs JSON into test/fixtures/search/: folds.json (KFold / StratifiedKFold folds, unshuffled),
grids.json (ParameterGrid orders) and metrics.json (metric values on small random vectors).
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.metrics import (accuracy_score, balanced_accuracy_score, f1_score, log_loss,
                             mean_absolute_error, mean_squared_error, r2_score, roc_auc_score)
from sklearn.model_selection import KFold, ParameterGrid, StratifiedKFold

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'search')
rng = np.random.RandomState(20240611)


def folds_of(splitter, n, y=None):
    X = np.zeros((n, 1))
    return [{'train': tr.tolist(), 'test': te.tolist()} for tr, te in splitter.split(X, y)]


def kfold_cases():
    return [{'n': n, 'nSplits': k, 'folds': folds_of(KFold(k), n)}
            for n in (5, 7, 10, 23) for k in (2, 3, 5) if k <= n]


def stratified_cases():
    layouts = {
        'balanced binary': np.array([0, 1] * 10, dtype=float),
        'imbalanced binary': rng.permutation(np.r_[np.zeros(17), np.ones(6)]),
        'three classes': rng.randint(0, 3, size=31).astype(float),
        'sorted three classes': np.sort(rng.randint(0, 3, size=25)).astype(float),
        'labels not 0..k-1': rng.choice([7.0, -3.0, 12.0, 40.0], size=29, p=[0.4, 0.3, 0.2, 0.1]),
        'float labels, first seen is largest': np.r_[[2.5e3], rng.choice([-1.0, 4.0, 2.5e3], size=18)],
        'small class (warns)': np.r_[np.zeros(12), np.ones(2), np.full(5, 2.0)][rng.permutation(19)],
    }
    cases = []
    for name, y in layouts.items():
        for k in (2, 3, 5):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter('always')
                folds = folds_of(StratifiedKFold(k), len(y), y)
            cases.append({'name': name, 'y': y.tolist(), 'nSplits': k, 'folds': folds,
                          'warned': any('least populated' in str(w.message) for w in caught)})
    return cases


def grid_cases():
    grids = [
        {'alpha': [0.1, 1, 10], 'fitIntercept': [True, False]},
        {'tol': [1e-4], 'C': [0.5, 2], 'penalty': ['l2', None], 'maxIter': [100, 300]},
        [{'b': [1, 2], 'a': ['x']}, {'kernel': ['rbf'], 'gamma': [0.1, 1.0, 10.0]}, {'Z': [True], 'a': [1, 2]}],
    ]
    return [{'grid': g, 'candidates': list(ParameterGrid(g))} for g in grids]


def metric_cases():
    n = 37
    y_reg = rng.normal(size=n) * 3 + 1
    p_reg = y_reg + rng.normal(size=n)
    const = np.full(6, 2.5)
    y3 = rng.randint(0, 3, size=n).astype(float)
    p3 = np.where(rng.rand(n) < 0.7, y3, rng.randint(0, 4, size=n)).astype(float)  # class 3 only predicted
    yb = rng.randint(0, 2, size=n).astype(float)
    pb = np.where(rng.rand(n) < 0.75, yb, 1 - yb)
    score_ties = np.round(rng.rand(n) + 0.4 * yb, 1)  # one decimal: many ties
    ypm = np.where(yb == 1, 1.0, -1.0)
    y25 = np.where(yb == 1, 5.0, 2.0)
    proba2 = rng.dirichlet([1, 1], size=n)
    proba2[:4] = [[0.0, 1.0], [1.0, 0.0], [1e-17, 1 - 1e-17], [0.5, 0.5]]  # clipping
    raw3 = rng.dirichlet([1, 1, 1], size=n) * 1.1  # rows summing to 1.1: renormalised
    raw3[0] = [0.0, 0.0, 1.0]
    p1d = rng.rand(n)
    p1d[:2] = [0.0, 1.0]
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        return {
            'regression': {'yTrue': y_reg.tolist(), 'yPred': p_reg.tolist(),
                           'r2': r2_score(y_reg, p_reg), 'mse': mean_squared_error(y_reg, p_reg),
                           'rmse': mean_squared_error(y_reg, p_reg, squared=False),
                           'mae': mean_absolute_error(y_reg, p_reg)},
            'r2 constant yTrue': {'yTrue': const.tolist(), 'yPred': (const + 1).tolist(),
                                  'r2': r2_score(const, const + 1), 'r2Perfect': r2_score(const, const)},
            'multiclass': {'yTrue': y3.tolist(), 'yPred': p3.tolist(), 'accuracy': accuracy_score(y3, p3),
                           'balancedAccuracy': balanced_accuracy_score(y3, p3)},
            'binary': {'yTrue': yb.tolist(), 'yPred': pb.tolist(), 'accuracy': accuracy_score(yb, pb),
                       'balancedAccuracy': balanced_accuracy_score(yb, pb), 'f1': f1_score(yb, pb),
                       'f1PlusMinus': f1_score(ypm, np.where(pb == 1, 1.0, -1.0)),
                       'f1AllNegative': f1_score(np.zeros(5), np.zeros(5)),
                       'f1NoPredictedPositive': f1_score(yb, np.zeros(n))},
            'roc ties': {'yTrue': yb.tolist(), 'score': score_ties.tolist(), 'rocAuc': roc_auc_score(yb, score_ties),
                         'yTrue25': y25.tolist(), 'rocAuc25': roc_auc_score(y25, score_ties),
                         'allTied': roc_auc_score(yb, np.zeros(n))},
            'roc continuous': {'yTrue': yb.tolist(), 'score': p_reg.tolist(), 'rocAuc': roc_auc_score(yb, p_reg)},
            'log loss binary': {'yTrue': yb.tolist(), 'proba': proba2.ravel().tolist(), 'logLoss': log_loss(yb, proba2)},
            'log loss binary 1d': {'yTrue': yb.tolist(), 'proba': p1d.tolist(), 'logLoss': log_loss(yb, p1d)},
            'log loss multiclass': {'yTrue': y3.tolist(), 'proba': raw3.ravel().tolist(), 'logLoss': log_loss(y3, raw3)},
            'log loss explicit labels': {'yTrue': [0.0, 0.0, 2.0], 'proba': raw3[:3].ravel().tolist(),
                                         'classes': [0.0, 1.0, 2.0],
                                         'logLoss': log_loss([0, 0, 2], raw3[:3], labels=[0, 1, 2])},
        }


def main():
    os.makedirs(OUT, exist_ok=True)
    meta = {'sklearn': sklearn.__version__, 'numpy': np.__version__}
    outputs = {
        'folds.json': {**meta, 'kfold': kfold_cases(), 'stratified': stratified_cases()},
        'grids.json': {**meta, 'cases': grid_cases()},
        'metrics.json': {**meta, **metric_cases()},
    }
    for name, value in outputs.items():
        with open(os.path.join(OUT, name), 'w') as f:
            json.dump(value, f, separators=(',', ':'))
            f.write('\n')


if __name__ == '__main__':
    main()
