#!/usr/bin/python3
"""Write scikit-learn 1.2 reference values for memgrid's scorers into
test/fixtures/search/scorers.json.

Run with Debian's Python (numpy 1.24, scikit-learn 1.2):

    /usr/bin/python3 scripts/scorer_fixtures.py

Each case is a fitted "estimator" whose outputs are fixed per row (the rows are X's only
column), so that scikit-learn's own scorer objects (get_scorer(name)) decide everything:
which method they call, which probability column they keep, which targets they refuse, what
they warn. Per scorer the fixture holds the score, or the error scikit-learn raised, and the
warnings (category, message) it gave. Cases cover binary, multiclass, imbalanced and
degenerate test folds, and regression targets some metrics refuse.
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.metrics import get_scorer, get_scorer_names
from sklearn.metrics import f1_score, fbeta_score, jaccard_score, precision_score, recall_score

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'search', 'scorers.json')
rng = np.random.RandomState(20261201)

CLUSTERING = {'adjusted_mutual_info_score', 'adjusted_rand_score', 'completeness_score', 'fowlkes_mallows_score',
              'homogeneity_score', 'mutual_info_score', 'normalized_mutual_info_score', 'rand_score',
              'v_measure_score'}
# Not one of 1.2's scorers; memgrid offers it under the name later releases use, computed by 1.2's metric.
EXTRA = {'d2_absolute_error_score'}


class FixedClassifier(ClassifierMixin, BaseEstimator):
    """A 'fitted' classifier whose outputs for row i are stored: X[:, 0] holds row ids."""

    def __init__(self, classes, decision, proba):
        self.classes = classes
        self.decision = decision
        self.proba = proba

    def fit(self, X, y):
        return self

    @property
    def classes_(self):
        return np.asarray(self.classes, dtype=float)

    def decision_function(self, X):
        return self.decision[X[:, 0].astype(int)]

    def predict_proba(self, X):
        return self.proba[X[:, 0].astype(int)]

    def predict(self, X):
        d = self.decision_function(X)
        idx = (d > 0).astype(int) if d.ndim == 1 else d.argmax(axis=1)
        return self.classes_[idx]


class FixedRegressor(RegressorMixin, BaseEstimator):
    def __init__(self, pred):
        self.pred = pred

    def fit(self, X, y):
        return self

    def predict(self, X):
        return self.pred[X[:, 0].astype(int)]


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def binary_case(name, y, decision, classes):
    decision = np.round(decision, 6)
    p1 = sigmoid(decision)
    return {'name': name, 'kind': 'classifier', 'y': y, 'classes': classes,
            'decision': decision, 'proba': np.c_[1 - p1, p1]}


def multiclass_case(name, y, scores, classes):
    scores = np.round(scores, 6)
    return {'name': name, 'kind': 'classifier', 'y': y, 'classes': classes,
            'decision': scores, 'proba': softmax(scores)}


def cases():
    n = 40
    y = rng.randint(0, 2, n).astype(float)
    out = [binary_case('binary', y, 1.5 * (y - 0.5) + rng.normal(0, 1, n), [0, 1])]
    y37 = np.where(y == 1, 7.0, 3.0)
    out.append(binary_case('binary labels 3 and 7', y37, 1.5 * (y - 0.5) + rng.normal(0, 1, n), [3, 7]))
    yimb = np.r_[np.zeros(38), np.ones(2)][rng.permutation(n)]
    out.append(binary_case('imbalanced, nothing predicted positive', yimb, -2 + rng.normal(0, 0.3, n), [0, 1]))
    out.append(binary_case('single-class fold of a binary model', np.ones(12), rng.normal(0, 1, 12), [0, 1]))
    out.append(binary_case('tied decision values', y, np.round(rng.normal(0, 1, n)) * 0.5 + (y - 0.5), [0, 1]))
    y3 = rng.randint(0, 3, 45).astype(float)
    scores = rng.normal(0, 1, (45, 3))
    scores[np.arange(45), y3.astype(int)] += 1.2
    out.append(multiclass_case('multiclass', y3, scores, [0, 1, 2]))
    y2of3 = np.r_[np.zeros(10), np.full(10, 2.0)][rng.permutation(20)]
    out.append(multiclass_case('fold with two of three classes', y2of3, rng.normal(0, 1, (20, 3)), [0, 1, 2]))
    y4 = np.r_[np.repeat([0.0, 1.0, 2.0, 3.0], [20, 12, 6, 2])][rng.permutation(40)]
    s4 = rng.normal(0, 1, (40, 4))
    s4[np.arange(40), y4.astype(int)] += 0.8
    out.append(multiclass_case('imbalanced four classes', y4, s4, [0, 1, 2, 3]))
    yr = rng.gamma(2.0, 3.0, 30)
    out.append({'name': 'regression, positive targets', 'kind': 'regressor', 'y': np.round(yr, 6),
                'pred': np.round(np.abs(yr + rng.normal(0, 1.5, 30)) + 0.01, 6)})
    ys = rng.normal(0, 5, 25)
    out.append({'name': 'regression, signed targets', 'kind': 'regressor', 'y': np.round(ys, 6),
                'pred': np.round(ys + rng.normal(0, 2, 25), 6)})
    out.append({'name': 'regression, constant target', 'kind': 'regressor', 'y': np.full(6, 2.5),
                'pred': np.array([2.5, 2.0, 3.0, 2.5, 2.4, 2.6])})
    out.append({'name': 'regression, one sample', 'kind': 'regressor', 'y': np.array([1.5]), 'pred': np.array([2.0])})
    return out


def run_scorer(name, est, X, y):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        try:
            value = float(get_scorer(name)(est, X, y))
            result = {'value': None if np.isnan(value) else value}
        except Exception as e:  # noqa: BLE001 - the fixture records what scikit-learn raised
            result = {'error': f'{type(e).__name__}: {e}'}
    result['warnings'] = [{'type': w.category.__name__, 'message': str(w.message)} for w in caught
                          if w.category.__name__ in ('UndefinedMetricWarning', 'UserWarning')]
    return result


def setwise(y, pred):
    """precision/recall/f1/jaccard with zero_division 0 and 1 and fbeta(beta=2), per average."""
    out = {}
    for average in ('binary', 'macro', 'micro', 'weighted'):
        for zd in (0, 1):
            for fname, fn in (('precision', precision_score), ('recall', recall_score), ('f1', f1_score),
                              ('jaccard', jaccard_score)):
                try:
                    out[f'{fname} {average} {zd}'] = float(fn(y, pred, average=average, zero_division=zd))
                except ValueError as e:
                    out[f'{fname} {average} {zd}'] = f'ValueError: {e}'
        try:
            with warnings.catch_warnings():
                warnings.simplefilter('ignore')
                out[f'fbeta2 {average}'] = float(fbeta_score(y, pred, beta=2, average=average))
        except ValueError as e:
            out[f'fbeta2 {average}'] = f'ValueError: {e}'
    return out


def main():
    names = [n for n in get_scorer_names() if n not in CLUSTERING and not n.endswith('_samples')]
    out_cases = []
    for case in cases():
        n = len(case['y'])
        X = np.arange(n, dtype=float)[:, None]
        y = case['y']
        if case['kind'] == 'classifier':
            est = FixedClassifier(case['classes'], case['decision'], case['proba'])
            pred = est.predict(X)
            wanted = names
            record = {'name': case['name'], 'kind': 'classifier', 'y': y.tolist(), 'classes': case['classes'],
                      'decision': case['decision'].tolist(), 'proba': case['proba'].tolist(), 'predict': pred.tolist(),
                      'setwise': setwise(y, pred)}
        else:
            est = FixedRegressor(case['pred'])
            from sklearn.metrics import d2_absolute_error_score
            wanted = [n for n in names if get_scorer(n)._score_func.__module__.endswith('_regression')]
            record = {'name': case['name'], 'kind': 'regressor', 'y': y.tolist(), 'predict': case['pred'].tolist()}
        scores = {name: run_scorer(name, est, X, y) for name in wanted}
        if case['kind'] == 'regressor':
            from sklearn.metrics import d2_absolute_error_score
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter('always')
                value = float(d2_absolute_error_score(y, case['pred']))
            scores['d2_absolute_error_score'] = {
                'value': None if np.isnan(value) else value,
                'warnings': [{'type': w.category.__name__, 'message': str(w.message)} for w in caught],
            }
        record['scores'] = scores
        out_cases.append(record)
    doc = {
        'generator': {'script': 'scripts/scorer_fixtures.py', 'sklearn': sklearn.__version__, 'numpy': np.__version__},
        'names': sorted(names + sorted(EXTRA)),
        'cases': out_cases,
    }
    with open(OUT, 'w') as f:
        json.dump(doc, f, indent=1)
    print(f'wrote {OUT} ({os.path.getsize(OUT)} bytes, {len(out_cases)} cases)')


if __name__ == '__main__':
    main()
