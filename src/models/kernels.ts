/**
 * The typed-array kernels every memgrid model shares: one kernel per operation.
 *
 * Each takes X as a {@link DenseView} (data, nRows, nCols, order) and an optional
 * `rows` index array, so a fold is fitted in place without copying rows out. Kernels
 * never allocate per row: scratch space and outputs are caller-provided, and outputs
 * are *accumulated into* (`+=`) so a caller can sum statistics over several calls
 * (blocks, folds, threads) before using them.
 *
 * C order is the fast path (a row is contiguous). F order reads a row with stride
 * `nRows`; it gives the same answer, only slower.
 *
 * Packed coefficients: a model with `k` linear outputs stores them as `k` blocks of
 * `nCols + 1` numbers, the weights then the intercept: `coef[c*(d+1) + j]` is weight
 * `j` of output `c`, `coef[c*(d+1) + d]` its intercept. Margins, losses and gradients
 * all use this one layout.
 */
import { accumulateGramBlocked, logisticNewtonSweepBlocked, softmaxNewtonSweepBlocked } from './gram-blocks.js';
import { logisticPointLoss, logisticResidual } from './logistic-point.js';
import { augmentedDot, loadAugmentedRow, loadRowMoments } from './row-loads.js';
import { wasmGramKernel } from './wasm-gram.js';
import { firstNonFinite } from '../data/finite.js';
import type { Order } from '../data/ndarray.js';

/** Float elements a kernel reads X from. */
export type FloatData = Float64Array | Float32Array;

/**
 * A 2-d float matrix as kernels see it: no shape array, no dtype, just the numbers.
 * @example
 * ```ts
 * const X: DenseView = { data: new Float64Array([1, 2, 3, 4]), nRows: 2, nCols: 2, order: 'C' };
 * ```
 */
export interface DenseView {
  readonly data: FloatData;
  readonly nRows: number;
  readonly nCols: number;
  readonly order: Order;
}

/**
 * Number of rows a kernel visits: `rows.length`, or every row.
 * @example
 * ```ts
 * const out = new Float64Array(rowCount(X, rows));
 * ```
 */
export function rowCount(X: DenseView, rows?: Int32Array): number {
  return rows === undefined ? X.nRows : rows.length;
}

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

/**
 * Sufficient statistics of a least-squares problem over some rows, accumulated around
 * a shift `c` (for X) and `cy` (for y): with z = x - c and t = y - cy,
 * `xtx` = Σ zzᵀ (upper triangle only, row-major d×d: call {@link symmetrizeUpper}
 * once done), `xty` = Σ z t, `xSum` = Σ z, `ySum` = Σ t, `yty` = Σ t², `count` = rows.
 * Choosing the shift near the column means (e.g. the training means, or the whole
 * dataset's means for per-fold statistics) keeps the centred Gram matrix accurate:
 * Σ(z - z̄)(z - z̄)ᵀ = xtx - count·z̄z̄ᵀ with z̄ ≈ 0 cancels nothing.
 */
export interface GramStats {
  readonly nCols: number;
  readonly xtx: Float64Array;
  readonly xty: Float64Array;
  readonly xSum: Float64Array;
  ySum: number;
  yty: number;
  count: number;
}

/**
 * Zeroed statistics for `nCols` features.
 * @example
 * ```ts
 * const s = gramStats(X.nCols);
 * accumulateGram(X, rows, y, means, yMean, s);
 * symmetrizeUpper(s.xtx, X.nCols);
 * ```
 */
export function gramStats(nCols: number): GramStats {
  return {
    nCols, xtx: new Float64Array(nCols * nCols), xty: new Float64Array(nCols),
    xSum: new Float64Array(nCols), ySum: 0, yty: 0, count: 0,
  };
}

/** Rows per block of the Gram accumulation (the scratch buffer holds this many rows). */
export const GRAM_UNROLL = 4;

/**
 * Accumulate {@link GramStats} over the chosen rows. `shift` (length nCols) and `yShift`
 * are subtracted first; `y` may be omitted. `scratch` (length ≥ 4·nCols) avoids an
 * allocation per call when called per block. Runs on the WebAssembly SIMD kernel
 * (gram-blocks.ts, 3-4× faster) wherever Node has it; the JavaScript kernel below is the
 * fallback.
 *
 * The xtx update is register-blocked: four rows (interleaved in `scratch` as
 * z[4j + u]) by three rows of xtx at a time, so each xtx entry is loaded and stored
 * once per four rows and each loaded z value feeds three products. Measured on
 * 200,000 x 64: 1 row at a time ~700 ms, 4 rows ~300 ms, 4 rows x 2 xtx rows ~175 ms;
 * 3 xtx rows: see addFourRowsWeighted.
 * @example
 * ```ts
 * const s = gramStats(d);
 * accumulateGram(X, undefined, y, means, yMean, s);
 * ```
 */
