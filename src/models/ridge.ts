/**
 * Ridge regression with scikit-learn's objective ‖y − Xw − b‖² + α‖w‖², the intercept
 * unpenalised: X and y are centred by the training rows' means, the d×d normal
 * equations (XᵀX + αI) w = Xᵀy are solved, and b = ȳ − x̄·w.
 */
import { ValueError } from '../errors.js';
import { ndarray, type NdArray } from '../data/ndarray.js';
import type { Estimator, EstimatorState, FloatMatrix, Params, Rows } from './estimator.js';
import { targetValues } from './checks.js';
import { checkFitSegments, checkPredictSegments, scatterOutputs, segmentRows, type RowSegment } from './segments.js';
import {
  accumulateGram, columnSums, gramStats, linearMargins, symmetrizeUpper, vectorSum, type GramStats,
} from './kernels/index.js';
import { solveSymmetric } from './linalg.js';
import { resolveParams, validateParams } from './params.js';

/** Ridge's hyperparameters (scikit-learn's names in camelCase, same defaults). */
export interface RidgeParams {
  /** L2 penalty strength, ≥ 0. Default 1. */
  readonly alpha: number;
  /** Fit an (unpenalised) intercept. Default true. */
  readonly fitIntercept: boolean;
}

/**
 * Solve ridge from sufficient statistics accumulated around `shift` / `yShift` (see
 * {@link GramStats}; `xtx` must be symmetrized). With `fitIntercept`, the statistics
 * are re-centred on their own means, so any shift close to the means is accurate.
 * Returns packed coefficients `[w_0 .. w_{d-1}, b]`.
 * @example
 * ```ts
 * const packed = ridgeFromStats(stats, means, yMean, 1.0, true);
 * ```
 */
export function ridgeFromStats(
  stats: GramStats, shift: Float64Array | undefined, yShift: number, alpha: number, fitIntercept: boolean,
): Float64Array {
  const d = stats.nCols;
  const n = stats.count;
  const A = new Float64Array(stats.xtx);
  const rhs = new Float64Array(stats.xty);
  if (fitIntercept) {
    // Σ(z − z̄)(z − z̄)ᵀ = Σzzᵀ − n z̄z̄ᵀ; with z̄ ≈ 0 (shift ≈ means) nothing cancels.
    // Update both triangles with one value so A stays exactly symmetric (Cholesky checks).
    for (let j = 0; j < d; j++) {
      const mj = stats.xSum[j]! / n;
      for (let k = j; k < d; k++) {
        const v = A[j * d + k]! - mj * stats.xSum[k]!;
        A[j * d + k] = v;
        A[k * d + j] = v;
      }
      rhs[j]! -= mj * stats.ySum;
    }
  }
  for (let j = 0; j < d; j++) A[j * d + j]! += alpha;
  const w = solveSymmetric(A, rhs, d);
  const packed = new Float64Array(d + 1);
  packed.set(w);
  if (fitIntercept) {
    let b = yShift + stats.ySum / n;
    for (let j = 0; j < d; j++) b -= ((shift?.[j] ?? 0) + stats.xSum[j]! / n) * w[j]!;
    packed[d] = b;
  }
  return packed;
}

/**
 * Ridge regression (scikit-learn's `Ridge`, `cholesky` solver).
 * @example
 * ```ts
 * const model = new Ridge({ alpha: 0.5 }).fit(X, y);
 * model.coef; model.intercept; model.predict(X); model.score(X, y);
 * ```
 */
export class Ridge implements Estimator {
  readonly name = 'ridge';
  readonly kind = 'regressor';
  private params: RidgeParams;
  private packed: Float64Array | undefined;

  constructor(params: Partial<RidgeParams> = {}) {
    this.params = resolveParams('ridge', params) as unknown as RidgeParams;
  }

  get fitted(): boolean {
    return this.packed !== undefined;
  }

  /** Weights, length nFeatures. */
  get coef(): Float64Array {
    const p = this.fittedPacked();
    return p.slice(0, p.length - 1);
  }

  /** The intercept (0 when `fitIntercept` is false). */
  get intercept(): number {
    const p = this.fittedPacked();
    return p[p.length - 1]!;
  }

