/**
 * The typed task protocol between a search and whoever runs its tasks (the same thread,
 * a worker thread, or a worker on another host). A message carries only small data:
 * the store path, a model name and params, fold and candidate ids. Never array data.
 */
import type { EstimatorState, ModelSpec, Params, SolverReport } from '../models/estimator.js';

export type { ModelSpec };

/** One hyperparameter candidate, by its index in the search's candidate list. */
export interface CandidateRef {
  readonly id: number;
  readonly params: Params;
}

/**
 * Where a scorer a task names comes from, when the name is not a built-in scorer name: a
 * built-in under another name (a scoring dict), a module each worker imports (a `file:` URL),
 * or a scorer registered in the coordinating thread (only for tasks run in that thread).
 */
export type ScorerSource =
  | { readonly kind: 'builtin'; readonly name: string }
  | { readonly kind: 'module'; readonly url: string; readonly export: string; readonly needs?: 'predict' | 'proba' | 'decision'; readonly greaterIsBetter?: boolean }
  | { readonly kind: 'inline'; readonly id: string };

/** Fields every task carries. */
interface TaskBase {
  /** Absolute path of the dataset store folder (manifest.json, X.npy, y.npy, folds/). */
  readonly store: string;
  /** Id of the fold set written into the store's `folds/` folder. */
  readonly foldSet: string;
  /**
   * Fit params every fit receives, read per row from the fold set's arrays (`sampleWeight`, or
   * `<step>__sampleWeight` for a pipeline): names only, the arrays stay in the store.
   */
  readonly fitParams?: readonly string[];
  readonly model: ModelSpec;
  /** Metric names: scikit-learn scorer names, or keys of `scorers`. */
  readonly scoring: readonly string[];
  /** Where each metric that is not a built-in scorer name comes from. */
  readonly scorers?: Readonly<Record<string, ScorerSource>>;
  readonly returnTrainScore: boolean;
  /** Score recorded for a fit that throws; 'raise' makes the task fail instead. */
  readonly errorScore: number | 'raise';
}

/**
 * Fit every candidate on every listed fold and score it: the plain path any model supports.
 * `trainSize`, when set, fits on the first `trainSize` rows of each fold's training set
 * (learning curves).
 */
export interface CvTask extends TaskBase {
  readonly kind: 'cv';
  readonly candidates: readonly CandidateRef[];
  readonly folds: readonly number[];
  readonly trainSize?: number;
}

/**
 * Ridge's fast path: accumulate sufficient statistics over rows [rowStart, rowEnd) into one
 * cell per (segment, test fold), all around the same `shift`/`yShift`. Segments split the
 * row index range at `cutoffs` (learning-curve prefix boundaries; none for a grid search).
 * The coordinator adds cells up into every training and test fold and solves every alpha.
 */
export interface RidgeStatsTask extends TaskBase {
  readonly kind: 'ridge-stats';
  readonly rowStart: number;
  readonly rowEnd: number;
  readonly cutoffs: readonly number[];
  readonly shift: readonly number[];
  readonly yShift: number;
}

/**
 * Logistic regression's fast path: fit the candidates (which differ only in `C`) on one
 * fold as a warm-started path along ascending C, then score each like a `cv` task.
 */
export interface LogisticPathTask extends TaskBase {
  readonly kind: 'logistic-path';
  readonly candidates: readonly CandidateRef[];
  readonly fold: number;
  /**
   * Where the path's first fit starts instead of at 0, packed as a record's `solution` (a
   * halving rung: the first candidate's solution on the same fold of the previous rung).
   * Ignored when its length does not fit the problem (a fold that lacks a class).
   */
  readonly start?: readonly number[];
  /** Put each fit's solution in its record (`solution`): a halving search starts the next rung from them. */
  readonly keepSolutions?: boolean;
  /**
   * Return the curvature each multinomial fit ended with (`curvatures`, `curvatureOf`,
   * `weightSum`): the search's refit starts from one instead of taking a Hessian.
   */
  readonly keepCurvatures?: boolean;
}

/**
 * A search's refit of one LogisticRegression candidate on all rows, run on a pool thread while
 * the search's last tasks still run (search/early-refit.ts): the same fit, to the bit, as the
 * plan's refit on the caller's thread. Only thread pools run it (`Executor.runsEarlyRefits`), so
 * unlike a queue's messages it carries its start and curvature as arrays.
 */
