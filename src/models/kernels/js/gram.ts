/**
 * The JavaScript Gram kernel: Σ zzᵀ (and the O(d) moments) over chosen rows, register-blocked
 * four rows at a time. The fallback of the wasm kernel (wasm/sweeps.ts) and the reference every
 * backend test compares it with. `addFourRowsWeighted` is also the JavaScript Newton sweeps'
 * Hessian update (js/newton.ts): one block kernel for every O(d²) operation.
 */
import { loadRowMoments } from '../rows.js';
import { rowCount, rowId, weightSum, type DenseView, type GramStats } from '../types.js';

/** Rows per block of the Gram accumulation (the scratch buffer holds this many rows). */
export const GRAM_UNROLL = 4;

/**
 * Accumulate {@link GramStats} over the chosen rows (see kernels/index.ts's accumulateGram,
 * which dispatches here when the JavaScript backend runs), each row's terms times
 * `weight[i]` when weights are given. `scratch` holds four rows.
 *
 * The xtx update is register-blocked: four rows (interleaved in `scratch` as z[4j + u]) by
 * three rows of xtx at a time, so each xtx entry is loaded and stored once per four rows and
 * each loaded z value feeds twelve products.
 */
export function accumulateGramJs(
  X: DenseView, rows: Int32Array | undefined, y: Float64Array | undefined,
  shift: Float64Array | undefined, yShift: number, out: GramStats,
  scratch: Float64Array = new Float64Array(GRAM_UNROLL * X.nCols), weight?: Float64Array,
): void {
  const d = X.nCols;
  const n = rowCount(X, rows);
  const z = scratch;
  let r = X.order === 'C' ? addRowBlocksC(X, rows, y, shift, yShift, out, z, weight) : 0;
  for (; r + GRAM_UNROLL <= n; r += GRAM_UNROLL) {
    for (let u = 0; u < GRAM_UNROLL; u++) {
      const i = rowId(rows, r + u);
      loadRowMoments(X, i, shift, z, u, GRAM_UNROLL, y === undefined ? 0 : y[i]! - yShift, out, weight?.[i] ?? 1);
    }
    addFourRowsWeighted(z, d, rowWeight(weight, rows, r), rowWeight(weight, rows, r + 1), rowWeight(weight, rows, r + 2),
      rowWeight(weight, rows, r + 3), out.xtx, d, 0, false);
  }
  for (; r < n; r++) {
    const i = rowId(rows, r);
    const w = weight?.[i] ?? 1;
    loadRowMoments(X, i, shift, z, 0, 1, y === undefined ? 0 : y[i]! - yShift, out, w);
    addOneRow(z, d, w, out.xtx);
  }
  out.count += weight === undefined ? n : weightSum(weight, rows, n);
}

/** The weight of the r-th chosen row (1 without weights). */
function rowWeight(weight: Float64Array | undefined, rows: Int32Array | undefined, r: number): number {
  return weight === undefined ? 1 : weight[rowId(rows, r)]!;
}

/**
 * The C-order fast path of {@link accumulateGramJs} over whole blocks of four rows: loads the
 * four rows straight from `data` (contiguous), updates the O(d) moments in the same loop
 * with the sums kept in locals (no per-row loader call), then the O(d²) block. Returns the
 * number of rows done.
 */
function addRowBlocksC(
  X: DenseView, rows: Int32Array | undefined, y: Float64Array | undefined,
  shift: Float64Array | undefined, yShift: number, out: GramStats, z: Float64Array, weight: Float64Array | undefined,
): number {
  const d = X.nCols;
  const n = rowCount(X, rows);
  const data = X.data;
  const { xty, xSum, xtx } = out;
  // Sums run in the general loader's order (row by row), so C and F order agree bit for bit;
  // a missing weight is 1, and a product by 1 is exact, so unweighted sums keep their bits.
  let ySum = out.ySum;
  let yty = out.yty;
  let r = 0;
  for (; r + GRAM_UNROLL <= n; r += GRAM_UNROLL) {
    const i0 = rowId(rows, r), i1 = rowId(rows, r + 1), i2 = rowId(rows, r + 2), i3 = rowId(rows, r + 3);
    const w0 = weight === undefined ? 1 : weight[i0]!;
    const w1 = weight === undefined ? 1 : weight[i1]!;
    const w2 = weight === undefined ? 1 : weight[i2]!;
    const w3 = weight === undefined ? 1 : weight[i3]!;
    const t0 = y === undefined ? 0 : y[i0]! - yShift;
    const t1 = y === undefined ? 0 : y[i1]! - yShift;
    const t2 = y === undefined ? 0 : y[i2]! - yShift;
    const t3 = y === undefined ? 0 : y[i3]! - yShift;
    const s0 = w0 * t0, s1 = w1 * t1, s2 = w2 * t2, s3 = w3 * t3;
    const b0 = i0 * d, b1 = i1 * d, b2 = i2 * d, b3 = i3 * d;
    for (let j = 0; j < d; j++) {
      const c = shift === undefined ? 0 : shift[j]!;
      const v0 = data[b0 + j]! - c, v1 = data[b1 + j]! - c, v2 = data[b2 + j]! - c, v3 = data[b3 + j]! - c;
      const p = 4 * j;
      z[p] = v0;
      z[p + 1] = v1;
      z[p + 2] = v2;
      z[p + 3] = v3;
      xSum[j] = xSum[j]! + w0 * v0 + w1 * v1 + w2 * v2 + w3 * v3;
      xty[j] = xty[j]! + v0 * s0 + v1 * s1 + v2 * s2 + v3 * s3;
    }
    ySum = ySum + s0 + s1 + s2 + s3;
    yty = yty + s0 * t0 + s1 * t1 + s2 * t2 + s3 * t3;
    addFourRowsWeighted(z, d, w0, w1, w2, w3, xtx, d, 0, false);
  }
  out.ySum = ySum;
  out.yty = yty;
  return r;
}

