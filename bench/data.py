#!/usr/bin/python3
"""Generate the benchmark datasets once, seeded, as .npy files.

Run with Debian's interpreter (it has numpy + scikit-learn):

    /usr/bin/python3 bench/data.py [--quick] [--out DIR] [--datasets w1,lb,...] [--seed N]

DIR defaults to $MEMGRID_BENCH_DIR or <repo>/.cache/bench (git-ignored). Layout:

    DIR/full/w1      500,000 x 64 regression          (W1 ridge grid, W3 learning curve)
    DIR/full/w2      200,000 x 32 binary, collinear    (W2, W2b logistic)
    DIR/full/lb      200,000 x 32 binary, well-conditioned (LB)
    DIR/full/lw      100,000 x 128 binary, correlated  (LW)
    DIR/full/lm      100,000 x 32, 10 classes          (LM)
    DIR/full/rw       50,000 x 512 regression          (RW wide ridge)
    DIR/quick/...    the same at 1/10 of the rows
    DIR/bundled/digits  scikit-learn's load_digits, 1,797 x 64, unscaled (LD)
    DIR/bundled/cancer  scikit-learn's load_breast_cancer, 569 x 30, unscaled (LC)

The bundled sets are small and whole in --quick runs too.

X is float64 (C order), y int64 labels or float64 targets. `--seed N` regenerates the
synthetic issue-10 sets (lb, lw, lm, rw) with random seed N under DIR/seed-N/{full,quick}/,
so an independent check runs the targets on data of its own; without it they use seed 4,
as w1 and w2 do. Each folder also gets meta.json (generator and parameters). Existing files
are kept: delete a folder to regenerate it. Prints one JSON line describing what is there.
"""
import argparse
import json
import os
import sys
import time

# Generator parameters are part of the benchmark's definition: change them and every
# recorded number in BENCHMARKS.md stops being comparable.
DEFAULT_SEED = 4
REGRESSION = dict(n_features=64, n_informative=16, noise=100.0, random_state=4)
CLASSIFICATION = dict(n_features=32, n_informative=12, n_redundant=4, n_repeated=0,
                      n_classes=2, flip_y=0.01, class_sep=1.0, random_state=4)
# Logit scale: the margin X @ w has standard deviation ~MARGIN_SD, so classes overlap
# (held-out accuracy ~0.8) and C matters across the grid.
BINARY = {'lb': dict(cols=32, rho=0.0), 'lw': dict(cols=128, rho=0.3)}
MARGIN_SD = 2.0
MULTINOMIAL = dict(cols=32, classes=10, mean_scale=0.35)
WIDE_REGRESSION = dict(n_features=512, n_informative=128, noise=50.0)
FULL_ROWS = {'w1': 500_000, 'w2': 200_000, 'lb': 200_000, 'lw': 100_000, 'lm': 100_000, 'rw': 50_000}
SEEDED = ('lb', 'lw', 'lm', 'rw')
BUNDLED = ('digits', 'cancer')
DATASETS = tuple(FULL_ROWS) + BUNDLED


def default_dir():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.environ.get('MEMGRID_BENCH_DIR') or os.path.join(os.path.dirname(here), '.cache', 'bench')


def folder_of(out, size, kind, seed):
    """Where a dataset lives: seeded synthetic sets with --seed go under DIR/seed-N/."""
    if kind in BUNDLED:
        return os.path.join(out, 'bundled', kind)
    if seed is not None and kind in SEEDED:
        return os.path.join(out, f'seed-{seed}', size, kind)
    return os.path.join(out, size, kind)


def complete(folder):
    return all(os.path.exists(os.path.join(folder, f)) for f in ('X.npy', 'y.npy', 'meta.json'))


def write(folder, X, y, meta):
    import numpy as np
    os.makedirs(folder, exist_ok=True)
    # Write under temporary names and rename so an interrupted run never leaves a
    # truncated file that a later run would mistake for a finished one.
    for name, arr in (('X', np.ascontiguousarray(X, dtype=np.float64)), ('y', y)):
        tmp = os.path.join(folder, f'.{name}.tmp.npy')
        np.save(tmp, arr)
        os.replace(tmp, os.path.join(folder, f'{name}.npy'))
    with open(os.path.join(folder, 'meta.json'), 'w') as f:
        json.dump(meta, f, indent=1)


