/**
 * The per-row mathematics of logistic losses, written once: every logistic kernel (the
 * JavaScript sweeps, the wasm-backed sweeps, prediction) computes a row's loss, residual,
 * curvature and probabilities through these functions, so the backends cannot drift apart (the
 * wasm softmax, wasm/softmax-module.ts, repeats softmaxRow's operations in order; a test holds
 * them bit for bit).
 * exp and log1p are fast-math.ts's: the library calls cost a third of a gradient pass.
 */
import { fastExp, fastLog, log1pUnit } from './fast-math.js';

/**
 * σ(s) − t from e = exp(−|s|) (fastExp), stable for large |s|: the residual of binary log-loss.
 * @example
 * ```ts
 * logisticResidual(0, 1, 1); // -0.5
 * ```
 */
export function logisticResidual(s: number, e: number, t: number): number {
  return (s >= 0 ? 1 / (1 + e) : e / (1 + e)) - t;
}

/**
 * log(1 + e^s) − t·s from e = exp(−|s|), stable for large |s|: binary log-loss at one row.
 * @example
 * ```ts
 * logisticPointLoss(0, 1, 1); // log 2
 * ```
 */
export function logisticPointLoss(s: number, e: number, t: number): number {
  return (s > 0 ? s : 0) - t * s + log1pUnit(e);
}

/**
 * The logistic function 1/(1+e^-x), stable for large |x|.
 * @example
 * ```ts
 * sigmoid(0); // 0.5
 * ```
 */
export function sigmoid(x: number): number {
  return logisticResidual(x, fastExp(-Math.abs(x)), 0);
}

/**
 * log(1 + e^x) without overflow.
 * @example
 * ```ts
 * log1pExp(800); // 800, not Infinity
 * ```
 */
export function log1pExp(x: number): number {
  return logisticPointLoss(x, fastExp(-Math.abs(x)), 0);
}

/**
 * Softmax of one row in place: on entry `p[at + c·step]` holds margin c (c < k); on return
 * it holds probability c. Returns the row's log-loss log Σ e^z − z_label.
 * @example
 * ```ts
 * const p = Float64Array.of(1, 2, 3);
 * const loss = softmaxRow(p, 0, 1, 3, 2); // p now sums to 1
 * ```
 */
export function softmaxRow(p: Float64Array, at: number, step: number, k: number, label: number): number {
  let zMax = -Infinity;
  for (let c = 0; c < k; c++) zMax = Math.max(zMax, p[at + c * step]!);
  const zLabel = p[at + label * step]!;
  // One exp per class (exp dominates a softmax sweep's per-row cost): e^(z−max) kept, then scaled.
  let sum = 0;
  for (let c = 0; c < k; c++) {
    const e = fastExp(p[at + c * step]! - zMax);
    p[at + c * step] = e;
    sum += e;
  }
  const inv = 1 / sum;
  for (let c = 0; c < k; c++) p[at + c * step]! *= inv;
  return fastLog(sum) + zMax - zLabel;
}

/**
 * Multinomial Hessian weights ω·p_c·p_c' below this in magnitude are taken as 0. Products of two
 * small probabilities (classes almost separated: p down to e^−708) fall among the subnormal
 * numbers, on which x64 arithmetic runs ~100× slower (wasm cannot flush them to zero): a large-C
 * fit on 48,000 rows of noisy digits spent 95 s in 100 steps against 28 s with them dropped,
 * same steps. Next to the weights of any row whose classes are not separated (≥ 1e-3 or so),
 * anything below 1e-200 is no part of the curvature a double can hold; only the Hessian, the
 * solver's metric, sees it, never the loss or the gradient.
 */
export const NEGLIGIBLE_CURVATURE_WEIGHT = 1e-200;

/**
 * A multinomial Hessian's pair weight as the sweeps add it: `w`, or 0 below
 * {@link NEGLIGIBLE_CURVATURE_WEIGHT} in magnitude.
 * @example
 * ```ts
 * curvatureWeight(-1e-250); // 0
 * ```
 */
export function curvatureWeight(w: number): number {
  return Math.abs(w) < NEGLIGIBLE_CURVATURE_WEIGHT ? 0 : w;
}
