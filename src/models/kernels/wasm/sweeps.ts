/**
 * The Gram pass and the logistic and softmax sweeps on the WebAssembly SIMD kernel
 * (wasm/kernel.ts). Rows are copied into the kernel's block buffer 64 at a time (C order by
 * memcpy of runs of rows, or for the logistic sweeps by the addon's row load, native-rows.ts;
 * F order by the JavaScript kernels' row loaders, rows.ts), or, for the logistic sweeps over
 * rows the caller keeps, into the kernel's kept rows on the first pass (all of them in one call
 * of the addon where it can) and read from there after (kept-rows.ts); the per-row formulas (logistic-math.ts) are repeated
 * operation for operation in wasm (softmax-module.ts, logit-module.ts). Every route leaves the
 * same values in the same order, so they agree bit for bit.
 */
import { loadRowMoments, loadShiftedRow } from '../rows.js';
import { rowId, weightSum, type DenseView, type GramStats, type SweepRows } from '../types.js';
import type { GramKernel } from './kernel.js';
import { keptSlot, type KeptSlot } from './kept-rows.js';
import { nativeRows } from '../native-rows.js';
import { curvatureWeight } from '../logistic-math.js';
import { SINGLE_GRAM_ERROR } from './single-gram-module.js';

/**
 * Adds the statistics of the chosen rows (minus `shift`, targets minus `yShift`, each row's
 * terms times `weight[i]` when given) into `out`, `out.xtx`'s upper triangle only, as
 * accumulateGram does. The moments are summed row by row in the JavaScript kernel's order, so
 * xSum, xty, ySum and yty equal its bit for bit: from a C-order X the rows are copied in by
 * memcpy and wasm subtracts the shift and adds xSum and xty (expandMoments), F order loads row
 * by row in JavaScript.
 */
export function accumulateGramWasm(
  kernel: GramKernel, X: DenseView, rows: Int32Array | undefined, y: Float64Array | undefined,
  shift: Float64Array | undefined, yShift: number, out: GramStats, weight?: Float64Array,
): void {
  const n = rows === undefined ? X.nRows : rows.length;
  kernel.reset();
  if (X.order === 'C') accumulateRowsC(kernel, X, rows, n, y, shift, yShift, out, weight);
  else accumulateRowsF(kernel, X, rows, n, y, shift, yShift, out, weight);
  kernel.readInto(out.xtx);
  out.count += weight === undefined ? n : weightSum(weight, rows, n);
}

/** The Gram pass over a C-order X: blocks copied in by runs, shifted and summed in wasm. */
function accumulateRowsC(
  kernel: GramKernel, X: DenseView, rows: Int32Array | undefined, n: number, y: Float64Array | undefined,
  shift: Float64Array | undefined, yShift: number, out: GramStats, weight: Float64Array | undefined,
): void {
  const { capacity, weights, perRow, moments, stride } = kernel;
  const d = X.nCols;
  setShift(kernel, shift);
  // The wasm sums continue from out's values, so each sum runs in the JavaScript kernel's order.
  for (let j = 0; j < d; j++) {
    moments[j] = out.xSum[j]!;
    moments[stride + j] = out.xty[j]!;
  }
  for (let first = 0; first < n; first += capacity) {
    const m = Math.min(capacity, n - first);
    for (let u = 0; u < m; u++) {
      const i = rowId(rows, first + u);
      const w = weight === undefined ? 1 : weight[i]!;
      const t = y === undefined ? 0 : y[i]! - yShift;
      const wt = w * t;
      weights[u] = w;
      perRow[u] = wt;
      out.ySum += wt;
      out.yty += wt * t;
    }
    stageRuns(kernel.stage, X, rows, first, m);
    kernel.expandMoments(m);
    addGramBlock(kernel, m, weight !== undefined);
  }
  for (let j = 0; j < d; j++) {
    out.xSum[j] = moments[j]!;
    out.xty[j] = moments[stride + j]!;
  }
}

/** The Gram pass over an F-order X: rows loaded one by one with their moments (rows.ts). */
function accumulateRowsF(
  kernel: GramKernel, X: DenseView, rows: Int32Array | undefined, n: number, y: Float64Array | undefined,
  shift: Float64Array | undefined, yShift: number, out: GramStats, weight: Float64Array | undefined,
): void {
  const { rows: block, stride, capacity, weights } = kernel;
  let u = 0;
  for (let r = 0; r < n; r++) {
    const i = rowId(rows, r);
    const w = weight === undefined ? 1 : weight[i]!;
    loadRowMoments(X, i, shift, block, u * stride, 1, y === undefined ? 0 : y[i]! - yShift, out, w);
    weights[u] = w;
    if (++u === capacity) {
      addGramBlock(kernel, u, weight !== undefined);
      u = 0;
    }
  }
  if (u > 0) addGramBlock(kernel, u, weight !== undefined);
}

