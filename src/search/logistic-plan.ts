/**
 * Logistic regression's fast plan: candidates that differ only in C are fitted per fold as
 * one warm-started path along ascending C (models/logistic-path.ts), for a bare
 * LogisticRegression or a pipeline of StandardScalers ending in one (the fold's scalers fitted
 * once per path and applied as the kernels read X), with the search's sample weights and class
 * weights. With an odd number of folds the last fold's path is cut in two, so that two workers
 * (or any even count) share it instead of one idling while the other runs it alone. Only one
 * path is cut because a cut costs a cold start (the second half starts with no curvature, so
 * the halves cost more than the whole). The cut depends on the folds only, never on the worker
 * count, so the numbers are the same however many workers run. A halving rung (`warm`) starts
 * each path from its first candidate's solution on the previous rung, and runs even a path of
 * one C this way.
 */
import type { NdArray } from '../data/ndarray.js';
import type { Estimator, FloatMatrix, ModelSpec, Params } from '../models/estimator.js';
import { LogisticRegression } from '../models/logistic.js';
import type { ClassWeight } from '../models/class-weight.js';
import { fitLogisticPath, type FoldCurvature, type LogisticPathParams } from '../models/logistic-path.js';
import type { EncodedLabels } from '../models/logistic-labels.js';
import type { CandidateRef, FitRecord, LogisticPathTask, LogisticRefitTask, TaskResult } from '../workers/protocol.js';
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
  const { context, candidates, pending, folds, warm } = input;
  const target = pathTarget(context.model);
  if (target === undefined || pending.length === 0) return undefined;
  if (pending.some((fit) => fit.trainSize !== undefined)) return undefined;
  const cOf = (params: Params): number => (params[target.cKey] ?? context.model.params[target.cKey] ?? 1) as number;
  const groups = groupByAllButC(candidates, context.model.params, target.cKey);
  if (groups.every((g) => g.length < 2) && warm === undefined) return undefined;

  const wanted = new Set(pending.map((f) => `${f.candidate}/${f.fold}`));
  // The refit (a bare LogisticRegression without weights: see refit) starts from the first
  // fold's curvature at its C: that fold's paths hand theirs back where a seed pays (costly
  // multinomial Hessians; models/logistic-path.ts, worthSeeding), none elsewhere.
  const refits = target.prefix === '' && (context.fitParams?.length ?? 0) === 0;
  const tasks: LogisticPathTask[] = [];
  for (const group of groups) {
    const path = group.map((id): CandidateRef => ({ id, params: candidates[id]! }))
      .sort((a, b) => cOf(a.params) - cOf(b.params));
    for (let fold = 0; fold < folds.length; fold++) {
      const cut = fold === folds.length - 1 && folds.length % 2 === 1 && path.length >= MIN_CUT_PATH ? 2 : 1;
      for (let part = 0; part < cut; part++) {
        const slice = path.slice(Math.floor((part * path.length) / cut), Math.floor(((part + 1) * path.length) / cut));
        if (!slice.some((c) => wanted.has(`${c.id}/${fold}`))) continue;
        const start = warm?.starts?.(slice[0]!.id, fold);
        tasks.push({
          kind: 'logistic-path', ...context, candidates: slice, fold,
          ...(start ? { start: [...start] } : {}), ...(warm?.keep ? { keepSolutions: true } : {}),
          ...(refits && fold === 0 ? { keepCurvatures: true } : {}),
        });
      }
    }
  }
  const errorScore = context.errorScore;
  const keep = (records: readonly FitRecord[]): FitRecord[] => records.filter((r) => wanted.has(`${r.candidate}/${r.fold}`));
  const solutions = new FoldSolutions(startFolds(folds.length));
  // The refit reads X through the store's mapping, which the pool's threads share: the pages
  // they faulted in cost it nothing. The plan holds it, so the mapping outlives the pool.
  const refitX = input.storeX ?? input.X;
  return {
    // The refit on all rows takes the same Newton solver as the paths: a few exact-Hessian
    // steps instead of hundreds of L-BFGS iterations at a tight tol, started from the mean
    // of the candidate's solutions on all folds but the last, which lie close to the all-rows
    // optimum (all but the last: so that the search can refit its leader, the same to the bit,
    // while the last fold's paths still run; see early-refit.ts).
    // A pipeline's or a weighted search's refit is the estimator's own fit (the engine routes the weights).
    refit: (candidate: number): Estimator | undefined => {
      if (!refits) return undefined;
      const params = { ...context.model.params, ...candidates[candidate]! };
      return refitLogistic(refitX, input.y, input.target, params, solutions.mean(candidate), solutions.curvature(candidate));
    },
    // The same refit on a pool thread, from the same start: the thread maps the same store.
    refitTask: (candidate: number): LogisticRefitTask | undefined => {
      if (!refits || !solutions.complete(candidate)) return undefined;
      const start = solutions.mean(candidate);
      const curvature = solutions.curvature(candidate);
      return {
        kind: 'logistic-refit', ...context, candidate: { id: candidate, params: candidates[candidate]! },
        ...(start ? { start } : {}), ...(curvature ? { curvature } : {}),
      };
    },
    refitResult: (result: TaskResult): Estimator | undefined =>
      result.model === undefined ? undefined : LogisticRegression.fromState(result.model.state, result.model.report),
    tasks,
    collect: (task, result) => {
      if (task.kind === 'logistic-path') solutions.add(task, result);
      return keep(result.records);
    },
    failed: errorScore === 'raise' ? () => undefined : (task, error) => task.kind !== 'logistic-path' ? undefined
      : keep(errorRecords(task.candidates.map((c) => ({ candidate: c.id, fold: task.fold })), task, errorScore, `task failed: ${messageOf(error)}`)),
  };
}

