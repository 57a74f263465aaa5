/**
 * Scorers under scikit-learn's names: a metric, the estimator output it reads, and a sign
 * (errors are negated, `neg_*`, so that greater is always better in a search). The three
 * kinds follow scikit-learn 1.2's scorer classes, including how they pick probability
 * columns and which targets they refuse:
 * - 'predict' (`_PredictScorer`): the metric of `predict`'s labels or values;
 * - 'proba' (`_ProbaScorer`): `predictProba`; on a binary test fold of a two-class model, the
 *   positive (larger) class's column only;
 * - 'decision' (`_ThresholdScorer`): `decisionFunction` (`predict` for regressors); binary test
 *   folds only ("multiclass format is not supported" otherwise).
 */
import type { NdArray } from '../data/ndarray.js';
import { ValueError } from '../errors.js';
import { isClassifier, type Classifier, type Estimator, type FloatMatrix, type Rows } from '../models/estimator.js';
import {
  accuracy, averagePrecision, balancedAccuracy, brierScoreLoss, classLikelihoodRatios, d2AbsoluteError, explainedVariance,
  f1, jaccard, logLoss, matthewsCorrcoef, maxError, meanAbsoluteError, meanAbsolutePercentageError, meanGammaDeviance,
  meanPoissonDeviance, meanSquaredError, meanSquaredLogError, medianAbsoluteError, precision, r2, recall, rocAuc,
  rocAucMulticlass, rootMeanSquaredError, topKAccuracy, type Average,
} from './metrics.js';
import { labelsTargetType, targetType, uniqueSorted, type TargetType } from './metrics/labels.js';
import { didYouMeanScorer } from './scorer-names.js';

/** Which estimator output a scorer reads. */
export type ScorerNeeds = 'predict' | 'proba' | 'decision';

/**
 * What a scorer's metric receives beside the true labels: the output (a vector, or row-major
 * [n, columns] probabilities or decision values) and the classifier's classes.
 */
export interface ScoreInput {
  readonly output: Float64Array;
  /** 1 for a vector; the number of classes for a matrix. */
  readonly columns: number;
  /** The classifier's sorted classes; undefined for a regressor. */
  readonly classes?: Float64Array;
}

/** A metric as a scorer sees it: true labels and the (column-selected) output. */
export type ScoreFunction = (yTrue: Float64Array, yPred: Float64Array, input: ScoreInput) => number;

/**
 * A scorer. Plain objects: other modules may add fields (e.g. a sufficient-statistics fast
 * path) without changing this one.
 */
export interface Scorer {
  /** scikit-learn's scorer name, e.g. `neg_mean_squared_error` (for a custom scorer, its given name). */
  readonly name: string;
  /** False for error metrics; their `score` is already negated, as in scikit-learn. */
  readonly greaterIsBetter: boolean;
  readonly needs: ScorerNeeds;
  /** 'classification' scorers only make sense for classifiers; 'any' works on any estimator. */
  readonly task: 'any' | 'classification';
  /**
   * The score from an output already computed for the same rows: `predict`'s values,
   * `predictProba`'s [n, classes] matrix or `decisionFunction`'s values (the raw method output;
   * the scorer picks columns as scikit-learn does), so one prediction serves several scorers.
   * `classes` is the classifier's sorted labels.
   */
  fromOutput(yTrue: Float64Array, output: Float64Array, classes?: Float64Array): number;
  /** Score `estimator` on all rows of X/y or on `rows`. */
  score(estimator: Estimator, X: FloatMatrix, y: NdArray, rows?: Rows): number;
}

/** Options of {@link defineScorer}. */
export interface ScorerDefinition {
  readonly name: string;
  readonly needs: ScorerNeeds;
  readonly greaterIsBetter: boolean;
  readonly task: Scorer['task'];
}

/**
 * Labels of `rows` (or all rows) as float64, read in place from y: a copy of the small label
 * vector only. `values` are y's values as float64 when the caller already has them (a worker's
 * converted store target): gathered from there, an int64 y costs no BigInt conversion per row.
 * @example
 * ```ts
 * labelsAt(ndarray('int32', [3], new Int32Array([5, 6, 7])), new Int32Array([2, 0])); // [7, 5]
 * ```
 */
export function labelsAt(y: NdArray, rows?: Rows, values?: Float64Array): Float64Array {
  const data = values ?? y.data;
  const n = rows === undefined ? data.length : rows.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Number(data[rows === undefined ? i : rows[i]!]!);
  labelSets.set(out, undefined);
  return out;
}