export function accumulateGram(
  X: DenseView, rows: Int32Array | undefined, y: Float64Array | undefined,
  shift: Float64Array | undefined, yShift: number, out: GramStats,
  scratch: Float64Array = new Float64Array(GRAM_UNROLL * X.nCols),
): void {
  const kernel = wasmGramKernel(X.nCols);
  if (kernel !== undefined) {
    accumulateGramBlocked(kernel, X, rows, y, shift, yShift, out);
    return;
  }
  const d = X.nCols;
  const n = rowCount(X, rows);
  const z = scratch;
  let r = X.order === 'C' ? addRowBlocksC(X, rows, y, shift, yShift, out, z) : 0;
  for (; r + GRAM_UNROLL <= n; r += GRAM_UNROLL) {
    for (let u = 0; u < GRAM_UNROLL; u++) {
      const i = rows === undefined ? r + u : rows[r + u]!;
      loadRowMoments(X, i, shift, z, u, GRAM_UNROLL, y === undefined ? 0 : y[i]! - yShift, out);
    }
    addFourRows(z, d, out.xtx);
  }
  for (; r < n; r++) {
    const i = rows === undefined ? r : rows[r]!;
    loadRowMoments(X, i, shift, z, 0, 1, y === undefined ? 0 : y[i]! - yShift, out);
    addOneRow(z, d, out.xtx);
  }
  out.count += n;
}

/**
 * The C-order fast path of {@link accumulateGram} over whole blocks of four rows: loads the
 * four rows straight from `data` (contiguous), updates the O(d) moments in the same loop
 * with the sums kept in locals, then the O(d²) block. Returns the number of rows done.
 * Measured on W1 (500,000 x 64, 2 threads): the row loading went from ~45% of the kernel's
 * time, through the general per-row loader, to ~15%.
 */
function addRowBlocksC(
  X: DenseView, rows: Int32Array | undefined, y: Float64Array | undefined,
  shift: Float64Array | undefined, yShift: number, out: GramStats, z: Float64Array,
): number {
  const d = X.nCols;
  const n = rowCount(X, rows);
  const data = X.data;
  const { xty, xSum, xtx } = out;
  // Sums run in the general loader's order (row by row), so C and F order agree bit for bit.
  let ySum = out.ySum;
  let yty = out.yty;
  let r = 0;
  for (; r + GRAM_UNROLL <= n; r += GRAM_UNROLL) {
    const i0 = rows === undefined ? r : rows[r]!;
    const i1 = rows === undefined ? r + 1 : rows[r + 1]!;
    const i2 = rows === undefined ? r + 2 : rows[r + 2]!;
    const i3 = rows === undefined ? r + 3 : rows[r + 3]!;
    const t0 = y === undefined ? 0 : y[i0]! - yShift;
    const t1 = y === undefined ? 0 : y[i1]! - yShift;
    const t2 = y === undefined ? 0 : y[i2]! - yShift;
    const t3 = y === undefined ? 0 : y[i3]! - yShift;
    const b0 = i0 * d, b1 = i1 * d, b2 = i2 * d, b3 = i3 * d;
    for (let j = 0; j < d; j++) {
      const c = shift === undefined ? 0 : shift[j]!;
      const v0 = data[b0 + j]! - c, v1 = data[b1 + j]! - c, v2 = data[b2 + j]! - c, v3 = data[b3 + j]! - c;
      const p = 4 * j;
      z[p] = v0;
      z[p + 1] = v1;
      z[p + 2] = v2;
      z[p + 3] = v3;
      xSum[j] = xSum[j]! + v0 + v1 + v2 + v3;
      xty[j] = xty[j]! + v0 * t0 + v1 * t1 + v2 * t2 + v3 * t3;
    }
    ySum = ySum + t0 + t1 + t2 + t3;
    yty = yty + t0 * t0 + t1 * t1 + t2 * t2 + t3 * t3;
    addFourRows(z, d, xtx);
  }
  out.ySum = ySum;
  out.yty = yty;
  return r;
}

