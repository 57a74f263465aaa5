/**
 * Files memgrid writes, for numpy to check: this test writes .npy files (every dtype, C and F
 * order, 0-d, empty, open_memmap-style w+, a dump) plus expected.json into $MEMGRID_NPY_OUT
 * (or a temp folder). Check them with numpy by hand:
 *   MEMGRID_NPY_OUT=/tmp/memgrid-npy npx vitest run test/data/npy-interop.test.ts
 *   /usr/bin/python3 scripts/npy_check.py /tmp/memgrid-npy
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dump } from '../../src/data/dump.js';
import { allocate, descrOf, DTYPES, type DType } from '../../src/data/dtypes.js';
import { ndarray, type NdArray, type Order } from '../../src/data/ndarray.js';
import { openNpy, readNpy, saveNpy } from '../../src/data/npy.js';
import { uniformSource } from '../helpers/random.js';
import { tempDir } from '../helpers/temp.js';
import { jsonValues } from './helpers.js';

const out = process.env.MEMGRID_NPY_OUT ?? tempDir('memgrid-npy-');

function valuesFor(dtype: DType, shape: number[], order: Order, seed: string): NdArray {
  const random = uniformSource(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const data = allocate(dtype, n);
  for (let i = 0; i < n; i++) {
    if (dtype === 'float64' || dtype === 'float32') data[i] = i === 1 ? NaN : (random() - 0.5) * 1e6;
    else if (dtype === 'int64') (data as BigInt64Array)[i] = BigInt(Math.floor((random() - 0.5) * 2 ** 53)) * 1024n;
    else if (dtype === 'uint64') (data as BigUint64Array)[i] = BigInt(Math.floor(random() * 2 ** 53)) * 2048n;
    else if (dtype === 'bool') data[i] = random() < 0.5 ? 1 : 0;
    else data[i] = Math.floor(random() * 2 ** 31);
  }
  return ndarray(dtype, shape, data, order);
}

describe('files memgrid writes for numpy (checked by scripts/npy_check.py)', () => {
  it('writes every dtype in C and F order, 0-d, empty, a w+ memmap and a dump, with expected.json', () => {
    fs.mkdirSync(out, { recursive: true });
    const expected: Record<string, unknown> = {};
    const record = (file: string, a: NdArray): void => {
      const fortran = a.order === 'F' && a.shape.filter((s) => s > 1).length > 1;
      expected[file] = { descr: descrOf(a.dtype), shape: a.shape, fortran_order: fortran, values: jsonValues(a) };
    };
    for (const dtype of DTYPES) {
      for (const [tag, shape, order] of [['c2', [3, 4], 'C'], ['f2', [3, 4], 'F'], ['f3', [2, 3, 4], 'F'], ['c1', [7], 'C']] as const) {
        const a = valuesFor(dtype, [...shape], order, `${dtype}-${tag}`);
        const file = `${dtype}_${tag}.npy`;
        saveNpy(path.join(out, file), a);
        record(file, a);
        expect(jsonValues(readNpy(path.join(out, file)))).toEqual(jsonValues(a));
      }
    }
    for (const [file, a] of [
      ['scalar.npy', ndarray('float64', [], new Float64Array([2.5]))],
      ['empty.npy', ndarray('int32', [0, 3])],
    ] as const) {
      saveNpy(path.join(out, file), a);
      record(file, a);
    }
    const w = openNpy(path.join(out, 'memmap_w.npy'), { mode: 'w+', dtype: 'float32', shape: [2, 5], order: 'F' });
    w.data.set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    w.flush();
    record('memmap_w.npy', w);
    const parts = dump({ float_zeros: ndarray('float32', [3, 4]), nested: { ones: ndarray('int64', [3, 4], new BigInt64Array(12).fill(1n)) } }, path.join(out, 'dumped.json'));
    record(path.basename(parts[1]!), readNpy(parts[1]!));
    record(path.basename(parts[2]!), readNpy(parts[2]!));
    fs.writeFileSync(path.join(out, 'expected.json'), JSON.stringify({ files: expected, dumps: ['dumped.json'] }, null, 1));
    expect(Object.keys(expected).length).toBe(DTYPES.length * 4 + 5);
  });
});
