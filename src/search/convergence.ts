/**
 * What a search says about its iterative fits: scikit-learn warns with a ConvergenceWarning for
 * each fit that stops at max_iter; memgrid counts them per search and says so once, naming the
 * candidates, and sums the solvers' work (the benchmark reports it per fit).
 */
import type { Estimator, Params } from '../models/estimator.js';
import type { FitRecord } from '../workers/protocol.js';

/** Work of a search's iterative fits, summed: passes are over each fit's own training rows. */
export interface SolverStats {
  /** Fits with a solver report. */
  readonly fits: number;
  readonly newtonSteps: number;
  readonly gradientPasses: number;
  readonly hessianPasses: number;
  /** Fits that stopped at `maxIter` before their tolerance. */
  readonly notConverged: number;
}

/**
 * The summed solver work of `records` (and of the refit, when given), or undefined when no fit
 * had an iterative solver.
 * @example
 * ```ts
 * solverStats(records)?.hessianPasses;
 * ```
 */
export function solverStats(records: readonly FitRecord[]): SolverStats | undefined {
  let fits = 0, newtonSteps = 0, gradientPasses = 0, hessianPasses = 0, notConverged = 0;
  for (const { solver } of records) {
    if (solver === undefined) continue;
    fits++;
    newtonSteps += solver.nIter;
    gradientPasses += solver.gradientPasses;
    hessianPasses += solver.hessianPasses;
    if (!solver.converged) notConverged++;
  }
  return fits === 0 ? undefined : { fits, newtonSteps, gradientPasses, hessianPasses, notConverged };
}

/**
 * The warnings a search gives about convergence: one line for the fits that stopped at
 * `maxIter` (how many, within which maxIter, which candidates), one for a refit that did.
 * @example
 * ```ts
 * convergenceWarnings(records, candidates, base, search.bestEstimator);
 * // ['12 of 60 fits did not converge within maxIter=100 (C=100, C=316): ...']
 * ```
 */
export function convergenceWarnings(
  records: readonly FitRecord[], candidates: readonly Params[], base: Params, refitted?: Estimator,
): string[] {
  const out: string[] = [];
  const stopped = records.filter((r) => r.solver?.converged === false);
  if (stopped.length > 0) {
    const withSolver = records.filter((r) => r.solver !== undefined).length;
    const ids = [...new Set(stopped.map((r) => r.candidate))].sort((a, b) => a - b);
    const maxIters = [...new Set(ids.map((id) => ({ ...base, ...candidates[id]! })['maxIter']))];
    const shown = ids.slice(0, 5).map((id) => describe(candidates[id]!)).join('; ');
    out.push(`${stopped.length} of ${withSolver} fits did not converge within maxIter=${maxIters.join('/')} `
      + `(${ids.length} candidate${ids.length === 1 ? '' : 's'}: ${shown}${ids.length > 5 ? '; ...' : ''}): `
      + 'their scores are of unfinished fits; raise maxIter or scale the features (n_iter per fit is in the fit records)');
  }
  const refit = refitted?.solverReport?.();
  if (refit?.converged === false) {
    out.push(`the refit of the best candidate did not converge within maxIter=${String(refitted!.getParams()['maxIter'])}: raise maxIter`);
  }
  return out;
}

function describe(params: Params): string {
  const entries = Object.entries(params);
  return entries.length === 0 ? 'the base params' : entries.map(([k, v]) => `${k}=${String(v)}`).join(', ');
}
