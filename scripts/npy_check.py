#!/usr/bin/python3
"""Check with numpy the .npy files a memgrid test wrote (see test/data/npy-interop.test.ts).

Usage: /usr/bin/python3 scripts/npy_check.py DIR
DIR holds the .npy files and expected.json: {"files": {name: {descr, shape, fortran_order, values}},
"dumps": [manifest names]}. Values use the fixtures' JSON spelling (ints as strings, 'nan'/'inf').
For each file: np.load gives that dtype, shape, memory order and those values; the header is
what np.save writes for that array (byte-identical file); every dump manifest's array references
load with numpy. Exits 1 listing every mismatch.
"""
import json
import math
import os
import sys

import numpy as np

from npy_fixtures import jsonable  # one JSON spelling for both scripts



def check_file(directory, name, want, problems):
    path = os.path.join(directory, name)
    with open(path, 'rb') as f:
        version = np.lib.format.read_magic(f)
        shape, fortran, dtype = np.lib.format._read_array_header(f, version)
        offset = f.tell()
    a = np.load(path, allow_pickle=False)
    found = {'descr': a.dtype.str, 'shape': list(a.shape), 'fortran_order': fortran}
    for key, value in found.items():
        if value != want[key]:
            problems.append(f'{name}: {key} expected {want[key]!r}, found {value!r}')
    if offset % 64 != 0:
        problems.append(f'{name}: data starts at {offset}, not a multiple of 64')
    if jsonable(a.tolist()) != want['values']:
        problems.append(f'{name}: values differ from expected.json')
    if fortran and not a.flags.f_contiguous:
        problems.append(f'{name}: fortran_order but numpy loaded a non-F array')
    rewritten = os.path.join(directory, '.npy_check_tmp.npy')
    np.save(rewritten, a)
    with open(rewritten, 'rb') as x, open(path, 'rb') as y:
        if x.read() != y.read():
            problems.append(f'{name}: not byte-identical to np.save of the same array')
    os.unlink(rewritten)
    mm = np.load(path, mmap_mode='r')
    if mm.shape != a.shape:
        problems.append(f'{name}: np.load(mmap_mode="r") shape {mm.shape} != {a.shape}')


def check_dump(directory, manifest_name, problems):
    with open(os.path.join(directory, manifest_name)) as f:
        manifest = json.load(f)
    refs = []

    def walk(v):
        if isinstance(v, dict):
            if v.get('__memgrid__') in ('ndarray', 'typedarray'):
                refs.append(v['file'])
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
    walk(manifest['value'])
    if not refs:
        problems.append(f'{manifest_name}: no array references')
    for ref in refs:
        if os.path.dirname(ref):
            problems.append(f'{manifest_name}: reference {ref!r} is not a plain file name')
        np.load(os.path.join(directory, ref), mmap_mode='r+')


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    directory = sys.argv[1]
    with open(os.path.join(directory, 'expected.json')) as f:
        expected = json.load(f)
    problems = []
    for name, want in sorted(expected['files'].items()):
        try:
            check_file(directory, name, want, problems)
        except Exception as e:  # report every file, not just the first failure
            problems.append(f'{name}: {type(e).__name__}: {e}')
    for manifest in expected.get('dumps', []):
        check_dump(directory, manifest, problems)
    for p in problems:
        print('MISMATCH', p)
    print(f'checked {len(expected["files"])} files and {len(expected.get("dumps", []))} dumps with numpy {np.__version__}: '
          f'{"OK" if not problems else str(len(problems)) + " problems"}')
    sys.exit(1 if problems else 0)


if __name__ == '__main__':
    main()
