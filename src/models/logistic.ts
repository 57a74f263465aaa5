/**
 * L2-penalised logistic regression with scikit-learn's objective and defaults: binary
 * (sigmoid) or multinomial (softmax), solved to the optimum by memgrid's one logistic solver
 * (logistic-solver.ts: Newton's method, the same for a single fit, a path, a curve or a refit).
 */
import { isMainThread } from 'node:worker_threads';
import { DataError, ValueError } from '../errors.js';
import { ndarray, type NdArray } from '../data/ndarray.js';
import type { Classifier, EstimatorState, FitOptionName, FitOptions, FloatMatrix, Params, Rows, SolverReport } from './estimator.js';
import { targetValues } from './checks.js';
import { fitWeights, type ClassWeight } from './class-weight.js';
import { readFitOptions } from './fit-options.js';
import { linearMargins, sigmoid } from './kernels/index.js';
import { encodeLabels } from './logistic-labels.js';
import { fitting, logisticProblem } from './logistic-problem.js';
import { solveLogisticPath } from './logistic-solver.js';
import { presolvedStart } from './logistic-presolve.js';
import { checkFitSegments, checkPredictSegments, scatterOutputs, segmentRows, type RowSegment } from './segments.js';
import { resolveParams, validateParams } from './params.js';

/** LogisticRegression's hyperparameters (scikit-learn's names in camelCase, same defaults). */
export interface LogisticParams {
  /** Inverse L2 penalty strength, > 0. Default 1. */
  readonly C: number;
  /** Fit unpenalised intercepts. Default true. */
  readonly fitIntercept: boolean;
  /** Newton steps per fit at most, ≥ 1. Default 100 (a fit that needs more is reported as not converged). */
  readonly maxIter: number;
  /**
   * Newton's decrement of the mean objective at which a fit takes its last step, > 0. Default
   * 1e-4: the fit then ends within ~tol² (1e-8) of the optimum. See logistic-solver.ts.
   */
  readonly tol: number;
  /**
   * Weights per class, multiplying each row's sample weight: null (default, all 1), "balanced"
   * (n / (k · n_c) over the rows fitted on, scikit-learn's formula) or `{ label: weight }`
   * (labels not named weigh 1).
   */
  readonly classWeight: ClassWeight;
}

interface Fit {
  readonly classes: Float64Array;
  readonly nFeatures: number;
  /** nOutputs blocks of [w_0 .. w_{d-1}, b]. */
  readonly packed: Float64Array;
  readonly nIter: number;
  readonly converged: boolean;
  /** How the fit that produced it went (absent for a model restored from its state). */
  readonly report?: SolverReport;
}

/**
 * Logistic regression (binary or multinomial) with scikit-learn's lbfgs objective.
 * @example
 * ```ts
 * const clf = new LogisticRegression({ C: 0.5 }).fit(X, y);
 * clf.classes; clf.coef; clf.predictProba(X); clf.score(X, y);
 * ```
 */
export class LogisticRegression implements Classifier {
  readonly name = 'logistic';
  readonly kind = 'classifier';
  /** What `fit` takes beside X and y: rows, sample weights, a pipeline's feature map, a warm start. */
  readonly fitOptions: readonly FitOptionName[] = ['rows', 'sampleWeight', 'featureMap', 'warmStart'];
  private params: LogisticParams;
  private model: Fit | undefined;

  constructor(params: Partial<LogisticParams> = {}) {
    this.params = resolveParams('logistic', params) as unknown as LogisticParams;
  }

  get fitted(): boolean {
    return this.model !== undefined;
  }

  /** Sorted class labels seen in fit. */
  get classes(): Float64Array {
    return this.fittedModel().classes.slice();
  }

  /** Weights, row-major [nOutputs, nFeatures]: one row for binary (as scikit-learn's coef_), k for multinomial. */
  get coef(): Float64Array {
    const { packed, nFeatures: d } = this.fittedModel();
    const k = packed.length / (d + 1);
    const out = new Float64Array(k * d);
    for (let c = 0; c < k; c++) out.set(packed.subarray(c * (d + 1), c * (d + 1) + d), c * d);
    return out;
  }