/** G += the block's m rows, each times its weight when `weighted` (the unweighted product skips the scaling pass). */
function addGramBlock(kernel: GramKernel, m: number, weighted: boolean): void {
  if (weighted) kernel.addWeighted(m);
  else kernel.add(m);
}

/**
 * The logistic sweeps on `kernel` (built for D = d + 1 columns): per block of `kernel.capacity`
 * rows (blockRowsFor) the rows are loaded as [x − shift, 1] (loadBlock), then the margins (rows · coefᵀ), each row's loss,
 * residual and curvature weight (fast-math.ts's exp and log1p in wasm) and the gradient
 * (residualsᵀ · rows) run in wasm; JavaScript only hands over labels and weights.
 */
function copyCoef(kernel: GramKernel, coef: Float64Array, k: number, D: number): void {
  const { coef: w, stride } = kernel;
  for (let c = 0; c < k; c++) for (let j = 0; j < D; j++) w[c * stride + j] = coef[c * D + j]!;
}

/**
 * Binary log-loss, gradient and (when `hess` is given) Hessian on the wasm kernel: as
 * logisticNewtonSweepJs, the Hessian's upper triangle added into `hess` ((d+1)×(d+1)). Rows the
 * caller marked `keep` are read from the kernel's kept rows once loaded there (kept-rows.ts).
 * `roundingPerRow` > 0 lets a block of m rows sum its Hessian in single precision where its
 * rounding bound stays under m times it (GramKernel.addWeightedSingle), so that the Hessian's
 * rounding stays under roundingPerRow times the rows swept, in spectral norm.
 */
export function logisticSweepWasm(
  kernel: GramKernel, data: SweepRows, target: Float64Array,
  coef: Float64Array, grad: Float64Array, hess: Float64Array | undefined, roundingPerRow = 0,
): number {
  const { X, rows, shift, weight } = data;
  const D = X.nCols + 1;
  const n = rows === undefined ? X.nRows : rows.length;
  copyCoef(kernel, coef, 1, D);
  resetFor(kernel, hess !== undefined);
  setShift(kernel, shift);
  const slot = sweepSlot(kernel, data, n);
  const load = (slot === undefined || slot.loadedWith !== target) && !loadKeptNatively(kernel, data, target, slot);
  let loss = 0;
  for (let first = 0; first < n; first += kernel.capacity) {
    const m = Math.min(kernel.capacity, n - first);
    const at = keptAt(slot, first);
    if (load || at === undefined) loadBlock(kernel, X, rows, first, m, shift, target, weight, at);
    loss += logisticBlock(kernel, m, hess !== undefined, at, roundingPerRow * m);
  }
  if (slot !== undefined) slot.loadedWith = target;
  kernel.readGradient(grad);
  if (hess !== undefined) kernel.readInto(hess, D, 0, false);
  return loss;
}

/**
 * One block of the binary sweep, all in wasm: margins, per-row loss, residual and curvature
 * weight (logit-module.ts), gradient and Hessian, its products in single precision where the
 * block's rounding bound is at most `rounding`.
 */
function logisticBlock(kernel: GramKernel, m: number, withHess: boolean, at: number | undefined, rounding: number): number {
  kernel.affine(m, at);
  const loss = kernel.logit(m, withHess, at);
  kernel.addGradient(m, at);
  if (withHess && rounding > 0) kernel.addWeightedSingle(m, rounding, at);
  else if (withHess) kernel.addWeighted(m, false, 0, at);
  return loss;
}

/**
 * Multinomial log-loss, gradient and (when `hess` is given) Hessian on `kernel` (built for
 * D = d + 1 columns, k classes and one G per class pair, k(k+1)/2): per block the k margins of
 * every row, then per row the log-sum-exp, loss, probabilities and residuals in wasm; per block
 * the gradient and each pair's Σ ω·p_c(δ_cc' − p_c')·[x̃, 1][x̃, 1]ᵀ into its own G in wasm; the G
 * matrices are read out once, at the end, into `hess` (K×K, K = kD: upper triangle of diagonal
 * blocks, whole blocks above). Kept rows as in {@link logisticSweepWasm}. `roundingPerRow` > 0
 * lets a block's class-pair Grams round in single precision, all or none of them, where their
 * rounding bound together stays under roundingPerRow·m (see {@link pairRoundingBound}).
 */
