/**
 * scikit-learn's `cross_validate`, `cross_val_score` and `cross_val_predict` on memgrid's
 * engine: the data is persisted once, folds are computed by the splitter, and the fits run on
 * the workers with the fast plans where they apply (ridge's statistics plan).
 */
import type { NdArray } from '../data/ndarray.js';
import { ValueError } from '../errors.js';
import { isClassifier, type Estimator, type FloatMatrix } from '../models/estimator.js';
import { evaluate } from './engine.js';
import { checkFitParams, fitOnRows, fitOptionsOf } from './fit-params.js';
import { foldCells } from './fold-cells.js';
import type { SearchFitOptions, SearchOptions } from './options.js';
import { metricKeys } from './results.js';
import { resolveCv } from './splitters.js';
import { checkInputShapes, checkTargetValues } from './validate.js';

/** Options of {@link crossValidate}. */
export interface CrossValidateOptions extends Omit<SearchOptions, 'refit' | 'onRecord' | 'completed'>, SearchFitOptions {
  /** Also return each fold's fitted estimator (fitted again in this thread: workers return scores only). */
  readonly returnEstimator?: boolean;
}

/**
 * What {@link crossValidate} returns, with scikit-learn's keys: `fit_time`, `score_time`,
 * `test_<metric>` (and `train_<metric>` when asked), one entry per fold; `<metric>` is
 * `score` for a single scorer, as in cvResults.
 */
export type CrossValidateResult = Readonly<Record<string, readonly number[]>> & { readonly estimator?: readonly Estimator[] };

/**
 * Scores of one estimator on every fold (scikit-learn's `cross_validate`).
 * @example
 * ```ts
 * const cv = await crossValidate(new Ridge(), X, y, { cv: 5, scoring: ['r2', 'neg_mean_squared_error'] });
 * cv['test_r2']; // five scores
 * ```
 */
export async function crossValidate(
  estimator: Estimator, X: FloatMatrix, y: NdArray, options: CrossValidateOptions = {},
): Promise<CrossValidateResult> {
  const { returnEstimator = false, ...searchOptions } = options;
  const evaluation = await evaluate({ estimator, X, y, candidates: [{}], options: searchOptions, fitOptions: fitOptionsOf(options) });
  const byFold = [...evaluation.records].sort((a, b) => a.fold - b.fold);
  const out: Record<string, readonly number[]> = {
    fit_time: byFold.map((r) => r.fitTime),
    score_time: byFold.map((r) => r.scoreTime),
  };
  for (const { scorer, key } of metricKeys(evaluation.scoring, evaluation.multimetric)) {
    out[`test_${key}`] = byFold.map((r) => r.test[scorer] ?? Number.NaN);
    if (options.returnTrainScore) out[`train_${key}`] = byFold.map((r) => r.train?.[scorer] ?? Number.NaN);
  }
  if (!returnEstimator) return out;
  const estimators = evaluation.folds.map((fold) => estimator.clone().fit(X, y, fitOnRows(fold.train, evaluation.fitParams)));
  // The estimators ride along under scikit-learn's key; the type says so where it is asked for.
  return Object.assign(out, { estimator: estimators }) as unknown as CrossValidateResult;
}

/**
 * Test scores of one estimator on every fold, for one scorer (scikit-learn's `cross_val_score`).
 * @example
 * ```ts
 * const scores = await crossValScore(new LogisticRegression(), X, y, { cv: 5, scoring: 'accuracy' });
 * ```
 */
export async function crossValScore(
  estimator: Estimator, X: FloatMatrix, y: NdArray, options: Omit<CrossValidateOptions, 'returnTrainScore' | 'returnEstimator'> = {},
): Promise<number[]> {
  if (Array.isArray(options.scoring)) throw new ValueError('crossValScore takes one scorer name; use crossValidate for several');
  const result = await crossValidate(estimator, X, y, options);
  return [...result['test_score']!];
}

/** Options of {@link crossValPredict}. */
export interface CrossValPredictOptions extends SearchFitOptions {
  /** A fold count, a splitter or explicit folds; the folds must test every row exactly once. Default 5. */
  readonly cv?: SearchOptions['cv'];
  /** What to return per row: `predict` (default), `predictProba` or `decisionFunction` (classifiers). */
  readonly method?: 'predict' | 'predictProba' | 'decisionFunction';
}

/**
 * Out-of-fold predictions (scikit-learn's `cross_val_predict`): each row predicted by the
 * model fitted without its fold. `predictProba` gives row-major [nRows, nClasses] with a
 * column per class of y (sorted; zero where a fold's model never saw the class);
 * `decisionFunction` gives [nRows] for two classes, [nRows, nClasses] beyond. The fits run
 * in this thread, one per fold.
 * @example
 * ```ts
 * const proba = crossValPredict(new LogisticRegression(), X, y, { cv: 5, method: 'predictProba' });
 * ```
 */
export function crossValPredict(estimator: Estimator, X: FloatMatrix, y: NdArray, options: CrossValPredictOptions = {}): Float64Array {
  const method = options.method ?? 'predict';
  if (!['predict', 'predictProba', 'decisionFunction'].includes(method)) {
    throw new ValueError(`options.method must be predict, predictProba or decisionFunction, found ${JSON.stringify(method)}`);
  }
  if (method !== 'predict' && !isClassifier(estimator)) throw new ValueError(`options.method ${method} needs a classifier, found ${estimator.name}`);
  checkInputShapes(X, y);
  const labels = checkTargetValues(estimator, X, y);
  const n = labels.length;
  const fitParams = checkFitParams(estimator, fitOptionsOf(options), n);
  const folds = resolveCv(options.cv as never, isClassifier(estimator)).split(n, labels, options.groups);
  const layout = foldCells(folds, n);
  const tested = new Uint8Array(n);
  for (const fold of folds) for (const i of fold.test) tested[i]!++;
  if (!tested.every((t) => t === 1) || layout === undefined) {
    throw new ValueError('crossValPredict needs folds that test every row exactly once (a partition, such as KFold); these do not');
  }
  const classes = [...new Set(labels)].sort((a, b) => a - b);
  const width = method === 'predict' || (method === 'decisionFunction' && classes.length === 2) ? 1 : classes.length;
  const out = new Float64Array(n * width);
  for (const fold of folds) {
    const model = estimator.clone().fit(X, y, fitOnRows(fold.train, fitParams));
    if (!isClassifier(model) || method === 'predict') {
      const values = model.predict(X, fold.test);
      fold.test.forEach((row, r) => { out[row] = values[r]!; });
      continue;
    }
    const values = method === 'predictProba' ? model.predictProba(X, fold.test) : model.decisionFunction(X, fold.test);
    if (width === 1) {
      fold.test.forEach((row, r) => { out[row] = values[r]!; });
      continue;
    }
    const seen = model.classes;
    const column = Array.from(seen, (c) => classes.indexOf(c));
    fold.test.forEach((row, r) => {
      for (let j = 0; j < seen.length; j++) out[row * width + column[j]!] = values[r * seen.length + j]!;
    });
  }
  return out;
}
