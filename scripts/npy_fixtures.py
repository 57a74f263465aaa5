#!/usr/bin/python3
"""Write the numpy fixtures of memgrid's data-layer tests (run with Debian's /usr/bin/python3, numpy 1.24).

test/fixtures/npy/   small .npy files (every dtype, both byte orders, C and F order in 2-d and 3-d,
                     a version 2.0 header, 0-d and empty arrays), values.json describing them, and
                     reductions.json: np.sum / np.mean / np.std / mean(axis=0) of arrays the tests
                     rebuild from a formula (so large arrays cost no fixture bytes).
test/fixtures/dump/  a memgrid dump written by numpy (manifest + .npy parts) and a manifest whose
                     array reference escapes its folder.

Usage: /usr/bin/python3 scripts/npy_fixtures.py
"""
import json
import math
import os
import shutil

import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures')
NPY = os.path.join(ROOT, 'npy')
DUMP = os.path.join(ROOT, 'dump')

NAMES = {'f8': 'float64', 'f4': 'float32', 'i8': 'int64', 'i4': 'int32', 'i2': 'int16', 'i1': 'int8',
         'u8': 'uint64', 'u4': 'uint32', 'u2': 'uint16', 'u1': 'uint8', 'b1': 'bool'}


def jsonable(v):
    """Nested lists with 64-bit ints as strings (JSON numbers lose them) and NaN/inf as strings."""
    if isinstance(v, list):
        return [jsonable(x) for x in v]
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float) and not math.isfinite(v):
        return repr(v)
    return v


def sample(code, shape):
    n = int(np.prod(shape))
    kind = np.dtype(code).kind
    if kind == 'f':
        base = [-1.5, 0.0, 2.25, 1e30, -7.0, np.nan, np.inf, 3.0]
    elif kind == 'b':
        base = [True, False, True, True, False, False, True, False]
    else:
        info = np.iinfo(np.dtype(code))
        base = [int(info.min), 0, 1, int(info.max), 7, int(info.max) - 1, 2, 3]
    return np.array([base[i % len(base)] for i in range(n)], dtype=np.dtype(code)).reshape(shape)


def save(files, name, array, version=None, **extra):
    path = os.path.join(NPY, name)
    with open(path, 'wb') as f:
        np.lib.format.write_array(f, array, version=version, allow_pickle=False)
    order = 'F' if (array.flags.f_contiguous and not array.flags.c_contiguous) else 'C'
    files[name] = {
        'descr': array.dtype.str, 'dtype': NAMES[array.dtype.str[1:]], 'shape': list(array.shape),
        'order': order, 'values': jsonable(array.tolist()), **extra,
    }


def npy_fixtures():
    files = {}
    for code in NAMES:
        orders = '<>' if code[1] != '1' else '|'
        for bo in orders:
            a = sample(bo + code if bo != '|' else code, (2, 3))
            tag = {'<': 'le', '>': 'be', '|': 'na'}[bo]
            save(files, f'{code}_{tag}_c2.npy', a, numpy_save=(bo != '>'))
    for code in ('f8', 'i4', 'f4'):
        save(files, f'{code}_f2.npy', np.asfortranarray(sample('<' + code, (3, 4))), numpy_save=True)
        save(files, f'{code}_c3.npy', sample('<' + code, (2, 3, 4)), numpy_save=True)
        save(files, f'{code}_f3.npy', np.asfortranarray(sample('<' + code, (2, 3, 4))), numpy_save=True)
    save(files, 'f8_be_f2.npy', np.asfortranarray(sample('>f8', (3, 2))))
    save(files, 'f8_v2.npy', sample('<f8', (4,)), version=(2, 0), version_major=2)
    save(files, 'f8_0d.npy', np.array(3.5), numpy_save=True)
    save(files, 'f8_empty.npy', np.zeros((0,)), numpy_save=True)
    save(files, 'i4_empty2.npy', np.zeros((2, 0), dtype='<i4'), numpy_save=True)
    save(files, 'u1_1d.npy', np.arange(10, dtype=np.uint8), numpy_save=True)
    # Headers numpy refuses to read too: a dtype memgrid does not support, for the error tests.
    for name, arr in (('c16.npy', np.zeros(2, dtype='<c16')), ('U4.npy', np.array(['ab', 'cd'], dtype='<U4'))):
        np.save(os.path.join(NPY, name), arr)
    with open(os.path.join(NPY, 'values.json'), 'w') as f:
        json.dump(files, f, indent=1, sort_keys=True)


