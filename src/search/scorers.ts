/**
 * Scorers under scikit-learn's names: a metric, the estimator method it needs, and a sign
 * (errors are negated, `neg_*`, so that greater is always better in a search).
 */
import type { NdArray } from '../data/ndarray.js';
import { closestName } from '../did-you-mean.js';
import { ValueError } from '../errors.js';
import { isClassifier, type Classifier, type Estimator, type FloatMatrix, type Rows } from '../models/estimator.js';
import {
  accuracy, balancedAccuracy, f1, logLoss, meanAbsoluteError, meanSquaredError, r2, rocAuc, rootMeanSquaredError,
} from './metrics.js';
import { describe } from './option-checks.js';

/** Which estimator output a scorer reads. */
export type ScorerNeeds = 'predict' | 'proba' | 'decision';

/**
 * A named scorer. Plain objects: other modules may add fields (e.g. a sufficient-statistics
 * fast path) without changing this one.
 */
export interface Scorer {
  /** scikit-learn's scorer name, e.g. `neg_mean_squared_error`. */
  readonly name: string;
  /** False for error metrics; their `score` is already negated, as in scikit-learn. */
  readonly greaterIsBetter: boolean;
  readonly needs: ScorerNeeds;
  /** 'classification' scorers only make sense for classifiers; 'any' works on any estimator. */
  readonly task: 'any' | 'classification';
  /**
   * The score from an output already computed (predictions, probabilities or decision
   * values for the same rows), so one prediction can serve several scorers.
   * `classes` is the classifier's sorted labels (needed for 'proba').
   */
  fromOutput(yTrue: Float64Array, output: Float64Array, classes?: Float64Array): number;
  /** Score `estimator` on all rows of X/y or on `rows`. */
  score(estimator: Estimator, X: FloatMatrix, y: NdArray, rows?: Rows): number;
}

/**
 * Labels of `rows` (or all rows) as float64, read in place from y: a copy of the small label
 * vector only.
 * @example
 * ```ts
 * labelsAt(ndarray('int32', [3], new Int32Array([5, 6, 7])), new Int32Array([2, 0])); // [7, 5]
 * ```
 */
export function labelsAt(y: NdArray, rows?: Rows): Float64Array {
  const data = y.data;
  const n = rows === undefined ? data.length : rows.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Number(data[rows === undefined ? i : rows[i]!]!);
  return out;
}

function output(
  scorer: Pick<Scorer, 'name' | 'needs'>, estimator: Estimator, X: FloatMatrix, rows: Rows, decision: () => Float64Array,
): Float64Array {
  if (scorer.needs === 'predict') {
    return isClassifier(estimator) && estimator.predictFromDecision ? estimator.predictFromDecision(decision()) : estimator.predict(X, rows);
  }
  if (!isClassifier(estimator)) {
    throw new ValueError(`scoring '${scorer.name}' needs a classifier, found the regressor '${estimator.name}'`);
  }
  if (scorer.needs === 'proba') return estimator.probaFromDecision ? estimator.probaFromDecision(decision()) : estimator.predictProba(X, rows);
  if (estimator.classes.length !== 2) {
    throw new ValueError(`scoring '${scorer.name}' supports binary classifiers only, found ${estimator.classes.length} classes`);
  }
  return decision();
}

function makeScorer(
  name: string, needs: ScorerNeeds, task: Scorer['task'], sign: 1 | -1,
  metric: (yTrue: Float64Array, out: Float64Array, classes?: Float64Array) => number,
): Scorer {
  const scorer: Scorer = {
    name,
    greaterIsBetter: sign === 1,
    needs,
    task,
    fromOutput: (yTrue, out, classes) => sign * metric(yTrue, out, classes),
    score: (estimator, X, y, rows) => {
      const out = output(scorer, estimator, X, rows, () => (estimator as Classifier).decisionFunction(X, rows));
      const classes = isClassifier(estimator) ? estimator.classes : undefined;
      return scorer.fromOutput(labelsAt(y, rows), out, classes);
    },
  };
  return Object.freeze(scorer);
}

/** Every scorer memgrid knows, by scikit-learn name. */
export const SCORERS: ReadonlyMap<string, Scorer> = new Map(
  [
    makeScorer('r2', 'predict', 'any', 1, r2),
    makeScorer('neg_mean_squared_error', 'predict', 'any', -1, meanSquaredError),
    makeScorer('neg_root_mean_squared_error', 'predict', 'any', -1, rootMeanSquaredError),
    makeScorer('neg_mean_absolute_error', 'predict', 'any', -1, meanAbsoluteError),
    makeScorer('accuracy', 'predict', 'classification', 1, accuracy),
    makeScorer('balanced_accuracy', 'predict', 'classification', 1, balancedAccuracy),
    // The classifier's classes label the probability columns, so a test fold missing a class still scores.
    makeScorer('neg_log_loss', 'proba', 'classification', -1, (y, p, classes) => logLoss(y, p, classes)),
    makeScorer('roc_auc', 'decision', 'classification', 1, (y, d) => rocAuc(y, d)),
    makeScorer('f1', 'predict', 'classification', 1, (y, p) => f1(y, p)),
  ].map((s) => [s.name, s]),
);