export interface LogisticRefitTask extends TaskBase {
  readonly kind: 'logistic-refit';
  readonly candidate: CandidateRef;
  /** Where the fit starts (packed as a path's coefficients); ignored when its length does not fit the problem. */
  readonly start?: Float64Array;
  /** A loss Hessian to start from and the weight of the rows it summed (models/logistic-path.ts, FoldCurvature). */
  readonly curvature?: { readonly hess: Float64Array; readonly weightSum: number };
}

/** Every task kind. Kinds beside `cv` are fast paths the planner picks for some models. */
export type TaskMessage = CvTask | RidgeStatsTask | LogisticPathTask | LogisticRefitTask;

/** The outcome of one (candidate, fold[, train size]) fit. */
export interface FitRecord {
  readonly candidate: number;
  readonly fold: number;
  readonly trainSize?: number;
  /** Scores keyed by scorer name; the error score where the fit failed. */
  readonly test: Readonly<Record<string, number>>;
  readonly train?: Readonly<Record<string, number>>;
  /** Seconds. */
  readonly fitTime: number;
  readonly scoreTime: number;
  /** The error message when the fit threw and `errorScore` was a number. */
  readonly error?: string;
  /** Iterative solvers: how the fit went (steps, convergence, passes over its training rows). */
  readonly solver?: SolverReport;
  /** Warnings the fit and its scoring raised (a metric that failed is one: its score is `errorScore`). */
  readonly warnings?: readonly FitWarning[];
  /**
   * A logistic path fit's coefficients, packed per output as [w_0 .. w_{d-1}, b], when its task
   * asked (`keepSolutions`). Journaled with the record, so a resumed halving search starts each
   * rung from the same solutions as an uninterrupted one.
   */
  readonly solution?: readonly number[];
}

/** A warning one fit raised, with the metric whose scoring raised it. */
export interface FitWarning {
  /** Python's warning class name: `UndefinedMetricWarning`, `UserWarning`, ... */
  readonly type: string;
  readonly message: string;
  readonly metric?: string;
}

export type { SolverReport };

/** What a task returns: fit records, or (fast paths) statistics the coordinator turns into records. */
export interface TaskResult {
  readonly records: readonly FitRecord[];
  /** `ridge-stats`: the cells' GramStats packed back to back (see models/ridge-stats.ts). */
  readonly stats?: Float64Array;
  /** `logistic-path`: each candidate's solution (models/logistic-path.ts's packing), in task order, back to back. */
  readonly coefficients?: Float64Array;
  /**
   * `logistic-path` with `keepCurvatures` (multinomial): the distinct loss Hessians (K×K,
   * solver coordinates) the fits ended with, back to back; `curvatureOf` gives each candidate's
   * (task order) index among them, −1 for none; `weightSum` the weight of the rows they sum.
   */
  readonly curvatures?: Float64Array;
  readonly curvatureOf?: readonly number[];
  readonly weightSum?: number;
  /** `logistic-refit`: the fitted model's state and how its fit went (no records). */
  readonly model?: { readonly state: EstimatorState; readonly report?: SolverReport };
  /** Seconds the task spent computing, measured in the worker. */
  readonly elapsed?: number;
  /** Memory of the worker that ran it, when it can tell. */
  readonly worker?: WorkerReport;
}

/** A worker's memory and its host's, as measured when it finished a task (see workers/memory.ts). */
export interface WorkerReport {
  /** `host/pid/thread`, or `name/thread` for a named worker process. */
  readonly worker: string;
  readonly host: string;
  /** Bytes of the task's dataset resident in memory, read through this worker's mappings: at most the dataset's size. */
  readonly datasetResident: number;
  /** This thread's JS heap in use. */
  readonly heapUsed: number;
  /** Anonymous (private) resident bytes of the worker's whole process. */
  readonly privateBytes: number;
  readonly hostTotalBytes: number;
  /** The host's MemAvailable. */
  readonly hostFreeBytes: number;
}

/**
 * Runs tasks. Implementations: inline (same thread), thread pool (piscina), redis queue.
 * `run` rejects (never throws synchronously); a rejected or aborted task leaves the
 * executor usable.
 */
export interface Executor {
  /** How many tasks it runs at once. */
  readonly concurrency: number;
  /**
   * Whether a search may send it `logistic-refit` tasks to run while its last tasks do: threads
   * of this process, which would otherwise idle (search/early-refit.ts). Default false.
   */
  readonly runsEarlyRefits?: boolean;
  run(task: TaskMessage, signal?: AbortSignal): Promise<TaskResult>;
  /** Release threads and connections. Idempotent. */
  close(): Promise<void>;
}
