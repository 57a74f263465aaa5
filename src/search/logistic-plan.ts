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
import type { CandidateRef, FitRecord, LogisticPathTask, TaskResult } from '../workers/protocol.js';
import { errorRecords, messageOf, type Plan, type PlanInput } from './plan.js';

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
  const solutions = new FoldSolutions();
  return {
    // The refit on all rows takes the same Newton solver as the paths: a few exact-Hessian
    // steps instead of hundreds of L-BFGS iterations at a tight tol, started from the mean
    // of the candidate's fold solutions (W2: 7 steps and 4 Hessians from zeros, 3 and 1 from there).
    refit: (candidate: number): Estimator => {
      const merged = { ...context.model.params, ...candidates[candidate]! };
      const start = solutions.mean(candidate);
      return fitLogisticPath(input.X, input.y, undefined, [cOf(merged, merged)], pathParams(merged), {
        inputsChecked: true, ...(start ? { start } : {}),
      })[0]!;
    },
    tasks,
    collect: (task, result) => {
      if (task.kind === 'logistic-path') solutions.add(task, result);
      return keep(result.records);
    },
    failed: errorScore === 'raise' ? () => undefined : (task, error) => task.kind !== 'logistic-path' ? undefined
      : keep(errorRecords(task.candidates.map((c) => ({ candidate: c.id, fold: task.fold })), task, errorScore, `task failed: ${messageOf(error)}`)),
  };
}

/** Each candidate's solution on each fold a path task reported, for the refit's warm start. */
class FoldSolutions {
  private readonly byCandidate = new Map<number, Float64Array[]>();

  add(task: LogisticPathTask, result: TaskResult): void {
    const packed = result.coefficients;
    if (!(packed instanceof Float64Array) || packed.length % task.candidates.length !== 0) return;
    const size = packed.length / task.candidates.length;
    task.candidates.forEach((c, i) => {
      const list = this.byCandidate.get(c.id) ?? [];
      list.push(packed.subarray(i * size, (i + 1) * size));
      this.byCandidate.set(c.id, list);
    });
  }

  /** The mean solution over the folds, or undefined when there is none or they differ in size (a fold lacked a class). */
  mean(candidate: number): Float64Array | undefined {
    const list = this.byCandidate.get(candidate);
    if (!list || list.length === 0 || list.some((x) => x.length !== list[0]!.length)) return undefined;
    const out = new Float64Array(list[0]!.length);
    for (const x of list) for (let i = 0; i < out.length; i++) out[i]! += x[i]! / list.length;
    return out;
  }
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
