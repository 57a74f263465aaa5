/**
 * Classification metrics over label vectors (and probabilities), with scikit-learn 1.2's
 * values, averaging rules (`binary`, `micro`, `macro`, `weighted`), `zero_division`
 * behaviour and warnings, and the targets each refuses.
 */
import { ValueError } from '../../errors.js';
import { warn } from '../warnings.js';
import { average, checkPair, labelIndex, labelList, pairType, targetType, uniqueSorted } from './labels.js';

/**
 * Fraction of exact label matches (`accuracy_score`).
 * @example
 * ```ts
 * accuracy(new Float64Array([0, 1, 1, 0]), new Float64Array([0, 1, 0, 0])); // 0.75
 * ```
 */
export function accuracy(yTrue: Float64Array, yPred: Float64Array): number {
  const n = checkPair('accuracy', yTrue, yPred);
  let hits = 0;
  for (let i = 0; i < n; i++) if (yTrue[i] === yPred[i]) hits++;
  return hits / n;
}

/**
 * Mean recall over the classes present in yTrue (`balanced_accuracy_score`). Predicted
 * classes absent from yTrue are ignored, with a warning, as scikit-learn does.
 * @example
 * ```ts
 * balancedAccuracy(new Float64Array([0, 0, 0, 1]), new Float64Array([0, 0, 1, 1])); // (2/3 + 1) / 2
 * ```
 */
export function balancedAccuracy(yTrue: Float64Array, yPred: Float64Array): number {
  const n = checkPair('balancedAccuracy', yTrue, yPred);
  const classes = uniqueSorted(yTrue);
  const index = labelIndex(classes);
  const support = new Float64Array(classes.length);
  const hits = new Float64Array(classes.length);
  let foreign = false;
  for (let i = 0; i < n; i++) {
    const k = index.get(yTrue[i]!)!;
    support[k]!++;
    if (yTrue[i] === yPred[i]) hits[k]!++;
    else if (!index.has(yPred[i]!)) foreign = true;
  }
  if (foreign) warn('UserWarning', 'y_pred contains classes not in y_true');
  let sum = 0;
  for (let k = 0; k < classes.length; k++) sum += hits[k]! / support[k]!;
  return sum / classes.length;
}

/** How per-label scores are combined (scikit-learn's `average`; 'samples' needs multilabel targets, which memgrid has not). */
export type Average = 'binary' | 'micro' | 'macro' | 'weighted';

/** What an undefined ratio (0/0) becomes: 0 with an UndefinedMetricWarning ('warn', the default), or 0 or 1 silently. */
export type ZeroDivision = 'warn' | 0 | 1;

/** Options of the set-wise metrics (precision, recall, F-scores, Jaccard). */
export interface SetMetricOptions {
  /** Default 'binary': the score of `posLabel` alone, which needs a binary target. */
  readonly average?: Average;
  /** The positive class for `average: 'binary'`. Default 1. */
  readonly posLabel?: number;
  readonly zeroDivision?: ZeroDivision;
}

/** Per-label counts: true positives, predicted and actual totals (one entry for micro). */
interface LabelCounts {
  readonly tp: Float64Array;
  readonly predicted: Float64Array;
  readonly actual: Float64Array;
}

