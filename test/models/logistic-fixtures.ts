/** The converged logistic references written by scripts/logistic_fixtures.py, and helpers to compare with them. */
import { readFileSync } from 'node:fs';
import { ndarray, type NdArray } from '../../src/data/ndarray.js';

/** One converged single fit. */
export interface ConvergedCase {
  readonly dataset: string;
  readonly C: number;
  readonly fitIntercept: boolean;
  readonly rows: number[] | null;
  readonly sampleWeight: 'ramp' | null;
  readonly coef: number[][];
  readonly intercept: number[];
  readonly classes: number[];
  readonly decrement: number;
  readonly predictRows: number[];
  readonly predict: number[];
  readonly predictProba: number[][];
  readonly decisionFunction: number[] | number[][];
  readonly score: number;
}

interface ConvergedFixture {
  readonly datasets: Record<string, { X: number[][]; y: number[] }>;
  readonly cases: ConvergedCase[];
}

/** test/fixtures/models/logistic_converged.json. */
export const converged = JSON.parse(
  readFileSync(new URL('../fixtures/models/logistic_converged.json', import.meta.url), 'utf8'),
) as ConvergedFixture;

const cache = new Map<string, { X: NdArray<'float64'>; y: NdArray<'float64'> }>();

/** A fixture dataset as C-order float64 X and float64 labels (built once per test file). */
export function dataset(name: string): { X: NdArray<'float64'>; y: NdArray<'float64'> } {
  let hit = cache.get(name);
  if (!hit) {
    const ds = converged.datasets[name]!;
    const n = ds.X.length;
    const d = ds.X[0]!.length;
    hit = { X: ndarray('float64', [n, d], Float64Array.from(ds.X.flat())), y: ndarray('float64', [n], Float64Array.from(ds.y)) };
    cache.set(name, hit);
  }
  return hit;
}

/** scikit-learn's ramp sample weights (0.5 + 1.5·((i·7919) mod 101)/100), by row id. */
export function rampWeights(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => 0.5 + (1.5 * ((i * 7919) % 101)) / 100);
}

/** max |a − b| / max(floor, max |b|) (floor 0: relative to b's largest entry). */
export function maxRelErr(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1): number {
  let scale = floor;
  let worst = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst / scale;
}
