/**
 * Turns the fits a search needs into tasks, and task results back into fit records.
 * The plain plan gives each task one fold and a run of candidates; models with a fast
 * path (ridge) get a plan whose tasks share work between every candidate and fold.
 */
import type { NdArray } from '../data/ndarray.js';
import type { Estimator, FloatMatrix, Params } from '../models/estimator.js';
import type { CandidateRef, FitRecord, TaskMessage, TaskResult } from '../workers/protocol.js';
import { planLogisticPaths } from './logistic-plan.js';
import { planRidgeStats } from './ridge-plan.js';
import type { Fold } from './types.js';

/** One fit still to run. */
export interface PendingFit {
  readonly candidate: number;
  readonly fold: number;
  readonly trainSize?: number;
}

/** The parts every task of one search shares. */
export interface TaskContext {
  readonly store: string;
  readonly foldSet: string;
  readonly model: Extract<TaskMessage, { kind: 'cv' }>['model'];
  readonly scoring: readonly string[];
  readonly returnTrainScore: boolean;
  readonly errorScore: number | 'raise';
}

/** What a planner sees. */
export interface PlanInput {
  readonly pending: readonly PendingFit[];
  readonly candidates: readonly Params[];
  readonly context: TaskContext;
  readonly concurrency: number;
  readonly folds: readonly Fold[];
  readonly X: FloatMatrix;
  readonly y: NdArray;
}

/** Tasks to run, and how their results become fit records. */
export interface Plan {
  readonly tasks: readonly TaskMessage[];
  /** Fit records a finished task completes (a fast path may return them all with its last task). */
  collect(task: TaskMessage, result: TaskResult): FitRecord[];
  /** Records for a task that failed as a whole, or undefined to fail the search. */
  failed(task: TaskMessage, error: unknown): FitRecord[] | undefined;
  /**
   * After every task: the estimator fitted on all rows with candidate `candidate`'s params,
   * when the plan can give it from work it already did (ridge's statistics; logistic paths
   * start it from their fold solutions); else undefined.
   */
  refit?(candidate: number): Estimator | undefined;
  /**
   * True when the plan's tasks read every value of X and it rejects the search, with the
   * DataError the up-front check would give, if one is NaN or infinite: the engine then skips
   * reading X beforehand (one pass over the data instead of two).
   */
  readonly checksFiniteX?: boolean;
}

/** Tasks per worker the plain plan aims for: enough to balance uneven fits. */
const TASKS_PER_WORKER = 8;

/** Picks the fast plan where one applies, the plain plan otherwise. */
export function planTasks(input: PlanInput): Plan {
  return planRidgeStats(input) ?? planLogisticPaths(input) ?? planCvTasks(input);
}

/**
 * The plain plan: fits grouped by (fold, train size), candidates chunked so that there are
 * about `TASKS_PER_WORKER` tasks per worker.
 */
export function planCvTasks(input: PlanInput): Plan {
  const { pending, candidates, context, concurrency } = input;
  const groups = new Map<string, PendingFit[]>();
  for (const fit of pending) {
    const key = `${fit.fold}/${fit.trainSize ?? ''}`;
    const list = groups.get(key) ?? [];
    list.push(fit);
    groups.set(key, list);
  }
  const chunk = Math.max(1, Math.floor(pending.length / (concurrency * TASKS_PER_WORKER)));
  const tasks: TaskMessage[] = [];
  for (const fits of groups.values()) {
    for (let i = 0; i < fits.length; i += chunk) {
      const part = fits.slice(i, i + chunk);
      const first = part[0]!;
      const refs: CandidateRef[] = part.map((f) => ({ id: f.candidate, params: candidates[f.candidate]! }));
      tasks.push({
        kind: 'cv', ...context, candidates: refs, folds: [first.fold],
        ...(first.trainSize === undefined ? {} : { trainSize: first.trainSize }),
      });
    }
  }
  const errorScore = context.errorScore;
  return {
    tasks,
    collect: (_task, result) => [...result.records],
    failed: errorScore === 'raise' ? () => undefined : (task, error) => {
      if (task.kind !== 'cv') return undefined;
      const fits = task.candidates.flatMap((c) => task.folds.map((fold) => ({
        candidate: c.id, fold, ...(task.trainSize === undefined ? {} : { trainSize: task.trainSize }),
      })));
      return errorRecords(fits, task, errorScore, `task failed: ${messageOf(error)}`);
    },
  };
}

/**
 * Records for fits that failed: `errorScore` for every scorer (train too when asked for),
 * with the message. Used for a failed fit and for a task that failed as a whole.
 */
export function errorRecords(
  fits: readonly PendingFit[], task: Pick<TaskContext, 'scoring' | 'returnTrainScore'>, errorScore: number, message: string,
  fitTime = 0,
): FitRecord[] {
  const scores = Object.fromEntries(task.scoring.map((s) => [s, errorScore]));
  return fits.map((fit) => ({
    ...fit, test: scores, ...(task.returnTrainScore ? { train: scores } : {}), fitTime, scoreTime: 0, error: message,
  }));
}

/** An error's message, for records and logs. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