  /** Intercepts, one per output (all 0 when `fitIntercept` is false). */
  get intercept(): Float64Array {
    const { packed, nFeatures: d } = this.fittedModel();
    const k = packed.length / (d + 1);
    const out = new Float64Array(k);
    for (let c = 0; c < k; c++) out[c] = packed[c * (d + 1) + d]!;
    return out;
  }

  /** Solver iterations of the last fit (scikit-learn's `n_iter_`). */
  get nIter(): number {
    return this.fittedModel().nIter;
  }

  /**
   * The solution in the solver's layout (nOutputs blocks of [w, b]): pass it as
   * `warmStart` to the next fit, e.g. along a path of increasing C.
   */
  get packedCoef(): Float64Array {
    return this.fittedModel().packed.slice();
  }

  /** False when the last fit reached `maxIter` before the optimum (scikit-learn's ConvergenceWarning). */
  get converged(): boolean {
    return this.fittedModel().converged;
  }

  /**
   * Fit on all rows, or on `rows` only (read in place): `fit(X, y, rows)` or
   * `fit(X, y, { rows, sampleWeight, warmStart })`. Labels may be any numeric dtype. Each row's
   * weight in the loss is its `sampleWeight` times its class's `classWeight`, as scikit-learn's.
   * `warmStart` (packed, as {@link packedCoef}) starts the solver there; without it, a fit on
   * enough rows starts from the same fit on a fraction of them (logistic-presolve.ts), else at 0. A fit
   * that stops at `maxIter` emits a process warning (scikit-learn's ConvergenceWarning) and
   * reports `converged === false`.
   */
  fit(X: FloatMatrix, y: NdArray, options?: Rows | FitOptions, ...extra: unknown[]): this {
    const { rows, weights, featureMap, warmStart } = readFitOptions('LogisticRegression', options, extra, this.fitOptions, X.shape[0] ?? 0);
    const { segments, target } = checkFitSegments(X, y, rows);
    const labels = encodeLabels(target, rows);
    const d = X.shape[1]!;
    const size = labels.nOutputs * (d + 1);
    if (warmStart !== undefined && warmStart.length !== size) {
      throw new ValueError(`warmStart has ${warmStart.length} values, expected ${labels.nOutputs} x (${d} + 1) = ${size}`);
    }
    const { C, fitIntercept, maxIter, tol, classWeight } = this.params;
    const sampleWeight = fitWeights(labels, rows, weights, classWeight);
    const problem = logisticProblem({
      segments, labels, fitIntercept, ...(sampleWeight ? { sampleWeight } : {}),
      ...(featureMap ? { featureMap: { mean: featureMap.shift, scale: featureMap.scale } } : {}),
    });
    // With a feature map the coefficients are the mapped features' (a pipeline's final step's).
    const space = featureMap ? 'model' : 'raw';
    // A cold fit starts from the same fit on a fraction of the rows, where there are enough (logistic-presolve.ts).
    const start = warmStart !== undefined ? problem.fromPacked(warmStart, space) : presolvedStart(problem, C);
    const { beta, report } = fitting(() => solveLogisticPath(problem, [C], { maxIter, tol }, start)[0]!);
    this.model = {
      classes: labels.classes, nFeatures: d, packed: problem.packed(beta, space), nIter: report.nIter, converged: report.converged,
      report: { nIter: report.nIter, converged: report.converged, gradientPasses: report.gradientPasses, hessianPasses: report.hessianPasses },
    };
    if (!report.converged) {
      process.emitWarning(`LogisticRegression did not converge within maxIter=${maxIter} Newton steps (Newton decrement ${report.decrement.toExponential(2)} > tol=${tol}): raise maxIter, or scale the features`, 'ConvergenceWarning');
    }
    return this;
  }

  /** How the last fit went: Newton steps, convergence, passes over the rows. */
  solverReport(): SolverReport | undefined {
    return this.model?.report;
  }

  /** Decision values: [nRows] for binary, row-major [nRows, nClasses] for multinomial. */
  decisionFunction(X: FloatMatrix, rows?: Rows): Float64Array {
    const { packed, nFeatures } = this.fittedModel();
    return margins(checkPredictSegments(X, rows, nFeatures), nFeatures, packed);
  }