/**
 * G += ZᵀZ (upper triangle) for four rows interleaved as z[4j + u]: the weighted block
 * kernel with unit weights (z·1 is z exactly, so nothing changes bit for bit).
 */
function addFourRows(z: Float64Array, d: number, G: Float64Array): void {
  addFourRowsWeighted(z, d, 1, 1, 1, 1, G, d, 0, false);
}

/** G += zzᵀ (upper triangle) for one contiguous row z[0..d). */
function addOneRow(z: Float64Array, d: number, G: Float64Array): void {
  for (let j = 0; j < d; j++) {
    const a = z[j]!;
    const gj = j * d;
    for (let k = j; k < d; k++) G[gj + k]! += a * z[k]!;
  }
}

/**
 * Copy the upper triangle of a row-major d×d matrix onto its lower triangle.
 * @example
 * ```ts
 * symmetrizeUpper(stats.xtx, stats.nCols); // after the last accumulateGram call
 * ```
 */
export function symmetrizeUpper(G: Float64Array, d: number): void {
  for (let j = 0; j < d; j++) {
    for (let k = j + 1; k < d; k++) G[k * d + j] = G[j * d + k]!;
  }
}

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

/**
 * log(1 + e^x) without overflow, piecewise as scikit-learn's loss module computes it
 * (so objective values agree with sklearn's to the last bits where it matters).
 * @example
 * ```ts
 * log1pExp(800); // 800, not Infinity
 * ```
 */
export function log1pExp(x: number): number {
  if (x <= -37) return Math.exp(x);
  if (x <= -2) return Math.log1p(Math.exp(x));
  if (x <= 18) return Math.log(1 + Math.exp(x));
  if (x <= 33.3) return x + Math.exp(-x);
  return x;
}

/**
 * The logistic function 1/(1+e^-x), stable for large |x|.
 * @example
 * ```ts
 * sigmoid(0); // 0.5
 * ```
 */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * One fused sweep of binary logistic loss: for each chosen row, z = x·w + b,
 * loss += log(1+e^z) − t·z and grad += (σ(z) − t)·[x, 1]. Returns the summed loss;
 * adds the gradient into `grad` (packed, length nCols+1; the last entry is the
 * intercept's). `target[i]` ∈ {0, 1} is indexed by row id. No penalty is added.
 * @example
 * ```ts
 * grad.fill(0);
 * const loss = logisticLossGrad(X, rows, t, coef, grad);
 * ```
 */
export function logisticLossGrad(
  X: DenseView, rows: Int32Array | undefined, target: Float64Array,
  coef: Float64Array, grad: Float64Array,
): number {
  const d = X.nCols;
  const n = rowCount(X, rows);
  const data = X.data;
  const rowStride = X.order === 'C' ? d : 1;
  const colStride = X.order === 'C' ? 1 : X.nRows;
  const b = coef[d]!;
  let loss = 0;
  let gb = 0;
  for (let r = 0; r < n; r++) {
    const i = rows === undefined ? r : rows[r]!;
    const base = i * rowStride;
    let z = b;
    for (let j = 0; j < d; j++) z += data[base + j * colStride]! * coef[j]!;
    const t = target[i]!;
    loss += log1pExp(z) - t * z;
    const g = sigmoid(z) - t;
    for (let j = 0; j < d; j++) grad[j]! += g * data[base + j * colStride]!;
    gb += g;
  }
  grad[d]! += gb;
  return loss;
}

/**
 * One fused sweep of multinomial (softmax) loss over k classes: for each chosen row,
 * z_c = x·w_c + b_c, loss += logΣe^z − z_label and grad_c += (p_c − [c = label])·[x, 1].
 * Returns the summed loss; adds into `grad` (packed, k·(nCols+1)). `label[i]` is the
 * class index of row id i. `scratch` holds k numbers. No penalty is added.
 * @example
 * ```ts
 * grad.fill(0);
 * const loss = softmaxLossGrad(X, rows, labels, 3, coef, grad, new Float64Array(3));
 * ```
 */
export function softmaxLossGrad(
  X: DenseView, rows: Int32Array | undefined, label: Int32Array, k: number,
  coef: Float64Array, grad: Float64Array, scratch: Float64Array,
): number {
  const d = X.nCols;
  const n = rowCount(X, rows);
  const data = X.data;
  const rowStride = X.order === 'C' ? d : 1;
  const colStride = X.order === 'C' ? 1 : X.nRows;
  const p = scratch;
  let loss = 0;
  for (let r = 0; r < n; r++) {
    const i = rows === undefined ? r : rows[r]!;
    const base = i * rowStride;
    let zMax = -Infinity;
    for (let c = 0; c < k; c++) {
      const off = c * (d + 1);
      let z = coef[off + d]!;
      for (let j = 0; j < d; j++) z += data[base + j * colStride]! * coef[off + j]!;
      p[c] = z;
      if (z > zMax) zMax = z;
    }
    let sum = 0;
    for (let c = 0; c < k; c++) sum += Math.exp(p[c]! - zMax);
    const lse = Math.log(sum) + zMax;
    const y = label[i]!;
    loss += lse - p[y]!;
    for (let c = 0; c < k; c++) {
      const off = c * (d + 1);
      const g = Math.exp(p[c]! - lse) - (c === y ? 1 : 0);
      for (let j = 0; j < d; j++) grad[off + j]! += g * data[base + j * colStride]!;
      grad[off + d]! += g;
    }
  }
  return loss;
}

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
    const at = firstNonFinite(data);
    if (at < 0) return -1;
    return firstNonFiniteRowSlow(X, n);
  }
  const rowStride = X.order === 'C' ? d : 1;
  const colStride = X.order === 'C' ? 1 : X.nRows;
  for (let r = 0; r < n; r++) {
    const base = (rows === undefined ? r : rows[r]!) * rowStride;
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
    if ((y[rows === undefined ? r : rows[r]!]! * 0) !== 0) return r;
  }
  return -1;
}

