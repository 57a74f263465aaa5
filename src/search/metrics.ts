/**
 * Metrics as pure functions over float64 vectors, matching scikit-learn 1.2's values
 * (within 1e-12; numpy sums pairwise, we sum in order) and its edge cases: which inputs
 * raise, which give 0 or NaN with a warning.
 */
import { ValueError } from '../errors.js';
import { warnOnce } from './warnings.js';

function checkPair(metric: string, a: ArrayLike<number>, b: ArrayLike<number>, bName = 'yPred'): number {
  if (a.length !== b.length) throw new ValueError(`${metric}: yTrue has ${a.length} values, ${bName} has ${b.length}`);
  if (a.length === 0) throw new ValueError(`${metric}: yTrue is empty`);
  return a.length;
}

/**
 * Coefficient of determination (scikit-learn's `r2_score`, `force_finite=True`): 1 for a
 * perfect fit, 0 when y is constant and the fit is not perfect, NaN (with a warning) for
 * fewer than two samples.
 * @example
 * ```ts
 * r2(new Float64Array([1, 2, 3]), new Float64Array([1, 2, 4])); // 0.5
 * ```
 */
export function r2(yTrue: Float64Array, yPred: Float64Array): number {
  const n = checkPair('r2', yTrue, yPred);
  if (n < 2) {
    warnOnce('UndefinedMetricWarning', 'R^2 score is not well-defined with less than two samples.');
    return Number.NaN;
  }
  let sum = 0;
  for (let i = 0; i < n; i++) sum += yTrue[i]!;
  const mean = sum / n;
  let residual = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const e = yTrue[i]! - yPred[i]!;
    const d = yTrue[i]! - mean;
    residual += e * e;
    total += d * d;
  }
  if (residual === 0) return 1;
  if (total === 0) return 0;
  return 1 - residual / total;
}

/**
 * Mean of squared errors (`mean_squared_error`).
 * @example
 * ```ts
 * meanSquaredError(new Float64Array([0, 0]), new Float64Array([1, 3])); // 5
 * ```
 */
export function meanSquaredError(yTrue: Float64Array, yPred: Float64Array): number {
  const n = checkPair('meanSquaredError', yTrue, yPred);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const e = yTrue[i]! - yPred[i]!;
    s += e * e;
  }
  return s / n;
}

/**
 * Square root of the mean squared error (`mean_squared_error(squared=False)`).
 * @example
 * ```ts
 * rootMeanSquaredError(new Float64Array([0, 0]), new Float64Array([3, 3])); // 3
 * ```
 */
export function rootMeanSquaredError(yTrue: Float64Array, yPred: Float64Array): number {
  return Math.sqrt(meanSquaredError(yTrue, yPred));
}

/**
 * Mean of absolute errors (`mean_absolute_error`).
 * @example
 * ```ts
 * meanAbsoluteError(new Float64Array([0, 0]), new Float64Array([1, -3])); // 2
 * ```
 */
export function meanAbsoluteError(yTrue: Float64Array, yPred: Float64Array): number {
  const n = checkPair('meanAbsoluteError', yTrue, yPred);
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(yTrue[i]! - yPred[i]!);
  return s / n;
}

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

/** Sorted distinct values (labels are few; this is not a hot path). */
export function uniqueSorted(...arrays: ArrayLike<number>[]): Float64Array {
  const set = new Set<number>();
  for (const a of arrays) for (let i = 0; i < a.length; i++) set.add(a[i]!);
  return Float64Array.from(set).sort();
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
  const index = new Map<number, number>();
  classes.forEach((c, k) => index.set(c, k));
  const support = new Float64Array(classes.length);
  const hits = new Float64Array(classes.length);
  let foreign = false;
  for (let i = 0; i < n; i++) {
    const k = index.get(yTrue[i]!)!;
    support[k]!++;
    if (yTrue[i] === yPred[i]) hits[k]!++;
    else if (!index.has(yPred[i]!)) foreign = true;
  }
  if (foreign) warnOnce('UserWarning', 'y_pred contains classes not in y_true');
  let sum = 0;
  for (let k = 0; k < classes.length; k++) sum += hits[k]! / support[k]!;
  return sum / classes.length;
}

/** scikit-learn 1.2's `eps="auto"` for float64 probabilities: machine epsilon. */
export const LOG_LOSS_EPS = Number.EPSILON;

/**
 * Mean cross-entropy (`log_loss`): probabilities are clipped to [eps, 1 - eps] and each row
 * renormalised, as scikit-learn 1.2 does. `proba` is row-major [n, classes.length], or for
 * two classes may be [n] (the probability of the larger class). `classes` defaults to
 * yTrue's sorted labels (then yTrue needs at least two).
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
    throw new ValueError(`logLoss: proba has ${proba.length} values, expected ${n} rows x ${k} classes = ${n * k}`);
  }
  const column = new Map<number, number>();
  labels.forEach((c, j) => column.set(c, j));
  let total = 0;
  for (let i = 0; i < n; i++) {
    const j = column.get(yTrue[i]!);
    if (j === undefined) throw new ValueError(`logLoss: yTrue[${i}] = ${yTrue[i]} is not one of the classes [${labels.join(', ')}]`);
    let rowSum: number;
    let pTrue: number;
    if (binary1d) {
      const p1 = clip(proba[i]!, eps);
      rowSum = 1 - p1 + p1;
      pTrue = j === 1 ? p1 : 1 - p1;
    } else {
      rowSum = 0;
      for (let c = 0; c < k; c++) rowSum += clip(proba[i * k + c]!, eps);
      pTrue = clip(proba[i * k + j]!, eps);
    }
    total -= Math.log(pTrue / rowSum);
  }
  return total / n;
}

function clip(p: number, eps: number): number {
  return p < eps ? eps : p > 1 - eps ? 1 - eps : p;
}

/**
 * Cumulative true/false positive counts at each distinct score, highest score first
 * (`_binary_clf_curve`). Positive and negative scores are sorted apart with the native
 * numeric sort, then merged: much faster than sorting indices with a comparator.
 */
