/**
 * The Gram pass and the logistic and softmax Newton sweeps with their O(d²) half on the
 * WebAssembly SIMD kernel (wasm/kernel.ts). Rows are copied into the kernel's block buffer 64
 * at a time while the O(d) work (moments, margins, gradient) is done in JavaScript on the way,
 * with the same row loaders (rows.ts) and per-row formulas (logistic-math.ts) as the JavaScript
 * kernels. C and F order fill the buffer with the same values in the same order, so they agree
 * bit for bit.
 */
import { logisticPointLoss, logisticResidual, softmaxRow } from '../logistic-math.js';
import { augmentedDot, loadAugmentedRow, loadRowMoments } from '../rows.js';
import { rowId, type DenseView, type GramStats, type SweepRows } from '../types.js';
import type { GramKernel } from './kernel.js';

/**
 * Adds the statistics of the chosen rows (minus `shift`, targets minus `yShift`) into `out`,
 * `out.xtx`'s upper triangle only, as accumulateGram does. The moments are summed row by
 * row in the JavaScript kernel's order, so xSum, xty, ySum and yty equal its bit for bit.
 */
export function accumulateGramWasm(
  kernel: GramKernel, X: DenseView, rows: Int32Array | undefined, y: Float64Array | undefined,
  shift: Float64Array | undefined, yShift: number, out: GramStats,
): void {
  const n = rows === undefined ? X.nRows : rows.length;
  const { rows: block, stride, capacity } = kernel;
  kernel.reset();
  let u = 0;
  for (let r = 0; r < n; r++) {
    const i = rowId(rows, r);
    loadRowMoments(X, i, shift, block, u * stride, 1, y === undefined ? 0 : y[i]! - yShift, out);
    if (++u === capacity) {
      kernel.add(u);
      u = 0;
    }
  }
  if (u > 0) kernel.add(u);
  kernel.readInto(out.xtx);
  out.count += n;
}

/**
 * logisticNewtonSweep with a Hessian, on `kernel` (built for d + 1 columns): loads each row
 * as [x, 1], computes its margin, loss, σ − t and weight σ(1 − σ) in JavaScript, adds the
 * block's gradient, and leaves Σ σ(1 − σ)·[x, 1][x, 1]ᵀ to wasm. Adds the upper triangle
 * into `hess` (row-major (d+1)×(d+1)) and the gradient into `grad`; returns the loss.
 */
export function logisticNewtonSweepWasm(
  kernel: GramKernel, { X, rows, shift, weight }: SweepRows, target: Float64Array,
  coef: Float64Array, grad: Float64Array, hess: Float64Array,
): number {
  const d = X.nCols;
  const D = d + 1;
  const n = rows === undefined ? X.nRows : rows.length;
  const { rows: block, weights, perRow: residuals, stride, capacity } = kernel;
  const b = coef[d]!;
  let loss = 0;
  let u = 0;
  kernel.reset();
  for (let r = 0; r < n; r++) {
    const i = rowId(rows, r);
    const s = loadAugmentedRow(X, i, shift, block, u * stride, 1, coef, 0) + b;
    const t = target[i]!;
    const w = weight === undefined ? 1 : weight[i]!;
    const e = Math.exp(-Math.abs(s));
    const g = logisticResidual(s, e, t);
    loss += w * logisticPointLoss(s, e, t);
    const p = g + t;
    residuals[u] = w * g;
    weights[u] = w * p * (1 - p);
    if (++u === capacity) {
      flushBlock(kernel, u, D, grad);
      u = 0;
    }
  }
  if (u > 0) flushBlock(kernel, u, D, grad);
  kernel.readInto(hess, D, 0, false);
  return loss;
}

/** grad += Σ_u g_u [x_u, 1] over the block's first m rows, then the weighted Gram in wasm. */
function flushBlock(kernel: GramKernel, m: number, D: number, grad: Float64Array): void {
  addBlockGradient(kernel, m, D, kernel.perRow, 0, grad, 0);
  kernel.addWeighted(m);
}

/** grad[gradAt + j] += Σ_{u<m} residual[residualAt + u] · block[u][j] for j < D: one output's share of a block. */
function addBlockGradient(
  kernel: GramKernel, m: number, D: number, residual: Float64Array, residualAt: number, grad: Float64Array, gradAt: number,
): void {
  const { rows: block, stride } = kernel;
  for (let j = 0; j < D; j++) {
    let acc = 0;
    for (let u = 0; u < m; u++) acc += residual[residualAt + u]! * block[u * stride + j]!;
    grad[gradAt + j]! += acc;
  }
}