/** Rows per block of the Newton sweeps (their scratch holds this many rows). */
export const NEWTON_UNROLL = 4;

/**
 * Scratch length the Newton sweeps need for `nCols` features and `k` outputs
 * (1 for binary): four augmented rows [x, 1] plus four rows' margins and probabilities.
 * @example
 * ```ts
 * const scratch = new Float64Array(newtonScratchLength(d, 1));
 * ```
 */
export function newtonScratchLength(nCols: number, k: number): number {
  return NEWTON_UNROLL * (nCols + 1) + 2 * NEWTON_UNROLL * k;
}

/**
 * One fused Newton sweep of binary logistic loss: for each chosen row, z = x·w + b,
 * loss += log(1+e^z) − t·z, grad += (σ−t)·[x, 1] and, when `hess` is given,
 * hess += σ(1−σ)·[x, 1][x, 1]ᵀ (upper triangle of a row-major (d+1)×(d+1) matrix:
 * call {@link symmetrizeUpper} once done). One read of each row serves all three.
 * With a Hessian, the O(d²) part runs on the WebAssembly SIMD kernel where Node has it
 * (gram-blocks.ts); otherwise rows go four at a time, interleaved in `scratch` (length ≥
 * {@link newtonScratchLength}), and the Hessian update is {@link accumulateGram}'s JavaScript
 * block kernel, weighted.
 * Returns the summed loss; accumulates into `grad` and `hess`. No penalty is added.
 * @example
 * ```ts
 * grad.fill(0); hess.fill(0);
 * const loss = logisticNewtonSweep(X, rows, t, coef, grad, hess, scratch);
 * symmetrizeUpper(hess, X.nCols + 1);
 * ```
 */
export function logisticNewtonSweep(
  X: DenseView, rows: Int32Array | undefined, target: Float64Array,
  coef: Float64Array, grad: Float64Array, hess: Float64Array | undefined, scratch: Float64Array,
): number {
  if (hess === undefined && X.order === 'C') return logisticGradRowMajor(X, rows, target, coef, grad);
  const kernel = hess === undefined ? undefined : wasmGramKernel(X.nCols + 1);
  if (kernel !== undefined) return logisticNewtonSweepBlocked(kernel, X, rows, target, coef, grad, hess!);
  const D = X.nCols + 1;
  const n = rowCount(X, rows);
  const z = scratch;
  const m = NEWTON_UNROLL * D;
  const b = coef[D - 1]!;
  let loss = 0;
  for (let r = 0; r < n; r += NEWTON_UNROLL) {
    const valid = Math.min(NEWTON_UNROLL, n - r);
    for (let u = 0; u < NEWTON_UNROLL; u++) {
      if (u >= valid) { clearSlot(z, D, u); z[m + u] = 0; z[m + 4 + u] = 0; continue; }
      const i = rows === undefined ? r + u : rows[r + u]!;
      const s = loadAugmentedRow(X, i, z, u, 4, coef, 0) + b;
      const t = target[i]!;
      const e = Math.exp(-Math.abs(s));
      const g = logisticResidual(s, e, t);
      loss += logisticPointLoss(s, e, t);
      const p = g + t;
      z[m + u] = g;
      z[m + 4 + u] = p * (1 - p);
    }
    addWeightedColumns(z, D, z[m]!, z[m + 1]!, z[m + 2]!, z[m + 3]!, grad, 0);
    if (hess !== undefined) {
      addFourRowsWeighted(z, D, z[m + 4]!, z[m + 5]!, z[m + 6]!, z[m + 7]!, hess, D, 0, false);
    }
  }
  return loss;
}

