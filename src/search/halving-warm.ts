/**
 * Successive halving's warm starts for logistic regression: a rung's fits keep their solutions
 * (records' `solution`, journaled with them), and each path of the next rung starts from its
 * first candidate's solution on the same fold, a subsample `factor` times smaller, instead of
 * from 0. Because the solutions travel in the records, a resumed search starts every rung from
 * the same points as an uninterrupted one and gives the same numbers.
 */
import type { Estimator } from '../models/estimator.js';
import { specOf } from '../models/registry.js';
import type { FitRecord } from '../workers/protocol.js';
import { pathTarget } from './logistic-plan.js';
import type { WarmStarts } from './plan.js';

/** Whether the estimator's rungs can warm-start (a LogisticRegression, or scalers ending in one). */
export function warmStartable(estimator: Estimator): boolean {
  return pathTarget(specOf(estimator)) !== undefined;
}

/** The solutions one rung reached, by (candidate, fold) in that rung's numbering. */
export class RungSolutions {
  private readonly byFit = new Map<string, readonly number[]>();

  constructor(records: readonly FitRecord[]) {
    for (const r of records) if (r.solution !== undefined && r.error === undefined) this.byFit.set(`${r.candidate}/${r.fold}`, r.solution);
  }

  /** Warm starts for the next rung, whose candidate i was candidate `carried[i]` of this one. */
  startsFor(carried: readonly number[]): NonNullable<WarmStarts['starts']> {
    return (candidate, fold) => {
      const from = carried[candidate];
      return from === undefined ? undefined : this.byFit.get(`${from}/${fold}`);
    };
  }
}

/**
 * A rung's warm-start settings: keep solutions unless it is the last rung; start from the
 * previous rung's when there is one.
 */
export function rungWarmStarts(last: boolean, previous: RungSolutions | undefined, carried: readonly number[]): WarmStarts {
  return { keep: !last, ...(previous ? { starts: previous.startsFor(carried) } : {}) };
}

/** The record without its solution: the search's results keep scores, not coefficients. */
export function withoutSolution(record: FitRecord): FitRecord {
  if (record.solution === undefined) return record;
  const { solution: _solution, ...rest } = record;
  return rest;
}