interface RocCounts {
  readonly tps: Float64Array;
  readonly fps: Float64Array;
  /** Number of distinct thresholds: the used length of tps and fps. */
  readonly m: number;
}

function rocCounts(positive: Uint8Array, score: Float64Array): RocCounts {
  const n = score.length;
  let nPos = 0;
  for (let i = 0; i < n; i++) nPos += positive[i]!;
  const pos = new Float64Array(nPos);
  const neg = new Float64Array(n - nPos);
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    if (positive[i] === 1) pos[a++] = score[i]!;
    else neg[b++] = score[i]!;
  }
  pos.sort();
  neg.sort();
  const tps = new Float64Array(n);
  const fps = new Float64Array(n);
  let m = 0;
  let i = nPos - 1;
  let j = n - nPos - 1;
  while (i >= 0 || j >= 0) {
    const top = i < 0 ? neg[j]! : j < 0 ? pos[i]! : Math.max(pos[i]!, neg[j]!);
    while (i >= 0 && pos[i] === top) i--;
    while (j >= 0 && neg[j] === top) j--;
    tps[m] = nPos - 1 - i;
    fps[m] = n - nPos - 1 - j;
    m++;
  }
  return { tps, fps, m };
}

/**
 * Whether roc_curve's `drop_intermediate` keeps threshold `i`: the ends and every corner.
 * Dropping collinear points does not change the area but does change its rounding.
 */
function isCorner(tps: Float64Array, fps: Float64Array, m: number, i: number): boolean {
  if (m <= 2 || i === 0 || i === m - 1) return true;
  return fps[i + 1]! - 2 * fps[i]! + fps[i - 1]! !== 0 || tps[i + 1]! - 2 * tps[i]! + tps[i - 1]! !== 0;
}

/**
 * Area under the ROC curve for binary labels (`roc_auc_score`): the larger label is the
 * positive class, tied scores form one step of the curve, the area is the trapezoid rule.
 * Multiclass targets are refused (scikit-learn's `roc_auc` scorer refuses them too).
 * @example
 * ```ts
 * rocAuc(new Float64Array([0, 0, 1, 1]), new Float64Array([0.1, 0.4, 0.35, 0.8])); // 0.75
 * ```
 */
export function rocAuc(yTrue: Float64Array, score: Float64Array): number {
  const n = checkPair('rocAuc', yTrue, score, 'score');
  const labels = uniqueSorted(yTrue);
  if (labels.length === 1) throw new ValueError('rocAuc: only one class present in yTrue; ROC AUC is not defined in that case');
  if (labels.length > 2) {
    throw new ValueError(`rocAuc: yTrue has ${labels.length} classes; only binary targets are supported`);
  }
  const positive = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(score[i]!)) throw new ValueError(`rocAuc: score[${i}] is NaN`);
    positive[i] = yTrue[i] === labels[1] ? 1 : 0;
  }
  const { tps, fps, m } = rocCounts(positive, score);
  const tpMax = tps[m - 1]!;
  const fpMax = fps[m - 1]!;
  // The curve starts at (0, 0), then visits the kept thresholds.
  let area = 0;
  let x0 = 0;
  let y0 = 0;
  for (let i = 0; i < m; i++) {
    if (!isCorner(tps, fps, m, i)) continue;
    const x1 = fps[i]! / fpMax;
    const y1 = tps[i]! / tpMax;
    area += ((x1 - x0) * (y1 + y0)) / 2;
    x0 = x1;
    y0 = y1;
  }
  return area;
}

/**
 * F1 score of the positive class (`f1_score`, average 'binary'). As in scikit-learn,
 * `posLabel` defaults to 1 and must be one of the labels when two are present; when the
 * score is undefined (no true and no predicted positives) it is 0, with a warning.
 * @example
 * ```ts
 * f1(new Float64Array([0, 1, 1, 0]), new Float64Array([0, 1, 0, 1])); // 0.5
 * ```
 */
export function f1(yTrue: Float64Array, yPred: Float64Array, posLabel = 1): number {
  const n = checkPair('f1', yTrue, yPred);
  const present = uniqueSorted(yTrue, yPred);
  if (present.length > 2) {
    throw new ValueError(`f1: target is multiclass (labels [${present.join(', ')}]) but f1 supports binary targets only`);
  }
  if (present.length === 2 && !present.includes(posLabel)) {
    throw new ValueError(`f1: posLabel=${posLabel} is not a valid label: it should be one of [${present.join(', ')}]`);
  }
  let tp = 0;
  let predicted = 0;
  let actual = 0;
  for (let i = 0; i < n; i++) {
    const t = yTrue[i] === posLabel;
    const p = yPred[i] === posLabel;
    if (t) actual++;
    if (p) predicted++;
    if (t && p) tp++;
  }
  if (actual === 0 && predicted === 0) {
    warnOnce('UndefinedMetricWarning', 'F-score is ill-defined and being set to 0.0 due to no true nor predicted samples.');
  }
  const precision = predicted === 0 ? 0 : tp / predicted;
  const recall = actual === 0 ? 0 : tp / actual;
  const denom = precision + recall;
  return (2 * precision * recall) / (denom === 0 ? 1 : denom);
}