/** `_check_set_wise_labels`, then `multilabel_confusion_matrix`'s counts for the labels it picks. */
function setWiseCounts(metric: string, yTrue: Float64Array, yPred: Float64Array, options: SetMetricOptions): LabelCounts {
  const n = checkPair(metric, yTrue, yPred);
  const averaging = options.average ?? 'binary';
  const posLabel = options.posLabel ?? 1;
  const present = uniqueSorted(yTrue, yPred);
  let labels: Float64Array = present;
  if (averaging === 'binary') {
    if (present.length > 2) {
      throw new ValueError("Target is multiclass but average='binary'. Please choose another average setting, one of [None, 'micro', 'macro', 'weighted'].");
    }
    if (!present.includes(posLabel) && present.length >= 2) {
      throw new ValueError(`pos_label=${posLabel} is not a valid label. It should be one of ${labelList(present)}`);
    }
    labels = Float64Array.of(posLabel);
  } else if (options.posLabel !== undefined && options.posLabel !== 1) {
    warn('UserWarning', `Note that pos_label (set to ${posLabel}) is ignored when average != 'binary' (got '${averaging}'). You may use labels=[pos_label] to specify a single positive class.`);
  }
  const index = labelIndex(labels);
  const tp = new Float64Array(labels.length);
  const predicted = new Float64Array(labels.length);
  const actual = new Float64Array(labels.length);
  for (let i = 0; i < n; i++) {
    const t = index.get(yTrue[i]!);
    const p = index.get(yPred[i]!);
    if (t !== undefined) actual[t]!++;
    if (p !== undefined) predicted[p]!++;
    if (t !== undefined && yTrue[i] === yPred[i]) tp[t]!++;
  }
  if (averaging !== 'micro') return { tp, predicted, actual };
  return { tp: Float64Array.of(sum(tp)), predicted: Float64Array.of(sum(predicted)), actual: Float64Array.of(sum(actual)) };
}

/**
 * `_prf_divide`: numerator / denominator per label, 0/0 set by `zeroDivision`, and scikit-learn's
 * UndefinedMetricWarning when `warnAs` (the sentence's subject, e.g. "Precision is") is given.
 */
function divide(
  numerator: Float64Array, denominator: Float64Array, zeroDivision: ZeroDivision, modifier: string, warnAs?: string,
): Float64Array {
  const out = new Float64Array(numerator.length);
  let undefinedSeen = false;
  for (let k = 0; k < out.length; k++) {
    if (denominator[k] === 0) {
      undefinedSeen = true;
      out[k] = zeroDivision === 1 ? 1 : 0;
    } else {
      out[k] = numerator[k]! / denominator[k]!;
    }
  }
  if (undefinedSeen && zeroDivision === 'warn' && warnAs !== undefined) warnIllDefined(warnAs, modifier, out.length);
  return out;
}

/** `_warn_prf` (for averages other than 'samples'). */
function warnIllDefined(subject: string, modifier: string, size: number): void {
  const where = size === 1 ? 'due to' : 'in labels with';
  warn('UndefinedMetricWarning', `${subject} ill-defined and being set to 0.0 ${where} no ${modifier} samples. Use \`zero_division\` parameter to control this behavior.`);
}

/** np.average of per-label scores: weighted by support for 'weighted', plain otherwise. */
function averaged(scores: Float64Array, options: SetMetricOptions, support: Float64Array): number {
  return average(scores, options.average === 'weighted' ? support : undefined);
}

/**
 * The value 'weighted' averaging returns when no label has support (`precision_recall_fscore_support`'s
 * early return), or undefined when some label has.
 */
function noSupportValue(counts: LabelCounts, options: SetMetricOptions, which: 'precision' | 'recall' | 'f'): number | undefined {
  if (options.average !== 'weighted' || sum(counts.actual) !== 0) return undefined;
  const zd = options.zeroDivision === 1 ? 1 : 0;
  if (sum(counts.predicted) === 0) return zd;
  return which === 'recall' ? zd : 0;
}

/**
 * Precision tp / (tp + fp) (`precision_score`).
 * @example
 * ```ts
 * precision(Float64Array.from([0, 1, 2, 0]), Float64Array.from([0, 2, 1, 0]), { average: 'macro' }); // 1/3
 * ```
 */
export function precision(yTrue: Float64Array, yPred: Float64Array, options: SetMetricOptions = {}): number {
  const counts = setWiseCounts('precision', yTrue, yPred, options);
  const zd = options.zeroDivision ?? 'warn';
  const scores = divide(counts.tp, counts.predicted, zd, 'predicted', 'Precision is');
  return noSupportValue(counts, options, 'precision') ?? averaged(scores, options, counts.actual);
}

/**
 * Recall tp / (tp + fn) (`recall_score`).
 * @example
 * ```ts
 * recall(Float64Array.from([0, 1, 1]), Float64Array.from([0, 1, 0])); // 0.5
 * ```
 */