/**
 * How many folds a refit starts from: all but the last, so that it can run while the last
 * fold's paths do (early-refit.ts), or the one fold there is.
 */
function startFolds(folds: number): number {
  return Math.max(1, folds - 1);
}

/**
 * A bare LogisticRegression with `params` refitted on all rows of X by the same Newton solver
 * as the paths: a few exact-Hessian steps instead of hundreds of L-BFGS iterations at a tight
 * tol, from `start` (the mean of the candidate's fold solutions, close to the all-rows optimum)
 * and `curvature` when given. The caller's thread (the plan's refit) and a pool thread (a
 * `logistic-refit` task) both fit through here, so both give the same model to the bit.
 * `labels`: every row's labels encoded from `target`, where the caller keeps them (a pool
 * thread's store cache), so that the refit need not encode them again.
 */
export function refitLogistic(
  X: FloatMatrix, y: NdArray, target: Float64Array | undefined, params: Params, start?: Float64Array, curvature?: FoldCurvature,
  labels?: EncodedLabels,
): LogisticRegression {
  // From the folds' mean the refit takes a few passes: making room to keep all its rows would
  // cost more (first touch of fresh memory: 55 ms on 200,000 × 32) than those passes save. On a
  // pool thread it keeps what the room its paths' rows took holds (~80% of the rows with five
  // folds) and streams the rest: LW's refit (100,000 × 128, 7 passes) 170-198 → 142-145 ms.
  // On the caller's thread, whose fits let go of their kept rows, it streams them all: the same bits either way.
  return fitLogisticPath(X, y, undefined, [(params['C'] ?? 1) as number], pathParams(params), {
    inputsChecked: true, ...(target ? { target } : {}), ...(target && labels ? { labels } : {}),
    ...(start ? { start, keepRows: 'existing' } : {}), ...(curvature ? { curvature } : {}),
  })[0]!;
}

/** Each candidate's solution on each fold a path task reported, and the curvature one kept, for the refit's start. */
class FoldSolutions {
  /** Per candidate, its solution on each fold, by fold index: summed in fold order, never arrival order. */
  private readonly byCandidate = new Map<number, Float64Array[]>();
  private readonly curvatures = new Map<number, FoldCurvature>();

  /** `folds`: the refit starts from the solutions on folds 0 .. folds − 1 (see startFolds). */
  constructor(private readonly folds: number) {}

  /** Whether the candidate's solutions on every fold its refit starts from are in. */
  complete(candidate: number): boolean {
    const byFold = this.byCandidate.get(candidate) ?? [];
    for (let fold = 0; fold < this.folds; fold++) if (byFold[fold] === undefined) return false;
    return true;
  }

  add(task: LogisticPathTask, result: TaskResult): void {
    this.addCurvatures(task, result);
    const packed = result.coefficients;
    if (!(packed instanceof Float64Array) || packed.length % task.candidates.length !== 0) return;
    const size = packed.length / task.candidates.length;
    task.candidates.forEach((c, i) => {
      const byFold = this.byCandidate.get(c.id) ?? [];
      byFold[task.fold] = packed.subarray(i * size, (i + 1) * size);
      this.byCandidate.set(c.id, byFold);
    });
  }

