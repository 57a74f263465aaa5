#!/usr/bin/python3
"""scikit-learn's contenders for the issue-10 logistic workloads: one contender, one JSON line.

    /usr/bin/python3 bench/sklearn_logistic.py FOLDER --workload LB --contender lbfgs
        [--n-jobs 2] [--quick]

FOLDER holds X.npy and y.npy (bench/data.py), opened with np.load(mmap_mode='r'). Every
contender searches C = logspace(-4, 2, 12) over StratifiedKFold(5) (no shuffle) with
n_jobs workers:
  lbfgs            GridSearchCV(LogisticRegression(solver='lbfgs', tol=1e-8, max_iter=10000)),
                   accuracy + neg_log_loss, refit neg_log_loss
  newton-cholesky  the same with solver='newton-cholesky' (binary only in scikit-learn 1.2)
  lrcv             LogisticRegressionCV(Cs=the same, solver='lbfgs', tol=1e-8, max_iter=10000,
                   scoring='neg_log_loss'): the warm-started path
  default          GridSearchCV(LogisticRegression()): tol 1e-4, max_iter 100, as most users run it
wall_s is the search call alone (fit, including the refit), timed inside this process.

The reference the answers are judged against is bench/logistic_reference.py's.
"""
import argparse
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from sklearn_side import CS, grid_search, logistic_cv

SCORING = ['accuracy', 'neg_log_loss']
REFIT = 'neg_log_loss'
CONVERGED = dict(tol=1e-8, max_iter=10000)
CONTENDERS = ('lbfgs', 'newton-cholesky', 'lrcv', 'default')


def grid(estimator, X, y, n_jobs):
    return grid_search(estimator, 'C', CS, StratifiedKFold(5), SCORING, REFIT, X, y, n_jobs)


def contender(name, X, y, n_jobs):
    if name == 'lrcv':
        return logistic_cv(X, y, n_jobs)
    estimator = LogisticRegression() if name == 'default' else LogisticRegression(solver=name, **CONVERGED)
    return grid(estimator, X, y, n_jobs)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('folder')
    ap.add_argument('--workload', default='?')
    ap.add_argument('--contender', choices=CONTENDERS, required=True)
    ap.add_argument('--quick', action='store_true')
    ap.add_argument('--n-jobs', type=int, default=2)
    args = ap.parse_args()
    # Convergence warnings by the hundred (the default contender expects them): silenced here
    # and in joblib's workers, which inherit the variable.
    os.environ['PYTHONWARNINGS'] = 'ignore'
    warnings.simplefilter('ignore')
    paths = [os.path.join(args.folder, f) for f in ('X.npy', 'y.npy')]
    X = np.load(paths[0], mmap_mode='r')
    y = np.load(paths[1], mmap_mode='r')
    wall, result = contender(args.contender, X, y, args.n_jobs)
    print(json.dumps({
        'side': 'sklearn', 'workload': args.workload, 'contender': args.contender, 'quick': args.quick,
        'wall_s': round(wall, 3), 'workers': args.n_jobs, 'rows': int(X.shape[0]), 'cols': int(X.shape[1]),
        'dataset_bytes': sum(os.path.getsize(p) for p in paths),
        'versions': {'sklearn': sklearn.__version__, 'numpy': np.__version__}, **result,
    }))


if __name__ == '__main__':
    main()
