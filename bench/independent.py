#!/usr/bin/python3
"""Sets the benchmark's own data does not cover, laid out so that the LM, LB and LW workloads
run on them unchanged: an independent check of issue 10's targets ("60k-100k rows x 32-64
features, like digits scaled up"; binary n >> d; binary wide) on data memgrid was not tuned on.

    /usr/bin/python3 bench/independent.py [--out DIR]
    node dist/bench/run.js --only LM --skip-speedup --data-dir DIR/m64c10    (and m48c20)
    node dist/bench/run.js --only LB --skip-speedup --data-dir DIR/b200x32
    node dist/bench/run.js --only LW --skip-speedup --data-dir DIR/b100x128
    node dist/bench/run.js --only LB --skip-speedup --data-dir DIR/w3000x1000   (and b1mx8)
    node dist/bench/run.js --only LM --skip-speedup --data-dir DIR/m200kc3    (and d60k)

DIR defaults to <repo>/.cache/bench-independent (git-ignored with .cache). Each set is written
as DIR/<name>/full/<workload folder>/{X,y}.npy + meta.json (the layout bench/data.py gives that
workload), so the run's table still titles it as the workload ("LM ... (100,000 x 32)"): read
its shape from meta.json. Existing sets are kept. The sets (scikit-learn's make_classification):

    m64c10    60,000 x 64, 10 classes, one cluster each (650 unknowns: too few rows to sample
              its Hessian finely)
    m48c20    50,000 x 48, 20 classes, one cluster each (980 unknowns: the Hessian on all rows)
    b200x32   200,000 x 32 binary, 2 clusters a class, 5% of labels flipped (LB's shape, not its
              isotropic Gaussian)
    b100x128  100,000 x 128 binary, 40 informative and 20 redundant (collinear) features (LW's shape)
    w3000x1000  3,000 x 1,000 binary: wide (a Hessian costs ~100 gradient passes)
    b1mx8     1,000,000 x 8 binary, 10% of labels flipped: tall and narrow
    m200kc3   200,000 x 16, 3 classes: many rows, few classes
    d60k      scikit-learn's digits scaled up: 60,000 rows drawn from its 1,797, N(0, 1) noise on
              every pixel that is not constant, unscaled (0-16), 10 classes: "like digits scaled
              up" taken literally; the classes are almost separated at large C, where the
              curvature sits in few rows (stop 34: memgrid's sampled Hessians failed there)
"""
import argparse
import json
import os

# name -> (the workload folder it stands in for, make_classification's parameters)
SETS = {
    'm64c10': ('lm', dict(n_samples=60000, n_features=64, n_informative=30, n_redundant=10, n_classes=10,
                          n_clusters_per_class=1, random_state=11)),
    'm48c20': ('lm', dict(n_samples=50000, n_features=48, n_informative=30, n_redundant=6, n_classes=20,
                          n_clusters_per_class=1, random_state=14)),
    'b200x32': ('lb', dict(n_samples=200000, n_features=32, n_informative=16, n_redundant=0, n_classes=2,
                           n_clusters_per_class=2, flip_y=0.05, class_sep=0.8, random_state=21)),
    'b100x128': ('lw', dict(n_samples=100000, n_features=128, n_informative=40, n_redundant=20, n_classes=2,
                            n_clusters_per_class=2, flip_y=0.02, random_state=22)),
    'w3000x1000': ('lb', dict(n_samples=3000, n_features=1000, n_informative=50, n_redundant=20, random_state=31)),
    'b1mx8': ('lb', dict(n_samples=1000000, n_features=8, n_informative=6, n_redundant=0, flip_y=0.1, random_state=34)),
    'm200kc3': ('lm', dict(n_samples=200000, n_features=16, n_informative=10, n_redundant=2, n_classes=3,
                           random_state=33)),
}


def default_dir():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.join(os.path.dirname(here), '.cache', 'bench-independent')


def write(folder, X, y, meta):
    import numpy as np
    os.makedirs(folder, exist_ok=True)
    # Temporary names, then rename: an interrupted run never leaves a file a later run would trust.
    for name, arr in (('X', np.ascontiguousarray(X, dtype=np.float64)), ('y', y.astype(np.int64))):
        tmp = os.path.join(folder, f'.{name}.tmp.npy')
        np.save(tmp, arr)
        os.replace(tmp, os.path.join(folder, f'{name}.npy'))
    with open(os.path.join(folder, 'meta.json'), 'w') as f:
        json.dump(meta, f, indent=1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--out', default=default_dir())
    args = ap.parse_args()
    import numpy
    import sklearn
    from sklearn.datasets import make_classification
    made = {}
    for name, (workload_folder, params) in SETS.items():
        folder = os.path.join(args.out, name, 'full', workload_folder)
        if not all(os.path.exists(os.path.join(folder, f)) for f in ('X.npy', 'y.npy', 'meta.json')):
            X, y = make_classification(**params)
            write(folder, X, y, {'generator': 'sklearn.datasets.make_classification', 'params': params,
                                 'numpy': numpy.__version__, 'sklearn': sklearn.__version__})
        made[name] = folder
    made['d60k'] = digits_scaled_up(args.out)
    print(json.dumps(made))


def digits_scaled_up(out):
    """The d60k set (see the module's docstring): its folder, written unless present."""
    import numpy
    import sklearn
    from sklearn.datasets import load_digits
    folder = os.path.join(out, 'd60k', 'full', 'lm')
    if all(os.path.exists(os.path.join(folder, f)) for f in ('X.npy', 'y.npy', 'meta.json')):
        return folder
    digits = load_digits()
    rng = numpy.random.default_rng(45)
    rows = rng.integers(0, len(digits.target), 60000)
    X = digits.data[rows].astype(numpy.float64)
    live = digits.data.std(axis=0) > 0
    X[:, live] += rng.normal(0.0, 1.0, size=(len(rows), int(live.sum())))
    write(folder, X, digits.target[rows], {'generator': 'load_digits, 60,000 rows drawn with numpy default_rng(45), N(0, 1) on non-constant pixels',
                                           'numpy': numpy.__version__, 'sklearn': sklearn.__version__})
    return folder


if __name__ == '__main__':
    main()