export function recall(yTrue: Float64Array, yPred: Float64Array, options: SetMetricOptions = {}): number {
  const counts = setWiseCounts('recall', yTrue, yPred, options);
  const zd = options.zeroDivision ?? 'warn';
  const scores = divide(counts.tp, counts.actual, zd, 'true', 'Recall is');
  return noSupportValue(counts, options, 'recall') ?? averaged(scores, options, counts.actual);
}

/**
 * F-beta score, the weighted harmonic mean of precision and recall (`fbeta_score`; `f1` is beta = 1).
 * @example
 * ```ts
 * fbeta(Float64Array.from([0, 1, 1]), Float64Array.from([0, 1, 0]), 2); // 5/9
 * ```
 */
export function fbeta(yTrue: Float64Array, yPred: Float64Array, beta: number, options: SetMetricOptions = {}): number {
  if (!(beta >= 0)) throw new ValueError(`beta should be >=0 in the F-beta score, found ${beta}`);
  const counts = setWiseCounts('fbeta', yTrue, yPred, options);
  const zd = options.zeroDivision ?? 'warn';
  const p = divide(counts.tp, counts.predicted, zd, 'predicted');
  const r = divide(counts.tp, counts.actual, zd, 'true');
  if (zd === 'warn') {
    let bothUndefined = false;
    for (let k = 0; k < counts.actual.length; k++) if (counts.actual[k] === 0 && counts.predicted[k] === 0) bothUndefined = true;
    if (bothUndefined) warnIllDefined('F-score is', 'true nor predicted', counts.actual.length);
  }
  const beta2 = beta * beta;
  const f = new Float64Array(p.length);
  for (let k = 0; k < f.length; k++) {
    if (beta === Infinity) {
      f[k] = r[k]!;
      continue;
    }
    const denom = beta2 * p[k]! + r[k]!;
    f[k] = ((1 + beta2) * p[k]! * r[k]!) / (denom === 0 ? 1 : denom);
  }
  return noSupportValue(counts, options, 'f') ?? averaged(f, options, counts.actual);
}

/**
 * F1 score, 2PR / (P + R) (`f1_score`). With the default `average: 'binary'`, the score of
 * `posLabel` (default 1), which must be one of the labels when two are present.
 * @example
 * ```ts
 * f1(new Float64Array([0, 1, 1, 0]), new Float64Array([0, 1, 0, 1])); // 0.5
 * ```
 */
export function f1(yTrue: Float64Array, yPred: Float64Array, options: SetMetricOptions = {}): number {
  return fbeta(yTrue, yPred, 1, options);
}

/**
 * Jaccard index tp / (tp + fp + fn) (`jaccard_score`).
 * @example
 * ```ts
 * jaccard(Float64Array.from([0, 1, 1]), Float64Array.from([1, 1, 0])); // 1/3
 * ```
 */
export function jaccard(yTrue: Float64Array, yPred: Float64Array, options: SetMetricOptions = {}): number {
  const counts = setWiseCounts('jaccard', yTrue, yPred, options);
  const union = new Float64Array(counts.tp.length);
  for (let k = 0; k < union.length; k++) union[k] = counts.predicted[k]! + counts.actual[k]! - counts.tp[k]!;
  const scores = divide(counts.tp, union, options.zeroDivision ?? 'warn', 'true or predicted', 'Jaccard is');
  // 'weighted' falls back to the plain mean when no label has support (the warning was given above).
  const weights = options.average === 'weighted' && sum(counts.actual) !== 0 ? counts.actual : undefined;
  return average(scores, weights);
}

/**
 * Matthews correlation coefficient, binary or multiclass (`matthews_corrcoef`); 0 when the
 * true or predicted labels are constant.
 * @example
 * ```ts
 * matthewsCorrcoef(Float64Array.from([1, 1, 1, -1]), Float64Array.from([1, -1, 1, 1])); // -1/3
 * ```
 */
