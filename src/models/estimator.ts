/**
 * The estimator contract every memgrid model follows (scikit-learn's, in TypeScript):
 * construct with params, `fit` returns `this`, learned state behind readonly getters,
 * `getParams`/`setParams`/`clone` so a search can copy it. Models work on NdArray views
 * and optional row-index sets, and never touch the file system.
 */
import type { NdArray } from '../data/ndarray.js';

/** Feature matrices models accept: 2-d float64 or float32, C or F order, in memory or mapped. */
export type FloatMatrix = NdArray<'float64'> | NdArray<'float32'>;

/**
 * A weight per label, keyed by the label as JSON writes it (`{ "0": 1, "1": 5 }`):
 * LogisticRegression's `classWeight`, scikit-learn's `class_weight` dict.
 */
export type LabelWeights = Readonly<Record<string, number>>;

/** One hyperparameter value: JSON-able, as configs, task messages and journals carry it. */
export type ParamValue = number | string | boolean | null | LabelWeights;

/** Hyperparameters: plain JSON-able values keyed by scikit-learn-style camelCase names. */
export type Params = Readonly<Record<string, ParamValue>>;

/** Model names the registry knows; task messages carry these, never code. */
export type ModelName = 'ridge' | 'logistic';

/** Transformers a pipeline step may be (before the model). */
export type TransformerName = 'standard_scaler';

/** What a pipeline step is: a transformer or the final model. */
export type StepKind = ModelName | TransformerName;

/** Names estimators report: a model's, or 'pipeline'. */
export type EstimatorName = ModelName | 'pipeline';

/**
 * A model as task messages name it: a registry name and params; for a pipeline, its steps
 * (name and kind, in order) and params named `step__param`. Never code.
 */
export interface ModelSpec {
  readonly name: EstimatorName;
  readonly params: Params;
  readonly steps?: readonly { readonly name: string; readonly kind: StepKind }[];
}

/**
 * Optional subset of rows to fit or predict on: indices into X's first axis.
 * Models read those rows in place; nothing is copied out.
 */
export type Rows = Int32Array | undefined;

/**
 * Per-row weights: one per row of X (indexed by row id, like y, also when fitting on `rows`),
 * as an NdArray, a typed array or a list; or one number for every row.
 */
export type SampleWeight = NdArray | Float64Array | Float32Array | readonly number[] | number;

/**
 * The map x' = (x − shift) / scale, per feature. A model fitted with one learns on x' (its
 * coefficients are in x' space, as a scikit-learn pipeline's last step's are) without x' ever
 * being written out.
 */
export interface AffineMap {
  readonly shift: Float64Array;
  readonly scale: Float64Array;
}

/** Options of `fit(X, y, options)`. */
export interface FitOptions {
  /** Fit on these rows of X and y only (read in place, never copied). */
  readonly rows?: Rows;
  /** Per-row weights (see {@link SampleWeight}). */
  readonly sampleWeight?: SampleWeight;
  /**
   * Internal (memgrid's pipelines): learn on (x − shift) / scale. Estimators that take it list
   * 'featureMap' in their `fitOptions`.
   */
  readonly featureMap?: AffineMap;
  /**
   * Iterative models (LogisticRegression): start the solver at these coefficients instead of
   * at 0, packed as the model's `packedCoef` (e.g. the previous fit along a path of C).
   */
  readonly warmStart?: Float64Array;
}

/** The names of {@link FitOptions}. */
export type FitOptionName = keyof FitOptions;


/** A fitted pipeline step before the model (a StandardScaler's learned mean and scale). */
export interface TransformerState {
  /** The step's name in the pipeline. */
  readonly step: string;
  readonly kind: TransformerName;
  readonly params: Params;
  /** Per-feature shift and scale of x' = (x − shift) / scale. */
  readonly shift: NdArray<'float64'>;
  readonly scale: NdArray<'float64'>;
  /** scikit-learn's `mean_`, `var_` and `n_samples_seen_`, for inspection. */
  readonly mean: NdArray<'float64'>;
  readonly var: NdArray<'float64'>;
  readonly nSamplesSeen: number;
}

