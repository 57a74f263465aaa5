#!/usr/bin/python3
"""The reference answer of an issue-10 logistic workload, computed once outside the timed runs.

    /usr/bin/python3 bench/logistic_reference.py FOLDER [--n-jobs 2]

For every C of logspace(-4, 2, 12) and every fold of StratifiedKFold(5) (no shuffle), fits
LogisticRegression(solver='newton-cg', tol=1e-10) -- scikit-learn's converged solver, the
issue's standard for logistic references -- on the training rows and scores accuracy and
neg_log_loss on the test rows, as GridSearchCV would; the mean over folds is the reference.
Caches FOLDER/reference.json (kept while its settings match) and prints it as one line.

Why not GridSearchCV(newton-cg, max_iter=N): newton-cg's tol bounds the gradient of the
summed loss, ~1e-15 relative on tens of thousands of rows, so about a third of the fits
never get under it and take steps that no longer change the coefficients until max_iter
(10000 such steps took 40 s on one fit of 16,000 rows), while unscaled breast_cancer needs
up to ~106 real steps (max_iter 100 left one fit 2e-5 short). So each fit runs in rounds of
ROUND iterations, warm-started from the last, and stops when a round ends before its cap or
moves no coefficient by more than MOVED relative to the largest: the same newton-cg answer,
without the churn.
"""
import argparse
import json
import os
import time
import warnings

import numpy as np
import sklearn
from joblib import Parallel, delayed
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import get_scorer
from sklearn.model_selection import StratifiedKFold

CS = np.logspace(-4, 2, 12)
SCORING = ('accuracy', 'neg_log_loss')
SOLVER = dict(solver='newton-cg', tol=1e-10)
ROUND = 50
MAX_ROUNDS = 20
MOVED = 1e-12


def weights(model):
    return np.concatenate([model.coef_.ravel(), model.intercept_])


def fit(X, y, C):
    """newton-cg at tol 1e-10, continued in rounds while it still moves; also returns its steps."""
    model = LogisticRegression(C=C, max_iter=ROUND, warm_start=True, **SOLVER)
    steps = 0
    for _ in range(MAX_ROUNDS):
        before = weights(model) if hasattr(model, 'coef_') else None
        model.fit(X, y)
        taken = int(np.max(model.n_iter_))
        steps += taken
        after = weights(model)
        if taken < ROUND or (before is not None and np.max(np.abs(after - before)) <= MOVED * np.max(np.abs(after))):
            break
    return model, steps


def fit_and_score(X, y, C, train, test):
    warnings.simplefilter('ignore')
    model, steps = fit(X[train], y[train], C)
    return [get_scorer(name)(model, X[test], y[test]) for name in SCORING], steps


def compute(X, y, n_jobs):
    folds = list(StratifiedKFold(5).split(np.zeros(len(y)), y))
    jobs = [(i, train, test) for i in range(len(CS)) for train, test in folds]
    out = Parallel(n_jobs=n_jobs)(delayed(fit_and_score)(X, y, CS[i], train, test) for i, train, test in jobs)
    scores = np.array([s for s, _ in out]).reshape(len(CS), len(folds), len(SCORING))
    mean = scores.mean(axis=1)
    # argmax takes the first of equal scores, as GridSearchCV's rank does.
    best = int(np.argmax(mean[:, SCORING.index('neg_log_loss')]))
    return {
        'best_index': best, 'best_params': {'C': float(CS[best])},
        'mean_test': {name: [float(v) for v in mean[:, k]] for k, name in enumerate(SCORING)},
        'newton_steps_max': max(steps for _, steps in out),
    }


def reference(folder, n_jobs):
    path = os.path.join(folder, 'reference.json')
    settings = {**SOLVER, 'round': ROUND, 'max_rounds': MAX_ROUNDS, 'moved': MOVED,
                'Cs': [float(c) for c in CS], 'cv': 'StratifiedKFold(n_splits=5)', 'scoring': list(SCORING)}
    if os.path.exists(path):
        with open(path) as f:
            cached = json.load(f)
        if cached.get('settings') == settings:
            return cached
    X = np.load(os.path.join(folder, 'X.npy'), mmap_mode='r')
    y = np.load(os.path.join(folder, 'y.npy'), mmap_mode='r')
    t0 = time.perf_counter()
    made = {'settings': settings, **compute(X, y, n_jobs), 'seconds': round(time.perf_counter() - t0, 2),
            'versions': {'sklearn': sklearn.__version__, 'numpy': np.__version__}}
    tmp = os.path.join(folder, '.reference.tmp.json')
    with open(tmp, 'w') as f:
        json.dump(made, f)
    os.replace(tmp, path)
    return made


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('folder')
    ap.add_argument('--n-jobs', type=int, default=2)
    args = ap.parse_args()
    # Line-search warnings by the thousand: silenced here and in joblib's workers.
    os.environ['PYTHONWARNINGS'] = 'ignore'
    warnings.simplefilter('ignore')
    print(json.dumps(reference(args.folder, args.n_jobs)))


if __name__ == '__main__':
    main()
