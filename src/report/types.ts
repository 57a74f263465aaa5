/**
 * The files a run leaves in its folder, as types: what `memgrid run` writes and what
 * `memgrid plot` reads back to re-render the plots and the report.
 */
import type { Params } from '../models/estimator.js';
import type { SolverStats } from '../search/convergence.js';
import type { CvResults, HostMemory, LearningCurveResult, ValidationCurveResult, WorkerMemory } from '../search/options.js';


/** Memory seen during the run: the dataset is mapped once and shared by every worker. */
export interface MemoryReport {
  /** Bytes of X and y (what each worker would hold if the data were copied). */
  readonly datasetBytes: number;
  /** The coordinating process at the end of the run. */
  readonly coordinator: { readonly host?: string; readonly rss: number; readonly heapUsed: number };
  /** The last report of each worker, when the executor gives one. */
  readonly workers: readonly WorkerMemory[];
  /** Each host's total and available memory: the workers' hosts as they last reported, and the coordinator's at the end. */
  readonly hosts?: readonly HostMemory[];
}

/** `results.json`. Non-finite numbers are written as null. */
export interface RunResults {
  readonly name: string;
  /** Absolute path of the config the run came from. */
  readonly config: string;
  readonly createdAt: string;
  readonly model: {
    readonly name: string;
    readonly params: Params;
    /** The config's `preprocess` steps, when the model is a pipeline. */
    readonly preprocess?: readonly { readonly name: string; readonly params: Params }[];
    /** The pipeline, as `Pipeline(standardscaler=StandardScaler(), ridge=Ridge())`. */
    readonly pipeline?: string;
  };
  readonly data: {
    readonly source: string;
    readonly shape: readonly number[];
    readonly dtype: string;
    readonly hash: string;
    readonly featureNames?: readonly string[];
    /** The target's text labels, when y holds class indices (class k is classes[k]). */
    readonly classes?: readonly string[];
  };
  /** `halving`: cvResults hold one row per (rung, candidate), with `iter` and `n_resources`. */
  readonly kind?: 'grid' | 'random' | 'halving';
  readonly scoring: readonly string[];
  readonly refit: boolean | string;
  readonly refitMetric?: string;
  readonly bestParams?: Params;
  readonly bestScore?: number;
  readonly bestIndex?: number;
  /** The best candidate refitted on all rows: nested lists, as numpy's `tolist()`. */
  readonly bestEstimator?: {
    readonly coef: unknown;
    readonly intercept: unknown;
    readonly classes?: unknown;
    /** Pipelines: each fitted scaler (coef and intercept are then the model's, on the scaled features). */
    readonly steps?: readonly { readonly step: string; readonly kind: string; readonly params: Params; readonly mean: unknown; readonly scale: unknown }[];
  };
  readonly cvResults?: CvResults;
  /** Seconds. */
  readonly timings: Readonly<Record<string, number>>;
  readonly fits: {
    readonly total: number;
    readonly restored: number;
    /** Iterative solvers' work over the search's fits (see GridSearch's `solverStats`). */
    readonly solver?: SolverStats;
    /** Newton steps of each search fit: one row per candidate, one column per split. */
    readonly nIter?: readonly (readonly (number | null)[])[];
  };
  /** Fits that failed and were scored with errorScore, with their messages (scikit-learn's FitFailedWarning). */
  readonly fitErrors?: readonly RunFitError[];
  /**
   * What scikit-learn would warn about (fits that did not converge, fits that failed, undefined
   * or uncomputable metrics), one line each, naming its phase: what the CLI prints once on stderr.
   */
  readonly warnings: readonly string[];
  readonly memory: MemoryReport;
}

/** One failed fit of a run, in `results.json`'s `fitErrors`. */
export interface RunFitError {
  readonly phase: 'search' | 'learningCurve' | 'validationCurve';
  readonly params: Params;
  readonly fold: number;
  readonly trainSize?: number;
  readonly message: string;
}

/** `learning_curve.json`: the curve plus per-size means and standard deviations. */
export interface LearningCurveFile extends LearningCurveResult {
  readonly trainMean: readonly number[];
  readonly trainStd: readonly number[];
  readonly testMean: readonly number[];
  readonly testStd: readonly number[];
  /** Params of the estimator the curve was drawn for. */
  readonly params: Params;
}

/** `validation_curve.json`: the curve plus per-value means and standard deviations. */
export interface ValidationCurveFile extends ValidationCurveResult {
  readonly trainMean: readonly number[];
  readonly trainStd: readonly number[];
  readonly testMean: readonly number[];
  readonly testStd: readonly number[];
}

/** Everything a report is drawn from. */
export interface RunContents {
  readonly results: RunResults;
  readonly learningCurve?: LearningCurveFile;
  readonly validationCurve?: ValidationCurveFile;
}

/** File names inside a run folder. */
export const RUN_FILES = {
  results: 'results.json',
  cvResults: 'cv_results.csv',
  learningCurve: 'learning_curve.json',
  validationCurve: 'validation_curve.json',
  report: 'report.html',
  journal: 'journal.jsonl',
  run: 'run.json',
  plots: 'plots',
} as const;