  /** Fit on all rows of X, or on `rows` only (read in place). Returns `this`. */
  fit(X: FloatMatrix, y: NdArray, rows?: Rows): this {
    const { segments, target } = checkFitSegments(X, y, rows);
    this.packed = fitRidge(segments, target, this.params.alpha, this.params.fitIntercept);
    return this;
  }

  /** Predictions Xw + b for all rows or `rows`, in that order. */
  predict(X: FloatMatrix, rows?: Rows): Float64Array {
    const packed = this.fittedPacked();
    const segments = checkPredictSegments(X, rows, packed.length - 1);
    const out = new Float64Array(rows === undefined ? X.shape[0]! : rows.length);
    scatterOutputs(segments, out, 1, (s, into) => linearMargins(s.view, s.rows, packed, 1, into));
    return out;
  }

  /** R² of the predictions on all rows or `rows` (scikit-learn's `r2_score`). */
  score(X: FloatMatrix, y: NdArray, rows?: Rows): number {
    const pred = this.predict(X, rows);
    return r2(targetValues(y, X.shape[0]!), rows, pred);
  }

  getParams(): Params {
    return { ...this.params };
  }

  setParams(params: Params): this {
    validateParams('ridge', params);
    this.params = { ...this.params, ...params } as RidgeParams;
    return this;
  }

  clone(): Ridge {
    return new Ridge(this.params);
  }

  state(): EstimatorState {
    const p = this.fittedPacked();
    const d = p.length - 1;
    return {
      name: 'ridge', params: this.getParams(),
      coef: ndarray('float64', [d], p.slice(0, d)),
      intercept: ndarray('float64', [], p.slice(d)),
    };
  }

  /** A fitted Ridge from `state()` output. */
  static fromState(state: EstimatorState): Ridge {
    const d = state.coef.data.length;
    if (state.coef.shape.length !== 1 || state.intercept.data.length !== 1) {
      throw new ValueError(`ridge state needs coef of shape [d] and a 0-d intercept, found [${state.coef.shape.join(', ')}] and [${state.intercept.shape.join(', ')}]`);
    }
    const model = new Ridge(state.params as Partial<RidgeParams>);
    model.packed = new Float64Array(d + 1);
    model.packed.set(state.coef.data);
    model.packed[d] = state.intercept.data[0]!;
    return model;
  }

  private fittedPacked(): Float64Array {
    if (this.packed === undefined) throw new ValueError('this Ridge is not fitted yet: call fit(X, y) first');
    return this.packed;
  }
}

/**
 * Two passes over the rows (segment by segment: X's windows): means, then statistics centred
 * on them; then one d×d solve. `y` is indexed by row of X.
 */
function fitRidge(segments: readonly RowSegment[], y: Float64Array, alpha: number, fitIntercept: boolean): Float64Array {
  const d = segments[0]!.view.nCols;
  const n = segments.reduce((sum, s) => sum + segmentRows(s), 0);
  let shift: Float64Array | undefined;
  let yShift = 0;
  if (fitIntercept) {
    shift = new Float64Array(d);
    for (const s of segments) columnSums(s.view, s.rows, shift);
    for (let j = 0; j < d; j++) shift[j]! /= n;
    for (const s of segments) yShift += vectorSum(y.subarray(s.rowStart), s.rows);
    yShift /= n;
  }
  const stats = gramStats(d);
  for (const s of segments) accumulateGram(s.view, s.rows, y.subarray(s.rowStart), shift, yShift, stats);
  symmetrizeUpper(stats.xtx, d);
  return ridgeFromStats(stats, shift, yShift, alpha, fitIntercept);
}

/** R² with scikit-learn's conventions: 1 for a perfect fit of constant y, else 0 when y is constant. */
function r2(y: Float64Array, rows: Rows, pred: Float64Array): number {
  const n = pred.length;
  let mean = 0;
  for (let r = 0; r < n; r++) mean += y[rows === undefined ? r : rows[r]!]!;
  mean /= n;
  let ssRes = 0;
  let ssTot = 0;
  for (let r = 0; r < n; r++) {
    const v = y[rows === undefined ? r : rows[r]!]!;
    ssRes += (v - pred[r]!) ** 2;
    ssTot += (v - mean) ** 2;
  }
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}
