/**
 * Logistic regression's fast plan: candidates that differ only in C are fitted per fold as
 * one warm-started path along ascending C (models/logistic-path.ts). With an odd number of
 * folds the last fold's path is cut in two, so that two workers (or any even count) share
 * it instead of one idling while the other runs it alone. Only one path is cut because a
 * cut costs a cold start (W2: a whole path 1.2 s, its halves 1.0 s + 0.6 s). The cut
 * depends on the folds only, never on the worker count, so the numbers are the same
 * however many workers run.
 */
import type { Estimator, Params } from '../models/estimator.js';
import { fitLogisticPath, type LogisticPathParams } from '../models/logistic-path.js';
import type { CandidateRef, FitRecord, LogisticPathTask } from '../workers/protocol.js';
import { errorRecords, messageOf, type Plan, type PlanInput } from './planner.js';

/** A path shorter than this is not worth cutting in two. */
const MIN_CUT_PATH = 4;

/**
 * The logistic plan, or undefined when it does not apply (other model, learning curves, one C).
 * Paths are laid out over every candidate, not only the pending ones, and a segment with any
 * pending fit runs whole: a resumed search warm-starts exactly as an uninterrupted one, so
 * its numbers are identical; fits a journal already holds are computed again but not reported.
 */
export function planLogisticPaths(input: PlanInput): Plan | undefined {
  const { context, candidates, pending, folds } = input;
  if (context.model.name !== 'logistic' || pending.length === 0) return undefined;
  if (pending.some((fit) => fit.trainSize !== undefined)) return undefined;
  const groups = groupByAllButC(candidates, context.model.params);
  if (groups.every((g) => g.length < 2)) return undefined;

  const wanted = new Set(pending.map((f) => `${f.candidate}/${f.fold}`));
  const tasks: LogisticPathTask[] = [];
  for (const group of groups) {
    const path = group.map((id): CandidateRef => ({ id, params: candidates[id]! }))
      .sort((a, b) => cOf(a.params, context.model.params) - cOf(b.params, context.model.params));
    for (let fold = 0; fold < folds.length; fold++) {
      const cut = fold === folds.length - 1 && folds.length % 2 === 1 && path.length >= MIN_CUT_PATH ? 2 : 1;
      for (let part = 0; part < cut; part++) {
        const slice = path.slice(Math.floor((part * path.length) / cut), Math.floor(((part + 1) * path.length) / cut));
        if (slice.some((c) => wanted.has(`${c.id}/${fold}`))) tasks.push({ kind: 'logistic-path', ...context, candidates: slice, fold });
      }
    }
  }
  const errorScore = context.errorScore;
  const keep = (records: readonly FitRecord[]): FitRecord[] => records.filter((r) => wanted.has(`${r.candidate}/${r.fold}`));
  return {
    // The refit on all rows takes the same Newton solver as the paths: a few exact-Hessian
    // steps instead of hundreds of L-BFGS iterations at a tight tol.
    refit: (candidate: Params): Estimator => {
      const merged = { ...context.model.params, ...candidate };
      return fitLogisticPath(input.X, input.y, undefined, [cOf(merged, merged)], pathParams(merged), { inputsChecked: true })[0]!;
    },
    tasks,
    collect: (_task, result) => keep(result.records),
    failed: errorScore === 'raise' ? () => undefined : (task, error) => task.kind !== 'logistic-path' ? undefined
      : keep(errorRecords(task.candidates.map((c) => ({ candidate: c.id, fold: task.fold })), task, errorScore, `task failed: ${messageOf(error)}`)),
  };
}

/** The path solver's settings from a candidate's params (LogisticRegression's defaults otherwise). */
export function pathParams(params: Params): LogisticPathParams {
  return {
    fitIntercept: (params['fitIntercept'] ?? true) as boolean,
    maxIter: (params['maxIter'] ?? 100) as number,
    tol: (params['tol'] ?? 1e-4) as number,
  };
}

function cOf(params: Params, base: Params): number {
  return (params['C'] ?? base['C'] ?? 1) as number;
}

/** Candidate ids grouped by every parameter except C: each group shares one path per fold. */
function groupByAllButC(candidates: readonly Params[], base: Params): number[][] {
  const groups = new Map<string, number[]>();
  candidates.forEach((params, id) => {
    const { C: _c, ...rest } = { ...base, ...params };
    const key = JSON.stringify(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const list = groups.get(key) ?? [];
    list.push(id);
    groups.set(key, list);
  });
  return [...groups.values()];
}
