"""What every search fixture script keeps of scikit-learn's results, written once.

`rounded` gives the 6-decimal data the fixtures store (so memgrid reads exactly the numbers
scikit-learn fitted on); `score_columns` the numeric columns of `cv_results_` (times are
machine-dependent), NaN as None, params as JSON values.
"""
import numpy as np

SCORE_PREFIXES = ('split', 'mean_test', 'std_test', 'mean_train', 'std_train', 'rank_test')


def rounded(X):
    return np.round(np.asarray(X, dtype=np.float64), 6)


def param_value(v):
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (str, dict)) or v is None:
        return v
    return float(v)


def score_columns(cv_results):
    keep = {}
    for key, values in cv_results.items():
        if key.startswith(SCORE_PREFIXES):
            keep[key] = [None if np.isnan(v) else float(v) for v in np.asarray(values, dtype=np.float64)]
    keep['params'] = [{k: param_value(v) for k, v in p.items()} for p in cv_results['params']]
    return keep
