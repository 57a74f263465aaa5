/**
 * Loading one row of X into a block buffer while doing its O(d) work in the same loop: the
 * JavaScript kernels' interleaved 4-row blocks (step 4) and the wasm kernel's row-major blocks
 * (step 1) both use these, so the two paths compute moments and margins the same way.
 */
import type { DenseView, GramStats } from './types.js';

/**
 * Load row i minus the shift into z[at + j·step] (as float64) and add its O(d) part
 * in the same loop, each term times the row's weight w: Σwz, Σwzt, Σwt, Σwt². The one place
 * F order pays its stride. (With w = 1 every product by w is exact: unweighted sums keep
 * their bits.)
 */
export function loadRowMoments(
  X: DenseView, i: number, shift: Float64Array | undefined, z: Float64Array, at: number, step: number,
  t: number, out: GramStats, w = 1,
): void {
  const d = X.nCols;
  const data = X.data;
  const rowBase = X.order === 'C' ? i * d : i;
  const colStride = X.order === 'C' ? 1 : X.nRows;
  const xty = out.xty, xSum = out.xSum;
  const wt = w * t;
  for (let j = 0; j < d; j++) {
    const v = data[rowBase + j * colStride]! - (shift === undefined ? 0 : shift[j]!);
    z[at + j * step] = v;
    xSum[j]! += w * v;
    xty[j]! += v * wt;
  }
  out.ySum += wt;
  out.yty += wt * t;
}

/**
 * Load row i minus the shift as [x − shift, 1] into z[at + j·step] (the constant 1 at j = d)
 * and return (x − shift)·w for the weights at coef[off..off+d).
 */
export function loadAugmentedRow(
  X: DenseView, i: number, shift: Float64Array | undefined, z: Float64Array, at: number, step: number,
  coef: Float64Array, off: number,
): number {
  const d = X.nCols;
  const data = X.data;
  const rowBase = X.order === 'C' ? i * d : i;
  const colStride = X.order === 'C' ? 1 : X.nRows;
  let s = 0;
  for (let j = 0; j < d; j++) {
    const v = data[rowBase + j * colStride]! - (shift === undefined ? 0 : shift[j]!);
    z[at + j * step] = v;
    s += v * coef[off + j]!;
  }
  z[at + d * step] = 1;
  return s;
}

/** Load row i minus the shift as [x − shift, 1] into z[at..at + d] (a wasm block row). */
export function loadShiftedRow(X: DenseView, i: number, shift: Float64Array | undefined, z: Float64Array, at: number): void {
  const d = X.nCols;
  const data = X.data;
  if (X.order === 'C') {
    const base = i * d;
    if (shift === undefined) for (let j = 0; j < d; j++) z[at + j] = data[base + j]!;
    else for (let j = 0; j < d; j++) z[at + j] = data[base + j]! - shift[j]!;
  } else {
    const n = X.nRows;
    for (let j = 0; j < d; j++) z[at + j] = data[i + j * n]! - (shift === undefined ? 0 : shift[j]!);
  }
  z[at + d] = 1;
}

/** [x, 1]·coef[off..off+D) for the row already loaded at z[at + j·step]. */
export function augmentedDot(z: Float64Array, D: number, at: number, step: number, coef: Float64Array, off: number): number {
  let s = 0;
  for (let j = 0; j < D; j++) s += z[at + j * step]! * coef[off + j]!;
  return s;
}