def binary(rows, cols, rho, seed):
    """Gaussian features (equicorrelated with rho), labels Bernoulli(sigmoid(X w + b))."""
    import numpy as np
    rng = np.random.RandomState(seed)
    X = rng.standard_normal((rows, cols))
    if rho > 0:
        X *= np.sqrt(1 - rho)
        X += np.sqrt(rho) * rng.standard_normal((rows, 1))
    w = rng.standard_normal(cols)
    w *= MARGIN_SD / np.sqrt(w @ (np.full((cols, cols), rho) + (1 - rho) * np.eye(cols)) @ w)
    margin = X @ w + 0.5
    y = (rng.random_sample(rows) < 1 / (1 + np.exp(-margin))).astype(np.int64)
    return X, y


def multinomial(rows, cols, classes, mean_scale, seed):
    """Equal-size-on-average classes around Gaussian means, unit noise: softmax is well specified."""
    import numpy as np
    rng = np.random.RandomState(seed)
    means = mean_scale * rng.standard_normal((classes, cols))
    y = rng.randint(0, classes, size=rows).astype(np.int64)
    X = means[y] + rng.standard_normal((rows, cols))
    return X, y


def make(kind, rows, folder, seed):
    import numpy as np
    from sklearn.datasets import load_breast_cancer, load_digits, make_classification, make_regression
    t0 = time.time()
    if kind == 'w1':
        X, y = make_regression(n_samples=rows, **REGRESSION)
        gen, params, y = 'sklearn.datasets.make_regression', dict(REGRESSION, n_samples=rows), y.astype(np.float64)
    elif kind == 'w2':
        X, y = make_classification(n_samples=rows, **CLASSIFICATION)
        gen, params, y = 'sklearn.datasets.make_classification', dict(CLASSIFICATION, n_samples=rows), y.astype(np.int64)
    elif kind in BINARY:
        X, y = binary(rows, seed=seed, **BINARY[kind])
        gen, params = 'bench/data.py binary', dict(BINARY[kind], rows=rows, margin_sd=MARGIN_SD, intercept=0.5, seed=seed)
    elif kind == 'lm':
        X, y = multinomial(rows, seed=seed, **MULTINOMIAL)
        gen, params = 'bench/data.py multinomial', dict(MULTINOMIAL, rows=rows, seed=seed)
    elif kind == 'rw':
        X, y = make_regression(n_samples=rows, random_state=seed, **WIDE_REGRESSION)
        gen, params = 'sklearn.datasets.make_regression', dict(WIDE_REGRESSION, n_samples=rows, random_state=seed)
        y = y.astype(np.float64)
    else:
        loader = load_digits if kind == 'digits' else load_breast_cancer
        X, y = loader(return_X_y=True)
        gen, params, y = f'sklearn.datasets.{loader.__name__}', {}, y.astype(np.int64)
    import sklearn
    write(folder, X, y, {'generator': gen, 'params': params, 'numpy': np.__version__, 'sklearn': sklearn.__version__})
    return round(time.time() - t0, 2)


def rows_of(kind, size):
    if kind in BUNDLED:
        return None
    return FULL_ROWS[kind] if size == 'full' else FULL_ROWS[kind] // 10


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--quick', action='store_true', help='the 1/10-size smoke datasets')
    ap.add_argument('--out', default=default_dir())
    ap.add_argument('--datasets', default=','.join(DATASETS), help='comma-separated subset of ' + ', '.join(DATASETS))
    ap.add_argument('--seed', type=int, help='seed for ' + ', '.join(SEEDED) + f' (default {DEFAULT_SEED}, in DIR/<size>/)')
    args = ap.parse_args()
    kinds = [k for k in args.datasets.split(',') if k]
    unknown = [k for k in kinds if k not in DATASETS]
    if unknown:
        ap.error(f'--datasets: unknown {unknown[0]!r}, expected among {", ".join(DATASETS)}')
    size = 'quick' if args.quick else 'full'
    report = {'dir': args.out, 'size': size, 'seed': args.seed, 'made': {}, 'kept': []}
    for kind in kinds:
        folder = folder_of(args.out, size, kind, args.seed)
        if complete(folder):
            report['kept'].append(kind)
            continue
        seed = DEFAULT_SEED if args.seed is None else args.seed
        report['made'][kind] = make(kind, rows_of(kind, size), folder, seed)
    print(json.dumps(report))


if __name__ == '__main__':
    try:
        import numpy  # noqa: F401
        import sklearn  # noqa: F401
    except ImportError as e:
        print(f'bench/data.py: {sys.executable} lacks numpy/scikit-learn ({e})', file=sys.stderr)
        sys.exit(3)
    main()