/**
 * The sorted distinct labels of arrays {@link labelsAt} made, once known: a search scores a
 * path's dozen models against one such array (scorers only read it), and finding its labels for
 * each model cost more than the metric. Arrays from elsewhere are read afresh on every call.
 */
const labelSets = new WeakMap<Float64Array, Float64Array | undefined>();

/**
 * yTrue's sorted distinct labels (cached for arrays from {@link labelsAt}).
 * @example
 * ```ts
 * distinctLabels(labelsAt(y, fold.test)); // Float64Array [0, 1]
 * ```
 */
export function distinctLabels(yTrue: Float64Array): Float64Array {
  if (!labelSets.has(yTrue)) return uniqueSorted(yTrue);
  let labels = labelSets.get(yTrue);
  if (labels === undefined) {
    labels = uniqueSorted(yTrue);
    labelSets.set(yTrue, labels);
  }
  return labels;
}

function labelsType(yTrue: Float64Array): TargetType {
  return labelsTargetType(distinctLabels(yTrue));
}

/**
 * The raw output a scorer needs from `estimator` (`decision` computes decision values once, for
 * classifiers that derive labels and probabilities from them).
 * @throws ValueError for a probability scorer on a regressor.
 */
export function estimatorOutput(
  scorer: Pick<Scorer, 'name' | 'needs'>, estimator: Estimator, X: FloatMatrix, rows: Rows, decision: () => Float64Array,
): Float64Array {
  if (scorer.needs === 'predict' || !isClassifier(estimator)) {
    if (scorer.needs === 'proba') {
      throw new ValueError(`scoring '${scorer.name}' needs a classifier, found the regressor '${estimator.name}'`);
    }
    return isClassifier(estimator) && estimator.predictFromDecision ? estimator.predictFromDecision(decision()) : estimator.predict(X, rows);
  }
  if (scorer.needs === 'proba') return estimator.probaFromDecision ? estimator.probaFromDecision(decision()) : estimator.predictProba(X, rows);
  return decision();
}

/** The metric's input: `output` with the columns scikit-learn's scorer kind would pass on. */
function selectColumns(needs: ScorerNeeds, yTrue: Float64Array, output: Float64Array, classes: Float64Array | undefined): ScoreInput {
  const n = yTrue.length;
  const columns = n === 0 ? 1 : output.length / n;
  if (needs === 'proba' && classes !== undefined && columns === 2 && labelsType(yTrue) === 'binary') {
    // _select_proba_binary: the positive class (classes[1]) column.
    const positive = new Float64Array(n);
    for (let i = 0; i < n; i++) positive[i] = output[2 * i + 1]!;
    return { output: positive, columns: 1, classes };
  }
  if (needs === 'decision' && labelsType(yTrue) !== 'binary') throw new ValueError('multiclass format is not supported');
  return { output, columns, ...(classes === undefined ? {} : { classes }) };
}

/**
 * A scorer from a metric: `metric` receives the labels and the column-selected output and
 * returns the metric; the scorer negates it when `greaterIsBetter` is false.
 * @example
 * ```ts
 * const maxErr = defineScorer({ name: 'max_error', needs: 'predict', greaterIsBetter: false, task: 'any' }, (y, p) => maxError(y, p));
 * ```
 */
export function defineScorer(definition: ScorerDefinition, metric: ScoreFunction): Scorer {
  const sign = definition.greaterIsBetter ? 1 : -1;
  const scorer: Scorer = {
    ...definition,
    fromOutput: (yTrue, output, classes) => {
      const input = selectColumns(definition.needs, yTrue, output, classes);
      return sign * metric(yTrue, input.output, input);
    },
    score: (estimator, X, y, rows) => {
      const out = estimatorOutput(scorer, estimator, X, rows, () => (estimator as Classifier).decisionFunction(X, rows));
      return scorer.fromOutput(labelsAt(y, rows), out, isClassifier(estimator) ? estimator.classes : undefined);
    },
  };
  return Object.freeze(scorer);
}

const predict = (name: string, task: Scorer['task'], greaterIsBetter: boolean, metric: (y: Float64Array, p: Float64Array) => number): Scorer =>
  defineScorer({ name, needs: 'predict', task, greaterIsBetter }, (y, p) => metric(y, p));

/** A metric that takes a vector only (scikit-learn's `column_or_1d` refuses a matrix). */
function vectorOnly(input: ScoreInput, metric: () => number): number {
  if (input.columns !== 1) {
    throw new ValueError(`y should be a 1d array, got an array of shape (${input.output.length / input.columns}, ${input.columns}) instead.`);
  }
  return metric();
}

