/**
 * A cold logistic fit's start from the same fit on a fraction of its rows. From zero, the
 * first fit of a path (and a fit on its own) takes two or three Hessians before its steps
 * turn fast; on every s-th row, with C scaled by s so that the penalty weighs the same against
 * the data, the same steps cost 1/s as much and land close to the optimum, from where the full
 * fit takes one Hessian. Measured on a fold's 12-C path, min of 3 (a cold first fit against
 * one from every 8th to 32nd row): 160,000 × 32 binary 379 → 313-339 ms, 80,000 × 128
 * 757 → 645-667 ms, 80,000 × 32 × 10 classes 1424 → 1313-1371 ms.
 *
 * Only the start changes: the full fit still converges to its own optimum by the solver's
 * rule, so the answer is the same to the solver's tolerance (not bit for bit the cold fit's).
 */
import type { FloatMatrix, Rows } from './estimator.js';
import { matrixWindows } from './checks.js';
import { encodeLabels, type EncodedLabels } from './logistic-labels.js';
import { logisticProblem, type FeatureMap, type LogisticProblem } from './logistic-problem.js';
import { solveLogisticPath } from './logistic-solver.js';
import { rowSegments } from './segments.js';

/** The presolve's stopping rule: a start needs no more (the full fit takes it from there). */
const PRESOLVE_TOL = 1e-3;
const PRESOLVE_MAX_ITER = 100;
/** Every s-th row, s a power of two from 4 to 32, keeping at least this many rows per unknown and in all. */
const PRESOLVE_ROWS_PER_UNKNOWN = 30;
const PRESOLVE_MIN_ROWS = 2000;
const PRESOLVE_MAX_STEP = 32;

/** What a cold fit knows when it asks for a start. */
export interface PresolveInput {
  readonly X: FloatMatrix;
  /** y as float64 by row id, and the fit's rows (all rows when undefined). */
  readonly target: Float64Array;
  readonly rows: Rows;
  /** The full fit's problem and labels: the start is returned in its solver coordinates. */
  readonly problem: LogisticProblem;
  readonly labels: EncodedLabels;
  /** Per-row weights by row id (class weights already multiplied in), as the full fit's. */
  readonly sampleWeight?: Float64Array;
  readonly fitIntercept: boolean;
  readonly featureMap?: FeatureMap;
  readonly C: number;
}

/**
 * The step s for n rows and `size` unknowns: the largest power of two up to 32 whose thinned
 * rows keep max(30·size, 2,000); 0 when even every 4th row would not (then a presolve saves
 * too little, or misleads).
 */
export function presolveStep(nRows: number, size: number): number {
  const keep = Math.max(PRESOLVE_ROWS_PER_UNKNOWN * size, PRESOLVE_MIN_ROWS);
  let step = 0;
  for (let s = 4; s <= PRESOLVE_MAX_STEP && nRows / s >= keep; s *= 2) step = s;
  return step;
}

/**
 * The start (solver coordinates of `input.problem`) a fit on every s-th row gives, or undefined
 * when the rows are too few ({@link presolveStep}), the thinned rows lack a class or weight, or
 * the presolve did not converge.
 */
export function presolvedStart(input: PresolveInput): Float64Array | undefined {
  const { X, target, rows, problem, labels, sampleWeight, fitIntercept, featureMap, C } = input;
  const step = presolveStep(problem.nRows, problem.size);
  if (step === 0) return undefined;
  const n = rows === undefined ? X.shape[0]! : rows.length;
  const thinned = new Int32Array(Math.ceil(n / step));
  for (let r = 0, at = 0; r < n; r += step) thinned[at++] = rows === undefined ? r : rows[r]!;
  const subLabels = thinnedLabels(target, thinned, labels);
  if (subLabels === undefined) return undefined;
  const space = featureMap ? 'model' : 'raw';
  try {
    const sub = logisticProblem({
      segments: rowSegments(matrixWindows(X), thinned), labels: subLabels, fitIntercept, keepRows: false,
      ...(sampleWeight ? { sampleWeight } : {}), ...(featureMap ? { featureMap } : {}),
    });
    // C·(W / W_s): the penalty weighs against the thinned rows' data term as against all rows'.
    const [fit] = solveLogisticPath(sub, [(C * problem.weightSum) / sub.weightSum], { tol: PRESOLVE_TOL, maxIter: PRESOLVE_MAX_ITER });
    if (fit === undefined || !fit.report.converged || !fit.beta.every(Number.isFinite)) return undefined;
    return problem.fromPacked(sub.packed(fit.beta, space), space);
  } catch {
    // The thinned rows' weights may sum to zero (a ValueError for a problem of their own): the
    // full fit, which is valid, starts from zero instead.
    return undefined;
  }
}

/** The thinned rows' labels when they hold every class of the full fit's (else the layouts differ). */
function thinnedLabels(target: Float64Array, rows: Int32Array, full: EncodedLabels): EncodedLabels | undefined {
  let labels: EncodedLabels;
  try {
    labels = encodeLabels(target, rows);
  } catch {
    return undefined; // one class only among the thinned rows
  }
  const same = labels.classes.length === full.classes.length && labels.classes.every((c, i) => c === full.classes[i]);
  return same ? labels : undefined;
}