export function softmaxSweepWasm(
  kernel: GramKernel, data: SweepRows, label: Int32Array, k: number,
  coef: Float64Array, grad: Float64Array, hess: Float64Array | undefined, negligible = 0, roundingPerRow = 0,
): number {
  const { X, rows, shift, weight } = data;
  const D = X.nCols + 1;
  const n = rows === undefined ? X.nRows : rows.length;
  copyCoef(kernel, coef, k, D);
  resetFor(kernel, hess !== undefined);
  setShift(kernel, shift);
  const slot = sweepSlot(kernel, data, n);
  const load = (slot === undefined || slot.loadedWith !== label) && !loadKeptNatively(kernel, data, label, slot);
  let loss = 0;
  for (let first = 0; first < n; first += kernel.capacity) {
    const m = Math.min(kernel.capacity, n - first);
    const at = keptAt(slot, first);
    if (load || at === undefined) loadBlock(kernel, X, rows, first, m, shift, label, weight, at);
    loss += softmaxBlock(kernel, m, k, hess !== undefined, at, negligible, roundingPerRow * m);
  }
  if (slot !== undefined) slot.loadedWith = label;
  kernel.readGradient(grad);
  if (hess !== undefined) readSoftmaxHessian(kernel, k, D, hess);
  return loss;
}

/** The kept slot a sweep over `data`'s n rows reads and fills, if its rows are kept (SweepRows.keep). */
function sweepSlot(kernel: GramKernel, data: SweepRows, n: number): KeptSlot | undefined {
  return data.keep === true || data.keep === 'existing' ? keptSlot(kernel, data, n, data.keep === 'existing') : undefined;
}

/** Where the block from row `first` sits among the kept rows, or undefined when it streams through the block buffer. */
function keptAt(slot: KeptSlot | undefined, first: number): number | undefined {
  return slot !== undefined && first < slot.count ? slot.first + first : undefined;
}

/** Zeroes what a sweep sums into: the gradient, and the G matrices only when it sums a Hessian. */
function resetFor(kernel: GramKernel, withHessian: boolean): void {
  if (withHessian) kernel.reset();
  else kernel.resetGradient();
}

/** Runs of fewer consecutive rows than this are copied value by value rather than by one memcpy. */
const SHORT_RUN = 8;

function setShift(kernel: GramKernel, shift: Float64Array | undefined): void {
  if (shift === undefined) kernel.shift.fill(0);
  else kernel.shift.set(shift);
}

/**
 * Loads all of `slot`'s rows into the kernel's kept rows in one call of the addon (native-rows.ts)
 * when it can: a C-order float64 X, a slot whose rows are not loaded yet. The same values, labels
 * and weights as {@link loadBlock} writes block by block, so the sweep that follows reads every
 * kept block as loaded. False: the sweep loads block by block (kept rows too) as before.
 */
function loadKeptNatively(kernel: GramKernel, data: SweepRows, label: Float64Array | Int32Array, slot: KeptSlot | undefined): boolean {
  return slot !== undefined && loadNatively(kernel, data.X, data.rows, 0, slot.count, label, data.weight, slot.first);
}

/**
 * Rows first .. first + m − 1 as {@link loadBlock} loads them (the kept rows from kept row `at`
 * on, else the block buffer), in one call of the addon; false where X is not C-order float64 or
 * the addon lacks the loop.
 */
function loadNatively(
  kernel: GramKernel, X: DenseView, rows: Int32Array | undefined, first: number, m: number,
  label: Float64Array | Int32Array, weight: Float64Array | undefined, at: number | undefined,
): boolean {
  const native = X.order === 'C' && X.data instanceof Float64Array ? nativeRows() : null;
  if (native === null) return false;
  const kept = at !== undefined;
  native.loadRows(
    kept ? kernel.keptRows : kernel.rows, at ?? 0, kernel.stride, X.data as Float64Array, X.nCols, rows ?? null, first, m,
    kernel.shift, kept ? kernel.keptLabels : kernel.labels, label, kept ? kernel.keptWeights : kernel.perRow, weight ?? null,
  );
  return true;
}