/**
 * Loss and gradient only, C order: four rows at a time read straight from X (four
 * margins in flight, one grad update per four rows), one exp per row.
 */
function logisticGradRowMajor(
  X: DenseView, rows: Int32Array | undefined, target: Float64Array, coef: Float64Array, grad: Float64Array,
): number {
  const d = X.nCols;
  const n = rowCount(X, rows);
  const data = X.data;
  const b = coef[d]!;
  let loss = 0;
  let gb = 0;
  let r = 0;
  for (; r + 4 <= n; r += 4) {
    const i0 = rows === undefined ? r : rows[r]!, i1 = rows === undefined ? r + 1 : rows[r + 1]!;
    const i2 = rows === undefined ? r + 2 : rows[r + 2]!, i3 = rows === undefined ? r + 3 : rows[r + 3]!;
    const o0 = i0 * d, o1 = i1 * d, o2 = i2 * d, o3 = i3 * d;
    let s0 = b, s1 = b, s2 = b, s3 = b;
    for (let j = 0; j < d; j++) {
      const w = coef[j]!;
      s0 += data[o0 + j]! * w; s1 += data[o1 + j]! * w; s2 += data[o2 + j]! * w; s3 += data[o3 + j]! * w;
    }
    const t0 = target[i0]!, t1 = target[i1]!, t2 = target[i2]!, t3 = target[i3]!;
    const e0 = Math.exp(-Math.abs(s0)), e1 = Math.exp(-Math.abs(s1));
    const e2 = Math.exp(-Math.abs(s2)), e3 = Math.exp(-Math.abs(s3));
    const g0 = logisticResidual(s0, e0, t0), g1 = logisticResidual(s1, e1, t1);
    const g2 = logisticResidual(s2, e2, t2), g3 = logisticResidual(s3, e3, t3);
    loss += logisticPointLoss(s0, e0, t0) + logisticPointLoss(s1, e1, t1)
      + logisticPointLoss(s2, e2, t2) + logisticPointLoss(s3, e3, t3);
    for (let j = 0; j < d; j++) {
      grad[j]! += g0 * data[o0 + j]! + g1 * data[o1 + j]! + g2 * data[o2 + j]! + g3 * data[o3 + j]!;
    }
    gb += g0 + g1 + g2 + g3;
  }
  for (; r < n; r++) {
    const i = rows === undefined ? r : rows[r]!;
    const o = i * d;
    let s = b;
    for (let j = 0; j < d; j++) s += data[o + j]! * coef[j]!;
    const t = target[i]!;
    const e = Math.exp(-Math.abs(s));
    const g = logisticResidual(s, e, t);
    loss += logisticPointLoss(s, e, t);
    for (let j = 0; j < d; j++) grad[j]! += g * data[o + j]!;
    gb += g;
  }
  grad[d]! += gb;
  return loss;
}

/**
 * One fused Newton sweep of multinomial (softmax) loss over k classes: loss and
 * gradient as {@link softmaxLossGrad}, and, when `hess` is given, the Hessian
 * Σ [x,1][x,1]ᵀ ⊗ (diag(p) − ppᵀ) as the upper triangle of a row-major K×K matrix,
 * K = k·(d+1), in packed order (block (c, c') holds classes c and c'). With a Hessian the
 * O(d²) part runs on the WebAssembly SIMD kernel where Node has it (gram-blocks.ts).
 * `scratch` length ≥ {@link newtonScratchLength}(d, k). Accumulates; no penalty added.
 * @example
 * ```ts
 * const loss = softmaxNewtonSweep(X, rows, labels, 3, coef, grad, hess, scratch);
 * symmetrizeUpper(hess, 3 * (X.nCols + 1));
 * ```
 */