/**
 * softmaxNewtonSweep with a Hessian, on `kernel` (built for d + 1 columns and one G per class
 * pair of the Hessian: k(k+1)/2, or k when `diagonal`): per row the k margins, log-sum-exp,
 * loss, probabilities and residuals in JavaScript; per 64-row block the gradient, then each
 * pair's Σ ω·p_c(δ_cc' − p_c')·[x̃, 1][x̃, 1]ᵀ into its own G in wasm; the G matrices are read out
 * once, at the end. `hess` is the full K×K matrix (K = k(d+1), upper triangle of diagonal
 * blocks, whole blocks above), or with `diagonal` the k diagonal blocks D×D one after another
 * (upper triangles).
 */
export function softmaxNewtonSweepWasm(
  kernel: GramKernel, { X, rows, shift, weight }: SweepRows, label: Int32Array, k: number,
  coef: Float64Array, grad: Float64Array, hess: Float64Array, diagonal: boolean,
): number {
  const D = X.nCols + 1;
  const n = rows === undefined ? X.nRows : rows.length;
  const { rows: block, stride, capacity } = kernel;
  // p[c·capacity + u] and ω·residual[c·capacity + u] of the block's rows, and ω[u] at the end
  // of p: one allocation per sweep.
  const p = new Float64Array((k + 1) * capacity);
  const residual = new Float64Array(k * capacity);
  let loss = 0;
  let u = 0;
  kernel.reset();
  for (let r = 0; r < n; r++) {
    const i = rowId(rows, r);
    const at = u * stride;
    // Class 0's margin while loading the row, the others from the loaded block row.
    p[u] = loadAugmentedRow(X, i, shift, block, at, 1, coef, 0) + coef[D - 1]!;
    for (let c = 1; c < k; c++) p[c * capacity + u] = augmentedDot(block, D, at, 1, coef, c * D);
    const y = label[i]!;
    const w = weight === undefined ? 1 : weight[i]!;
    loss += w * softmaxRow(p, u, capacity, k, y);
    for (let c = 0; c < k; c++) residual[c * capacity + u] = w * (p[c * capacity + u]! - (c === y ? 1 : 0));
    p[k * capacity + u] = w;
    if (++u === capacity) {
      flushSoftmaxBlock(kernel, u, k, D, p, residual, grad, diagonal);
      u = 0;
    }
  }
  if (u > 0) flushSoftmaxBlock(kernel, u, k, D, p, residual, grad, diagonal);
  readSoftmaxHessian(kernel, k, D, hess, diagonal);
  return loss;
}

/** Class pairs (c, c') of the Hessian a sweep accumulates, in G order: c ≤ c', or c = c' only. */
function* classPairs(k: number, diagonal: boolean): Generator<[number, number]> {
  for (let c = 0; c < k; c++) for (let c2 = c; c2 < (diagonal ? c + 1 : k); c2++) yield [c, c2];
}

function flushSoftmaxBlock(
  kernel: GramKernel, m: number, k: number, D: number, p: Float64Array, residual: Float64Array,
  grad: Float64Array, diagonal: boolean,
): void {
  const { weights, capacity } = kernel;
  for (let c = 0; c < k; c++) addBlockGradient(kernel, m, D, residual, c * capacity, grad, c * D);
  let output = 0;
  for (const [c, c2] of classPairs(k, diagonal)) {
    const same = c === c2 ? 1 : 0;
    for (let u = 0; u < m; u++) weights[u] = p[k * capacity + u]! * p[c * capacity + u]! * (same - p[c2 * capacity + u]!);
    kernel.addWeighted(m, c !== c2, output++);
  }
}

function readSoftmaxHessian(kernel: GramKernel, k: number, D: number, hess: Float64Array, diagonal: boolean): void {
  const K = k * D;
  let output = 0;
  for (const [c, c2] of classPairs(k, diagonal)) {
    if (diagonal) kernel.readInto(hess, D, c * D * D, false, output++);
    else kernel.readInto(hess, K, c * D * K + c2 * D, c !== c2, output++);
  }
}
