/**
 * Linear outputs X·Wᵀ + b for chosen rows, in the packed-coefficient layout (see types.ts):
 * what predict, decision_function and the scorers read. The JavaScript loop; the wasm route
 * (wasm/margins.ts) sums every output in this loop's order, so the two give the same bits.
 */
import { rowCount, type DenseView } from './types.js';

/**
 * Linear outputs for the chosen rows: `out[r*k + c] = x_row · w_c + b_c` with packed
 * coefficients (k blocks of nCols+1), each summed from b_c adding x_j·w_cj in order of j.
 * Overwrites `out` (length rows·k). Callers go through kernels/index.ts's linearMargins.
 * @example
 * ```ts
 * const z = new Float64Array(X.nRows);
 * linearMarginsJs(X, undefined, packedCoef, 1, z); // ridge predictions
 * ```
 */
export function linearMarginsJs(
  X: DenseView, rows: Int32Array | undefined, coef: Float64Array, k: number, out: Float64Array,
): void {
  const d = X.nCols;
  const n = rowCount(X, rows);
  const data = X.data;
  const rowStride = X.order === 'C' ? d : 1;
  const colStride = X.order === 'C' ? 1 : X.nRows;
  let r = 0;
  // Four rows at a time: four independent sums in flight instead of one chain of d additions
  // (each row's sum still runs over j in order, so the values are the one-row loop's bit for bit).
  for (; r + 4 <= n; r += 4) {
    const b0 = (rows === undefined ? r : rows[r]!) * rowStride, b1 = (rows === undefined ? r + 1 : rows[r + 1]!) * rowStride;
    const b2 = (rows === undefined ? r + 2 : rows[r + 2]!) * rowStride, b3 = (rows === undefined ? r + 3 : rows[r + 3]!) * rowStride;
    for (let c = 0; c < k; c++) {
      const off = c * (d + 1);
      let s0 = coef[off + d]!, s1 = s0, s2 = s0, s3 = s0;
      for (let j = 0; j < d; j++) {
        const w = coef[off + j]!;
        const cj = j * colStride;
        s0 += data[b0 + cj]! * w; s1 += data[b1 + cj]! * w; s2 += data[b2 + cj]! * w; s3 += data[b3 + cj]! * w;
      }
      out[r * k + c] = s0; out[(r + 1) * k + c] = s1; out[(r + 2) * k + c] = s2; out[(r + 3) * k + c] = s3;
    }
  }
  for (; r < n; r++) {
    const base = (rows === undefined ? r : rows[r]!) * rowStride;
    for (let c = 0; c < k; c++) {
      const off = c * (d + 1);
      let s = coef[off + d]!;
      for (let j = 0; j < d; j++) s += data[base + j * colStride]! * coef[off + j]!;
      out[r * k + c] = s;
    }
  }
}