/**
 * Rows first .. first + m − 1 as [x − shift, 1], with their labels and weights, into the
 * kernel's block buffer, or into its kept rows from kept row `at` on: by the addon where it
 * can ({@link loadNatively}), else here. From a C-order X each run of consecutive rows (folds'
 * training rows mostly are: hundreds long) goes to the stage in one memcpy and the kernel
 * subtracts the shift (x − 0 = x bit for bit without one); F order loads row by row. All three
 * leave the same values.
 */
function loadBlock(
  kernel: GramKernel, X: DenseView, rows: Int32Array | undefined, first: number, m: number, shift: Float64Array | undefined,
  label: Float64Array | Int32Array, weight: Float64Array | undefined, at: number | undefined,
): void {
  if (loadNatively(kernel, X, rows, first, m, label, weight, at)) return;
  const labels = at === undefined ? kernel.labels : kernel.keptLabels;
  const weights = at === undefined ? kernel.perRow : kernel.keptWeights;
  const base = at ?? 0;
  for (let u = 0; u < m; u++) {
    const i = rowId(rows, first + u);
    labels[base + u] = label[i]!;
    weights[base + u] = weight === undefined ? 1 : weight[i]!;
  }
  if (X.order !== 'C') {
    const out = at === undefined ? kernel.rows : kernel.keptRows;
    for (let u = 0; u < m; u++) loadShiftedRow(X, rowId(rows, first + u), shift, out, (base + u) * kernel.stride);
    return;
  }
  stageRuns(kernel.stage, X, rows, first, m);
  kernel.expandRows(m, at);
}

/**
 * Raw rows first .. first + m − 1 of a C-order X into `stage`, back to back: one memcpy per
 * run of consecutive rows (folds' rows mostly come in runs of hundreds).
 */
export function stageRuns(stage: Float64Array, X: DenseView, rows: Int32Array | undefined, first: number, m: number): void {
  const d = X.nCols;
  const data = X.data;
  for (let u = 0; u < m;) {
    const start = rowId(rows, first + u);
    let run = 1;
    while (u + run < m && rowId(rows, first + u + run) === start + run) run++;
    const from = start * d, to = u * d, len = run * d;
    // A short run is copied by hand: a subarray view per run would allocate in the loop.
    if (run < SHORT_RUN) for (let j = 0; j < len; j++) stage[to + j] = data[from + j]!;
    else stage.set(data.subarray(from, from + len), to);
    u += run;
  }
}

/**
 * Class pairs (c, c') of the Hessian a sweep accumulates, in G order: c < c'. The diagonal
 * blocks are not accumulated: each block row of the multinomial Hessian sums to zero
 * (Σ_c' p_c(δ_cc' − p_c') = 0), so block (c, c) is minus the sum of the others in its row. That
 * saves k of the k(k+1)/2 products, and Σ_{c'≠c} p_c·p_c' keeps the digits that p_c(1 − p_c)
 * loses when p_c is near 1.
 */
function* classPairs(k: number): Generator<[number, number]> {
  for (let c = 0; c < k; c++) for (let c2 = c + 1; c2 < k; c2++) yield [c, c2];
}

/** How many G matrices a softmax sweep over k classes needs: one per pair c < c'. */
export function softmaxHessianOutputs(k: number): number {
  return Math.max(1, (k * (k - 1)) / 2);
}

/**
 * One block of the softmax sweep. The probabilities stay in `margins` (the kernel's softmax turns
 * each row's margins into them in place) for the Hessian's pair weights; the row weights ω sit
 * in `perRow`, or among the kept weights for a kept block. A pair's term for row u is left out
 * when |w_u|·‖x̃_u‖² < `negligible`; where that leaves out a quarter of the block or more, the
 * pair's Gram runs over the rows left, gathered (classes almost separated: most rows' pair
 * weights are ~0 and the Hessian is their sum). Every pair's Gram rounds in single precision
 * where their bound together is at most `rounding` (see {@link pairRoundingBound}).
 */