/** What a fitted model persists (for dump/load and results.json). */
export interface EstimatorState {
  /** The model's name, or 'pipeline' (then `coef`, `intercept`, `classes` are its final step's). */
  readonly name: EstimatorName;
  readonly params: Params;
  /** Shape [nFeatures] for ridge; [1, nFeatures] for binary logistic (as scikit-learn's coef_), [nClasses, nFeatures] for multinomial. */
  readonly coef: NdArray<'float64'>;
  /** Shape [] (0-d) for ridge; [1] for binary logistic, [nClasses] for multinomial; see `coef`. */
  readonly intercept: NdArray<'float64'>;
  /** Class labels, for classifiers. */
  readonly classes?: NdArray<'float64'>;
  /** Iterations used by an iterative solver. */
  readonly nIter?: number;
  /** Pipelines: the fitted steps before the model, in order. */
  readonly transformers?: readonly TransformerState[];
  /** Pipelines: the final step's name and model. */
  readonly final?: { readonly step: string; readonly name: ModelName; readonly params: Params };
}

/** An estimator: regression or classification model with scikit-learn's lifecycle. */
export interface Estimator {
  readonly name: EstimatorName;
  readonly kind: 'regressor' | 'classifier';
  /**
   * Fit on all rows, or on some (`rows`, or `{ rows }`), with the options the model lists in
   * `fitOptions` (`{ sampleWeight }`). Labels may be any numeric dtype. Returns `this`.
   */
  fit(X: FloatMatrix, y: NdArray, options?: Rows | FitOptions): this;
  /** The fit options this model takes beside `rows` (none when absent). */
  readonly fitOptions?: readonly FitOptionName[];
  /** Predictions for all rows or for `rows`, in that order. */
  predict(X: FloatMatrix, rows?: Rows): Float64Array;
  /** The default score: R² for regressors, accuracy for classifiers. */
  score(X: FloatMatrix, y: NdArray, rows?: Rows): number;
  getParams(): Params;
  /** Set some params; unknown names throw a ValueError naming them. Returns `this`. */
  setParams(params: Params): this;
  /** An unfitted copy with the same params. */
  clone(): Estimator;
  /** Whether `fit` has run. */
  readonly fitted: boolean;
  /** Learned state; throws if not fitted. */
  state(): EstimatorState;
  /** How the last fit's iterative solver went, for models that have one. */
  solverReport?(): SolverReport | undefined;
}

/**
 * How an iterative solver's fit went: its steps (scikit-learn's `n_iter_`), whether it met its
 * tolerance within `maxIter` (scikit-learn warns with a ConvergenceWarning when not), and its
 * passes over the training rows, gradient-only and with a Hessian.
 */
export interface SolverReport {
  readonly nIter: number;
  readonly converged: boolean;
  readonly gradientPasses: number;
  readonly hessianPasses: number;
}

/** A classifier adds probabilities and its classes. */
export interface Classifier extends Estimator {
  readonly kind: 'classifier';
  /** Sorted class labels seen in fit. */
  readonly classes: Float64Array;
  /** Row-major [nRows, nClasses] probabilities. */
  predictProba(X: FloatMatrix, rows?: Rows): Float64Array;
  /** Decision values: [nRows] for binary, row-major [nRows, nClasses] for multinomial. */
  decisionFunction(X: FloatMatrix, rows?: Rows): Float64Array;
  /**
   * `predict`'s labels from `decisionFunction`'s values, when the model can give them: scorers
   * that need labels and probabilities then compute the margins once.
   */
  predictFromDecision?(decision: Float64Array): Float64Array;
  /** `predictProba`'s probabilities from `decisionFunction`'s values (see predictFromDecision). */
  probaFromDecision?(decision: Float64Array): Float64Array;
}

/** True when `e` is a classifier. */
export function isClassifier(e: Estimator): e is Classifier {
  return e.kind === 'classifier';
}