  /** The curvature a path of the first fold ended the candidate's fit with (multinomial), if one was kept. */
  curvature(candidate: number): FoldCurvature | undefined {
    return this.curvatures.get(candidate);
  }

  /** The curvatures a `keepCurvatures` task handed back, by candidate (a malformed result keeps none: they only speed the refit). */
  private addCurvatures(task: LogisticPathTask, result: TaskResult): void {
    const { curvatures, curvatureOf, weightSum } = result;
    if (!(curvatures instanceof Float64Array) || !Array.isArray(curvatureOf) || curvatureOf.length !== task.candidates.length) return;
    const count = Math.max(0, ...curvatureOf) + 1;
    const size = curvatures.length / count;
    const side = Math.sqrt(size);
    if (!Number.isInteger(side) || !(typeof weightSum === 'number' && weightSum > 0)) return;
    task.candidates.forEach((c, i) => {
      const at = curvatureOf[i]!;
      if (Number.isInteger(at) && at >= 0) this.curvatures.set(c.id, { hess: curvatures.subarray(at * size, (at + 1) * size), weightSum });
    });
  }

  /**
   * The mean solution over the folds the refit starts from, or undefined when there is none or
   * they differ in size (a fold lacked a class). Where none of those folds ran (a resumed search
   * whose journal held them) the folds that did serve: no early refit starts then (see
   * complete), so the refit's start still depends only on what ran, never on when.
   */
  mean(candidate: number): Float64Array | undefined {
    // In fold order, so that the refit's start (and so its last bits) does not depend on which task finished first.
    const byFold = this.byCandidate.get(candidate) ?? [];
    const first = byFold.slice(0, this.folds).filter((x) => x !== undefined);
    const list = first.length > 0 ? first : byFold.filter((x) => x !== undefined);
    if (list.length === 0 || list.some((x) => x.length !== list[0]!.length)) return undefined;
    const out = new Float64Array(list[0]!.length);
    for (const x of list) for (let i = 0; i < out.length; i++) out[i]! += x[i]! / list.length;
    return out;
  }
}

/** Where a path's C is: `C`, or `<step>__C` in a pipeline (`prefix` then names the step). */
export interface PathTarget {
  readonly cKey: string;
  /** '' for a bare LogisticRegression, '<step>__' for a pipeline's final step. */
  readonly prefix: string;
}

/**
 * The path target of a model, or undefined when no path applies: a LogisticRegression, or a
 * pipeline of StandardScalers ending in one.
 */
export function pathTarget(model: ModelSpec): PathTarget | undefined {
  if (model.name === 'logistic') return { cKey: 'C', prefix: '' };
  const steps = model.steps;
  if (model.name !== 'pipeline' || steps === undefined || steps.length === 0) return undefined;
  const last = steps[steps.length - 1]!;
  if (last.kind !== 'logistic' || steps.slice(0, -1).some((s) => s.kind !== 'standard_scaler')) return undefined;
  return { cKey: `${last.name}__C`, prefix: `${last.name}__` };
}

/**
 * The path solver's settings from a candidate's params (LogisticRegression's defaults
 * otherwise); `prefix` picks a pipeline's final step's (`logisticregression__`).
 */
export function pathParams(params: Params, prefix = ''): LogisticPathParams {
  return {
    fitIntercept: (params[`${prefix}fitIntercept`] ?? true) as boolean,
    maxIter: (params[`${prefix}maxIter`] ?? 100) as number,
    tol: (params[`${prefix}tol`] ?? 1e-4) as number,
    classWeight: (params[`${prefix}classWeight`] ?? null) as ClassWeight,
  };
}

/** Candidate ids grouped by every parameter except C: each group shares one path per fold. */
function groupByAllButC(candidates: readonly Params[], base: Params, cKey: string): number[][] {
  const groups = new Map<string, number[]>();
  candidates.forEach((params, id) => {
    const { [cKey]: _c, ...rest } = { ...base, ...params };
    const key = JSON.stringify(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const list = groups.get(key) ?? [];
    list.push(id);
    groups.set(key, list);
  });
  return [...groups.values()];
}
