/**
 * The estimator contract every memgrid model follows (scikit-learn's, in TypeScript):
 * construct with params, `fit` returns `this`, learned state behind readonly getters,
 * `getParams`/`setParams`/`clone` so a search can copy it. Models work on NdArray views
 * and optional row-index sets, and never touch the file system.
 */
import type { NdArray } from '../data/ndarray.js';

/** Feature matrices models accept: 2-d float64 or float32, C or F order, in memory or mapped. */
export type FloatMatrix = NdArray<'float64'> | NdArray<'float32'>;

/** Hyperparameters: plain JSON-able values keyed by scikit-learn-style camelCase names. */
export type Params = Readonly<Record<string, number | string | boolean | null>>;

/** Model names the registry knows; task messages carry these, never code. */
export type ModelName = 'ridge' | 'logistic';

/**
 * Optional subset of rows to fit or predict on: indices into X's first axis.
 * Models read those rows in place; nothing is copied out.
 */
export type Rows = Int32Array | undefined;

/** What a fitted model persists (for dump/load and results.json). */
export interface EstimatorState {
  readonly name: ModelName;
  readonly params: Params;
  /** Shape [nFeatures] for ridge; [1, nFeatures] for binary logistic (as scikit-learn's coef_), [nClasses, nFeatures] for multinomial. */
  readonly coef: NdArray<'float64'>;
  /** Shape [] (0-d) for ridge; [1] for binary logistic, [nClasses] for multinomial; see `coef`. */
  readonly intercept: NdArray<'float64'>;
  /** Class labels, for classifiers. */
  readonly classes?: NdArray<'float64'>;
  /** Iterations used by an iterative solver. */
  readonly nIter?: number;
}

/** An estimator: regression or classification model with scikit-learn's lifecycle. */
export interface Estimator {
  readonly name: ModelName;
  readonly kind: 'regressor' | 'classifier';
  /** Fit on all rows, or on `rows` only. Labels may be any numeric dtype. Returns `this`. */
  fit(X: FloatMatrix, y: NdArray, rows?: Rows): this;
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
