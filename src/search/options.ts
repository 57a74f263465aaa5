/**
 * Options and result shapes shared by GridSearch, RandomizedSearch, learningCurve and
 * validationCurve. Names follow scikit-learn (camelCased) so users recognise them.
 */
import type { ParamValue, Params } from '../models/estimator.js';
import type { Executor, FitRecord } from '../workers/protocol.js';
import type { SampleWeight } from '../models/estimator.js';
import type { ScoringOption } from './scoring.js';
import type { Fold, Groups, Splitter } from './types.js';

/** Progress of a running search, reported after every finished task. */
export interface SearchProgress {
  /** (candidate, fold) fits finished, including those restored from a journal. */
  readonly done: number;
  readonly total: number;
  /** Seconds since the search started. */
  readonly elapsed: number;
  /** Best mean test score (refit metric) over candidates whose folds are all done, if any. */
  readonly bestScore?: number;
  /** Per-worker memory, when the executor reports it (see WorkerMemory). */
  readonly workers?: readonly WorkerMemory[];
  /** Memory of each host the workers run on, as last reported. */
  readonly hosts?: readonly HostMemory[];
}

/**
 * Memory one worker uses, split as the seed notebook monitors per engine: the part that is
 * the shared mapped dataset, and the worker's own.
 */
export interface WorkerMemory {
  /** `host/pid/thread`, or `name/thread` for a worker process started with `--name`. */
  readonly worker: string;
  readonly host: string;
  /** Bytes of the dataset resident in memory for this worker (its pages in the host's page cache): never above the dataset's size. */
  readonly datasetResident: number;
  /** Bytes of the worker's own JS heap. */
  readonly heapUsed: number;
  /** Anonymous (private) resident bytes of the worker's process, shared by its threads. */
  readonly privateBytes?: number;
}

/** A host's memory: its total and what is available (Linux's MemAvailable), the seed notebook's cluster-wide view. */
export interface HostMemory {
  readonly host: string;
  readonly totalBytes: number;
  readonly freeBytes: number;
}

/** Identifies a (candidate, fold) fit across runs: used by journals to resume. */
export interface FitKey {
  /** Content hash of the dataset store. */
  readonly data: string;
  /** Id (content hash) of the fold set. */
  readonly folds: string;
  readonly model: string;
  readonly params: Params;
  readonly fold: number;
  readonly trainSize?: number;
}

/**
 * What `search.fit(X, y, fitOptions)` takes besides the data (curves take the same keys in
 * their options): `groups`, one label per row, for the group-aware splitters; and
 * scikit-learn's `fit_params`, routed to every fit on its training rows and to the refit:
 * `sampleWeight` for a model that takes weights, `<step>__sampleWeight` for a pipeline step.
 */
export interface SearchFitOptions {
  /** Group labels (numbers or strings), one per row: GroupKFold and StratifiedGroupKFold read them. */
  readonly groups?: Groups;
  /** Per-row weights (one per row of X, or one number), as the estimator's `fit` takes them. */
  readonly sampleWeight?: SampleWeight;
  /** A pipeline step's weights, by step name (scikit-learn's `step__sample_weight`). */
  readonly [routed: `${string}__sampleWeight`]: SampleWeight | undefined;
}

/** Options every search and curve accepts. */
export interface SearchOptions {
  /** A fold count (KFold / StratifiedKFold by estimator kind), a splitter, or explicit folds. Default 5. */
  readonly cv?: number | Splitter | readonly Fold[];
  /**
   * A scorer name, a list of names, a scorer (`makeScorer`, or `{ module, name }` for worker
   * threads), or an object of named scorers. Default: r2 for regressors, accuracy for classifiers.
   * A single scorer gives `*_score` columns; a list or object keeps each metric's name.
   */
  readonly scoring?: ScoringOption;
  /** Metric used to pick the best candidate and refit; `false` to skip refitting. Default true (the only metric). */
  readonly refit?: boolean | string;
  /** Worker threads; default `os.availableParallelism()`. 0 runs inline in this thread. */
  readonly workers?: number;
  /** A ready executor (thread pool, redis queue); overrides `workers`. The caller closes it. */
  readonly executor?: Executor;
  readonly returnTrainScore?: boolean;
  /** Score recorded for a failed fit (default NaN), or 'raise' to stop at the first failure. */
  readonly errorScore?: number | 'raise';
  readonly signal?: AbortSignal;
  /** Where in-memory X/y are persisted as a dataset store; default `$MEMGRID_STORE_ROOT`, else `<os tmpdir>/memgrid-stores-<uid>`. */
  readonly storeRoot?: string;
  /** Called after each task with progress. */
  readonly onProgress?: (progress: SearchProgress) => void;
  /** Called for every finished fit as it arrives (journals append these). */
  readonly onRecord?: (record: FitRecord, key: FitKey) => void;
  /** Fits already done in an earlier run: looked up by key and not run again. */
  readonly completed?: (key: FitKey) => FitRecord | undefined;
  /**
   * Emit each of the search's scoring warnings once as a process warning, as Python shows
   * scikit-learn's (default true); false only collects them in `search.warnings`.
   */
  readonly emitWarnings?: boolean;
}

/**
 * scikit-learn's `cv_results_`, column-oriented: `params` (memgrid's param names, as the
 * estimators take them), `param_<name>` (scikit-learn's spelling: `param_fit_intercept`),
 * `split<k>_test_<metric>`, `mean_test_<metric>`, `std_test_<metric>`, `rank_test_<metric>`,
 * `mean_fit_time`, `std_fit_time`, `mean_score_time`, `std_score_time`, and `_train_` columns
 * when asked for. With one metric, `<metric>` is `score`.
 */
export type CvResults = { readonly params: readonly Params[] } & Readonly<Record<string, readonly unknown[]>>;

/** What `learningCurve` returns: one row per train size, one column per fold. */
export interface LearningCurveResult {
  readonly trainSizes: readonly number[];
  readonly trainScores: readonly (readonly number[])[];
  readonly testScores: readonly (readonly number[])[];
  readonly fitTimes: readonly (readonly number[])[];
  readonly scoreTimes: readonly (readonly number[])[];
  readonly scoring: string;
  /** What scikit-learn would warn about, one line each (see GridSearch's `warnings`). */
  readonly warnings: readonly string[];
}

/** What `validationCurve` returns: one row per parameter value, one column per fold. */
export interface ValidationCurveResult {
  readonly paramName: string;
  readonly paramRange: readonly (ParamValue)[];
  readonly trainScores: readonly (readonly number[])[];
  readonly testScores: readonly (readonly number[])[];
  readonly scoring: string;
  /** What scikit-learn would warn about, one line each (see GridSearch's `warnings`). */
  readonly warnings: readonly string[];
}
