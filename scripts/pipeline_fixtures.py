#!/usr/bin/python3
"""Write scikit-learn 1.2 reference values for scaling inside the folds, sample and class
weights, and multiclass scorers into test/fixtures/search/:

- pipelines.json: StandardScaler (with_mean / with_std / constant and weighted columns);
  Ridge with sample_weight; GridSearchCV of Pipeline(StandardScaler, Ridge) on diabetes;
  searches and a learning curve with sample_weight as fit params (Ridge, and routed to a
  pipeline step); multiclass scorers on wine through Pipeline(StandardScaler,
  LogisticRegression).
- logistic-weights.json (for the logistic side): Pipeline(StandardScaler,
  LogisticRegression(newton-cg, tol=1e-10)) on unscaled breast_cancer; class_weight
  ('balanced' and a dict) on an imbalanced set; LogisticRegression with sample_weight, alone
  and in a search.

Run with Debian's Python (numpy 1.24, scikit-learn 1.2):

    /usr/bin/python3 scripts/pipeline_fixtures.py

Feature matrices are rounded to 6 decimals before scikit-learn sees them, so the JSON holds
exactly the values that were fitted and the tests need no Python.
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine, make_classification
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold, learning_curve
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from fixture_columns import rounded, score_columns

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, '..', 'test', 'fixtures', 'search')
rng = np.random.RandomState(20261202)
LOGISTIC = dict(solver='newton-cg', tol=1e-10, max_iter=10000)


def scaler_state(scaler):
    return {'mean': scaler.mean_.tolist() if scaler.mean_ is not None else None,
            'var': scaler.var_.tolist() if scaler.var_ is not None else None,
            'scale': scaler.scale_.tolist() if scaler.scale_ is not None else None,
            'nSamplesSeen': float(np.asarray(scaler.n_samples_seen_).ravel()[0])}


def coef_of(model):
    return {'coef': np.ravel(model.coef_).tolist(), 'intercept': np.ravel(model.intercept_).tolist()}


def gradient_max(X, y, sample_weight, C, model):
    """Largest |gradient| of C·Σ wᵢ logloss(xᵢ) + ½‖coef‖² at the fitted model: how converged the reference is."""
    coef, b = model.coef_.ravel(), model.intercept_[0]
    p = 1 / (1 + np.exp(-(X @ coef + b)))
    r = sample_weight * (p - y)
    return float(np.abs(np.r_[C * X.T @ r + coef, C * r.sum()]).max())


def search_case(name, search, X, y, rows, fit_params=None, pipeline=True):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        search.fit(X, y, **(fit_params or {}))
    best = search.best_estimator_
    out = {
        'name': name, 'cvResults': score_columns(search.cv_results_), 'bestIndex': int(search.best_index_),
        'bestScore': float(search.best_score_),
        'predict': best.predict(X[rows]).tolist(),
        'warnings': sorted({f'{w.category.__name__}: {str(w.message).splitlines()[0]}' for w in caught
                            if w.category.__name__ in ('UserWarning', 'UndefinedMetricWarning')}),
    }
    if pipeline:
        out['scaler'] = scaler_state(best[0])
        out['model'] = coef_of(best[-1])
    else:
        out['model'] = coef_of(best)
    if hasattr(best, 'predict_proba'):
        out['predictProba'] = best.predict_proba(X[rows]).tolist()
    return out


def scaler_cases(X):
    Xc = X[:60].copy()
    Xc[:, 3] = 2.5  # a constant column: scale 1
    w = np.round(rng.uniform(0, 3, 60), 6)
    out = []
    for with_mean, with_std in ((True, True), (False, True), (True, False), (False, False)):
        s = StandardScaler(with_mean=with_mean, with_std=with_std).fit(Xc)
        out.append({'withMean': with_mean, 'withStd': with_std, **scaler_state(s), 'transform': s.transform(Xc[:5]).tolist()})
    s = StandardScaler().fit(Xc, sample_weight=w)
    out.append({'withMean': True, 'withStd': True, 'weights': w.tolist(), **scaler_state(s), 'transform': s.transform(Xc[:5]).tolist()})
    return {'X': Xc.tolist(), 'cases': out}


def ridge_weight_cases(X, y):
    w = np.round(rng.uniform(0, 2, len(y)), 6)
    w[::17] = 0.0  # zero weights drop rows
    cases = []
    for alpha in (0.01, 1.0, 30.0):
        for fit_intercept in (True, False):
            m = Ridge(alpha=alpha, fit_intercept=fit_intercept).fit(X, y, sample_weight=w)
            cases.append({'alpha': alpha, 'fitIntercept': fit_intercept, **coef_of(m), 'predict': m.predict(X[:10]).tolist()})
    rows = np.arange(0, len(y), 3)
    m = Ridge(alpha=0.5).fit(X[rows], y[rows], sample_weight=w[rows])
    return {'weights': w.tolist(), 'cases': cases,
            'onRows': {'rows': rows.tolist(), 'alpha': 0.5, **coef_of(m), 'predict': m.predict(X[:10]).tolist()}}


def main():
    diabetes = load_diabetes()
    Xd, yd = rounded(diabetes.data * 40 + 3), diabetes.target.astype(np.float64)  # unscaled-looking features
    wine = load_wine()
    Xw, yw = rounded(wine.data), wine.target.astype(np.float64)
    cancer = load_breast_cancer()
    Xc, yc = rounded(cancer.data), cancer.target.astype(np.float64)
    Xi, yi = make_classification(n_samples=400, n_features=6, n_informative=4, weights=[0.9, 0.1], random_state=7)
    Xi, yi = rounded(Xi * 3 + 1), yi.astype(np.float64)
    wd = np.round(rng.uniform(0.2, 3, len(yd)), 6)
    rows = list(range(0, 40, 4))

    alphas = [0.01, 0.3, 10.0, 300.0]
    wide_alphas = [1e-4, 1e-3, 0.01, 0.1, 1.0, 10.0, 100.0, 1000.0]
    pipelines = {
        'generator': {'script': 'scripts/pipeline_fixtures.py', 'sklearn': sklearn.__version__, 'numpy': np.__version__},
        'datasets': {'diabetes': {'X': Xd.tolist(), 'y': yd.tolist(), 'weights': wd.tolist()},
                     'wine': {'X': Xw.tolist(), 'y': yw.tolist()},
                     'cancer': {'X': Xc.tolist(), 'y': yc.tolist()}},
        'predictRows': rows,
        'scaler': scaler_cases(Xd),
        'ridgeWeights': ridge_weight_cases(Xd, yd),
        'searches': [
            search_case('pipeline ridge diabetes', GridSearchCV(
                make_pipeline(StandardScaler(), Ridge()),
                [{'ridge__alpha': alphas}, {'ridge__alpha': [1.0], 'standardscaler__with_std': [False]},
                 {'ridge__alpha': [1.0], 'ridge__fit_intercept': [False]}],
                cv=KFold(5), scoring=['r2', 'neg_mean_squared_error', 'explained_variance'], refit='r2', return_train_score=True),
                Xd, yd, rows),
            search_case('ridge sample weights', GridSearchCV(
                Ridge(), {'alpha': alphas}, cv=KFold(5), scoring=['r2', 'neg_mean_absolute_error'], refit='r2', return_train_score=True),
                Xd, yd, rows, {'sample_weight': wd}, pipeline=False),
            search_case('pipeline ridge weighted step', GridSearchCV(
                make_pipeline(StandardScaler(), Ridge()), {'ridge__alpha': alphas}, cv=KFold(5), scoring='r2'),
                Xd, yd, rows, {'ridge__sample_weight': wd}),
            # 30 columns and 8 alphas per fold: one shared reduction serves every alpha (RidgeSystem.solveShared),
            # on raw features whose Gram spans ~10 orders of magnitude, and on standardized ones.
            search_case('ridge wide cancer many alphas', GridSearchCV(
                Ridge(), {'alpha': wide_alphas}, cv=KFold(5), scoring=['r2', 'neg_mean_squared_error'], refit='r2',
                return_train_score=True), Xc, yc, rows, pipeline=False),
            search_case('pipeline ridge wide cancer many alphas', GridSearchCV(
                make_pipeline(StandardScaler(), Ridge()), {'ridge__alpha': wide_alphas}, cv=KFold(5), scoring='r2'),
                Xc, yc, rows),
            search_case('wine multiclass scorers', GridSearchCV(
                make_pipeline(StandardScaler(), LogisticRegression(**LOGISTIC)), {'logisticregression__C': [0.01, 0.1, 1.0]},
                cv=StratifiedKFold(5),
                scoring=['accuracy', 'balanced_accuracy', 'f1_macro', 'f1_micro', 'f1_weighted', 'precision_macro',
                         'recall_weighted', 'jaccard_macro', 'matthews_corrcoef', 'neg_log_loss', 'roc_auc_ovr',
                         'roc_auc_ovo', 'roc_auc_ovr_weighted', 'roc_auc_ovo_weighted', 'roc_auc'],
                refit='neg_log_loss'),
                Xw, yw, rows),
        ],
    }
    sizes, train_scores, test_scores = learning_curve(
        Ridge(alpha=1.0), Xd, yd, train_sizes=[0.2, 0.6, 1.0], cv=KFold(5), fit_params={'sample_weight': wd})
    pipelines['learningCurveWeights'] = {'alpha': 1.0, 'requested': [0.2, 0.6, 1.0], 'trainSizes': sizes.tolist(),
                                         'trainScores': train_scores.tolist(), 'testScores': test_scores.tolist()}
    write('pipelines.json', pipelines)

    wc = np.round(rng.uniform(0.2, 3, len(yc)), 6)
    Cs = [0.01, 0.1, 1.0, 10.0]
    logistic = {
        'generator': pipelines['generator'],
        'note': 'LogisticRegression(solver="newton-cg", tol=1e-10, max_iter=10000): the converged optimum',
        'datasets': {'cancer': {'X': Xc.tolist(), 'y': yc.tolist(), 'weights': wc.tolist()},
                     'imbalanced': {'X': Xi.tolist(), 'y': yi.tolist()}},
        'predictRows': rows,
        'searches': [
            search_case('pipeline logistic unscaled breast_cancer', GridSearchCV(
                make_pipeline(StandardScaler(), LogisticRegression(**LOGISTIC)), {'logisticregression__C': Cs},
                cv=StratifiedKFold(5), scoring=['accuracy', 'neg_log_loss', 'roc_auc'], refit='neg_log_loss',
                return_train_score=True), Xc, yc, rows),
            search_case('class_weight balanced imbalanced', GridSearchCV(
                LogisticRegression(class_weight='balanced', **LOGISTIC), {'C': Cs}, cv=StratifiedKFold(5),
                scoring=['balanced_accuracy', 'f1', 'roc_auc'], refit='balanced_accuracy'), Xi, yi, rows, pipeline=False),
            search_case('class_weight dict imbalanced', GridSearchCV(
                LogisticRegression(class_weight={0: 1.0, 1: 5.0}, **LOGISTIC), {'C': Cs}, cv=StratifiedKFold(5),
                scoring=['balanced_accuracy', 'f1', 'roc_auc'], refit='f1'), Xi, yi, rows, pipeline=False),
            search_case('pipeline logistic sample weights', GridSearchCV(
                make_pipeline(StandardScaler(), LogisticRegression(**LOGISTIC)), {'logisticregression__C': Cs},
                cv=StratifiedKFold(5), scoring=['accuracy', 'neg_log_loss'], refit='neg_log_loss'),
                Xc, yc, rows, {'logisticregression__sample_weight': wc}),
        ],
        # Direct fits on standardized cancer (StandardScaler().fit_transform of the cancer X) and the imbalanced set.
        'fits': [],
    }
    Xs = StandardScaler().fit_transform(Xc)
    balanced = (len(yi) / (2 * np.bincount(yi.astype(int))))[yi.astype(int)]
    for C in (0.1, 1.0):
        m = LogisticRegression(C=C, **LOGISTIC).fit(Xs, yc, sample_weight=wc)
        logistic['fits'].append({'name': f'sample_weight C={C} on standardized cancer', 'C': C, **coef_of(m),
                                 'gradientMax': gradient_max(Xs, yc, wc, C, m)})
        m = LogisticRegression(C=C, class_weight='balanced', **LOGISTIC).fit(Xi, yi)
        logistic['fits'].append({'name': f'class_weight balanced C={C} on imbalanced', 'C': C, **coef_of(m),
                                 'gradientMax': gradient_max(Xi, yi, balanced, C, m)})
    write('logistic-weights.json', logistic)


def write(name, doc):
    path = os.path.join(OUT_DIR, name)
    with open(path, 'w') as f:
        json.dump(doc, f, separators=(',', ':'))
    print(f'wrote {path} ({os.path.getsize(path)} bytes)')


if __name__ == '__main__':
    main()
