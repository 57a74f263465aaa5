/**
 * Ridge regression with scikit-learn's objective ‖y − Xw − b‖² + α‖w‖², the intercept
 * unpenalised: X and y are centred by the training rows' means, the d×d normal
 * equations (XᵀX + αI) w = Xᵀy are solved, and b = ȳ − x̄·w.
 */
import { ValueError } from '../errors.js';
import { ndarray, type NdArray } from '../data/ndarray.js';
import type { AffineMap, Estimator, EstimatorState, FitOptionName, FitOptions, FloatMatrix, Params, Rows } from './estimator.js';
import { readFitOptions, weightTotal } from './fit-options.js';
import { targetValues } from './checks.js';
import { checkFitSegments, checkPredictSegments, scatterOutputs, segmentRows, type RowSegment } from './segments.js';
import {
  accumulateGram, columnSums, gramStats, linearMargins, symmetrizeUpper, vectorSum, type GramStats,
} from './kernels/index.js';
import { solveSymmetric } from './linalg.js';
import { ShiftedSolver } from './shifted-solver.js';
import { resolveParams, validateParams } from './params.js';

/** Ridge's hyperparameters (scikit-learn's names in camelCase, same defaults). */
export interface RidgeParams {
  /** L2 penalty strength, ≥ 0. Default 1. */
  readonly alpha: number;
  /** Fit an (unpenalised) intercept. Default true. */
  readonly fitIntercept: boolean;
}

/**
 * Ridge on the features a model sees (raw, or x' = (x − shift)/scale through `map`) from
 * training statistics accumulated around `shift` / `yShift`, for one alpha: the normal
 * equations' system built and solved by Cholesky. Packed [w, b] on those features.
 * @example
 * ```ts
 * const packed = ridgeFromStats(stats, means, yMean, 1.0, true);
 * ```
 */
export function ridgeFromStats(
  stats: GramStats, shift: Float64Array | undefined, yShift: number, alpha: number, fitIntercept: boolean, map?: AffineMap,
): Float64Array {
  return new RidgeSystem(stats, shift, yShift, fitIntercept, map).solve(alpha);
}

/**
 * Ridge's normal equations for one set of training statistics, (A + αI) w = rhs with A the
 * centred (and, through a map, scaled) Gram matrix, solved for any alpha: by Cholesky, or, when
 * many alphas share the system (a grid on one fold), through one {@link ShiftedSolver}.
 * @example
 * ```ts
 * const system = new RidgeSystem(stats, shift, yShift, true);
 * const coefs = alphas.map((a) => system.solveShared(a)); // one Householder reduction for all
 * ```
 */
export class RidgeSystem {
  private readonly A: Float64Array;
  private readonly rhs: Float64Array;
  private shared: ShiftedSolver | undefined;
  private rotatedRhs: Float64Array | undefined;

  constructor(
    private readonly stats: GramStats, private readonly shift: Float64Array | undefined, private readonly yShift: number,
    private readonly fitIntercept: boolean, private readonly map?: AffineMap,
  ) {
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
    } else {
      uncentredAbout(stats, shift, yShift, map, A, rhs);
    }
    if (map) {
      for (let j = 0; j < d; j++) {
        const sj = map.scale[j]!;
        for (let k = 0; k < d; k++) A[j * d + k]! /= sj * map.scale[k]!;
        rhs[j]! /= sj;
      }
    }
    this.A = A;
    this.rhs = rhs;
  }

  /** Packed [w, b] for `alpha`, by Cholesky (SVD when A + αI is singular, as scikit-learn falls back). */
  solve(alpha: number): Float64Array {
    const d = this.stats.nCols;
    const A = this.A.slice();
    for (let j = 0; j < d; j++) A[j * d + j]! += alpha;
    return this.packed(solveSymmetric(A, this.rhs, d));
  }

  /**
   * Packed [w, b] for `alpha` > 0 through one Householder reduction of A shared by every call
   * (made on the first): O(d²) per alpha after an O(d³) start. For alpha 0 (A may be singular)
   * it takes {@link solve}.
   */
  solveShared(alpha: number): Float64Array {
    if (!(alpha > 0)) return this.solve(alpha);
    const d = this.stats.nCols;
    this.shared ??= new ShiftedSolver(this.A, d);
    // rhs is the same for every alpha: rotate it once (half of each solve's O(d²) work).
    this.rotatedRhs ??= this.shared.rotate(this.rhs);
    const w = new Float64Array(d);
    this.shared.solveRotated(alpha, this.rotatedRhs, w);
    return this.packed(w);
  }

  /** [w, b]: the intercept b = ȳ − ū·w, ū the mean row in the features the model sees. */
  private packed(w: Float64Array): Float64Array {
    const { stats, shift, map } = this;
    const d = stats.nCols;
    const n = stats.count;
    const out = new Float64Array(d + 1);
    out.set(w);
    if (this.fitIntercept) {
      let b = this.yShift + stats.ySum / n;
      for (let j = 0; j < d; j++) {
        const mean = (shift?.[j] ?? 0) + stats.xSum[j]! / n;
        b -= (map ? (mean - map.shift[j]!) / map.scale[j]! : mean) * w[j]!;
      }
      out[d] = b;
    }
    return out;
  }
}

