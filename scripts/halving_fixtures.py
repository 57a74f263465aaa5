#!/usr/bin/python3
"""Write scikit-learn 1.2 successive-halving references for memgrid.

Run with Debian's Python:

    /usr/bin/python3 scripts/halving_fixtures.py

Outputs test/fixtures/search/halving.json: rung schedules (n_resources_, n_candidates_ and the
iteration counts) for many grid sizes, factors and resource settings; _SubsampleMetaSplitter's
rows; Python's math.log(x, base) (the schedule's floors depend on its last bit); and whole
HalvingGridSearchCV / HalvingRandomSearchCV runs of Ridge on a small data set (cv_results_
params, iter, n_resources, scores and ranks, best params).
"""
import json
import math
import os
import warnings

import numpy as np
import scipy
import sklearn
from scipy.stats import loguniform
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import HalvingGridSearchCV, HalvingRandomSearchCV, KFold, StratifiedKFold
from sklearn.model_selection._search_successive_halving import _SubsampleMetaSplitter

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'search')
rng = np.random.RandomState(20261201)


def schedule_cases():
    out = []
    X = rng.randn(2000, 2)
    settings = []
    for n_candidates in (1, 2, 3, 8, 9, 10, 26, 27, 28, 81, 100, 243, 244):
        for factor in (2, 3, 4, 1.5):
            settings.append(dict(n_candidates=n_candidates, factor=factor, n_samples=1000))
    for min_resources in ('smallest', 'exhaust', 20, 123):
        for max_resources in ('auto', 700):
            for aggressive in (False, True):
                settings.append(dict(n_candidates=50, factor=3, n_samples=1000, min_resources=min_resources,
                                     max_resources=max_resources, aggressive=aggressive))
    settings.append(dict(n_candidates=40, factor=3, n_samples=400, classes=3, n_splits=4))
    settings.append(dict(n_candidates=30, factor=2, n_samples=150, classes=2, n_splits=3, min_resources='smallest'))
    settings.append(dict(n_candidates=200, factor=3, n_samples=90, aggressive=True, n_splits=3))
    for s in settings:
        n = s['n_samples']
        classes = s.get('classes')
        n_splits = s.get('n_splits', 5)
        if classes:
            y = np.arange(n) % classes
            est, cv = DummyClassifier(strategy='prior'), StratifiedKFold(n_splits)
        else:
            y = rng.randn(n)
            est, cv = DummyRegressor(), KFold(n_splits)
        grid = {'constant': list(range(s['n_candidates']))}
        search = HalvingGridSearchCV(est, grid, factor=s['factor'], cv=cv, random_state=0,
                                     min_resources=s.get('min_resources', 'exhaust'),
                                     max_resources=s.get('max_resources', 'auto'),
                                     aggressive_elimination=s.get('aggressive', False), refit=False)
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            search.fit(X[:n], y)
        out.append({**s, 'n_splits': n_splits,
                    'nResources': [int(v) for v in search.n_resources_], 'nCandidates': [int(v) for v in search.n_candidates_],
                    'nIterations': int(search.n_iterations_), 'nPossibleIterations': int(search.n_possible_iterations_),
                    'nRequiredIterations': int(search.n_required_iterations_),
                    'minResources': float(search.min_resources_), 'maxResources': int(search.max_resources_),
                    'nRemainingCandidates': int(search.n_remaining_candidates_)})
    return out


def subsample_cases():
    out = []
    for seed in (0, 1, 42, 2**32 - 1):
        for n, base, fraction in ((50, KFold(5), 0.3), (61, KFold(4, shuffle=True, random_state=3), 0.5), (40, KFold(3), 1.0)):
            X = np.zeros((n, 1))
            meta = _SubsampleMetaSplitter(base_cv=base, fraction=fraction, subsample_test=True, random_state=seed)
            folds = [{'train': tr.tolist(), 'test': te.tolist()} for tr, te in meta.split(X, None)]
            out.append({'seed': seed, 'n': n, 'fraction': fraction, 'base': repr(base), 'folds': folds})
    return out


def log_cases():
    out = []
    for base in (2, 3, 4, 1.5, 10):
        for x in list(range(1, 200)) + [243, 729, 2187, 6561, 1000, 10000, 4096, 59049]:
            out.append([x, base, math.log(x, base)])
    return out


def search_cases():
    n, d = 300, 5
    X = rng.randn(n, d)
    y = X @ rng.randn(d) + 0.8 * rng.randn(n)
    yc = (X[:, 0] + 0.5 * X[:, 1] + 0.3 * rng.randn(n) > 0).astype(float)
    runs = []
    alphas = np.logspace(-3, 3, 30).tolist()
    for seed in (0, 7):
        for factor, min_resources in ((3, 'exhaust'), (2, 'smallest'), (3, 40)):
            s = HalvingGridSearchCV(Ridge(), {'alpha': alphas}, factor=factor, min_resources=min_resources, cv=5, random_state=seed)
            s.fit(X, y)
            runs.append(summary('grid', s, dict(seed=seed, factor=factor, minResources=min_resources, model='ridge')))
        s = HalvingRandomSearchCV(Ridge(), {'alpha': loguniform(1e-3, 1e3), 'fit_intercept': [True]}, n_candidates=20,
                                  factor=2, cv=4, random_state=seed)
        s.fit(X, y)
        runs.append(summary('random', s, dict(seed=seed, factor=2, nCandidates=20, cvSplits=4, model='ridge')))
    s = HalvingGridSearchCV(LogisticRegression(), {'C': np.logspace(-4, 2, 12).tolist()}, factor=3, cv=3, random_state=0)
    s.fit(X, yc)
    runs.append(summary('grid', s, dict(seed=0, factor=3, minResources='exhaust', model='logistic', cvSplits=3)))
    return {'X': X.tolist(), 'y': y.tolist(), 'yClass': yc.tolist(), 'alphas': alphas, 'runs': runs}


def summary(kind, s, settings):
    r = s.cv_results_
    return {
        'kind': kind, **settings,
        'params': [{k: (v.item() if hasattr(v, 'item') else v) for k, v in p.items()} for p in r['params']],
        'iter': r['iter'].tolist(), 'nResourcesColumn': r['n_resources'].tolist(),
        'meanTestScore': r['mean_test_score'].tolist(), 'rankTestScore': r['rank_test_score'].tolist(),
        'split0TestScore': r['split0_test_score'].tolist(), 'meanTrainScore': r['mean_train_score'].tolist(),
        'nResources': [int(v) for v in s.n_resources_], 'nCandidates': [int(v) for v in s.n_candidates_],
        'bestIndex': int(s.best_index_), 'bestParams': {k: (v.item() if hasattr(v, 'item') else v) for k, v in s.best_params_.items()},
        'bestScore': float(s.best_score_),
    }


def main():
    result = {
        'versions': {'numpy': np.__version__, 'scipy': scipy.__version__, 'sklearn': sklearn.__version__},
        'schedules': schedule_cases(),
        'subsample': subsample_cases(),
        'logs': log_cases(),
        'searches': search_cases(),
    }
    with open(os.path.join(OUT, 'halving.json'), 'w') as f:
        json.dump(result, f, separators=(',', ':'))
        f.write('\n')


if __name__ == '__main__':
    main()
