/**
 * JavaScript Newton sweeps: loss, gradient and Hessian of binary and multinomial log-loss in
 * one read of each row, rows four at a time interleaved in a scratch block, the Hessian through
 * the Gram kernel's weighted block update (js/gram.ts): one block kernel for every O(d²)
 * operation. The fallback of wasm/sweeps.ts. The per-row formulas are logistic-math.ts's.
 */
import { addFourRowsWeighted } from './gram.js';
import { augmentedDot, loadAugmentedRow } from '../rows.js';
import { fastExp } from '../fast-math.js';
import { curvatureWeight, logisticPointLoss, logisticResidual, softmaxRow } from '../logistic-math.js';
import { rowCount, rowId, type SweepRows } from '../types.js';

/** Rows per block of the Newton sweeps (their scratch holds this many rows). */
export const NEWTON_UNROLL = 4;

/**
 * Scratch length the Newton sweeps and loss sweeps need for `nCols` features and `k` outputs
 * (1 for binary): four augmented rows [x, 1], four rows' margins and residuals per output,
 * and four rows' weights.
 * @example
 * ```ts
 * const scratch = new Float64Array(newtonScratchLength(d, 1));
 * ```
 */
export function newtonScratchLength(nCols: number, k: number): number {
  return NEWTON_UNROLL * (nCols + 1) + 2 * NEWTON_UNROLL * k + NEWTON_UNROLL;
}

/**
 * Binary log-loss with gradient and Hessian Σ ω·σ(1−σ)·[x − shift, 1][x − shift, 1]ᵀ (upper
 * triangle of a row-major (d+1)×(d+1) matrix), ω the row's weight. Returns the summed loss;
 * accumulates into `grad` and `hess`.
 * @example
 * ```ts
 * const loss = logisticNewtonSweepJs({ X, rows }, t, coef, grad, hess, scratch);
 * ```
 */
export function logisticNewtonSweepJs(
  { X, rows, shift, weight }: SweepRows, target: Float64Array,
  coef: Float64Array, grad: Float64Array, hess: Float64Array, scratch: Float64Array,
): number {
  const D = X.nCols + 1;
  const n = rowCount(X, rows);
  const z = scratch;
  const g = NEWTON_UNROLL * D; // residual σ − t of slot u at z[g + u]
  const h = g + NEWTON_UNROLL; // curvature σ(1 − σ) of slot u at z[h + u]
  const b = coef[D - 1]!;
  let loss = 0;
  for (let r = 0; r < n; r += NEWTON_UNROLL) {
    for (let u = 0; u < NEWTON_UNROLL; u++) {
      if (r + u >= n) { clearSlot(z, D, u); z[g + u] = 0; z[h + u] = 0; continue; }
      const i = rowId(rows, r + u);
      const s = loadAugmentedRow(X, i, shift, z, u, NEWTON_UNROLL, coef, 0) + b;
      const t = target[i]!;
      const w = weight === undefined ? 1 : weight[i]!;
      const e = fastExp(-Math.abs(s));
      const res = logisticResidual(s, e, t);
      loss += w * logisticPointLoss(s, e, t);
      const p = res + t;
      z[g + u] = w * res;
      z[h + u] = w * p * (1 - p);
    }
    addWeightedColumns(z, D, z[g]!, z[g + 1]!, z[g + 2]!, z[g + 3]!, grad, 0);
    addFourRowsWeighted(z, D, z[h]!, z[h + 1]!, z[h + 2]!, z[h + 3]!, hess, D, 0, false);
  }
  return loss;
}

/**
 * Multinomial log-loss over k classes with gradient and Hessian
 * Σ ω·[x̃,1][x̃,1]ᵀ ⊗ (diag(p) − ppᵀ), x̃ = x − shift, as a row-major K×K matrix, K = k·(d+1),
 * in packed order (block (c, c') holds classes c and c'): upper triangle of the diagonal
 * blocks, whole blocks above them. Returns the summed loss; accumulates into `grad` and `hess`.
 * @example
 * ```ts
 * const loss = softmaxNewtonSweepJs({ X, rows }, labels, 3, coef, grad, hess, scratch);
 * ```
 */
