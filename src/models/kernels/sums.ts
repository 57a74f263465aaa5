/**
 * Column and vector sums over chosen rows: the O(d) moments ridge takes before a Gram pass.
 * Plain loops, the same for every backend.
 */
import { rowCount, rowId, type DenseView } from './types.js';

/**
 * Add each column's sum over the chosen rows into `out` (length nCols).
 * @example
 * ```ts
 * const sums = new Float64Array(X.nCols);
 * columnSums(X, undefined, sums); // then divide by X.nRows for the means
 * ```
 */
export function columnSums(X: DenseView, rows: Int32Array | undefined, out: Float64Array): void {
  const d = X.nCols;
  const n = rowCount(X, rows);
  const data = X.data;
  if (X.order === 'C') {
    for (let r = 0; r < n; r++) {
      const base = (rows === undefined ? r : rows[r]!) * d;
      for (let j = 0; j < d; j++) out[j]! += data[base + j]!;
    }
    return;
  }
  for (let j = 0; j < d; j++) {
    const base = j * X.nRows;
    let s = 0;
    if (rows === undefined) for (let r = 0; r < n; r++) s += data[base + r]!;
    else for (let r = 0; r < n; r++) s += data[base + rows[r]!]!;
    out[j]! += s;
  }
}

/**
 * Sum of `y[i]` over the chosen rows (y indexed by row id).
 * @example
 * ```ts
 * const yMean = vectorSum(y, rows) / rows.length;
 * ```
 */
export function vectorSum(y: Float64Array, rows: Int32Array | undefined): number {
  let s = 0;
  if (rows === undefined) for (let i = 0; i < y.length; i++) s += y[i]!;
  else for (let r = 0; r < rows.length; r++) s += y[rows[r]!]!;
  return s;
}