/**
 * Without an intercept nothing is centred, but the statistics were accumulated around `shift`
 * and the model sees x − map.shift: rewrite them about u = z − δ, δ = map.shift − shift
 * (Σuuᵀ = Σzzᵀ − δΣzᵀ − Σzδᵀ + nδδᵀ; Σu·y with y = t + yShift), in place in A and rhs.
 */
function uncentredAbout(
  stats: GramStats, shift: Float64Array | undefined, yShift: number, map: AffineMap | undefined, A: Float64Array, rhs: Float64Array,
): void {
  const d = stats.nCols;
  const n = stats.count;
  const delta = new Float64Array(d);
  for (let j = 0; j < d; j++) delta[j] = (map?.shift[j] ?? 0) - (shift?.[j] ?? 0);
  if (delta.every((v) => v === 0) && yShift === 0) return;
  const yTotal = stats.ySum + n * yShift;
  for (let j = 0; j < d; j++) {
    for (let k = j; k < d; k++) {
      const v = A[j * d + k]! - delta[j]! * stats.xSum[k]! - stats.xSum[j]! * delta[k]! + n * delta[j]! * delta[k]!;
      A[j * d + k] = v;
      A[k * d + j] = v;
    }
    rhs[j] = stats.xty[j]! + yShift * stats.xSum[j]! - delta[j]! * yTotal;
  }
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
  readonly fitOptions: readonly FitOptionName[] = ['rows', 'sampleWeight', 'featureMap'];
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

  /**
   * Fit on all rows of X, or on `rows` only (read in place), with per-row `sampleWeight` as
   * scikit-learn 1.2's Ridge weights them (weighted centring, each row's squared error times
   * its weight). Returns `this`.
   */
  fit(X: FloatMatrix, y: NdArray, options?: Rows | FitOptions, ...extra: unknown[]): this {
    const { rows, weights, featureMap } = readFitOptions('Ridge', options, extra, this.fitOptions, X.shape[0] ?? 0);
    const { segments, target } = checkFitSegments(X, y, rows);
    this.packed = fitRidge({ segments, y: target, rows, weights, map: featureMap }, this.params.alpha, this.params.fitIntercept);
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

/** The rows a fit reads: X's segments (windows), y and the weights indexed by row of X, the rows, the feature map. */
interface FitData {
  readonly segments: readonly RowSegment[];
  readonly y: Float64Array;
  readonly rows: Rows;
  readonly weights: Float64Array | undefined;
  readonly map: AffineMap | undefined;
}

/**
 * Two passes over the rows (segment by segment: X's windows): (weighted) means, then
 * statistics centred on them; then one d×d solve. Without an intercept the statistics are
 * taken about the origin (no shift), as the model sees it.
 */
function fitRidge(data: FitData, alpha: number, fitIntercept: boolean): Float64Array {
  const { segments, y, weights, map } = data;
  const d = segments[0]!.view.nCols;
  // Refuses weights that sum to zero even without an intercept (scikit-learn's error then too).
  const total = weights === undefined ? segments.reduce((sum, s) => sum + segmentRows(s), 0) : weightTotal(weights, data.rows);
  let shift: Float64Array | undefined;
  let yShift = 0;
  if (fitIntercept) {
    shift = new Float64Array(d);
    for (const s of segments) {
      columnSums(s.view, s.rows, shift, local(weights, s));
      yShift += vectorSum(local(y, s)!, s.rows, local(weights, s));
    }
    for (let j = 0; j < d; j++) shift[j]! /= total;
    yShift /= total;
  }
  const stats = gramStats(d);
  for (const s of segments) accumulateGram(s.view, s.rows, local(y, s), shift, yShift, stats, undefined, local(weights, s));
  symmetrizeUpper(stats.xtx, d);
  return ridgeFromStats(stats, shift, yShift, alpha, fitIntercept, map);
}

/** The part of a per-row array (indexed by row of X) for one segment's window, indexed by window row. */
function local(values: Float64Array | undefined, s: RowSegment): Float64Array | undefined {
  return values?.subarray(s.rowStart, s.rowStart + s.view.nRows);
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