function softmaxBlock(
  kernel: GramKernel, m: number, k: number, withHess: boolean, at: number | undefined, negligible: number, rounding: number,
): number {
  const { margins: p, weights } = kernel;
  const omega = at === undefined ? kernel.perRow : kernel.keptWeights;
  const base = at ?? 0;
  kernel.affine(m, at);
  const loss = kernel.softmax(m, at);
  kernel.addGradient(m, at);
  if (!withHess) return loss;
  const { limit, index, norm } = pairScratch(kernel.capacity);
  if (negligible > 0 || rounding > 0) rowNorms(kernel, m, at, norm);
  // |w_u|·‖x̃_u‖² < negligible leaves a term out (the constant column keeps ‖x̃_u‖ ≥ 1).
  if (negligible > 0) for (let u = 0; u < m; u++) limit[u] = negligible / norm[u]!;
  // Decided once for the block: the pairs' own bounds (addWeightedSingle) would each need a share.
  const single = rounding > 0 && pairRoundingBound(kernel, m, k, at, norm) <= rounding;
  let output = 0;
  for (const [c, c2] of classPairs(k)) {
    let kept = 0;
    for (let u = 0; u < m; u++) {
      const w = curvatureWeight(-omega[base + u]! * p[u * k + c]! * p[u * k + c2]!);
      const counts = negligible === 0 || Math.abs(w) >= limit[u]!;
      weights[u] = counts ? w : 0;
      if (counts) index[kept++] = u;
    }
    if (kept > GATHER_BELOW * m) {
      // X̃ᵀ diag(w) X̃ is symmetric: its upper tiles suffice
      if (single) kernel.addWeightedSingle(m, Number.POSITIVE_INFINITY, at, output++);
      else kernel.addWeighted(m, false, output++, at);
      continue;
    }
    for (let j = 0; j < kept; j++) weights[j] = weights[index[j]!]!;
    if (kept > 0) kernel.addWeightedGathered(index, kept, m, output, at, single ? Number.POSITIVE_INFINITY : 0);
    output++;
  }
  return loss;
}

/**
 * The spectral-norm bound on what summing every class pair's Gram of the block in single
 * precision may change in the K×K Hessian: a pair's error E enters it four times (its two
 * blocks, and subtracted from two diagonal ones), 2·‖E‖_F, and ‖E‖_F ≤ γ_67·Σ_u |ω_u·p_c·p_c'|·‖z_u‖²
 * (single-gram-module.ts); over the pairs Σ_{c<c'} p_c·p_c' = (1 − Σ_c p_c²)/2, so the whole is
 * at most γ_67·Σ_u |ω_u|·(1 − Σ_c p_uc²)·‖z_u‖², however many classes (terms left out only lower it).
 */
function pairRoundingBound(kernel: GramKernel, m: number, k: number, at: number | undefined, norm: Float64Array): number {
  const p = kernel.margins;
  const omega = at === undefined ? kernel.perRow : kernel.keptWeights;
  const base = at ?? 0;
  let sum = 0;
  for (let u = 0; u < m; u++) {
    let squares = 0;
    for (let c = 0; c < k; c++) squares += p[u * k + c]! * p[u * k + c]!;
    sum += Math.abs(omega[base + u]!) * Math.max(0, 1 - squares) * norm[u]!;
  }
  return SINGLE_GRAM_ERROR * sum;
}

/**
 * A pair's Gram runs over only the rows that count when they are at most this share of the
 * block: gathering copies each row (D values), which the Gram (D²/2 multiply-adds a row) repays
 * many times over, but not when only a few rows drop out.
 */
const GATHER_BELOW = 0.75;

/** norm[u] = ‖x̃_u‖² for the block's m rows (read by the negligible-term limits and the rounding bound alike). */
function rowNorms(kernel: GramKernel, m: number, at: number | undefined, norm: Float64Array): void {
  const { stride } = kernel;
  const rows = at === undefined ? kernel.rows : kernel.keptRows;
  const first = (at ?? 0) * stride;
  for (let u = 0; u < m; u++) {
    let norm2 = 0;
    for (let j = u * stride; j < (u + 1) * stride; j++) norm2 += rows[first + j]! * rows[first + j]!;
    norm[u] = norm2;
  }
}

/** The block's per-row limits, squared norms and gathered row indices, kept between sweeps (no allocation per block). */
let scratch = { limit: new Float64Array(0), norm: new Float64Array(0), index: new Int32Array(0) };
function pairScratch(capacity: number): { limit: Float64Array; norm: Float64Array; index: Int32Array } {
  if (scratch.limit.length < capacity) {
    scratch = { limit: new Float64Array(capacity), norm: new Float64Array(capacity), index: new Int32Array(capacity) };
  }
  return scratch;
}

function readSoftmaxHessian(kernel: GramKernel, k: number, D: number, hess: Float64Array): void {
  const K = k * D;
  let output = 0;
  for (const [c, c2] of classPairs(k)) {
    kernel.readSymmetricInto(hess, K, c * D * K + c2 * D, output);
    kernel.readInto(hess, K, c * D * K + c * D, false, output, -1);
    kernel.readInto(hess, K, c2 * D * K + c2 * D, false, output++, -1);
  }
}