  /**
   * {@link decisionFunction} of several fitted models on the same rows, each row read once for
   * all of them (a path's dozen models scored on one fold's test rows): the same values bit for
   * bit as each model's own call. The models must share their features and number of outputs.
   * @example
   * ```ts
   * const [z0, z1] = LogisticRegression.decisionFunctions(path.models, X, fold.test);
   * ```
   */
  static decisionFunctions(models: readonly LogisticRegression[], X: FloatMatrix, rows?: Rows): Float64Array[] {
    return stackedDecisions(models, X, rows, (length) => new Float64Array(length), (n) => models.map(() => new Float64Array(n)));
  }

  /** Class probabilities, row-major [nRows, nClasses]. */
  predictProba(X: FloatMatrix, rows?: Rows): Float64Array {
    return this.probaFromDecision(this.decisionFunction(X, rows));
  }

  /** Class probabilities from decision values (see {@link decisionFunction}). */
  probaFromDecision(z: Float64Array): Float64Array {
    const k = this.fittedModel().classes.length;
    return k === 2 ? binaryProba(z) : softmaxRows(z, k);
  }

  /** Predicted labels (values from `classes`). */
  predict(X: FloatMatrix, rows?: Rows): Float64Array {
    return this.predictFromDecision(this.decisionFunction(X, rows));
  }

  /** Predicted labels from decision values (see {@link decisionFunction}). */
  predictFromDecision(z: Float64Array): Float64Array {
    const classes = this.fittedModel().classes;
    if (classes.length > 2) return argmaxRows(z, classes);
    const out = new Float64Array(z.length);
    for (let r = 0; r < z.length; r++) out[r] = classes[z[r]! > 0 ? 1 : 0]!;
    return out;
  }

  /** Accuracy on all rows or `rows`. */
  score(X: FloatMatrix, y: NdArray, rows?: Rows): number {
    const pred = this.predict(X, rows);
    const truth = targetValues(y, X.shape[0]!);
    let hits = 0;
    for (let r = 0; r < pred.length; r++) if (pred[r] === truth[rows === undefined ? r : rows[r]!]) hits++;
    return hits / pred.length;
  }

  getParams(): Params {
    return { ...this.params };
  }

  setParams(params: Params): this {
    validateParams('logistic', params);
    this.params = { ...this.params, ...params } as LogisticParams;
    return this;
  }

  clone(): LogisticRegression {
    return new LogisticRegression(this.params);
  }

  state(): EstimatorState {
    const m = this.fittedModel();
    const k = m.packed.length / (m.nFeatures + 1);
    return {
      name: 'logistic', params: this.getParams(),
      coef: ndarray('float64', [k, m.nFeatures], this.coef),
      intercept: ndarray('float64', [k], this.intercept),
      classes: ndarray('float64', [m.classes.length], m.classes.slice()),
      nIter: m.nIter,
    };
  }

  /** A fitted LogisticRegression from `state()` output (and, from a path, how its fit went). */
  static fromState(state: EstimatorState, report?: SolverReport): LogisticRegression {
    const [k, d] = state.coef.shape as [number, number];
    const classes = state.classes?.data;
    if (state.coef.shape.length !== 2 || classes === undefined || state.intercept.data.length !== k
      || k !== outputsOf(classes.length)) {
      throw new DataError(`logistic state needs coef [nOutputs, d], intercept [nOutputs] and classes; found coef [${state.coef.shape.join(', ')}], intercept [${state.intercept.shape.join(', ')}], ${classes?.length ?? 'no'} classes`);
    }
    const packed = new Float64Array(k * (d + 1));
    for (let c = 0; c < k; c++) {
      packed.set(state.coef.data.subarray(c * d, (c + 1) * d), c * (d + 1));
      packed[c * (d + 1) + d] = state.intercept.data[c]!;
    }
    const model = new LogisticRegression(state.params as Partial<LogisticParams>);
    model.model = {
      classes: Float64Array.from(classes), nFeatures: d, packed, nIter: state.nIter ?? report?.nIter ?? 0,
      converged: report?.converged ?? true, ...(report ? { report } : {}),
    };
    return model;
  }

