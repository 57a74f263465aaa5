/** Loading the scikit-learn reference fixtures written by scripts/model_fixtures.py. */
import { readFileSync } from 'node:fs';
import { ndarray, type NdArray } from '../../src/data/ndarray.js';

const DIR = new URL('../fixtures/models/', import.meta.url);

/** One reference fit; ridge cases have `alpha` and a number intercept, logistic ones `C` and an array. */
export interface RefCase {
  alpha?: number;
  C?: number;
  fitIntercept: boolean;
  rows: number[] | null;
  coef: number[] | number[][];
  intercept: number | number[];
  classes?: number[];
  nIter?: number;
  predictRows: number[];
  predict: number[];
  predictProba?: number[][];
  decisionFunction?: number[] | number[][];
  score: number;
}

export interface Fixture {
  X: number[][];
  X32?: number[][];
  y: number[];
  cases: RefCase[];
  cases32Exact?: RefCase[];
  cases32Sklearn?: RefCase[];
}

export function loadFixture(name: string): Fixture {
  return JSON.parse(readFileSync(new URL(name, DIR), 'utf8')) as Fixture;
}

/** A C-order float64 (or float32) matrix from nested rows. */
export function matrix(rows: number[][], dtype: 'float64' | 'float32' = 'float64'): NdArray<'float64'> | NdArray<'float32'> {
  const n = rows.length;
  const d = rows[0]!.length;
  const flat = rows.flat();
  return dtype === 'float64'
    ? ndarray('float64', [n, d], Float64Array.from(flat))
    : ndarray('float32', [n, d], Float32Array.from(flat));
}

/** The same matrix in F order (column-major data). */
export function toFortran(X: NdArray<'float64'> | NdArray<'float32'>): NdArray<'float64'> | NdArray<'float32'> {
  const [n, d] = X.shape as [number, number];
  const out = X.dtype === 'float64' ? new Float64Array(n * d) : new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[j * n + i] = X.data[i * d + j]!;
  return { dtype: X.dtype, shape: [n, d], order: 'F', data: out } as NdArray<'float64'> | NdArray<'float32'>;
}

/** A plain copy of the given rows (C order), to compare against fitting on `rows` in place. */
export function copyRows(X: NdArray<'float64'>, rows: Int32Array): NdArray<'float64'> {
  const d = X.shape[1]!;
  const out = new Float64Array(rows.length * d);
  rows.forEach((i, r) => out.set(X.data.subarray(i * d, (i + 1) * d), r * d));
  return ndarray('float64', [rows.length, d], out);
}

export function vector(values: number[]): NdArray<'float64'> {
  return ndarray('float64', [values.length], Float64Array.from(values));
}

/** Largest |a_i - b_i| / max(|b_i|, floor): relative error that does not blow up near 0. */
export function maxRelErr(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1): number {
  expectSameLength(a, b);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(b[i]!), floor));
  return m;
}

export function maxAbsErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expectSameLength(a, b);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function expectSameLength(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
}