export function softmaxNewtonSweep(
  X: DenseView, rows: Int32Array | undefined, label: Int32Array, k: number,
  coef: Float64Array, grad: Float64Array, hess: Float64Array | undefined, scratch: Float64Array,
): number {
  const kernel = hess === undefined ? undefined : wasmGramKernel(X.nCols + 1);
  if (kernel !== undefined) return softmaxNewtonSweepBlocked(kernel, X, rows, label, k, coef, grad, hess!);
  const D = X.nCols + 1;
  const K = k * D;
  const n = rowCount(X, rows);
  const z = scratch;
  const pOff = NEWTON_UNROLL * D; // p[c*4 + u]
  const gOff = pOff + NEWTON_UNROLL * k; // residual p − onehot, [c*4 + u]
  let loss = 0;
  for (let r = 0; r < n; r += NEWTON_UNROLL) {
    const valid = Math.min(NEWTON_UNROLL, n - r);
    for (let u = 0; u < NEWTON_UNROLL; u++) {
      if (u >= valid) {
        clearSlot(z, D, u);
        for (let c = 0; c < k; c++) { z[pOff + 4 * c + u] = 0; z[gOff + 4 * c + u] = 0; }
        continue;
      }
      const i = rows === undefined ? r + u : rows[r + u]!;
      let zMax = -Infinity;
      for (let c = 0; c < k; c++) {
        const s = c === 0 ? loadAugmentedRow(X, i, z, u, 4, coef, 0) + coef[D - 1]! : augmentedDot(z, D, u, 4, coef, c * D);
        z[pOff + 4 * c + u] = s;
        if (s > zMax) zMax = s;
      }
      let sum = 0;
      for (let c = 0; c < k; c++) sum += Math.exp(z[pOff + 4 * c + u]! - zMax);
      const lse = Math.log(sum) + zMax;
      const y = label[i]!;
      loss += lse - z[pOff + 4 * y + u]!;
      for (let c = 0; c < k; c++) {
        const p = Math.exp(z[pOff + 4 * c + u]! - lse);
        z[pOff + 4 * c + u] = p;
        z[gOff + 4 * c + u] = p - (c === y ? 1 : 0);
      }
    }
    for (let c = 0; c < k; c++) {
      const g = gOff + 4 * c;
      addWeightedColumns(z, D, z[g]!, z[g + 1]!, z[g + 2]!, z[g + 3]!, grad, c * D);
    }
    if (hess === undefined) continue;
    for (let c = 0; c < k; c++) {
      const pc = pOff + 4 * c;
      for (let c2 = c; c2 < k; c2++) {
        const pc2 = pOff + 4 * c2;
        const same = c === c2 ? 1 : 0;
        addFourRowsWeighted(z, D,
          z[pc]! * (same - z[pc2]!), z[pc + 1]! * (same - z[pc2 + 1]!),
          z[pc + 2]! * (same - z[pc2 + 2]!), z[pc + 3]! * (same - z[pc2 + 3]!),
          hess, K, c * D * K + c2 * D, c !== c2);
      }
    }
  }
  return loss;
}

/** Zero slot u (a padding row past the end contributes nothing). */
function clearSlot(z: Float64Array, D: number, u: number): void {
  for (let j = 0; j < D; j++) z[4 * j + u] = 0;
}

/** out[off + j] += Σ_u g_u z[4j + u] for j < D. */
function addWeightedColumns(
  z: Float64Array, D: number, g0: number, g1: number, g2: number, g3: number, out: Float64Array, off: number,
): void {
  for (let j = 0; j < D; j++) {
    const p = 4 * j;
    out[off + j]! += g0 * z[p]! + g1 * z[p + 1]! + g2 * z[p + 2]! + g3 * z[p + 3]!;
  }
}

/**
 * G[base + j·ld + k] += Σ_u w_u z_ju z_ku over four interleaved rows: the whole D×D
 * block when `full`, else its upper triangle. Three G rows per pass: each z_k loaded feeds
 * twelve products, and the twelve weighted z_j stay in registers (x64 has sixteen).
 * Measured in isolation (4 rows × D = 64, in cache): two G rows per pass 5.1 GFLOP/s, three
 * 6.0-6.7. Every entry is still the same expression, (a0·c0 + a1·c1) + a2·c2 + a3·c3 with
 * a_u = z_ju·w_u, so the results are bit for bit those of the two-row kernel.
 */
function addFourRowsWeighted(
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
