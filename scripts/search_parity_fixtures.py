#!/usr/bin/python3
"""Write scikit-learn reference searches for memgrid's search tests into
test/fixtures/search/parity.json.

Run with Debian's Python (numpy 1.24, scikit-learn 1.2):

    /usr/bin/python3 scripts/search_parity_fixtures.py

Feature matrices are rounded to 6 decimals before scikit-learn sees them, so the JSON
holds exactly the values that were searched and the tests need no Python.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer, load_diabetes, make_regression
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import (GridSearchCV, KFold, StratifiedKFold, learning_curve,
                                     validation_curve)
from sklearn.preprocessing import StandardScaler
from fixture_columns import rounded, score_columns

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'search', 'parity.json')


def grid_case(name, X, y, estimator, grid, cv, scoring, refit, return_train_score=True):
    search = GridSearchCV(estimator, grid, cv=cv, scoring=scoring, refit=refit, return_train_score=return_train_score)
    search.fit(X, y)
    best = search.best_estimator_
    return {
        'name': name, 'grid': grid, 'scoring': scoring, 'refit': refit,
        'cvResults': score_columns(search.cv_results_),
        'bestIndex': int(search.best_index_), 'bestScore': float(search.best_score_),
        'bestCoef': np.ravel(best.coef_).tolist(), 'bestIntercept': np.ravel(best.intercept_).tolist(),
    }


def main():
    diabetes = load_diabetes()
    Xd, yd = rounded(diabetes.data), diabetes.target.astype(np.float64)
    cancer = load_breast_cancer()
    Xc, yc = rounded(StandardScaler().fit_transform(cancer.data)), cancer.target.astype(np.int64)
    Xs, ys = make_regression(n_samples=300, n_features=8, noise=10.0, bias=50.0, random_state=3)
    Xs, ys = rounded(Xs + 5.0), np.round(ys, 6)

    alphas = np.logspace(-3, 3, 7).tolist()
    cases = [
        grid_case('ridge_diabetes', Xd, yd, Ridge(), {'alpha': alphas}, KFold(5),
                  ['r2', 'neg_mean_squared_error'], 'r2'),
        grid_case('ridge_diabetes_mae', Xd, yd, Ridge(), {'alpha': alphas}, KFold(5),
                  ['r2', 'neg_mean_absolute_error', 'neg_root_mean_squared_error'], 'neg_mean_absolute_error'),
        grid_case('ridge_synthetic_intercept_grid', Xs, ys, Ridge(),
                  [{'alpha': [0.1, 1.0, 10.0]}, {'alpha': [1.0], 'fit_intercept': [False]}], KFold(4), 'r2', True),
        grid_case('logistic_cancer', Xc, yc, LogisticRegression(tol=1e-10, max_iter=10000),
                  {'C': np.logspace(-3, 2, 6).tolist()}, StratifiedKFold(5), ['accuracy', 'neg_log_loss', 'roc_auc'],
                  'neg_log_loss'),
    ]
    sizes, train_scores, test_scores = learning_curve(
        Ridge(alpha=1.0), Xs, ys, train_sizes=[0.1, 0.4, 0.7, 1.0], cv=KFold(5))
    lc = {'trainSizes': sizes.tolist(), 'trainScores': train_scores.tolist(), 'testScores': test_scores.tolist()}
    lc_counts = learning_curve(Ridge(alpha=1.0), Xd, yd, train_sizes=[20, 100, 353], cv=KFold(5),
                               scoring='neg_mean_absolute_error')
    vc_train, vc_test = validation_curve(Ridge(), Xd, yd, param_name='alpha', param_range=alphas, cv=KFold(5))
    out = {
        'generator': {'script': 'scripts/search_parity_fixtures.py', 'sklearn': sklearn.__version__, 'numpy': np.__version__},
        'datasets': {
            'diabetes': {'X': Xd.tolist(), 'y': yd.tolist()},
            'cancer': {'X': Xc.tolist(), 'y': yc.tolist()},
            'synthetic': {'X': Xs.tolist(), 'y': ys.tolist()},
        },
        'grids': cases,
        'learningCurve': {'dataset': 'synthetic', 'alpha': 1.0, 'cv': 5, 'requested': [0.1, 0.4, 0.7, 1.0], **lc},
        'learningCurveCounts': {'dataset': 'diabetes', 'alpha': 1.0, 'cv': 5, 'requested': [20, 100, 353],
                                'scoring': 'neg_mean_absolute_error', 'trainSizes': lc_counts[0].tolist(),
                                'trainScores': lc_counts[1].tolist(), 'testScores': lc_counts[2].tolist()},
        'validationCurve': {'dataset': 'diabetes', 'param': 'alpha', 'values': alphas,
                            'trainScores': vc_train.tolist(), 'testScores': vc_test.tolist()},
    }
    with open(OUT, 'w') as f:
        json.dump(out, f, separators=(',', ':'))
    print(f'wrote {OUT} ({os.path.getsize(OUT)} bytes)')


if __name__ == '__main__':
    main()
