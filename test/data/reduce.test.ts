import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allocate, type DType } from '../../src/data/dtypes.js';
import { ndarray } from '../../src/data/ndarray.js';
import { columnMeans, mean, std, sum } from '../../src/data/reduce.js';
import { ValueError } from '../../src/errors.js';
import { NPY_FIXTURES } from './helpers.js';

interface Stats { sum: number; mean: number; std: number; std_ddof1: number }
const expected = JSON.parse(fs.readFileSync(path.join(NPY_FIXTURES, 'reductions.json'), 'utf8')) as {
  seed_float32: Stats;
  vectors: (Stats & { n: number; dtype: DType })[];
  columns: { rows: number; cols: number; dtype: 'float64' | 'float32'; order: 'C' | 'F'; mean0: number[] }[];
};

/** The arrays scripts/npy_fixtures.py builds: ((i * 7919) % 1009) / 13 - 37.5 (int32: floor of 13x that). */
function vector(n: number, dtype: DType) {
  const data = allocate(dtype, n) as Float64Array;
  for (let i = 0; i < n; i++) {
    const v = ((i * 7919) % 1009) / 13 - 37.5;
    data[i] = dtype === 'int32' ? Math.floor(v * 13) : v;
  }
  return ndarray(dtype, [n], data);
}

function matrix(rows: number, cols: number, dtype: 'float64' | 'float32', order: 'C' | 'F') {
  const data = allocate(dtype, rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) data[order === 'C' ? i * cols + j : j * rows + i] = ((i * 31 + j * 7919) % 1009) / 7 - 60;
  }
  return ndarray(dtype, [rows, cols], data, order);
}

/** float32 results are compared exactly (same pairwise order, same float32 roundings); float64 at 1e-12 relative. */
function expectNumpy(found: number, want: number, dtype: DType, what: string): void {
  if (dtype === 'float32') expect(found, what).toBe(want);
  else expect(Math.abs(found - want), what).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)));
}

describe('sum, mean, std match numpy', () => {
  it('the seed notebook example (float32): 85.0, 8.5, 17.0014705657959', () => {
    const a = ndarray('float32', [10], new Float32Array([42, 43, 0, 0, 0, 0, 0, 0, 0, 0]));
    const e = expected.seed_float32;
    expect([sum(a), mean(a), std(a), std(a, { ddof: 1 })]).toEqual([e.sum, e.mean, e.std, e.std_ddof1]);
    expect(e.std).toBeCloseTo(17.0014705657959, 13);
  });

  it.each(expected.vectors.map((v) => [`${v.dtype} n=${v.n}`, v] as const))('%s', (_name, v) => {
    const a = vector(v.n, v.dtype);
    expectNumpy(sum(a), v.sum, v.dtype, 'sum');
    expectNumpy(mean(a), v.mean, v.dtype, 'mean');
    expectNumpy(std(a), v.std, v.dtype, 'std');
    expectNumpy(std(a, { ddof: 1 }), v.std_ddof1, v.dtype, 'std ddof=1');
  });

  it('float32 sums over 10,000+ elements differ from naive summation, and match numpy only with its blocking', () => {
    const v = expected.vectors.find((x) => x.dtype === 'float32' && x.n === 100003)!;
    const a = vector(v.n, 'float32');
    let naive = 0;
    for (let i = 0; i < v.n; i++) naive = Math.fround(naive + (a.data as Float32Array)[i]!);
    expect(naive).not.toBe(v.sum);
    expect(sum(a)).toBe(v.sum);
  });

  it('empty arrays: sum 0, mean and std NaN (as numpy, minus the warning); a bad ddof is refused', () => {
    const e = ndarray('float64', [0]);
    expect(sum(e)).toBe(0);
    expect(mean(e)).toBeNaN();
    expect(std(e)).toBeNaN();
    expect(() => std(e, { ddof: -1 })).toThrow(new ValueError('std: options.ddof must be a non-negative number, found -1'));
  });
});

describe('columnMeans matches np.mean(axis=0)', () => {
  it.each(expected.columns.map((c) => [`${c.dtype} ${c.order} ${c.rows}x${c.cols}`, c] as const))('%s', (_name, c) => {
    const found = columnMeans(matrix(c.rows, c.cols, c.dtype, c.order));
    c.mean0.forEach((want, j) => expectNumpy(found[j]!, want, c.dtype, `column ${j}`));
  });

  it('int64 columns and a non-2-d array', () => {
    const a = ndarray('int64', [2, 2], new BigInt64Array([1n, 2n, 4n, 8n]));
    expect(Array.from(columnMeans(a))).toEqual([2.5, 5]);
    expect(() => columnMeans(ndarray('float64', [3]))).toThrow(/expected a 2-d array, found shape \[3\]/);
  });
});
