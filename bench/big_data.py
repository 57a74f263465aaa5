#!/usr/bin/python3
"""The big-data benchmark's datasets and numpy's reference answers, in chunks.

Run with Debian's interpreter (it has numpy):

    /usr/bin/python3 bench/big_data.py make --rows N --out DIR [--cols 64] [--seed 12]
    /usr/bin/python3 bench/big_data.py reference --dir DIR --alphas 0.1,1,10,100,1000 [--folds 5]

`make` writes DIR/X.npy (N x cols float64, C order) and DIR/y.npy through np.lib.format.open_memmap,
one chunk of rows at a time, so writing a 32 GiB X needs a few hundred MB of memory, not 2x X.
X is standard normal, y = X w + noise with a fixed w (seeded), so every run makes the same file.

`reference` computes what scikit-learn's GridSearchCV(Ridge(alpha), cv=KFold(folds)) would
score for each alpha and fold (r2 and mean squared error on the held-out fold), reading X in
chunks: pass 1 takes the column means, pass 2 each fold's Gram statistics around them (a
training fold is the sum of the other folds'), Ridge's cholesky normal equations on the
centred statistics as scikit-learn solves them, pass 3 the held-out predictions. Prints one
JSON line: {"alphas", "r2": [[fold scores] per alpha], "mse": [...], "seconds"}.
"""
import argparse
import json
import os
import sys
import time

CHUNK_ROWS = 262_144


def make(args):
    import numpy as np
    rng = np.random.default_rng(args.seed)
    w = rng.standard_normal(args.cols)
    os.makedirs(args.out, exist_ok=True)
    t0 = time.time()
    paths = {name: os.path.join(args.out, f'{name}.npy') for name in ('X', 'y')}
    tmp = {name: os.path.join(args.out, f'.{name}.tmp.npy') for name in ('X', 'y')}
    X = np.lib.format.open_memmap(tmp['X'], mode='w+', dtype=np.float64, shape=(args.rows, args.cols))
    y = np.lib.format.open_memmap(tmp['y'], mode='w+', dtype=np.float64, shape=(args.rows,))
    for start in range(0, args.rows, CHUNK_ROWS):
        stop = min(args.rows, start + CHUNK_ROWS)
        block = rng.standard_normal((stop - start, args.cols))
        X[start:stop] = block
        y[start:stop] = block @ w + 3.0 + rng.standard_normal(stop - start)
        if start // CHUNK_ROWS % 64 == 0:
            X.flush()
    X.flush()
    y.flush()
    del X, y
    for name in ('X', 'y'):
        os.replace(tmp[name], paths[name])
    print(json.dumps({'X': paths['X'], 'rows': args.rows, 'cols': args.cols, 'seconds': round(time.time() - t0, 1)}))


def fold_bounds(n, k):
    """KFold(k) without shuffling: the first n % k folds have one row more."""
    sizes = [n // k + (1 if f < n % k else 0) for f in range(k)]
    bounds, at = [], 0
    for s in sizes:
        bounds.append((at, at + s))
        at += s
    return bounds


def chunks_of(lo, hi):
    for start in range(lo, hi, CHUNK_ROWS):
        yield start, min(hi, start + CHUNK_ROWS)


def reference(args):
    import numpy as np
    from scipy.linalg import solve
    t0 = time.time()
    X = np.load(os.path.join(args.dir, 'X.npy'), mmap_mode='r')
    y = np.load(os.path.join(args.dir, 'y.npy'))
    n, d = X.shape
    alphas = [float(a) for a in args.alphas.split(',')]
    bounds = fold_bounds(n, args.folds)
    # Pass 1: per-fold column sums (for the training means).
    xsum = np.zeros((args.folds, d))
    for f, (lo, hi) in enumerate(bounds):
        for a, b in chunks_of(lo, hi):
            xsum[f] += X[a:b].sum(axis=0)
    ysum = np.array([y[lo:hi].sum() for lo, hi in bounds])
    counts = np.array([hi - lo for lo, hi in bounds], dtype=np.float64)
    c = xsum.sum(axis=0) / n
    cy = ysum.sum() / n
    # Pass 2: per-fold Gram statistics around the overall means c, cy.
    gram = np.zeros((args.folds, d, d))
    xty = np.zeros((args.folds, d))
    for f, (lo, hi) in enumerate(bounds):
        for a, b in chunks_of(lo, hi):
            z = X[a:b] - c
            gram[f] += z.T @ z
            xty[f] += z.T @ (y[a:b] - cy)
    coefs = {}
    for k in range(args.folds):
        others = [f for f in range(args.folds) if f != k]
        m = counts[others].sum()
        zbar = (xsum[others].sum(axis=0) - m * c) / m
        tbar = (ysum[others].sum() - m * cy) / m
        A0 = gram[others].sum(axis=0) - m * np.outer(zbar, zbar)
        b0 = xty[others].sum(axis=0) - m * zbar * tbar
        for alpha in alphas:
            A = A0 + alpha * np.eye(d)
            w = solve(A, b0, assume_a='pos', overwrite_a=False)
            intercept = (cy + tbar) - (c + zbar) @ w
            coefs[(k, alpha)] = (w, intercept)
    # Pass 3: held-out predictions, as r2_score and mean_squared_error see them.
    r2 = [[0.0] * args.folds for _ in alphas]
    mse = [[0.0] * args.folds for _ in alphas]
    for k, (lo, hi) in enumerate(bounds):
        yt = y[lo:hi]
        sst = float(((yt - yt.mean()) ** 2).sum())
        W = np.stack([coefs[(k, a)][0] for a in alphas], axis=1)
        B = np.array([coefs[(k, a)][1] for a in alphas])
        sse = np.zeros(len(alphas))
        for a, b in chunks_of(lo, hi):
            resid = y[a:b, None] - (X[a:b] @ W + B)
            sse += (resid ** 2).sum(axis=0)
        for i in range(len(alphas)):
            r2[i][k] = 1.0 - sse[i] / sst
            mse[i][k] = sse[i] / (hi - lo)
    print(json.dumps({'alphas': alphas, 'folds': args.folds, 'rows': n, 'r2': r2, 'mse': mse,
                      'seconds': round(time.time() - t0, 1), 'numpy': np.__version__}))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest='command', required=True)
    m = sub.add_parser('make')
    m.add_argument('--rows', type=int, required=True)
    m.add_argument('--cols', type=int, default=64)
    m.add_argument('--seed', type=int, default=12)
    m.add_argument('--out', required=True)
    r = sub.add_parser('reference')
    r.add_argument('--dir', required=True)
    r.add_argument('--alphas', required=True)
    r.add_argument('--folds', type=int, default=5)
    args = ap.parse_args()
    (make if args.command == 'make' else reference)(args)


if __name__ == '__main__':
    try:
        import numpy  # noqa: F401
    except ImportError as e:
        print(f'bench/big_data.py: {sys.executable} lacks numpy ({e})', file=sys.stderr)
        sys.exit(3)
    main()
