/**
 * A regularisation path of LogisticRegression fits on one set of rows: C visited in ascending
 * order (strongest penalty first, where the solution is near 0 and the problem nearly
 * quadratic), each fit warm-started from the previous solution moved along the path's tangent,
 * all by the one logistic solver (logistic-solver.ts). Each model is the optimum a single fit
 * at that C reaches, to the same tolerance: scikit-learn's `LogisticRegressionCV` walks the same
 * path with L-BFGS.
 */
import { ValueError } from '../errors.js';
import { ndarray, type NdArray } from '../data/ndarray.js';
import type { FloatMatrix, Rows, SolverReport } from './estimator.js';
import { matrixWindows, targetValues } from './checks.js';
import { LogisticRegression } from './logistic.js';
import { fitWeights, type ClassWeight } from './class-weight.js';
import { encodeLabels, labelsForRows, type EncodedLabels } from './logistic-labels.js';
import { fitting, logisticProblem, type FeatureMap, type LogisticProblem } from './logistic-problem.js';
import { factorCostRatio, hessianPassCost, solveLogisticPath, type FitReport } from './logistic-solver.js';
import { presolvedStart } from './logistic-presolve.js';
import { validateParams } from './params.js';
import { checkFitSegments, rowSegments } from './segments.js';

/** The parameters every model on the path shares (C varies). */
export interface LogisticPathParams {
  readonly fitIntercept: boolean;
  /** Newton steps per C at most. */
  readonly maxIter: number;
  /** Newton's decrement at which each fit takes its last step (see logistic-solver.ts). */
  readonly tol: number;
  /** Class weights multiplying the sample weights (LogisticRegression's `classWeight`). */
  readonly classWeight?: ClassWeight;
}

/** How a path is run. */
export interface PathOptions {
  /**
   * The caller has already checked X and y (a search does, once, before any task): skip the
   * finiteness and row-index scans. Default false.
   */
  readonly inputsChecked?: boolean;
  /**
   * Coefficients to start the first (smallest) C from instead of a presolve on a fraction of
   * the rows (logistic-presolve.ts; zeros where the rows are too few), packed as
   * {@link LogisticPathFit.coefficients} are; ignored when its length does not match (a subset
   * of rows that lacks a class). A search's refit starts from its folds' mean solution.
   */
  readonly start?: Float64Array;
  /** Per-row sample weights by row id (the path's `classWeight` multiplies them). */
  readonly sampleWeight?: Float64Array;
  /** A scaler fitted on the same rows, applied implicitly; coefficients are then the scaled model's. */
  readonly featureMap?: FeatureMap;
  /**
   * y's values as float64, when the caller already has them (with `inputsChecked`): a worker
   * converts its store's y once for all its paths (an int64 y costs a BigInt conversion per value).
   */
  readonly target?: Float64Array;
  /**
   * Every row's labels encoded (encodeLabels(target, undefined)), when the caller keeps them for
   * many paths over the same y (with `inputsChecked` and `target`: a worker, once per store): a
   * path whose rows hold every class reads them instead of encoding its rows again
   * (labelsForRows). Ignored when its length is not X's rows.
   */
  readonly labels?: EncodedLabels;
  /** Keep the rows in the wasm kernel between passes (default true; see LogisticProblemSpec.keepRows). */
  readonly keepRows?: boolean | 'existing';
  /**
   * A loss Hessian of the same model on other rows of the same data (a search's fold, at a
   * nearby C: {@link LogisticPathFit.curvatures}), with the weight of the rows it summed: the
   * first fit starts from it, scaled to these rows' weight, instead of taking a Hessian (a
   * refit from its folds' mean then needs gradient passes only). Only where the Hessian is a
   * costly multinomial one (see worthSeeding); ignored when its size does not match. Only
   * the steps change, not the optimum they converge to.
   */
  readonly curvature?: FoldCurvature;
  /** Return each fit's curvature ({@link LogisticPathFit.curvatures}), where a seed would pay (see worthSeeding). Default false. */
  readonly keepCurvatures?: boolean;
}

/** A loss Hessian (solver coordinates) and the total weight of the rows it was summed over. */
export interface FoldCurvature {
  readonly hess: Float64Array;
  readonly weightSum: number;
}

/** One fitted model per C, in the order of `Cs`, plus how each fit went (same order). */
export interface LogisticPathFit {
  readonly models: LogisticRegression[];
  readonly reports: FitReport[];
  /** Each solution packed per output as [w_0 .. w_{d-1}, b] (same order), for warm starts elsewhere. */
  readonly coefficients: Float64Array[];
  readonly classes: Float64Array;
  /** With `keepCurvatures`: per C (the order of `Cs`), the curvature its fit ended with (shared arrays), and the rows' weight. */
  readonly curvatures?: { readonly hess: readonly (Float64Array | undefined)[]; readonly weightSum: number };
}

