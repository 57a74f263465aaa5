/**
 * Linear outputs X·Wᵀ + b for chosen rows, in the packed-coefficient layout (see types.ts):
 * what predict, decision_function and the scorers read. One plain loop for every backend.
 */
import { rowCount, type DenseView } from './types.js';

/**
 * Linear outputs for the chosen rows: `out[r*k + c] = x_row · w_c + b_c` with packed
 * coefficients (k blocks of nCols+1). Overwrites `out` (length rows·k).
 * @example
 * ```ts
 * const z = new Float64Array(X.nRows);
 * linearMargins(X, undefined, packedCoef, 1, z); // ridge predictions
 * ```
 */
export function linearMargins(
  X: DenseView, rows: Int32Array | undefined, coef: Float64Array, k: number, out: Float64Array,
): void {
  const d = X.nCols;
  const n = rowCount(X, rows);
  const data = X.data;
  const rowStride = X.order === 'C' ? d : 1;
  const colStride = X.order === 'C' ? 1 : X.nRows;
  for (let r = 0; r < n; r++) {
    const base = (rows === undefined ? r : rows[r]!) * rowStride;
    for (let c = 0; c < k; c++) {
      const off = c * (d + 1);
      let s = coef[off + d]!;
      for (let j = 0; j < d; j++) s += data[base + j * colStride]! * coef[off + j]!;
      out[r * k + c] = s;
    }
  }
}