export function matthewsCorrcoef(yTrue: Float64Array, yPred: Float64Array): number {
  const n = checkPair('matthewsCorrcoef', yTrue, yPred);
  const labels = uniqueSorted(yTrue, yPred);
  const index = labelIndex(labels);
  const t = new Float64Array(labels.length);
  const p = new Float64Array(labels.length);
  let correct = 0;
  for (let i = 0; i < n; i++) {
    t[index.get(yTrue[i]!)!]!++;
    p[index.get(yPred[i]!)!]!++;
    if (yTrue[i] === yPred[i]) correct++;
  }
  let tp = 0;
  let pp = 0;
  let tt = 0;
  for (let k = 0; k < labels.length; k++) {
    tp += t[k]! * p[k]!;
    pp += p[k]! * p[k]!;
    tt += t[k]! * t[k]!;
  }
  const covTP = correct * n - tp;
  const covPP = n * n - pp;
  const covTT = n * n - tt;
  return covPP * covTT === 0 ? 0 : covTP / Math.sqrt(covTT * covPP);
}

/**
 * Positive and negative likelihood ratios of a binary classification (`class_likelihood_ratios`):
 * LR+ = sensitivity / (1 − specificity), LR− = (1 − sensitivity) / specificity, the larger label
 * positive. Undefined ratios are NaN with scikit-learn's UserWarning.
 * @example
 * ```ts
 * classLikelihoodRatios(Float64Array.from([0, 1, 0, 1, 0]), Float64Array.from([1, 1, 0, 0, 0])); // [1.5, 0.75]
 * ```
 */
export function classLikelihoodRatios(yTrue: Float64Array, yPred: Float64Array): [number, number] {
  const n = checkPair('classLikelihoodRatios', yTrue, yPred);
  if (pairType(yTrue, yPred) !== 'binary') {
    throw new ValueError('class_likelihood_ratios only supports binary classification problems, got targets of type: multiclass');
  }
  const labels = uniqueSorted(yTrue, yPred);
  if (labels.length === 1) {
    warn('UserWarning', 'samples of only one class were seen during testing ');
    return [Number.NaN, Number.NaN];
  }
  const positive = labels[1]!;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < n; i++) {
    const t = yTrue[i] === positive;
    const p = yPred[i] === positive;
    if (t && p) tp++;
    else if (p) fp++;
    else if (t) fn++;
    else tn++;
  }
  const supportPos = tp + fn;
  const supportNeg = tn + fp;
  if (supportPos === 0) warn('UserWarning', 'no samples of the positive class were present in the testing set ');
  let positiveRatio: number;
  if (fp === 0) {
    warn('UserWarning', tp === 0 ? 'no samples predicted for the positive class' : 'positive_likelihood_ratio ill-defined and being set to nan ');
    positiveRatio = Number.NaN;
  } else {
    positiveRatio = (tp * supportNeg) / (fp * supportPos);
  }
  let negativeRatio: number;
  if (tn === 0) {
    warn('UserWarning', 'negative_likelihood_ratio ill-defined and being set to nan ');
    negativeRatio = Number.NaN;
  } else {
    negativeRatio = (fn * supportNeg) / (tn * supportPos);
  }
  return [positiveRatio, negativeRatio];
}

/**
 * Brier score: mean squared difference between the positive class's probability and the 0/1
 * outcome (`brier_score_loss`). Without `posLabel`, the positive class is 1 when the labels are
 * {0, 1} or {-1, 1} (or a subset), else the largest label present, as scikit-learn 1.2 does.
 * @throws ValueError for a multiclass target or probabilities outside [0, 1].
 * @example
 * ```ts
 * brierScoreLoss(Float64Array.from([0, 1, 1, 0]), Float64Array.from([0.1, 0.9, 0.8, 0.3])); // 0.0375
 * ```
 */
