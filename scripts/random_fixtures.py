#!/usr/bin/python3
"""Write numpy 1.24 / scipy 1.10 / scikit-learn 1.2 reference draws for memgrid's randomness.

Run with Debian's Python:

    /usr/bin/python3 scripts/random_fixtures.py

Outputs test/fixtures/search/random.json: RandomState streams, the folds of every seeded (and
group / time-ordered) splitter, ParameterSampler candidates and train_test_split indices, for
many seeds and sizes. memgrid's tests compare them exactly (loguniform values to a few ulps:
numpy's pow differs between CPUs).
"""
import json
import os
import warnings

import numpy as np
import scipy
import sklearn
from scipy.stats import loguniform, randint, uniform
from sklearn.model_selection import (GroupKFold, KFold, LeavePOut, ParameterSampler, PredefinedSplit,
                                     RepeatedKFold, RepeatedStratifiedKFold, ShuffleSplit,
                                     StratifiedGroupKFold, StratifiedKFold, StratifiedShuffleSplit,
                                     TimeSeriesSplit, train_test_split)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'search')
SEEDS = [0, 1, 42, 7, 2**31 - 1, 2**32 - 1, 123456789]
data_rng = np.random.RandomState(20261130)


def folds_of(splitter, n, y=None, groups=None):
    X = np.zeros((n, 1))
    return [{'train': np.asarray(tr).tolist(), 'test': np.asarray(te).tolist()} for tr, te in splitter.split(X, y, groups)]


def streams():
    out = []
    for seed in SEEDS:
        r = np.random.RandomState(seed)
        out.append({
            'seed': seed,
            'randomSample': [r.random_sample() for _ in range(5)],
            'randint10': [int(r.randint(10)) for _ in range(8)],
            'randintBig': [int(r.randint(0, 2**40)) for _ in range(4)],
            'randintOffset': [int(r.randint(-5, 1000)) for _ in range(4)],
            'randintFull32': [int(r.randint(0, 2**32)) for _ in range(3)],
            'randint2pow32plus': [int(r.randint(0, 2**32 + 5)) for _ in range(3)],
            'permutations': {str(n): r.permutation(n).tolist() for n in (1, 2, 10, 37, 300)},
            'uniform': [r.uniform(-2.0, 3.0) for _ in range(3)],
            'after': r.random_sample(),
        })
    return out


