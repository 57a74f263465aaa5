/**
 * Logistic regression's fast plan: candidates that differ only in C are fitted per fold as
 * one warm-started path along ascending C (models/logistic-path.ts). With an odd number of
 * folds each path is cut in two, so that two workers (or any even count) get equal shares
 * instead of one idling while the other runs the last fold. The cut depends on the folds
 * only, never on the worker count, so the numbers are the same however many workers run.
 */
import type { Params } from '../models/estimator.js';
import type { CandidateRef, LogisticPathTask } from '../workers/protocol.js';
import { errorRecords, messageOf, type PendingFit, type Plan, type PlanInput } from './planner.js';

/** A path shorter than this is not worth cutting in two. */
const MIN_CUT_PATH = 4;

/** The logistic plan, or undefined when it does not apply (other model, learning curves, one C). */
export function planLogisticPaths(input: PlanInput): Plan | undefined {
  const { context, candidates, pending, folds } = input;
  if (context.model.name !== 'logistic' || pending.length === 0) return undefined;
  if (pending.some((fit) => fit.trainSize !== undefined)) return undefined;
  const groups = groupByAllButC(pending, candidates, context.model.params);
  if (groups.every((g) => g.length < 2 * folds.length)) return undefined;

  const tasks: LogisticPathTask[] = [];
  for (const fits of groups) {
    for (let fold = 0; fold < folds.length; fold++) {
      const onFold = fits.filter((f) => f.fold === fold).map((f): CandidateRef => ({ id: f.candidate, params: candidates[f.candidate]! }));
      if (onFold.length === 0) continue;
      onFold.sort((a, b) => cOf(a.params, context.model.params) - cOf(b.params, context.model.params));
      const cut = folds.length % 2 === 1 && onFold.length >= MIN_CUT_PATH ? 2 : 1;
      for (let part = 0; part < cut; part++) {
        const slice = onFold.slice(Math.floor((part * onFold.length) / cut), Math.floor(((part + 1) * onFold.length) / cut));
        tasks.push({ kind: 'logistic-path', ...context, candidates: slice, fold });
      }
    }
  }
  const errorScore = context.errorScore;
  return {
    tasks,
    collect: (_task, result) => [...result.records],
    failed: errorScore === 'raise' ? () => undefined : (task, error) => task.kind !== 'logistic-path' ? undefined
      : errorRecords(task.candidates.map((c) => ({ candidate: c.id, fold: task.fold })), task, errorScore, `task failed: ${messageOf(error)}`),
  };
}

function cOf(params: Params, base: Params): number {
  return (params['C'] ?? base['C'] ?? 1) as number;
}

/** Pending fits grouped by every parameter except C: each group can share one path per fold. */
function groupByAllButC(pending: readonly PendingFit[], candidates: readonly Params[], base: Params): PendingFit[][] {
  const groups = new Map<string, PendingFit[]>();
  for (const fit of pending) {
    const { C: _c, ...rest } = { ...base, ...candidates[fit.candidate]! };
    const key = JSON.stringify(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const list = groups.get(key) ?? [];
    list.push(fit);
    groups.set(key, list);
  }
  return [...groups.values()];
}
