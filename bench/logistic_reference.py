#!/usr/bin/python3
"""The reference answer of an issue-10 logistic workload, computed once outside the timed runs.

    /usr/bin/python3 bench/logistic_reference.py FOLDER [--n-jobs 2]

For every C of logspace(-4, 2, 12) and every fold of StratifiedKFold(5) (no shuffle), fits
LogisticRegression(solver='newton-cg', tol=1e-10) -- scikit-learn's converged solver, the
issue's standard for logistic references -- on the training rows and scores accuracy and
neg_log_loss on the test rows, as GridSearchCV would; the mean over folds is the reference.
Caches FOLDER/reference.json (kept while its settings and the data's sha256 match) and
prints it as one line.

Why not GridSearchCV(newton-cg, max_iter=N): newton-cg's tol bounds the gradient of the
summed loss, ~1e-15 relative on tens of thousands of rows, so about a third of the fits
never get under it and take steps that no longer change the coefficients until max_iter
(10000 such steps took 40 s on one fit of 16,000 rows), while unscaled breast_cancer needs
up to ~106 real steps (max_iter 100 left one fit 2e-5 short). So each fit runs in rounds of
ROUND iterations, warm-started from the last, and stops when a round ends before its cap or
moves no coefficient by more than MOVED relative to the largest: the same newton-cg answer,
without the churn.

Then each fit is polished by up to POLISH steps of scikit-learn's own Newton-CG without its
line search. The Wolfe line search compares objective values, and once the decrease a step
promises is below their rounding it fails and newton-cg stops: on unscaled digits at C=100
that left |gradient| at 3e-7 and test log-loss ~1e-6 from the optimum. Full Newton steps
driven by the gradient alone go on to tol where rounding lets them; a polish that does not
lower the gradient is dropped. The largest remaining |gradient| is recorded as grad_max.
"""
import argparse
import hashlib
import json
import os
import time
import warnings

import numpy as np
import sklearn
from joblib import Parallel, delayed
from sklearn._loss.loss import HalfBinomialLoss, HalfMultinomialLoss
from sklearn.linear_model import LogisticRegression
from sklearn.linear_model._linear_loss import LinearModelLoss
from sklearn.metrics import get_scorer
from sklearn.model_selection import StratifiedKFold
from sklearn.utils.optimize import _newton_cg

CS = np.logspace(-4, 2, 12)
SCORING = ('accuracy', 'neg_log_loss')
SOLVER = dict(solver='newton-cg', tol=1e-10)
ROUND = 50
MAX_ROUNDS = 20
MOVED = 1e-12
POLISH = 20


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


def polish(model, X, y, C):
    """Newton-CG steps without line search from the model's answer (scikit-learn 1.2's own
    objective, loss and layout: coef then intercept, classes in Fortran order); returns the
    largest |gradient| left."""
    k = len(model.classes_)
    binary = k == 2
    loss = LinearModelLoss(HalfBinomialLoss() if binary else HalfMultinomialLoss(n_classes=k), fit_intercept=True)
    codes = np.searchsorted(model.classes_, y).astype(np.float64)
    stacked = np.hstack([model.coef_, model.intercept_[:, None]])
    w0 = stacked.ravel() if binary else stacked.ravel(order='F')
    args = (X, codes, np.ones(len(y)), 1.0 / C, 1)
    before = np.max(np.abs(loss.gradient(w0, *args)))
    w, _ = _newton_cg(loss.gradient_hessian_product, loss.loss, loss.gradient, w0, args=args,
                      tol=SOLVER['tol'], maxiter=POLISH, line_search=False, warn=False)
    after = np.max(np.abs(loss.gradient(w, *args)))
    if not after < before:
        return before
    polished = w.reshape((1, -1)) if binary else w.reshape((k, -1), order='F')
    model.coef_, model.intercept_ = polished[:, :-1].copy(), polished[:, -1].copy()
    return after


def fit_and_score(X, y, C, train, test):
    warnings.simplefilter('ignore')
    Xt, yt = X[train], y[train]
    model, steps = fit(Xt, yt, C)
    grad = polish(model, Xt, yt, C)
    return [get_scorer(name)(model, X[test], y[test]) for name in SCORING], steps, grad


def compute(X, y, n_jobs):
    folds = list(StratifiedKFold(5).split(np.zeros(len(y)), y))
    jobs = [(i, train, test) for i in range(len(CS)) for train, test in folds]
    out = Parallel(n_jobs=n_jobs)(delayed(fit_and_score)(X, y, CS[i], train, test) for i, train, test in jobs)
    scores = np.array([s for s, _, _ in out]).reshape(len(CS), len(folds), len(SCORING))
    mean = scores.mean(axis=1)
    # argmax takes the first of equal scores, as GridSearchCV's rank does.
    best = int(np.argmax(mean[:, SCORING.index('neg_log_loss')]))
    return {
        'best_index': best, 'best_params': {'C': float(CS[best])},
        'mean_test': {name: [float(v) for v in mean[:, k]] for k, name in enumerate(SCORING)},
        'newton_steps_max': max(steps for _, steps, _ in out),
        'grad_max': float(max(grad for _, _, grad in out)),
    }


def sha256(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            digest.update(chunk)
    return digest.hexdigest()


def reference(folder, n_jobs):
    path = os.path.join(folder, 'reference.json')
    settings = {**SOLVER, 'round': ROUND, 'max_rounds': MAX_ROUNDS, 'moved': MOVED, 'polish': POLISH,
                'Cs': [float(c) for c in CS], 'cv': 'StratifiedKFold(n_splits=5)', 'scoring': list(SCORING),
                'sha256': {name: sha256(os.path.join(folder, f'{name}.npy')) for name in ('X', 'y')}}
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