/** Names people often type for a scorer (metric names, abbreviations). */
const ALIASES: Readonly<Record<string, string>> = {
  mse: 'neg_mean_squared_error', mean_squared_error: 'neg_mean_squared_error', neg_mse: 'neg_mean_squared_error',
  rmse: 'neg_root_mean_squared_error', root_mean_squared_error: 'neg_root_mean_squared_error',
  neg_rmse: 'neg_root_mean_squared_error', mae: 'neg_mean_absolute_error', mean_absolute_error: 'neg_mean_absolute_error',
  neg_mae: 'neg_mean_absolute_error', log_loss: 'neg_log_loss', logloss: 'neg_log_loss', auc: 'roc_auc',
  f1_score: 'f1', r2_score: 'r2', accuracy_score: 'accuracy', balanced_accuracy_score: 'balanced_accuracy',
};

/** The scorer a misspelt or sklearn.metrics-style name most likely meant. */
function intendedScorer(name: string): string | undefined {
  const key = name.toLowerCase().replace(/-/g, '_');
  return Object.hasOwn(ALIASES, key) ? ALIASES[key] : closestName(name, SCORERS.keys());
}

/**
 * The scorer called `name`.
 * @throws ValueError listing the valid names, with a suggestion for a near miss.
 * @example
 * ```ts
 * getScorer('neg_mean_squared_error').greaterIsBetter; // false
 * ```
 */
export function getScorer(name: string): Scorer {
  const scorer = SCORERS.get(name);
  if (scorer !== undefined) return scorer;
  const hint = typeof name === 'string' ? intendedScorer(name) : undefined;
  throw new ValueError(
    `unknown scoring ${describe(name)}${hint === undefined ? '' : ` (did you mean "${hint}"?)`}; valid names: ${[...SCORERS.keys()].join(', ')}`,
  );
}

/**
 * The scorer names a search uses: the default (r2 for regressors, accuracy for classifiers,
 * what the estimator's `score` computes), one name, or a list of distinct names.
 * @throws ValueError for unknown names, duplicates, an empty list, or a classification
 * scorer asked of a regressor.
 * @example
 * ```ts
 * resolveScoring(undefined, 'classifier'); // ['accuracy']
 * resolveScoring(['r2', 'neg_mean_absolute_error'], 'regressor');
 * ```
 */
export function resolveScoring(scoring: string | readonly string[] | undefined, kind: 'regressor' | 'classifier'): string[] {
  if (scoring === undefined) return [kind === 'regressor' ? 'r2' : 'accuracy'];
  const names = typeof scoring === 'string' ? [scoring] : scoring;
  if (!Array.isArray(names) || names.length === 0) {
    throw new ValueError(`scoring must be a scorer name or a non-empty list of names, found ${describe(scoring)}`);
  }
  const seen = new Set<string>();
  for (const name of names) {
    const scorer = getScorer(name);
    if (seen.has(name)) throw new ValueError(`scoring lists '${name}' twice: scorer names must be unique`);
    seen.add(name);
    if (scorer.task === 'classification' && kind === 'regressor') {
      throw new ValueError(`scoring '${name}' is a classification metric and the estimator is a regressor`);
    }
  }
  return [...names];
}

/**
 * Scores one fitted estimator with several scorers, computing each estimator output
 * (predictions, probabilities, decision values) once and the labels once, as scikit-learn's
 * multimetric scorer does.
 * @example
 * ```ts
 * scoreMany(['r2', 'neg_mean_squared_error'], ridge, X, y, testRows); // { r2: 0.93, neg_mean_squared_error: -4.1 }
 * ```
 */
export function scoreMany(
  names: readonly string[], estimator: Estimator, X: FloatMatrix, y: NdArray, rows?: Rows,
): Record<string, number> {
  const yTrue = labelsAt(y, rows);
  const classes = isClassifier(estimator) ? estimator.classes : undefined;
  const outputs = new Map<ScorerNeeds, Float64Array>();
  // A classifier's labels and probabilities both follow from its decision values: compute those once.
  let decision: Float64Array | undefined;
  const decisionOnce = (): Float64Array => (decision ??= (estimator as Classifier).decisionFunction(X, rows));
  const scores: Record<string, number> = {};
  for (const name of names) {
    const scorer = getScorer(name);
    let out = outputs.get(scorer.needs);
    if (!out) {
      out = output(scorer, estimator, X, rows, decisionOnce);
      outputs.set(scorer.needs, out);
    }
    scores[name] = scorer.fromOutput(yTrue, out, classes);
  }
  return scores;
}
