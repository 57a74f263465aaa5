/**
 * What a plan is: the fits a search still needs, the tasks a planner turns them into, and how
 * task results (or a task's failure) become fit records. A leaf of the search layer: the
 * planner, every fast plan and the worker-side task runners import it, and it imports none of
 * them, so a worker thread loads no planner.
 */
import type { NdArray } from '../data/ndarray.js';
import type { Estimator, FloatMatrix, Params } from '../models/estimator.js';
import type { FitRecord, TaskMessage, TaskResult } from '../workers/protocol.js';
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
  readonly scorers?: TaskMessage['scorers'];
  readonly fitParams?: readonly string[];
  readonly returnTrainScore: boolean;
  readonly errorScore: number | 'raise';
}

/**
 * Warm starts across evaluations (successive halving's rungs): `starts(candidate, fold)` gives
 * a fit's starting coefficients (a record's `solution` from the previous evaluation), `keep`
 * asks the plan to put each fit's solution in its record. Only logistic paths use them.
 */
export interface WarmStarts {
  readonly keep: boolean;
  readonly starts?: (candidate: number, fold: number) => readonly number[] | undefined;
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
  /** y's values as float64, as the engine checked them (a plan's work on the main thread need not convert y again). */
  readonly target?: Float64Array;
  /**
   * X as the store maps it (the engine's persisted copy or reference: the same values), through
   * the mapping the pool's threads share in this process: work on the main thread that reads it
   * finds the pages they touched already mapped (see openStore).
   */
  readonly storeX?: FloatMatrix;
  readonly warm?: WarmStarts;
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
   * A task that fits what `refit(candidate)` would, to the bit, on a thread of the search's
   * pool, once the work it starts from is all in (else undefined): the search runs it for its
   * leading candidates while its last tasks run (early-refit.ts). Absent: never.
   */
  refitTask?(candidate: number): TaskMessage | undefined;
  /** The estimator a `refitTask`'s result carries, or undefined when it carries none. */
  refitResult?(result: TaskResult): Estimator | undefined;
  /**
   * True when the plan's tasks read every value of X and it rejects the search, with the
   * DataError the up-front check would give, if one is NaN or infinite: the engine then skips
   * reading X beforehand (one pass over the data instead of two).
   */
  readonly checksFiniteX?: boolean;
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