/** precision / recall / f1 / jaccard with each of scikit-learn's averages (`_samples` is refused, see scorer-names.ts). */
function setWiseScorers(): Scorer[] {
  const metrics = { precision, recall, f1, jaccard } as const;
  const out: Scorer[] = [];
  for (const [name, metric] of Object.entries(metrics)) {
    out.push(predict(name, 'classification', true, (y, p) => metric(y, p, { average: 'binary' })));
    for (const average of ['macro', 'micro', 'weighted'] as const satisfies readonly Average[]) {
      out.push(predict(`${name}_${average}`, 'classification', true, (y, p) => metric(y, p, { average })));
    }
  }
  return out;
}

function rocScorers(): Scorer[] {
  const out: Scorer[] = [
    defineScorer({ name: 'roc_auc', needs: 'decision', task: 'classification', greaterIsBetter: true }, (y, d, input) => {
      if (input.columns > 2) throw new ValueError("multi_class must be in ('ovo', 'ovr')");
      return rocAuc(y, d);
    }),
  ];
  for (const multiClass of ['ovr', 'ovo'] as const) {
    for (const average of ['macro', 'weighted'] as const) {
      const name = `roc_auc_${multiClass}${average === 'weighted' ? '_weighted' : ''}`;
      out.push(defineScorer({ name, needs: 'proba', task: 'classification', greaterIsBetter: true }, (y, p, input) => (
        input.columns === 1 && targetType(y) === 'binary' ? rocAuc(y, p) : rocAucMulticlass(y, p, { multiClass, average })
      )));
    }
  }
  return out;
}

/** Every built-in scorer, by scikit-learn name, in scikit-learn's registry order. */
export const SCORERS: ReadonlyMap<string, Scorer> = new Map(
  [
    predict('explained_variance', 'any', true, explainedVariance),
    predict('r2', 'any', true, r2),
    predict('max_error', 'any', false, maxError),
    predict('matthews_corrcoef', 'classification', true, matthewsCorrcoef),
    predict('neg_median_absolute_error', 'any', false, medianAbsoluteError),
    predict('neg_mean_absolute_error', 'any', false, meanAbsoluteError),
    predict('neg_mean_absolute_percentage_error', 'any', false, meanAbsolutePercentageError),
    predict('neg_mean_squared_error', 'any', false, meanSquaredError),
    predict('neg_mean_squared_log_error', 'any', false, meanSquaredLogError),
    predict('neg_root_mean_squared_error', 'any', false, rootMeanSquaredError),
    predict('neg_mean_poisson_deviance', 'any', false, meanPoissonDeviance),
    predict('neg_mean_gamma_deviance', 'any', false, meanGammaDeviance),
    // Not one of 1.2's scorer names (later scikit-learn releases add it); 1.2's d2_absolute_error_score metric.
    predict('d2_absolute_error_score', 'any', true, d2AbsoluteError),
    predict('accuracy', 'classification', true, accuracy),
    defineScorer({ name: 'top_k_accuracy', needs: 'decision', task: 'classification', greaterIsBetter: true }, (y, d) => topKAccuracy(y, d, 2)),
    ...rocScorers(),
    predict('balanced_accuracy', 'classification', true, balancedAccuracy),
    defineScorer({ name: 'average_precision', needs: 'decision', task: 'classification', greaterIsBetter: true }, (y, d, input) => (
      vectorOnly(input, () => averagePrecision(y, d))
    )),
    defineScorer({ name: 'neg_log_loss', needs: 'proba', task: 'classification', greaterIsBetter: false }, (y, p) => logLoss(y, p)),
    defineScorer({ name: 'neg_brier_score', needs: 'proba', task: 'classification', greaterIsBetter: false }, (y, p, input) => (
      vectorOnly(input, () => brierScoreLoss(y, p))
    )),
    predict('positive_likelihood_ratio', 'classification', true, (y, p) => classLikelihoodRatios(y, p)[0]),
    predict('neg_negative_likelihood_ratio', 'classification', false, (y, p) => classLikelihoodRatios(y, p)[1]),
    ...setWiseScorers(),
  ].map((s) => [s.name, s]),
);

/**
 * The built-in scorer called `name`.
 * @throws ValueError listing the valid names, with a suggestion for a near miss, or saying why a
 *   scikit-learn name memgrid does not offer (the `_samples` averages, clustering scores) is refused.
 * @example
 * ```ts
 * getScorer('neg_mean_squared_error').greaterIsBetter; // false
 * ```
 */
export function getScorer(name: string): Scorer {
  const scorer = typeof name === 'string' ? SCORERS.get(name) : undefined;
  if (scorer !== undefined) return scorer;
  throw new ValueError(didYouMeanScorer(name, [...SCORERS.keys()]));
}
