/**
 * A whole regularisation path of LogisticRegression fits on one set of rows: C visited
 * in ascending order (strongest penalty first, where the solution is near 0 and the
 * problem nearly quadratic), each fit warm-started from the previous solution and
 * solved by Newton's method with the exact Hessian from fused loss+gradient+Hessian
 * sweeps. scikit-learn's `LogisticRegressionCV` does the same walk with L-BFGS.
 */
import { ValueError } from '../errors.js';
import { ndarray, type NdArray } from '../data/ndarray.js';
import type { FloatMatrix, Rows } from './estimator.js';
import { checkFitInput, matrixView, targetValues } from './checks.js';
import {
  logisticNewtonSweep, newtonScratchLength, softmaxNewtonSweep, symmetrizeUpper, type DenseView,
} from './kernels/index.js';
import { LogisticRegression } from './logistic.js';
import { encodeLabels, type EncodedLabels } from './logistic-objective.js';
import { minimizeNewton, type NewtonResult, type NewtonState, type PenaltyLayout, type SecondOrderTerm } from './newton-solve.js';
import { validateParams } from './params.js';

/** The parameters every model on the path shares (C varies). */
export interface LogisticPathParams {
  readonly fitIntercept: boolean;
  /** Newton steps per C at most (a Newton step does the work of many L-BFGS iterations). */
  readonly maxIter: number;
  /** Stop each fit when the largest |gradient| of its objective is ≤ tol. */
  readonly tol: number;
}

/** How a path is run. */
export interface PathOptions {
  /** Reuse the last Hessian while steps make good progress (default true); false takes a new one every step (for measurements). */
  readonly reuseHessian?: boolean;
  /**
   * The caller has already checked X and y (a search does, once, before any task): skip the
   * finiteness and row-index scans. Default false.
   */
  readonly inputsChecked?: boolean;
  /**
   * Coefficients to start the first (smallest) C from instead of zeros, packed as
   * {@link LogisticPathFit.coefficients} are; ignored when its length does not match (a
   * subset of rows that lacks a class). A search's refit starts from its folds' mean solution.
   */
  readonly start?: Float64Array;
}

/** One fitted model per C, in the order of `Cs`, plus how each solve went (same order). */
export interface LogisticPathFit {
  readonly models: LogisticRegression[];
  readonly solves: NewtonResult[];
  /** Each solution packed per output as [w_0 .. w_{d-1}, b] (same order), for warm starts elsewhere. */
  readonly coefficients: Float64Array[];
}

/**
 * Fit LogisticRegression for every C in `Cs` on `rows` (or all rows) along a warm-started
 * path; returns the models in the order of `Cs`. Each model equals a cold fit run to the
 * same gradient tolerance.
 * @example
 * ```ts
 * const models = fitLogisticPath(X, y, fold.train, [0.01, 0.1, 1], { fitIntercept: true, maxIter: 100, tol: 1e-8 });
 * models[2]!.predictProba(X, fold.test);
 * ```
 */
export function fitLogisticPath(
  X: FloatMatrix, y: NdArray, rows: Rows, Cs: readonly number[], params: LogisticPathParams, options: PathOptions = {},
): LogisticRegression[] {
  return fitLogisticPathDetailed(X, y, rows, Cs, params, options).models;
}

/**
 * {@link fitLogisticPath} plus each solve's iterations, sweeps and stopping reason.
 * `solver.reuseHessian: false` takes a new Hessian every step (for measurements).
 * @example
 * ```ts
 * const { models, solves } = fitLogisticPathDetailed(X, y, undefined, [1, 10], { fitIntercept: true, maxIter: 100, tol: 1e-8 });
 * solves[1]!.nIter;
 * ```
 */