/** G += w·zzᵀ (upper triangle) for one contiguous row z[0..d). */
function addOneRow(z: Float64Array, d: number, w: number, G: Float64Array): void {
  for (let j = 0; j < d; j++) {
    const a = w * z[j]!;
    const gj = j * d;
    for (let k = j; k < d; k++) G[gj + k]! += a * z[k]!;
  }
}

/**
 * G[base + j·ld + k] += Σ_u w_u z_ju z_ku over four interleaved rows: the whole D×D
 * block when `full`, else its upper triangle. Three G rows per pass: each z_k loaded feeds
 * twelve products, and the twelve weighted z_j stay in registers (x64 has sixteen).
 */
export function addFourRowsWeighted(
  z: Float64Array, D: number, w0: number, w1: number, w2: number, w3: number,
  G: Float64Array, ld: number, base: number, full: boolean,
): void {
  let j = 0;
  for (; j + 3 <= D; j += 3) {
    const p = 4 * j;
    const a0 = z[p]! * w0, a1 = z[p + 1]! * w1, a2 = z[p + 2]! * w2, a3 = z[p + 3]! * w3;
    const b0 = z[p + 4]! * w0, b1 = z[p + 5]! * w1, b2 = z[p + 6]! * w2, b3 = z[p + 7]! * w3;
    const e0 = z[p + 8]! * w0, e1 = z[p + 9]! * w1, e2 = z[p + 10]! * w2, e3 = z[p + 11]! * w3;
    const gj = base + j * ld;
    const gj1 = gj + ld;
    const gj2 = gj1 + ld;
    let k = j + 2;
    if (full) {
      k = 0;
    } else {
      // The corner of the three rows inside the upper triangle: (j, j), (j, j+1), (j+1, j+1).
      const c0 = z[p + 4]!, c1 = z[p + 5]!, c2 = z[p + 6]!, c3 = z[p + 7]!;
      G[gj + j]! += a0 * z[p]! + a1 * z[p + 1]! + a2 * z[p + 2]! + a3 * z[p + 3]!;
      G[gj + j + 1]! += a0 * c0 + a1 * c1 + a2 * c2 + a3 * c3;
      G[gj1 + j + 1]! += b0 * c0 + b1 * c1 + b2 * c2 + b3 * c3;
    }
    for (; k < D; k++) {
      const o = 4 * k;
      const c0 = z[o]!, c1 = z[o + 1]!, c2 = z[o + 2]!, c3 = z[o + 3]!;
      G[gj + k]! += a0 * c0 + a1 * c1 + a2 * c2 + a3 * c3;
      G[gj1 + k]! += b0 * c0 + b1 * c1 + b2 * c2 + b3 * c3;
      G[gj2 + k]! += e0 * c0 + e1 * c1 + e2 * c2 + e3 * c3;
    }
  }
  for (; j < D; j++) {
    const p = 4 * j;
    const a0 = z[p]! * w0, a1 = z[p + 1]! * w1, a2 = z[p + 2]! * w2, a3 = z[p + 3]! * w3;
    const gj = base + j * ld;
    for (let k = full ? 0 : j; k < D; k++) {
      const o = 4 * k;
      G[gj + k]! += a0 * z[o]! + a1 * z[o + 1]! + a2 * z[o + 2]! + a3 * z[o + 3]!;
    }
  }
}
