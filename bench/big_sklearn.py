#!/usr/bin/python3
"""scikit-learn's side of the big-data benchmark: GridSearchCV(Ridge) on a memory-mapped X.

    /usr/bin/python3 bench/big_sklearn.py --dir DIR --alphas 0.1,1,10 [--folds 5] [--n-jobs 2]

X is opened with np.load(mmap_mode='r'), as a joblib user would hand a big file to
GridSearchCV; joblib passes the memmap to its workers without copying it, but every fit takes
X[train] (a copy of 4/5 of X) and Ridge centres that copy again. Prints one JSON line like
bench/sklearn_side.py's (side, wall_s, mean_test, splits) when it finishes; the harness bounds
its memory and time and records how it ends.
"""
import argparse
import json
import os
import sys
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--dir', required=True)
    ap.add_argument('--alphas', required=True)
    ap.add_argument('--folds', type=int, default=5)
    ap.add_argument('--n-jobs', type=int, default=2)
    args = ap.parse_args()
    import numpy as np
    import sklearn
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import GridSearchCV, KFold
    X = np.load(os.path.join(args.dir, 'X.npy'), mmap_mode='r')
    y = np.load(os.path.join(args.dir, 'y.npy'), mmap_mode='r')
    alphas = [float(a) for a in args.alphas.split(',')]
    search = GridSearchCV(Ridge(), {'alpha': alphas}, cv=KFold(args.folds), scoring=['r2', 'neg_mean_squared_error'],
                          refit='r2', n_jobs=args.n_jobs)
    t0 = time.perf_counter()
    search.fit(X, y)
    wall = time.perf_counter() - t0
    r = search.cv_results_
    print(json.dumps({
        'side': 'sklearn', 'wall_s': round(wall, 2), 'rows': int(X.shape[0]), 'cols': int(X.shape[1]), 'workers': args.n_jobs,
        'versions': {'sklearn': sklearn.__version__, 'numpy': np.__version__},
        'mean_test': {'r2': r['mean_test_r2'].tolist(), 'neg_mean_squared_error': r['mean_test_neg_mean_squared_error'].tolist()},
        'splits': {'r2': [[float(r[f'split{k}_test_r2'][i]) for k in range(args.folds)] for i in range(len(alphas))]},
    }))


if __name__ == '__main__':
    try:
        import sklearn  # noqa: F401
    except ImportError as e:
        print(f'bench/big_sklearn.py: {sys.executable} lacks scikit-learn ({e})', file=sys.stderr)
        sys.exit(3)
    main()