def formula(n):
    """Values the TypeScript tests rebuild exactly: ((i * 7919) % 1009) / 13 - 37.5."""
    i = np.arange(n, dtype=np.int64)
    return ((i * 7919) % 1009) / 13.0 - 37.5


def matrix_formula(rows, cols):
    """v[i, j] = ((i * 31 + j * 7919) % 1009) / 7 - 60."""
    i = np.arange(rows, dtype=np.int64)[:, None]
    j = np.arange(cols, dtype=np.int64)[None, :]
    return ((i * 31 + j * 7919) % 1009) / 7.0 - 60.0


def stats(a):
    return {'sum': float(np.sum(a)), 'mean': float(np.mean(a)), 'std': float(np.std(a)), 'std_ddof1': float(np.std(a, ddof=1))}


def reduction_fixtures():
    seed = np.zeros(10, dtype=np.float32)
    seed[0], seed[1] = 42, 43
    out = {'seed_float32': stats(seed), 'vectors': [], 'columns': []}
    for n in (5, 100, 1000, 8192, 10000, 100003):
        base = formula(n)
        for dt in ('float64', 'float32', 'int32'):
            a = (np.floor(base * 13) if dt == 'int32' else base).astype(dt)
            out['vectors'].append({'n': n, 'dtype': dt, **stats(a)})
    for rows, cols in ((50, 3), (20000, 4)):
        for dt in ('float64', 'float32'):
            for order in 'CF':
                a = np.asarray(matrix_formula(rows, cols).astype(dt), order=order)
                out['columns'].append({'rows': rows, 'cols': cols, 'dtype': dt, 'order': order,
                                       'mean0': [float(v) for v in a.mean(axis=0)]})
    with open(os.path.join(NPY, 'reductions.json'), 'w') as f:
        json.dump(out, f, indent=1)


def dump_fixtures():
    """A dump in memgrid's manifest format, written by numpy, and one with an escaping reference."""
    np.save(os.path.join(DUMP, 'numpy_made.json_01.npy'), np.zeros((3, 4), dtype=np.float32))
    np.save(os.path.join(DUMP, 'numpy_made.json_02.npy'), np.ones((3, 4), dtype=np.int64))
    # Version 2 records each array's dtype (memgrid's name) and shape, as joblib's pickle does.
    manifest = {'format': 'memgrid-dump', 'version': 2, 'value': {
        'float_zeros': {'__memgrid__': 'ndarray', 'file': 'numpy_made.json_01.npy', 'dtype': 'float32', 'shape': [3, 4]},
        'integer_ones': {'__memgrid__': 'ndarray', 'file': 'numpy_made.json_02.npy', 'dtype': 'int64', 'shape': [3, 4]},
        'meta': {'name': 'MyDataStructure', 'shape': [3, 4], 'missing': {'__memgrid__': 'number', 'value': 'NaN'}},
    }}
    with open(os.path.join(DUMP, 'numpy_made.json'), 'w') as f:
        json.dump(manifest, f, indent=1)
    for name, ref in (('escape.json', '../npy/f8_le_c2.npy'), ('absolute.json', '/etc/hostname')):
        with open(os.path.join(DUMP, name), 'w') as f:
            json.dump({'format': 'memgrid-dump', 'version': 2, 'value': {
                'x': {'__memgrid__': 'ndarray', 'file': ref, 'dtype': 'float64', 'shape': [2, 3]}}}, f)


if __name__ == '__main__':
    for d in (NPY, DUMP):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    npy_fixtures()
    reduction_fixtures()
    dump_fixtures()
    print('wrote', sorted(os.listdir(NPY)), sorted(os.listdir(DUMP)))
