#!/usr/bin/python3
"""Generate the issue-4 benchmark datasets once, seeded, as .npy files.

Run with Debian's interpreter (it has numpy + scikit-learn):

    /usr/bin/python3 bench/data.py [--quick] [--out DIR]

DIR defaults to $MEMGRID_BENCH_DIR or <repo>/.cache/bench (git-ignored). Layout:

    DIR/full/w1/X.npy  500,000 x 64 float64 regression   (W1 ridge grid, W3 learning curve)
    DIR/full/w1/y.npy  500,000 float64
    DIR/full/w2/X.npy  200,000 x 32 float64 classification (W2, W2b logistic)
    DIR/full/w2/y.npy  200,000 int64 (0/1)
    DIR/quick/...      the same at 1/10 of the rows, for smoke runs

Each dataset folder also gets meta.json (generator and parameters). Existing files are
kept: delete a folder to regenerate it. Prints one JSON line describing what is there.
"""
import argparse
import json
import os
import sys
import time

# Generator parameters are part of the benchmark's definition: change them and every
# recorded number in BENCHMARKS.md stops being comparable.
REGRESSION = dict(n_features=64, n_informative=16, noise=100.0, random_state=4)
CLASSIFICATION = dict(n_features=32, n_informative=12, n_redundant=4, n_repeated=0,
                      n_classes=2, flip_y=0.01, class_sep=1.0, random_state=4)
ROWS = {'full': {'w1': 500_000, 'w2': 200_000}, 'quick': {'w1': 50_000, 'w2': 20_000}}


def default_dir():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.environ.get('MEMGRID_BENCH_DIR') or os.path.join(os.path.dirname(here), '.cache', 'bench')


def complete(folder):
    return all(os.path.exists(os.path.join(folder, f)) for f in ('X.npy', 'y.npy', 'meta.json'))


def write(folder, X, y, meta):
    import numpy as np
    os.makedirs(folder, exist_ok=True)
    # Write under temporary names and rename so an interrupted run never leaves a
    # truncated file that a later run would mistake for a finished one.
    for name, arr in (('X', np.ascontiguousarray(X)), ('y', y)):
        tmp = os.path.join(folder, f'.{name}.tmp.npy')
        np.save(tmp, arr)
        os.replace(tmp, os.path.join(folder, f'{name}.npy'))
    with open(os.path.join(folder, 'meta.json'), 'w') as f:
        json.dump(meta, f, indent=1)


def make(kind, rows, folder):
    import numpy as np
    from sklearn.datasets import make_classification, make_regression
    t0 = time.time()
    if kind == 'w1':
        X, y = make_regression(n_samples=rows, **REGRESSION)
        params = dict(REGRESSION, n_samples=rows)
        gen = 'sklearn.datasets.make_regression'
        y = y.astype(np.float64)
    else:
        X, y = make_classification(n_samples=rows, **CLASSIFICATION)
        params = dict(CLASSIFICATION, n_samples=rows)
        gen = 'sklearn.datasets.make_classification'
        y = y.astype(np.int64)
    X = X.astype(np.float64)
    write(folder, X, y, {'generator': gen, 'params': params, 'numpy': np.__version__})
    return round(time.time() - t0, 2)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--quick', action='store_true', help='the 1/10-size smoke datasets')
    ap.add_argument('--out', default=default_dir())
    args = ap.parse_args()
    size = 'quick' if args.quick else 'full'
    report = {'dir': os.path.join(args.out, size), 'made': {}, 'kept': []}
    for kind, rows in ROWS[size].items():
        folder = os.path.join(args.out, size, kind)
        if complete(folder):
            report['kept'].append(kind)
            continue
        report['made'][kind] = make(kind, rows, folder)
    print(json.dumps(report))


if __name__ == '__main__':
    try:
        import numpy  # noqa: F401
        import sklearn  # noqa: F401
    except ImportError as e:
        print(f'bench/data.py: {sys.executable} lacks numpy/scikit-learn ({e})', file=sys.stderr)
        sys.exit(3)
    main()
