#!/usr/bin/python3
"""Reference fixtures for memgrid's logistic regression, from converged fits of scikit-learn's
objective (scripts/logistic_reference.py: newton-cg at tol 1e-10, then Newton's method to the
rounding floor; scikit-learn's own solvers stop short on unscaled data).

    /usr/bin/python3 scripts/logistic_fixtures.py

Writes test/fixtures/models/logistic_converged.json (single fits: unscaled breast_cancer, wine
and digits, standardised and raw iris, a synthetic binary set; both intercept settings; row
subsets; sample weights) and test/fixtures/search/logistic_parity.json (GridSearchCV,
learning_curve and validation_curve with the converged estimator on unscaled breast_cancer,
and a multinomial grid on unscaled wine). The tests need no Python.
"""
import json
import os
import sys

import numpy as np
import scipy
import sklearn
from sklearn.datasets import load_breast_cancer, load_digits, load_iris, load_wine, make_classification
from sklearn.model_selection import GridSearchCV, StratifiedKFold, learning_curve, validation_curve
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from logistic_reference import ConvergedLogisticRegression, converged_fit  # noqa: E402
from fixture_columns import score_columns  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures')
PRED_ROWS = [0, 1, 2, 3, 4, 10, 20, 50, 100]
GENERATOR = {'script': 'scripts/logistic_fixtures.py', 'sklearn': sklearn.__version__,
             'numpy': np.__version__, 'scipy': scipy.__version__,
             'reference': 'newton-cg tol 1e-10, polished by Newton to the rounding floor'}


def floats(a):
    return np.asarray(a, dtype=np.float64).tolist()


def ramp_weights(n):
    """Deterministic, uneven sample weights in [0.5, 2]."""
    return 0.5 + 1.5 * ((np.arange(n) * 7919) % 101) / 100.0


def datasets():
    bc, wine, digits, iris = load_breast_cancer(), load_wine(), load_digits(), load_iris()
    Xs, ys = make_classification(n_samples=200, n_features=5, n_informative=3, n_redundant=1, random_state=0)
    return {
        'breast_cancer': (bc.data, bc.target),
        'wine': (wine.data, wine.target),
        'digits': (digits.data, digits.target),
        'iris_scaled': (np.round(StandardScaler().fit_transform(iris.data), 6), iris.target),
        'iris_raw': (iris.data, iris.target),
        'synthetic': (np.round(Xs, 6), ys),
    }


def case(data, name, C, fit_intercept, rows=None, weighted=False):
    X, y = data[name]
    Xf, yf = (X, y) if rows is None else (X[rows], y[rows])
    sw = ramp_weights(len(y)) if weighted else None
    swf = None if sw is None else (sw if rows is None else sw[rows])
    r = converged_fit(Xf, yf, C, fit_intercept, swf)
    m = ConvergedLogisticRegression(C=C, fit_intercept=fit_intercept)
    m.coef_, m.intercept_, m.classes_ = r['coef'], r['intercept'], r['classes']
    probe = [i for i in PRED_ROWS if i < len(y)]
    print(f'{name} C={C} fi={fit_intercept} rows={None if rows is None else len(rows)} w={weighted}: '
          f'decrement {r["decrement"]:.1e} max|g| {r["maxGradient"]:.1e}', file=sys.stderr)
    return {
        'dataset': name, 'C': C, 'fitIntercept': fit_intercept,
        'rows': None if rows is None else rows.tolist(), 'sampleWeight': 'ramp' if weighted else None,
        'coef': floats(r['coef']), 'intercept': floats(r['intercept']), 'classes': floats(r['classes']),
        'decrement': r['decrement'], 'maxGradient': r['maxGradient'],
        'predictRows': probe, 'predict': floats(m.predict(X[probe])),
        'predictProba': floats(m.predict_proba(X[probe])), 'decisionFunction': floats(m.decision_function(X[probe])),
        'score': float(m.score(X, y)),
    }


def model_fixture(data):
    cases = []
    for name in ('breast_cancer', 'wine', 'iris_raw', 'iris_scaled', 'synthetic'):
        cases += [case(data, name, C, fi) for C in (0.01, 1.0, 100.0) for fi in (True, False)]
    cases += [case(data, 'digits', C, True) for C in (0.01, 1.0, 100.0)]
    rng = np.random.RandomState(2)
    for name in ('breast_cancer', 'wine'):
        n = len(data[name][1])
        rows = rng.choice(n, size=int(0.7 * n), replace=False).astype(np.int64)
        cases.append(case(data, name, 1.0, True, rows))
        cases.append(case(data, name, 1.0, True, None, weighted=True))
    out = {'generator': GENERATOR, 'datasets': {k: {'X': floats(X), 'y': floats(y)} for k, (X, y) in data.items()},
           'cases': cases}
    write(os.path.join(ROOT, 'models', 'logistic_converged.json'), out)


def grid_case(name, dataset, data, grid, scoring, refit):
    X, y = data[dataset]
    search = GridSearchCV(ConvergedLogisticRegression(), grid, cv=StratifiedKFold(5), scoring=scoring, refit=refit,
                          return_train_score=True).fit(X, y)
    best = search.best_estimator_
    return {'name': name, 'dataset': dataset, 'grid': grid, 'scoring': scoring, 'refit': refit,
            'cvResults': score_columns(search.cv_results_), 'bestIndex': int(search.best_index_),
            'bestScore': float(search.best_score_), 'bestCoef': floats(best.coef_), 'bestIntercept': floats(best.intercept_)}


def search_fixture(data):
    Cs = np.logspace(-3, 2, 6).tolist()
    grids = [
        grid_case('cancer_raw', 'breast_cancer', data, {'C': Cs}, ['accuracy', 'neg_log_loss', 'roc_auc'], 'neg_log_loss'),
        grid_case('cancer_raw_intercept', 'breast_cancer', data, [{'C': [0.1, 10.0]}, {'C': [1.0], 'fit_intercept': [False]}],
                  'neg_log_loss', True),
        grid_case('wine_raw', 'wine', data, {'C': [0.01, 0.1, 1.0, 10.0]}, ['accuracy', 'neg_log_loss'], 'neg_log_loss'),
    ]
    X, y = data['breast_cancer']
    sizes, tr, te = learning_curve(ConvergedLogisticRegression(C=1.0), X, y, train_sizes=[0.3, 0.6, 1.0],
                                   cv=StratifiedKFold(5), scoring='neg_log_loss')
    vtr, vte = validation_curve(ConvergedLogisticRegression(), X, y, param_name='C', param_range=Cs,
                                cv=StratifiedKFold(5), scoring='neg_log_loss')
    out = {'generator': GENERATOR, 'grids': grids,
           'learningCurve': {'dataset': 'breast_cancer', 'C': 1.0, 'cv': 5, 'scoring': 'neg_log_loss',
                             'requested': [0.3, 0.6, 1.0], 'trainSizes': sizes.tolist(),
                             'trainScores': tr.tolist(), 'testScores': te.tolist()},
           'validationCurve': {'dataset': 'breast_cancer', 'param': 'C', 'values': Cs, 'scoring': 'neg_log_loss',
                               'trainScores': vtr.tolist(), 'testScores': vte.tolist()}}
    write(os.path.join(ROOT, 'search', 'logistic_parity.json'), out)


def write(path, payload):
    with open(path, 'w') as f:
        json.dump(payload, f, separators=(',', ':'))
    print(f'{path}: {os.path.getsize(path)} bytes', file=sys.stderr)


if __name__ == '__main__':
    data = datasets()
    model_fixture(data)
    search_fixture(data)
