/**
 * A binary set whose features are strongly correlated: what makes a Newton path slow on a
 * curvature taken at an earlier C (the benchmark's LW), in a few thousand rows.
 */
import { ndarray, type NdArray } from '../../src/data/ndarray.js';
import { uniformSource } from './random.js';

/**
 * `n` rows × `d` columns, each column 0.9 of the one before plus roughly Gaussian noise, and
 * labels 1 where a random combination of the first 12 columns, plus noise, is positive. The same
 * seed gives the same set.
 * @example
 * ```ts
 * const { X, y } = correlatedBinary(4000, 48, 'path-refresh');
 * ```
 */
export function correlatedBinary(n: number, d: number, seed: string): { X: NdArray<'float64'>; y: NdArray<'float64'> } {
  const random = uniformSource(seed);
  const gauss = (): number => (random() + random() + random() + random() + random() + random() - 3) * Math.SQRT2;
  const values = new Float64Array(n * d);
  const labels = new Float64Array(n);
  const truth = Float64Array.from({ length: d }, (_, j) => (j < 12 ? gauss() : 0));
  for (let i = 0; i < n; i++) {
    let column = 0;
    let margin = 0;
    for (let j = 0; j < d; j++) {
      column = 0.9 * column + gauss();
      values[i * d + j] = column;
      margin += truth[j]! * column;
    }
    labels[i] = margin / Math.sqrt(d) + gauss() > 0 ? 1 : 0;
  }
  return { X: ndarray('float64', [n, d], values), y: ndarray('float64', [n], labels) };
}