export function fitLogisticPathDetailed(
  X: FloatMatrix, y: NdArray, rows: Rows, Cs: readonly number[], params: LogisticPathParams,
  solver: PathOptions = {},
): LogisticPathFit {
  checkPath(Cs, params);
  // A search checks X and y once, up front; re-scanning each fold's rows cost ~30 ms a path.
  const { view, target } = solver.inputsChecked === true
    ? { view: matrixView(X), target: targetValues(y, X.shape[0]!) }
    : checkFitInput(X, y, rows);
  const enc = encodeLabels(target, rows);
  const D = view.nCols + 1;
  const size = enc.nOutputs * D;
  const term = dataTerm(view, rows, enc);
  const layout = penaltyLayout(enc.nOutputs, D, params.fitIntercept);
  const state: NewtonState = {
    x: new Float64Array(size), loss: 0, grad: new Float64Array(size), hess: new Float64Array(size * size),
  };
  if (solver.start?.length === size) state.x.set(solver.start);
  state.loss = term(state.x, state.grad, state.hess);
  const order = Cs.map((C, i) => ({ C, i })).sort((a, b) => a.C - b.C);
  const models: LogisticRegression[] = new Array<LogisticRegression>(Cs.length);
  const solves: NewtonResult[] = new Array<NewtonResult>(Cs.length);
  const coefficients: Float64Array[] = new Array<Float64Array>(Cs.length);
  for (const { C, i } of order) {
    const res = minimizeNewton(term, state, 1 / C, layout, { tol: params.tol, maxIter: params.maxIter, ...solver });
    solves[i] = res;
    models[i] = fittedModel(state.x, enc, view.nCols, { C, ...params }, res.nIter);
    coefficients[i] = state.x.slice();
  }
  return { models, solves, coefficients };
}

function checkPath(Cs: readonly number[], params: LogisticPathParams): void {
  if (!Array.isArray(Cs) || Cs.length === 0) throw new ValueError('Cs must be a non-empty array of numbers > 0');
  for (const C of Cs) validateParams('logistic', { C });
  validateParams('logistic', { fitIntercept: params.fitIntercept, maxIter: params.maxIter, tol: params.tol });
}

/**
 * The unpenalised loss over the rows with its gradient and (full, symmetric) Hessian,
 * binary or multinomial. Multinomial softmax ignores adding one constant to every
 * intercept; a rank-one term along that direction makes the Hessian invertible without
 * changing the step, whose intercepts then keep summing to 0 as L-BFGS's do from 0.
 */
function dataTerm(view: DenseView, rows: Rows, enc: EncodedLabels): SecondOrderTerm {
  const D = view.nCols + 1;
  const k = enc.nOutputs;
  const K = k * D;
  const scratch = new Float64Array(newtonScratchLength(view.nCols, k));
  return (x, grad, hess) => {
    grad.fill(0);
    if (hess !== undefined) hess.fill(0);
    const loss = enc.target !== undefined
      ? logisticNewtonSweep(view, rows, enc.target, x, grad, hess, scratch)
      : softmaxNewtonSweep(view, rows, enc.label!, k, x, grad, hess, scratch);
    if (hess !== undefined) {
      symmetrizeUpper(hess, K);
      if (k > 1) addInterceptGauge(hess, k, D);
    }
    return loss;
  };
}

/** H += μ·vvᵀ, v = 1 on every intercept, μ the mean intercept curvature (the scale of H there). */
function addInterceptGauge(hess: Float64Array, k: number, D: number): void {
  const K = k * D;
  let mu = 0;
  for (let c = 0; c < k; c++) mu += hess[(c * D + D - 1) * (K + 1)]!;
  mu = Math.max(mu / k, 1);
  for (let c = 0; c < k; c++) for (let c2 = 0; c2 < k; c2++) hess[(c * D + D - 1) * K + c2 * D + D - 1]! += mu;
}

function penaltyLayout(k: number, D: number, fitIntercept: boolean): PenaltyLayout {
  const penalised = new Uint8Array(k * D);
  const fixed = new Uint8Array(k * D);
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < D - 1; j++) penalised[c * D + j] = 1;
    if (!fitIntercept) fixed[c * D + D - 1] = 1;
  }
  return { penalised, fixed };
}

function fittedModel(
  packed: Float64Array, enc: EncodedLabels, d: number, params: LogisticPathParams & { C: number }, nIter: number,
): LogisticRegression {
  const k = enc.nOutputs;
  const coef = new Float64Array(k * d);
  const intercept = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    coef.set(packed.subarray(c * (d + 1), c * (d + 1) + d), c * d);
    intercept[c] = params.fitIntercept ? packed[c * (d + 1) + d]! : 0;
  }
  return LogisticRegression.fromState({
    name: 'logistic', params: { ...params },
    coef: ndarray('float64', [k, d], coef), intercept: ndarray('float64', [k], intercept),
    classes: ndarray('float64', [enc.classes.length], enc.classes.slice()), nIter,
  });
}