def labels(kind, n):
    if kind == 'binary':
        return data_rng.permutation(np.r_[np.zeros(n // 3), np.ones(n - n // 3)])
    if kind == 'three':
        return data_rng.randint(0, 3, size=n).astype(float)
    return np.sort(data_rng.randint(0, 4, size=n)).astype(float) * 2 - 1   # sorted, labels -1, 1, 3, 5


def splitter_cases():
    cases = []
    for seed in SEEDS:
        for n, k in ((10, 2), (37, 5), (101, 3), (64, 10)):
            cases.append({'kind': 'kfold', 'seed': seed, 'n': n, 'nSplits': k,
                          'folds': folds_of(KFold(k, shuffle=True, random_state=seed), n)})
        for kind, n, k in (('binary', 30, 3), ('three', 47, 5), ('sorted', 60, 4)):
            y = labels(kind, n)
            with warnings.catch_warnings():
                warnings.simplefilter('ignore')
                folds = folds_of(StratifiedKFold(k, shuffle=True, random_state=seed), n, y)
            cases.append({'kind': 'stratified_kfold', 'seed': seed, 'n': n, 'nSplits': k, 'y': y.tolist(), 'folds': folds})
        for n, test, train in ((20, 0.25, None), (57, None, 0.5), (100, 13, 40), (9, 0.2, None)):
            cases.append({'kind': 'shuffle_split', 'seed': seed, 'n': n, 'nSplits': 4, 'testSize': test, 'trainSize': train,
                          'folds': folds_of(ShuffleSplit(4, test_size=test, train_size=train, random_state=seed), n)})
        for kind, n, test, train in (('binary', 30, 0.3, None), ('three', 47, 0.2, 0.5), ('sorted', 61, 11, None), ('three', 200, None, 0.75)):
            y = labels(kind, n)
            cases.append({'kind': 'stratified_shuffle_split', 'seed': seed, 'n': n, 'nSplits': 3, 'testSize': test, 'trainSize': train,
                          'y': y.tolist(), 'folds': folds_of(StratifiedShuffleSplit(3, test_size=test, train_size=train, random_state=seed), n, y)})
        cases.append({'kind': 'repeated_kfold', 'seed': seed, 'n': 23, 'nSplits': 3, 'nRepeats': 4,
                      'folds': folds_of(RepeatedKFold(n_splits=3, n_repeats=4, random_state=seed), 23)})
        y = labels('three', 40)
        cases.append({'kind': 'repeated_stratified_kfold', 'seed': seed, 'n': 40, 'nSplits': 4, 'nRepeats': 3, 'y': y.tolist(),
                      'folds': folds_of(RepeatedStratifiedKFold(n_splits=4, n_repeats=3, random_state=seed), 40, y)})
        for n, n_groups, k in ((60, 12, 3), (90, 30, 5)):
            y = labels('three', n)
            groups = data_rng.randint(0, n_groups, size=n)
            cases.append({'kind': 'stratified_group_kfold', 'seed': seed, 'shuffle': True, 'n': n, 'nSplits': k, 'y': y.tolist(),
                          'groups': groups.tolist(),
                          'folds': folds_of(StratifiedGroupKFold(k, shuffle=True, random_state=seed), n, y, groups)})
    for n, n_groups, k in ((30, 7, 3), (100, 40, 5), (50, 50, 4), (64, 8, 8)):
        groups = data_rng.randint(0, n_groups, size=n) * 10 - 7
        cases.append({'kind': 'group_kfold', 'n': n, 'nSplits': k, 'groups': groups.tolist(), 'folds': folds_of(GroupKFold(k), n, None, groups)})
    names = np.array(['b', 'a', 'c', 'a', 'b', 'd', 'd', 'd', 'e', 'a'])
    cases.append({'kind': 'group_kfold', 'n': 10, 'nSplits': 3, 'groups': names.tolist(), 'folds': folds_of(GroupKFold(3), 10, None, names)})
    for n, n_groups, k in ((60, 15, 3), (120, 25, 5)):
        y = labels('binary', n)
        groups = data_rng.randint(0, n_groups, size=n)
        cases.append({'kind': 'stratified_group_kfold', 'shuffle': False, 'n': n, 'nSplits': k, 'y': y.tolist(), 'groups': groups.tolist(),
                      'folds': folds_of(StratifiedGroupKFold(k), n, y, groups)})
    for n, k, mts, ts, gap in ((12, 3, None, 2, 2), (20, 5, None, None, 0), (50, 4, 10, None, 3), (31, 3, None, 7, 1), (100, 6, 30, 9, 0)):
        cases.append({'kind': 'time_series_split', 'n': n, 'nSplits': k, 'maxTrainSize': mts, 'testSize': ts, 'gap': gap,
                      'folds': folds_of(TimeSeriesSplit(k, max_train_size=mts, test_size=ts, gap=gap), n)})
    for n, p in ((5, 2), (6, 3), (4, 1)):
        cases.append({'kind': 'leave_p_out', 'n': n, 'p': p, 'folds': folds_of(LeavePOut(p), n)})
    test_fold = [0, 1, -1, 1, 2, 0, -1, 2, 5]
    cases.append({'kind': 'predefined_split', 'n': 9, 'testFold': test_fold, 'folds': folds_of(PredefinedSplit(test_fold), 9)})
    return cases


def sampler_cases():
    spaces = [
        ('uniform and lists', {'alpha': uniform(0.5, 2.0), 'fit_intercept': [True, False], 'solver': ['a', 'b', 'c']}),
        ('loguniform', {'C': loguniform(1e-3, 1e3), 'tol': loguniform(1e-6, 1e-2)}),
        ('randint', {'max_iter': randint(10, 500), 'big': randint(0, 2**40), 'one': randint(3, 4)}),
        ('mixed', {'C': loguniform(1e-4, 1e2), 'l1_ratio': uniform(0, 1), 'n': randint(1, 11), 'penalty': ['l1', 'l2']}),
    ]
    out = []
    for seed in SEEDS:
        for name, space in spaces:
            draws = list(ParameterSampler(space, n_iter=12, random_state=seed))
            out.append({'name': name, 'seed': seed, 'nIter': 12, 'candidates': [{k: plain(v) for k, v in d.items()} for d in draws]})
        two = [{'a': uniform(0, 1), 'b': ['x', 'y']}, {'a': randint(0, 5), 'c': [1, 2, 3]}, {'d': [True]}]
        draws = list(ParameterSampler(two, n_iter=15, random_state=seed))
        out.append({'name': 'list of spaces', 'seed': seed, 'nIter': 15, 'candidates': [{k: plain(v) for k, v in d.items()} for d in draws]})
        # Only lists: sampled without replacement; the method depends on nIter / grid size.
        for grid, n_iter in (({'a': list(range(10)), 'b': list(range(10))}, 30), ({'a': list(range(50)), 'b': list(range(40))}, 10),
                             ({'a': [1, 2, 3], 'b': ['u', 'v']}, 6), ({'a': list(range(300)), 'b': [0, 1]}, 597),
                             ({'a': [1, 2], 'b': [3]}, 5)):
            with warnings.catch_warnings():
                warnings.simplefilter('ignore')
                draws = list(ParameterSampler(grid, n_iter=n_iter, random_state=seed))
            out.append({'name': f'lists {len(draws)} of grid', 'seed': seed, 'nIter': n_iter, 'grid': grid,
                        'candidates': [{k: plain(v) for k, v in d.items()} for d in draws]})
    return out


def plain(v):
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return float(v)
    if isinstance(v, np.bool_):
        return bool(v)
    return v


def train_test_cases():
    out = []
    for seed in SEEDS:
        for n, test, train in ((10, None, None), (37, 0.3, None), (100, 20, 50), (9, None, 0.5)):
            idx = np.arange(n)
            tr, te = train_test_split(idx, test_size=test, train_size=train, random_state=seed)
            out.append({'seed': seed, 'n': n, 'testSize': test, 'trainSize': train, 'train': tr.tolist(), 'test': te.tolist()})
        y = labels('three', 60)
        tr, te = train_test_split(np.arange(60), test_size=0.25, random_state=seed, stratify=y)
        out.append({'seed': seed, 'n': 60, 'testSize': 0.25, 'trainSize': None, 'stratify': y.tolist(), 'train': tr.tolist(), 'test': te.tolist()})
    tr, te = train_test_split(np.arange(10), test_size=3, shuffle=False)
    out.append({'n': 10, 'testSize': 3, 'trainSize': None, 'shuffle': False, 'train': tr.tolist(), 'test': te.tolist()})
    return out


def quicksort_adversary(n):
    """McIlroy's 'killer adversary for quicksort', played against numpy's own argsort (object
    dtype, same introsort): values fixed as late as possible so the partitions degenerate and
    the depth limit hands the rest to heapsort."""
    gas = n
    val = [gas] * n
    state = {'solid': 0, 'candidate': 0}

    class Key:
        __slots__ = ('i',)

        def __init__(self, i):
            self.i = i

        def __lt__(self, other):
            x, y = self.i, other.i
            if val[x] == gas and val[y] == gas:
                frozen = x if x == state['candidate'] else y
                val[frozen] = state['solid']
                state['solid'] += 1
            if val[x] == gas:
                state['candidate'] = x
            elif val[y] == gas:
                state['candidate'] = y
            return val[x] < val[y]

        def __gt__(self, other):
            return other.__lt__(self)

        def __eq__(self, other):
            return val[self.i] == val[other.i]

    keys = np.empty(n, dtype=object)
    for i in range(n):
        keys[i] = Key(i)
    np.argsort(keys)
    for i in range(n):
        if val[i] == gas:
            val[i] = state['solid']
            state['solid'] += 1
    return np.array(val, dtype=float)


def argsort_cases():
    # np.argsort's default kind is an unstable introsort: the order among ties is what
    # GroupKFold and successive halving keep.
    out = []
    for n, high in ((5, 3), (16, 4), (17, 5), (40, 3), (100, 10), (1000, 7), (3000, 2)):
        a = data_rng.randint(0, high, size=n).astype(float)
        if n >= 40:
            a[data_rng.randint(0, n, size=3)] = np.nan
        out.append({'values': [None if np.isnan(v) else v for v in a.tolist()], 'order': np.argsort(a).tolist()})
    for n in (100, 1000):
        a = quicksort_adversary(n)
        out.append({'values': a.tolist(), 'order': np.argsort(a).tolist()})
    return out


def main():
    result = {
        'versions': {'numpy': np.__version__, 'scipy': scipy.__version__, 'sklearn': sklearn.__version__},
        'streams': streams(),
        'splitters': splitter_cases(),
        'sampler': sampler_cases(),
        'trainTestSplit': train_test_cases(),
        'argsort': argsort_cases(),
    }
    with open(os.path.join(OUT, 'random.json'), 'w') as f:
        json.dump(result, f, separators=(',', ':'))
        f.write('\n')


if __name__ == '__main__':
    main()
