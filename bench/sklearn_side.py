#!/usr/bin/python3
"""The scikit-learn anchor for the issue-4 workloads: one workload, one JSON line.

    /usr/bin/python3 bench/sklearn_side.py W1|W2|W2b|W3|RW [--quick] [--data-dir DIR | --folder DIR] [--n-jobs 2]

Opens the cached .npy files (bench/data.py) with np.load(mmap_mode='r') and runs:
  W1   GridSearchCV(Ridge, alpha=logspace(-3, 4, 25), KFold(5), r2 + neg_mean_squared_error, refit r2)
  W2   GridSearchCV(LogisticRegression(tol=1e-8, max_iter=10000), C=logspace(-4, 2, 12),
       StratifiedKFold(5), accuracy + neg_log_loss, refit neg_log_loss)
  W2b  LogisticRegressionCV(Cs=the same 12, StratifiedKFold(5), tol=1e-8, max_iter=10000,
       scoring neg_log_loss): scikit-learn's own warm-started path
  W3   learning_curve(Ridge(alpha=1), train_sizes=linspace(0.1, 1, 10), KFold(5))
  RW   W1's search on the wide ridge set (issue 10)
all with n_jobs=2. --folder names the dataset's folder directly (the harness passes it, so a
--seed run finds its own data); otherwise it is DIR/<full|quick>/<dataset>. wall_s is the search call alone (fit, including the refit), measured
inside this process; the memgrid side (bench/memgrid-side.ts) prints the same fields.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression, LogisticRegressionCV, Ridge
from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold, learning_curve

ALPHAS = np.logspace(-3, 4, 25)
CS = np.logspace(-4, 2, 12)
TRAIN_SIZES = np.linspace(0.1, 1.0, 10)
DATASET = {'W1': 'w1', 'W2': 'w2', 'W2b': 'w2', 'W3': 'w1', 'RW': 'rw'}


def default_dir():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.environ.get('MEMGRID_BENCH_DIR') or os.path.join(os.path.dirname(here), '.cache', 'bench')


def floats(a):
    return [float(v) for v in np.asarray(a).ravel()]


def grid_search(estimator, name, values, cv, scoring, refit, X, y, n_jobs):
    search = GridSearchCV(estimator, {name: values}, cv=cv, scoring=scoring, refit=refit, n_jobs=n_jobs)
    t0 = time.perf_counter()
    search.fit(X, y)
    wall = time.perf_counter() - t0
    res = search.cv_results_
    n_iter = getattr(search.best_estimator_, 'n_iter_', None)
    iterations = {} if n_iter is None else {'n_iter_max': int(np.max(n_iter)), 'max_iter': int(search.best_estimator_.max_iter)}
    return wall, {
        'best_index': int(search.best_index_),
        'best_params': {name: float(search.best_params_[name])},
        'best_score': float(search.best_score_),
        'refit': refit,
        'candidates': [{name: float(v)} for v in values],
        'mean_test': {m: floats(res[f'mean_test_{m}']) for m in scoring},
        'refit_time_s': float(search.refit_time_),
        **iterations,
    }


def logistic_cv(X, y, n_jobs):
    model = LogisticRegressionCV(Cs=CS, cv=StratifiedKFold(5), tol=1e-8, max_iter=10000,
                                 n_jobs=n_jobs, scoring='neg_log_loss')
    t0 = time.perf_counter()
    model.fit(X, y)
    wall = time.perf_counter() - t0
    # scores_ maps each class to an (n_folds, n_Cs) array in the order of Cs_; multinomial
    # repeats one array under every class, binary has only the positive class.
    mean = np.asarray(next(iter(model.scores_.values()))).mean(axis=0)
    best = int(np.argmax(mean))
    return wall, {
        'best_index': best,
        'best_params': {'C': float(model.C_[0])},
        'best_score': float(mean[best]),
        'refit': 'neg_log_loss',
        'candidates': [{'C': float(c)} for c in model.Cs_],
        'mean_test': {'neg_log_loss': floats(mean)},
        'n_iter_max': int(np.max(model.n_iter_)), 'max_iter': int(model.max_iter),
    }


def curve(X, y, n_jobs):
    t0 = time.perf_counter()
    sizes, train, test, fit_times, _ = learning_curve(
        Ridge(alpha=1.0), X, y, train_sizes=TRAIN_SIZES, cv=KFold(5), n_jobs=n_jobs, return_times=True)
    wall = time.perf_counter() - t0
    return wall, {
        'train_sizes': [int(s) for s in sizes],
        'mean_test': {'r2': floats(test.mean(axis=1))},
        'test_scores': [floats(row) for row in test],
        'train_scores': [floats(row) for row in train],
        'mean_fit_time': floats(fit_times.mean(axis=1)),
    }


def run(workload, X, y, n_jobs):
    if workload in ('W1', 'RW'):
        return grid_search(Ridge(), 'alpha', ALPHAS, KFold(5), ['r2', 'neg_mean_squared_error'], 'r2', X, y, n_jobs)
    if workload == 'W2':
        return grid_search(LogisticRegression(tol=1e-8, max_iter=10000), 'C', CS, StratifiedKFold(5),
                           ['accuracy', 'neg_log_loss'], 'neg_log_loss', X, y, n_jobs)
    if workload == 'W2b':
        return logistic_cv(X, y, n_jobs)
    return curve(X, y, n_jobs)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('workload', choices=sorted(DATASET))
    ap.add_argument('--quick', action='store_true')
    ap.add_argument('--data-dir', dest='dir', default=default_dir())
    ap.add_argument('--folder')
    ap.add_argument('--n-jobs', type=int, default=2)
    args = ap.parse_args()
    folder = args.folder or os.path.join(args.dir, 'quick' if args.quick else 'full', DATASET[args.workload])
    paths = [os.path.join(folder, f) for f in ('X.npy', 'y.npy')]
    missing = [p for p in paths if not os.path.exists(p)]
    if missing:
        print(f'sklearn_side: missing {missing[0]}: run bench/data.py first', file=sys.stderr)
        sys.exit(2)
    X = np.load(paths[0], mmap_mode='r')
    y = np.load(paths[1], mmap_mode='r')
    wall, result = run(args.workload, X, y, args.n_jobs)
    print(json.dumps({
        'side': 'sklearn', 'workload': args.workload, 'quick': args.quick,
        'wall_s': round(wall, 3), 'workers': args.n_jobs, 'rows': int(X.shape[0]), 'cols': int(X.shape[1]),
        'dataset_bytes': sum(os.path.getsize(p) for p in paths),
        'versions': {'sklearn': sklearn.__version__, 'numpy': np.__version__}, **result,
    }))


if __name__ == '__main__':
    main()