  private fittedModel(): Fit {
    if (this.model === undefined) throw new ValueError('this LogisticRegression is not fitted yet: call fit(X, y) first');
    return this.model;
  }
}

/** The k = packed.length / (d + 1) linear outputs of every row of the segments, row-major, in `allocate(rows · k)`. */
function margins(
  segments: readonly RowSegment[], d: number, packed: Float64Array, allocate = (length: number): Float64Array => new Float64Array(length),
): Float64Array {
  const k = packed.length / (d + 1);
  const out = allocate(segments.reduce((n, s) => n + segmentRows(s), 0) * k);
  scatterOutputs(segments, out, k, (s, into) => linearMargins(s.view, s.rows, packed, k, into));
  return out;
}

/**
 * {@link LogisticRegression.decisionFunctions} into views of one buffer a worker thread reuses:
 * each call overwrites what the last one returned. For scoring a path's models at once (search/
 * logistic-task.ts), whose decisions are read and dropped before the next task: fresh memory
 * is dear on a first touch (12 models on 40,000 test rows took 20 ms where reused memory took 7).
 * The main thread keeps no buffer between calls (as it keeps no kept rows: see logistic-problem.ts).
 * @example
 * ```ts
 * const [z0, z1] = reusedDecisionFunctions(path.models, X, fold.test); // read them before the next call
 * ```
 */
export function reusedDecisionFunctions(models: readonly LogisticRegression[], X: FloatMatrix, rows?: Rows): Float64Array[] {
  return stackedDecisions(models, X, rows, (length) => reusedBuffer('stacked', length), (n) => {
    const buffer = reusedBuffer('decisions', n * models.length);
    return models.map((_, m) => buffer.subarray(m * n, (m + 1) * n));
  });
}

/**
 * Every model's decision values on the rows, side by side in one buffer a worker thread reuses
 * (as {@link reusedDecisionFunctions}'): row r's output c of model m at `values[(r·M + m)·k + c]`,
 * for M models of k outputs each. For a caller that reads all models row by row (search/
 * decision-scores.ts scores a path's binary models in one pass) and so needs no per-model arrays.
 * @example
 * ```ts
 * const { values, n, k } = reusedStackedDecisions(path.models, X, fold.test); // model m, row r: values[r * M + m] when k = 1
 * ```
 */
export function reusedStackedDecisions(models: readonly LogisticRegression[], X: FloatMatrix, rows?: Rows): StackedDecisions {
  return stackedMargins(models, X, rows, (length) => reusedBuffer('stacked', length));
}

/** {@link reusedStackedDecisions}' result: M models' k outputs for each of n rows, row by row. */
export interface StackedDecisions {
  readonly values: Float64Array;
  readonly n: number;
  readonly k: number;
}

/** Linear outputs of a model over this many classes: one for two, one per class beyond. */
function outputsOf(classes: number): number {
  return classes === 2 ? 1 : classes;
}

/** A worker thread's reused buffers: every model's margins side by side, and the per-model decisions dealt from them. */
const reused: { stacked: Float64Array; decisions: Float64Array } = { stacked: new Float64Array(0), decisions: new Float64Array(0) };

/** `length` values of the worker thread's buffer `slot`, grown when too short; on the main thread, fresh ones (nothing kept). */
function reusedBuffer(slot: keyof typeof reused, length: number): Float64Array {
  const buffer = reused[slot].length >= length ? reused[slot] : new Float64Array(length);
  if (!isMainThread) reused[slot] = buffer;
  return buffer.subarray(0, length);
}

/**
 * Every model's decision values on the rows from one read of them (the models' coefficients
 * stacked as one wide linear output, its values in `stackedOut(n · k · models)`), dealt into the
 * arrays `outputs(n · k)` gives, one per model.
 */