export function brierScoreLoss(yTrue: Float64Array, yProb: Float64Array, posLabel?: number): number {
  const n = checkPair('brierScoreLoss', yTrue, yProb, 'yProb');
  if (targetType(yTrue) !== 'binary') {
    throw new ValueError('Only binary classification is supported. The type of the target is multiclass.');
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    lo = Math.min(lo, yProb[i]!);
    hi = Math.max(hi, yProb[i]!);
  }
  if (hi > 1) throw new ValueError('y_prob contains values greater than 1.');
  if (lo < 0) throw new ValueError('y_prob contains values less than 0.');
  const positive = posLabel ?? defaultPositive(uniqueSorted(yTrue));
  let s = 0;
  for (let i = 0; i < n; i++) s += ((yTrue[i] === positive ? 1 : 0) - yProb[i]!) ** 2;
  return s / n;
}

/** `_check_pos_label_consistency` with brier's numeric fallback: 1 for {0,1}-like labels, else the largest. */
function defaultPositive(classes: Float64Array): number {
  const key = classes.join(',');
  return ['0,1', '-1,1', '0', '-1', '1'].includes(key) ? 1 : classes[classes.length - 1]!;
}

/** scikit-learn 1.2's `eps="auto"` for float64 probabilities: machine epsilon. */
export const LOG_LOSS_EPS = Number.EPSILON;

/**
 * Mean cross-entropy (`log_loss`): probabilities are clipped to [eps, 1 - eps] and each row
 * renormalised, as scikit-learn 1.2 does. `proba` is row-major [n, classes.length], or for
 * two classes may be [n] (the probability of the larger class). `classes` defaults to
 * yTrue's sorted labels (then yTrue needs at least two, and as many as proba has columns).
 * @example
 * ```ts
 * logLoss(new Float64Array([0, 1]), new Float64Array([0.9, 0.1, 0.2, 0.8])); // (-ln 0.9 - ln 0.8) / 2
 * ```
 */
export function logLoss(yTrue: Float64Array, proba: Float64Array, classes?: Float64Array, eps = LOG_LOSS_EPS): number {
  const n = yTrue.length;
  if (n === 0) throw new ValueError('logLoss: yTrue is empty');
  const labels = classes ?? uniqueSorted(yTrue);
  if (labels.length < 2) {
    throw new ValueError(`logLoss: yTrue contains only one label (${labels[0]}): pass the classes explicitly`);
  }
  const k = labels.length;
  const binary1d = k === 2 && proba.length === n;
  if (!binary1d && proba.length !== n * k) {
    if (classes === undefined && proba.length % n === 0) {
      throw new ValueError(`logLoss: yTrue and proba contain different numbers of classes ${k}, ${proba.length / n}: pass the classes explicitly. Classes found in yTrue: ${labelList(labels)}`);
    }
    throw new ValueError(`logLoss: proba has ${proba.length} values, expected ${n} rows x ${k} classes = ${n * k}`);
  }
  const column = labelIndex(labels);
  const first = labels[0]!, second = labels[1]!;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const v = yTrue[i]!;
    // Two classes (most searches): two comparisons instead of a Map lookup per row.
    const j = k === 2 ? (v === first ? 0 : v === second ? 1 : undefined) : column.get(v);
    if (j === undefined) throw new ValueError(`logLoss: yTrue[${i}] = ${yTrue[i]} is not one of the classes ${labelList(labels)}`);
    let rowSum: number;
    let pTrue: number;
    if (binary1d) {
      const p1 = clipProbability(proba[i]!, eps);
      rowSum = 1 - p1 + p1;
      pTrue = j === 1 ? p1 : 1 - p1;
    } else {
      rowSum = 0;
      for (let c = 0; c < k; c++) rowSum += clipProbability(proba[i * k + c]!, eps);
      pTrue = clipProbability(proba[i * k + j]!, eps);
    }
    total -= Math.log(pTrue / rowSum);
  }
  return total / n;
}

/**
 * A probability clipped to [eps, 1 − eps], as log_loss clips them before renormalising each row.
 * @example
 * ```ts
 * clipProbability(0, LOG_LOSS_EPS); // LOG_LOSS_EPS
 * ```
 */
export function clipProbability(p: number, eps: number): number {
  return p < eps ? eps : p > 1 - eps ? 1 - eps : p;
}

function sum(values: Float64Array): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s;
}
