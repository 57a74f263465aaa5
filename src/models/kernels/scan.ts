/**
 * Finiteness scans: where the first NaN or ±Inf is among the chosen rows of X or entries of y.
 * One pass each, and the same code for every backend (a comparison per value is all it does).
 */
import { firstNonFinite } from '../../data/finite.js';
import { rowCount, rowId, type DenseView } from './types.js';

/**
 * Position (index into `rows`, or row id) of the first chosen row holding NaN or ±Inf,
 * or -1. One pass: v·0 is 0 for every finite v and NaN otherwise, so a row's sum of
 * v·0 can never overflow and is nonzero exactly when the row has a non-finite value.
 * @example
 * ```ts
 * if (firstNonFiniteRow(X, rows) >= 0) throw new DataError('X has NaN or Inf');
 * ```
 */
export function firstNonFiniteRow(X: DenseView, rows: Int32Array | undefined): number {
  const d = X.nCols;
  const n = rowCount(X, rows);
  const data = X.data;
  if (rows === undefined) {
    // Every row: one flat scan (order does not matter), then locate the row in a bad block.
    return firstNonFinite(data) < 0 ? -1 : firstNonFiniteRowSlow(X, n);
  }
  const rowStride = X.order === 'C' ? d : 1;
  const colStride = X.order === 'C' ? 1 : X.nRows;
  for (let r = 0; r < n; r++) {
    const base = rowId(rows, r) * rowStride;
    let probe = 0;
    for (let j = 0; j < d; j++) probe += data[base + j * colStride]! * 0;
    if (probe !== 0) return r;
  }
  return -1;
}

/** Rows-only scan, used after the flat scan found a bad value somewhere. */
function firstNonFiniteRowSlow(X: DenseView, n: number): number {
  const d = X.nCols;
  const data = X.data;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      if (!Number.isFinite(data[X.order === 'C' ? i * d + j : j * X.nRows + i]!)) return i;
    }
  }
  return -1;
}

/**
 * Position of the first chosen entry of `y` (indexed by row id) that is NaN or ±Inf, or -1.
 * @example
 * ```ts
 * firstNonFiniteValue(new Float64Array([1, NaN]), undefined); // 1
 * ```
 */
export function firstNonFiniteValue(y: Float64Array, rows: Int32Array | undefined): number {
  const n = rows === undefined ? y.length : rows.length;
  for (let r = 0; r < n; r++) {
    if ((y[rowId(rows, r)]! * 0) !== 0) return r;
  }
  return -1;
}
