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
import type { LogisticProblem } from './logistic-problem.js';
import { solveLogisticPath } from './logistic-solver.js';

/** The presolve's stopping rule: a start needs no more (the full fit takes it from there). */
const PRESOLVE_TOL = 1e-3;
const PRESOLVE_MAX_ITER = 100;
/** Every s-th row, s a power of two from 4 to 32, keeping at least this many rows per unknown and in all. */
const PRESOLVE_ROWS_PER_UNKNOWN = 30;
const PRESOLVE_MIN_ROWS = 2000;
const PRESOLVE_MAX_STEP = 32;

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
 * Where a cold fit of `problem` at C should start (its solver coordinates): the optimum of the
 * same fit on every s-th row ({@link presolveStep}, {@link LogisticProblem.thinned}), or undefined
 * when the rows are too few, the thinned rows lack a class or weight, or the presolve did not
 * converge (the fit then starts from zero).
 * @example
 * ```ts
 * const fits = solveLogisticPath(problem, Cs, settings, presolvedStart(problem, Cs[0]!));
 * ```
 */
export function presolvedStart(problem: LogisticProblem, C: number): Float64Array | undefined {
  const step = presolveStep(problem.nRows, problem.size);
  const sub = step === 0 ? undefined : problem.thinned(step);
  if (sub === undefined) return undefined;
  // C·(W / W_s): the penalty weighs against the thinned rows' data term as against all rows'.
  const [fit] = solveLogisticPath(sub, [(C * problem.weightSum) / sub.weightSum], { tol: PRESOLVE_TOL, maxIter: PRESOLVE_MAX_ITER });
  if (fit === undefined || !fit.report.converged || !fit.beta.every(Number.isFinite)) return undefined;
  // Through the model's coefficients: the two problems centre their rows on their own means.
  return problem.fromPacked(sub.packed(fit.beta, 'model'), 'model');
}