export function softmaxNewtonSweepJs(
  { X, rows, shift, weight }: SweepRows, label: Int32Array, k: number,
  coef: Float64Array, grad: Float64Array, hess: Float64Array, scratch: Float64Array,
): number {
  const D = X.nCols + 1;
  const K = k * D;
  const n = rowCount(X, rows);
  const z = scratch;
  const pOff = NEWTON_UNROLL * D; // margin, then probability, of class c in slot u at z[pOff + 4c + u]
  const gOff = pOff + NEWTON_UNROLL * k; // ω·(p − onehot) at z[gOff + 4c + u]
  const wOff = gOff + NEWTON_UNROLL * k; // the row's weight ω at z[wOff + u]
  let loss = 0;
  for (let r = 0; r < n; r += NEWTON_UNROLL) {
    for (let u = 0; u < NEWTON_UNROLL; u++) {
      if (r + u >= n) {
        clearSlot(z, D, u);
        for (let c = 0; c < k; c++) { z[pOff + 4 * c + u] = 0; z[gOff + 4 * c + u] = 0; }
        z[wOff + u] = 0;
        continue;
      }
      const i = rowId(rows, r + u);
      z[pOff + u] = loadAugmentedRow(X, i, shift, z, u, NEWTON_UNROLL, coef, 0) + coef[D - 1]!;
      for (let c = 1; c < k; c++) z[pOff + 4 * c + u] = augmentedDot(z, D, u, NEWTON_UNROLL, coef, c * D);
      const y = label[i]!;
      const w = weight === undefined ? 1 : weight[i]!;
      loss += w * softmaxRow(z, pOff + u, NEWTON_UNROLL, k, y);
      for (let c = 0; c < k; c++) z[gOff + 4 * c + u] = w * (z[pOff + 4 * c + u]! - (c === y ? 1 : 0));
      z[wOff + u] = w;
    }
    for (let c = 0; c < k; c++) {
      const at = gOff + 4 * c;
      addWeightedColumns(z, D, z[at]!, z[at + 1]!, z[at + 2]!, z[at + 3]!, grad, c * D);
    }
    for (let c = 0; c < k; c++) {
      const pc = pOff + 4 * c;
      for (let c2 = c; c2 < k; c2++) {
        const pc2 = pOff + 4 * c2;
        const same = c === c2 ? 1 : 0;
        addFourRowsWeighted(z, D,
          curvatureWeight(z[wOff]! * z[pc]! * (same - z[pc2]!)), curvatureWeight(z[wOff + 1]! * z[pc + 1]! * (same - z[pc2 + 1]!)),
          curvatureWeight(z[wOff + 2]! * z[pc + 2]! * (same - z[pc2 + 2]!)), curvatureWeight(z[wOff + 3]! * z[pc + 3]! * (same - z[pc2 + 3]!)),
          hess, K, c * D * K + c2 * D, c !== c2);
      }
    }
  }
  return loss;
}

/** Zero slot u (a padding row past the end contributes nothing). */
function clearSlot(z: Float64Array, D: number, u: number): void {
  for (let j = 0; j < D; j++) z[NEWTON_UNROLL * j + u] = 0;
}

/** out[off + j] += Σ_u g_u z[4j + u] for j < D. */
function addWeightedColumns(
  z: Float64Array, D: number, g0: number, g1: number, g2: number, g3: number, out: Float64Array, off: number,
): void {
  for (let j = 0; j < D; j++) {
    const p = NEWTON_UNROLL * j;
    out[off + j]! += g0 * z[p]! + g1 * z[p + 1]! + g2 * z[p + 2]! + g3 * z[p + 3]!;
  }
}