/**
 * Fit LogisticRegression for every C in `Cs` on `rows` (or all rows) along a warm-started
 * path; returns the models in the order of `Cs`.
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
 * {@link fitLogisticPath} plus each fit's report (Newton steps, convergence, passes, seconds).
 * @example
 * ```ts
 * const { models, reports } = fitLogisticPathDetailed(X, y, undefined, [1, 10], { fitIntercept: true, maxIter: 100, tol: 1e-8 });
 * reports[1]!.nIter;
 * ```
 */
export function fitLogisticPathDetailed(
  X: FloatMatrix, y: NdArray, rows: Rows, Cs: readonly number[], params: LogisticPathParams, options: PathOptions = {},
): LogisticPathFit {
  checkPath(Cs, params);
  // A search checks X and y once, up front; re-scanning each fold's rows would cost a pass.
  const { segments, target } = options.inputsChecked === true
    ? { segments: rowSegments(matrixWindows(X), rows), target: checkedTarget(options.target, X.shape[0]!) ?? targetValues(y, X.shape[0]!) }
    : checkFitSegments(X, y, rows);
  const labels = labelsForRows(encodedFor(options, target), rows) ?? encodeLabels(target, rows);
  const sampleWeight = fitWeights(labels, rows, options.sampleWeight, params.classWeight);
  const problem = logisticProblem({
    segments, labels, fitIntercept: params.fitIntercept,
    ...(sampleWeight ? { sampleWeight } : {}),
    ...(options.featureMap ? { featureMap: options.featureMap } : {}),
    ...(options.keepRows === undefined ? {} : { keepRows: options.keepRows }),
  });
  const space = options.featureMap ? 'model' : 'raw';
  const order = Cs.map((C, i) => ({ C, i })).sort((a, b) => a.C - b.C);
  // Without a usable start the first (smallest) C starts from a fit on a fraction of the rows
  // (logistic-presolve.ts); its time is that C's fit time.
  const t0 = performance.now();
  const start = options.start?.length === problem.size ? problem.fromPacked(options.start, space) : presolvedStart(problem, order[0]!.C);
  const presolveSeconds = (performance.now() - t0) / 1000;
  const seedable = worthSeeding(problem);
  const seed = seedable ? seededCurvature(options.curvature, problem.size, problem.weightSum) ?? coldCurvature(problem, start) : undefined;
  const keep = seedable && options.keepCurvatures === true;
  const fits = fitting(() => solveLogisticPath(problem, order.map((o) => o.C), params, start, { ...(seed ? { seed } : {}), ...(keep ? { keep } : {}) }));
  const models = new Array<LogisticRegression>(Cs.length);
  const reports = new Array<FitReport>(Cs.length);
  const coefficients = new Array<Float64Array>(Cs.length);
  const hess = new Array<Float64Array | undefined>(Cs.length);
  order.forEach(({ C, i }, at) => {
    hess[i] = fits[at]!.curvature;
    const { beta, report: solved } = fits[at]!;
    const report = at === 0 ? { ...solved, seconds: solved.seconds + presolveSeconds } : solved;
    coefficients[i] = problem.packed(beta, space);
    reports[i] = report;
    models[i] = fittedModel(coefficients[i], labels, X.shape[1]!, { C, ...params }, report);
  });
  return { models, reports, coefficients, classes: labels.classes, ...(keep ? { curvatures: { hess, weightSum: problem.weightSum } } : {}) };
}

/** A Hessian pass must cost at least this many gradient passes (hessianPassCost) for a seed to pay. */
const SEED_MIN_HESSIAN_COST = 5;
/**
 * A binary Hessian modelled at this many gradient passes or more is seeded no more: its
 * curvature (D² values a fit) would travel with fold 0's results for no gain (3,000 × 1,000
 * binary, a Hessian modelled at 262 passes: a seeded refit 871-972 ms against 891 ms).
 */
const BINARY_SEED_MAX_HESSIAN_COST = 16;

/**
 * Whether a fit of `problem` gains from a curvature taken on other rows: where its Hessian is
 * itself a sample of the rows (multinomial, 60 rows per unknown or more), another fold's sample
 * serves as well, and where that Hessian costs 5 gradient passes or more, more than the passes a
 * seeded start adds. 100,000 × 32 × 10 classes (5.8): a seeded refit took 7 gradient passes and
 * no Hessian instead of 6 and one (228-259 → 150-167 ms). A multinomial Hessian on all rows pays
 * too where it costs more than twice its factorisation: 50,000 × 48 × 20 classes (980 unknowns,
 * a Hessian 70 gradient passes), the refit 1.88 → 0.31 s. Cheaper Hessians were taken all the
 * same after a few passes: binary 200,000 × 32 (3 passes, then a Hessian), 24,000 × 7 × 6
 * classes (2.0: 9 passes, then a Hessian); digits' folds (960 rows, 650 unknowns, factoring
 * dearer than the Hessian pass) estimate it too poorly (16 passes, then a Hessian). Binary
 * Hessians of 5 to 16 passes are seeded since fold paths take a fresh Hessian midway
 * (logistic-solver.ts, pathRefreshPays), so that fold 0's curvature at the refit's C was taken
 * a C or two away instead of at the first: the benchmark's LW (100,000 × 128, cost 12.1) refit
 * 3 gradient passes and a Hessian, 191 ms → 7 passes, 142-148 ms; 100,000 × 128 collinear 200 →
 * 130-133 ms; 100,000 × 64 (5.75) 82 → 70-75 ms; two-worker LW searches, six interleaved pairs,
 * 2.18-2.27 → 2.07-2.21 s. Without that rule the curvature dates from the first C, and LW's
 * seeded refit took 9 passes, 199-201 ms against 207 ms: no faster.
 */