function stackedDecisions(
  models: readonly LogisticRegression[], X: FloatMatrix, rows: Rows | undefined,
  stackedOut: (length: number) => Float64Array, outputs: (length: number) => Float64Array[],
): Float64Array[] {
  if (models.length === 0) return [];
  const { values: all, n, k } = stackedMargins(models, X, rows, stackedOut);
  const M = models.length;
  // One read of `all` in order, each row's outputs dealt to the models in turn (a model at a
  // time read all of it, 19 MB for 12 multinomial models on 20,000 rows, once per model: 45 → 10 ms).
  const outs = outputs(n * k);
  let at = 0;
  for (let r = 0; r < n; r++) {
    for (let m = 0; m < M; m++) {
      const out = outs[m]!;
      for (let c = 0; c < k; c++) out[r * k + c] = all[at++]!;
    }
  }
  return outs;
}

/** The models' decision values side by side (see {@link reusedStackedDecisions}), in `stackedOut(n · k · models)`. */
function stackedMargins(
  models: readonly LogisticRegression[], X: FloatMatrix, rows: Rows | undefined, stackedOut: (length: number) => Float64Array,
): StackedDecisions {
  if (models.length === 0) return { values: stackedOut(0), n: 0, k: 1 };
  const fitted = models.map((m) => ({ packed: m.packedCoef, nFeatures: m.coef.length / outputsOf(m.classes.length) }));
  const { nFeatures, packed } = fitted[0]!;
  if (fitted.some((f) => f.nFeatures !== nFeatures || f.packed.length !== packed.length)) {
    throw new ValueError('decisionFunctions: the models differ in features or outputs');
  }
  const k = packed.length / (nFeatures + 1);
  const M = models.length;
  const stacked = new Float64Array(packed.length * M);
  fitted.forEach((f, m) => stacked.set(f.packed, m * packed.length));
  const values = margins(checkPredictSegments(X, rows, nFeatures), nFeatures, stacked, stackedOut);
  return { values, n: values.length / (k * M), k };
}

/** [1 − σ(z), σ(z)] per row, as scikit-learn's binary predict_proba. */
function binaryProba(z: Float64Array): Float64Array {
  const out = new Float64Array(z.length * 2);
  for (let r = 0; r < z.length; r++) {
    const p = sigmoid(z[r]!);
    out[2 * r] = 1 - p;
    out[2 * r + 1] = p;
  }
  return out;
}

/** Row-wise softmax of a row-major [n, k] array. */
function softmaxRows(z: Float64Array, k: number): Float64Array {
  const out = new Float64Array(z.length);
  for (let off = 0; off < z.length; off += k) probabilityRow(z, off, k, out, off);
  return out;
}

/**
 * One row's class probabilities: the softmax of z[from .. from + k) into out[at .. at + k), as
 * {@link LogisticRegression.predictProba} computes them (scorers that fuse the step repeat these bits).
 * @example
 * ```ts
 * probabilityRow(Float64Array.from([0, 0]), 0, 2, out, 0); // out = [0.5, 0.5]
 * ```
 */
export function probabilityRow(z: Float64Array, from: number, k: number, out: Float64Array, at: number): void {
  let max = -Infinity;
  for (let c = 0; c < k; c++) max = Math.max(max, z[from + c]!);
  let sum = 0;
  for (let c = 0; c < k; c++) sum += (out[at + c] = Math.exp(z[from + c]! - max));
  for (let c = 0; c < k; c++) out[at + c]! /= sum;
}

/** The class of each row's largest decision value (the first, on ties). */
function argmaxRows(z: Float64Array, classes: Float64Array): Float64Array {
  const k = classes.length;
  const out = new Float64Array(z.length / k);
  for (let r = 0; r < out.length; r++) out[r] = classes[argmaxRow(z, r * k, k)]!;
  return out;
}

/**
 * The index of the largest of z[from .. from + k) (the first, on ties): a multinomial row's
 * predicted class.
 * @example
 * ```ts
 * argmaxRow(Float64Array.from([1, 3, 3]), 0, 3); // 1
 * ```
 */
export function argmaxRow(z: Float64Array, from: number, k: number): number {
  let best = 0;
  for (let c = 1; c < k; c++) if (z[from + c]! > z[from + best]!) best = c;
  return best;
}