function worthSeeding(problem: LogisticProblem): boolean {
  const cost = hessianPassCost(problem);
  if (cost < SEED_MIN_HESSIAN_COST) return false;
  if (problem.k === 1) return cost < BINARY_SEED_MAX_HESSIAN_COST;
  return problem.hessianFraction < 1 || factorCostRatio(problem.size, problem.nRows) < cost / 2;
}

/**
 * Where a costly multinomial fit starts from zero (`start` undefined: none given, no presolve):
 * the Hessian at β = 0, one Gram pass, instead of a Hessian of its own
 * (LogisticProblem.curvatureAtZero). A path's first C is the smallest, its optimum near zero,
 * so its steps need few others: 60,000 × 64 × 10 classes (no presolve: too few rows for 650
 * unknowns), 60 fits 373 G + 18 H → 347 + 10, 11.1-11.5 → 9.3-9.4 s; 50,000 × 48 × 20, 368 + 15
 * → 373 + 10, 29.7-32.7 → 21.0-21.9 s. A single fit at a larger C still takes fresh Hessians
 * where its steps show them needed. From a presolve's start the zero point is too far off: the
 * benchmark's 100,000 × 32 × 10 classes took 393 gradient passes for 60 fits instead of 347.
 */
function coldCurvature(problem: LogisticProblem, start: Float64Array | undefined): Float64Array | undefined {
  return start === undefined ? problem.curvatureAtZero() : undefined;
}

/** `curvature`'s Hessian scaled from its rows' weight to `weightSum`, when it has `size`² finite values and a positive weight. */
function seededCurvature(curvature: FoldCurvature | undefined, size: number, weightSum: number): Float64Array | undefined {
  if (curvature === undefined || curvature.hess.length !== size * size || !(curvature.weightSum > 0)) return undefined;
  const ratio = weightSum / curvature.weightSum;
  const out = new Float64Array(curvature.hess.length);
  for (let i = 0; i < out.length; i++) out[i] = curvature.hess[i]! * ratio;
  return out;
}

/** The caller's encoding of every row's labels, when it encodes the `target` the path fits (checked inputs, one code per row). */
function encodedFor(options: PathOptions, target: Float64Array): EncodedLabels | undefined {
  const all = options.labels;
  if (all === undefined || options.inputsChecked !== true || options.target !== target) return undefined;
  return (all.target ?? all.label!).length === target.length ? all : undefined;
}

/** The caller's float64 y when it has one value per row of X. */
function checkedTarget(target: Float64Array | undefined, nRows: number): Float64Array | undefined {
  return target !== undefined && target.length === nRows ? target : undefined;
}

function checkPath(Cs: readonly number[], params: LogisticPathParams): void {
  if (!Array.isArray(Cs) || Cs.length === 0) throw new ValueError('Cs must be a non-empty array of numbers > 0');
  for (const C of Cs) validateParams('logistic', { C });
  validateParams('logistic', {
    fitIntercept: params.fitIntercept, maxIter: params.maxIter, tol: params.tol, classWeight: params.classWeight ?? null,
  });
}

function fittedModel(
  packed: Float64Array, labels: EncodedLabels, d: number, params: LogisticPathParams & { C: number }, report: FitReport,
): LogisticRegression {
  const k = labels.nOutputs;
  const coef = new Float64Array(k * d);
  const intercept = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    coef.set(packed.subarray(c * (d + 1), c * (d + 1) + d), c * d);
    intercept[c] = packed[c * (d + 1) + d]!;
  }
  return LogisticRegression.fromState({
    name: 'logistic', params: { ...params, classWeight: params.classWeight ?? null },
    coef: ndarray('float64', [k, d], coef), intercept: ndarray('float64', [k], intercept),
    classes: ndarray('float64', [labels.classes.length], labels.classes.slice()), nIter: report.nIter,
  }, solverReport(report));
}

/** The part of a fit's report a model and a fit record keep. */
export function solverReport(report: FitReport): SolverReport {
  return { nIter: report.nIter, converged: report.converged, gradientPasses: report.gradientPasses, hessianPasses: report.hessianPasses };
}
