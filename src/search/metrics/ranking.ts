/**
 * Ranking metrics over scores (decision values or probabilities), with scikit-learn 1.2's
 * values: ROC AUC (binary; multiclass one-vs-rest and one-vs-one, macro or weighted),
 * average precision and top-k accuracy, and the targets each refuses.
 */
import { ValueError } from '../../errors.js';
import { warn } from '../warnings.js';
import { average, checkPair, labelIndex, labelList, targetType, uniqueSorted } from './labels.js';

/**
 * Cumulative true/false positive counts at each distinct score, highest score first
 * (`_binary_clf_curve`). Positive and negative scores are sorted apart with the native
 * numeric sort, then merged: much faster than sorting indices with a comparator.
 */
interface CurveCounts {
  readonly tps: Float64Array;
  readonly fps: Float64Array;
  /** Number of distinct thresholds: the used length of tps and fps. */
  readonly m: number;
}

function curveCounts(positive: Uint8Array, score: Float64Array): CurveCounts {
  const n = score.length;
  let nPos = 0;
  for (let i = 0; i < n; i++) nPos += positive[i]!;
  const pos = new Float64Array(nPos);
  const neg = new Float64Array(n - nPos);
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(score[i]!)) throw new ValueError(`score[${i}] is NaN: scores must be finite numbers`);
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

/** `_binary_roc_auc_score` for a 0/1 mask: the trapezoid area under roc_curve's kept points. */
function binaryRocArea(positive: Uint8Array, score: Float64Array): number {
  let nPos = 0;
  for (let i = 0; i < positive.length; i++) nPos += positive[i]!;
  if (nPos === 0 || nPos === positive.length) {
    throw new ValueError('Only one class present in y_true. ROC AUC score is not defined in that case.');
  }
  const { tps, fps, m } = curveCounts(positive, score);
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
 * Area under the ROC curve for binary labels (`roc_auc_score`): the larger label is the
 * positive class, tied scores form one step of the curve, the area is the trapezoid rule.
 * Multiclass targets take {@link rocAucMulticlass}.
 * @example
 * ```ts
 * rocAuc(new Float64Array([0, 0, 1, 1]), new Float64Array([0.1, 0.4, 0.35, 0.8])); // 0.75
 * ```
 */
export function rocAuc(yTrue: Float64Array, score: Float64Array): number {
  const n = checkPair('rocAuc', yTrue, score, 'score');
  const labels = uniqueSorted(yTrue);
  if (labels.length > 2) {
    throw new ValueError(`rocAuc: yTrue has ${labels.length} classes; multiclass ROC AUC needs probabilities (roc_auc_ovr, roc_auc_ovo)`);
  }
  const positive = new Uint8Array(n);
  for (let i = 0; i < n; i++) positive[i] = labels.length === 2 && yTrue[i] === labels[1] ? 1 : 0;
  return binaryRocArea(positive, score);
}

/** Options of {@link rocAucMulticlass}. */
export interface MulticlassRocOptions {
  /** 'ovr': each class against the rest; 'ovo': Hand & Till's mean over pairs of classes. */
  readonly multiClass: 'ovr' | 'ovo';
  /** 'macro' (default): plain mean; 'weighted': by class support (ovr) or pair prevalence (ovo). */
  readonly average?: 'macro' | 'weighted';
}

/**
 * Multiclass ROC AUC from probabilities (`roc_auc_score(multi_class=...)`): `proba` is
 * row-major [n, k], its columns yTrue's sorted labels, each row summing to 1.
 * @example
 * ```ts
 * rocAucMulticlass(yTrue, proba, { multiClass: 'ovr', average: 'weighted' });
 * ```
 */
export function rocAucMulticlass(yTrue: Float64Array, proba: Float64Array, options: MulticlassRocOptions): number {
  const n = yTrue.length;
  if (n === 0) throw new ValueError('rocAucMulticlass: yTrue is empty');
  const classes = uniqueSorted(yTrue);
  const k = proba.length / n;
  if (!Number.isInteger(k)) throw new ValueError(`rocAucMulticlass: proba has ${proba.length} values, not a multiple of the ${n} rows`);
  checkRowsSumToOne(proba, n, k);
  if (classes.length !== k) {
    throw new ValueError(`Number of classes in y_true not equal to the number of columns in 'y_score' (${classes.length} classes ${labelList(classes)}, ${k} columns)`);
  }
  const code = encode(yTrue, classes);
  return options.multiClass === 'ovr' ? oneVsRest(code, proba, k, options.average ?? 'macro') : oneVsOne(code, proba, k, options.average ?? 'macro');
}

/** numpy's `allclose(1, rowSums)`: |1 − s| ≤ 1e-8 + 1e-5·|s|. */
function checkRowsSumToOne(proba: Float64Array, n: number, k: number): void {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < k; c++) s += proba[i * k + c]!;
    if (!(Math.abs(1 - s) <= 1e-8 + 1e-5 * Math.abs(s))) {
      throw new ValueError('Target scores need to be probabilities for multiclass roc_auc, i.e. they should sum up to 1.0 over classes');
    }
  }
}

function encode(y: Float64Array, classes: Float64Array): Int32Array {
  const index = labelIndex(classes);
  return Int32Array.from(y, (v) => index.get(v)!);
}

function oneVsRest(code: Int32Array, proba: Float64Array, k: number, averaging: 'macro' | 'weighted'): number {
  const n = code.length;
  const scores = new Float64Array(k);
  const support = new Float64Array(k);
  const positive = new Uint8Array(n);
  const column = new Float64Array(n);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < n; i++) {
      positive[i] = code[i] === c ? 1 : 0;
      support[c]! += positive[i]!;
      column[i] = proba[i * k + c]!;
    }
    scores[c] = binaryRocArea(positive, column);
  }
  return average(scores, averaging === 'weighted' ? support : undefined);
}

/** Hand & Till (2001): per pair (a, b), the mean of a-vs-b on a's column and b-vs-a on b's. */
function oneVsOne(code: Int32Array, proba: Float64Array, k: number, averaging: 'macro' | 'weighted'): number {
  const n = code.length;
  const pairs = (k * (k - 1)) / 2;
  const scores = new Float64Array(pairs);
  const prevalence = new Float64Array(pairs);
  let p = 0;
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      const rows: number[] = [];
      for (let i = 0; i < n; i++) if (code[i] === a || code[i] === b) rows.push(i);
      const isA = Uint8Array.from(rows, (i) => (code[i] === a ? 1 : 0));
      const isB = Uint8Array.from(isA, (v) => 1 - v);
      const aScore = binaryRocArea(isA, Float64Array.from(rows, (i) => proba[i * k + a]!));
      const bScore = binaryRocArea(isB, Float64Array.from(rows, (i) => proba[i * k + b]!));
      scores[p] = (aScore + bScore) / 2;
      prevalence[p] = rows.length / n;
      p++;
    }
  }
  return average(scores, averaging === 'weighted' ? prevalence : undefined);
}

/**
 * Average precision, the step-wise area under the precision-recall curve
 * (`average_precision_score`): Σ (Rₖ − Rₖ₋₁) Pₖ over thresholds from the highest score down.
 * The positive class is `posLabel` (default 1), which must be a label when two are present.
 * @example
 * ```ts
 * averagePrecision(Float64Array.from([0, 0, 1, 1]), Float64Array.from([0.1, 0.4, 0.35, 0.8])); // 0.8333...
 * ```
 */
export function averagePrecision(yTrue: Float64Array, score: Float64Array, posLabel = 1): number {
  const n = checkPair('averagePrecision', yTrue, score, 'score');
  const present = uniqueSorted(yTrue);
  if (present.length > 2) throw new ValueError('multiclass format is not supported');
  if (present.length === 2 && !present.includes(posLabel)) {
    throw new ValueError(`pos_label=${posLabel} is not a valid label. It should be one of ${labelList(present)}`);
  }
  const positive = Uint8Array.from(yTrue, (v) => (v === posLabel ? 1 : 0));
  const { tps, fps, m } = curveCounts(positive, score);
  const totalPositive = tps[m - 1]!;
  if (totalPositive === 0) warn('UserWarning', 'No positive class found in y_true, recall is set to one for all thresholds.');
  // numpy sums the reversed curve: lowest threshold first.
  let ap = 0;
  for (let j = m - 1; j >= 0; j--) {
    const recall = totalPositive === 0 ? 1 : tps[j]! / totalPositive;
    const previous = j === 0 ? 0 : totalPositive === 0 ? 1 : tps[j - 1]! / totalPositive;
    ap += (recall - previous) * (tps[j]! / (tps[j]! + fps[j]!));
  }
  return n === 0 ? 0 : ap;
}

/**
 * Fraction of rows whose true class is among the `k` highest scores (`top_k_accuracy_score`).
 * `score` is [n] for a binary target (the larger label's score) or row-major [n, classes].
 * With k at least the number of classes every row is a hit, with scikit-learn's warning.
 * @example
 * ```ts
 * topKAccuracy(Float64Array.from([0, 1, 2]), proba, 2);
 * ```
 */
export function topKAccuracy(yTrue: Float64Array, score: Float64Array, k = 2): number {
  const n = yTrue.length;
  if (n === 0) throw new ValueError('topKAccuracy: yTrue is empty');
  const classes = uniqueSorted(yTrue);
  const binary = targetType(yTrue) === 'binary';
  const width = score.length / n;
  if (binary && width !== 1) {
    throw new ValueError(`\`y_true\` is binary while y_score is 2d with ${width} classes. If \`y_true\` does not contain all the labels, \`labels\` must be provided.`);
  }
  const scoreClasses = binary ? 2 : width;
  if (classes.length !== scoreClasses) {
    throw new ValueError(`Number of classes in 'y_true' (${classes.length}) not equal to the number of classes in 'y_score' (${scoreClasses}).You can provide a list of all known classes by assigning it to the \`labels\` parameter.`);
  }
  if (k >= classes.length) {
    warn('UndefinedMetricWarning', `'k' (${k}) greater than or equal to 'n_classes' (${classes.length}) will result in a perfect score and is therefore meaningless.`);
  }
  const code = encode(yTrue, classes);
  let hits = 0;
  if (binary) {
    if (k !== 1) return 1;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      lo = Math.min(lo, score[i]!);
      hi = Math.max(hi, score[i]!);
    }
    const threshold = lo >= 0 && hi <= 1 ? 0.5 : 0;
    for (let i = 0; i < n; i++) if ((score[i]! > threshold ? 1 : 0) === code[i]) hits++;
    return hits / n;
  }
  for (let i = 0; i < n; i++) {
    const t = code[i]!;
    const own = score[i * width + t]!;
    // numpy's reversed stable argsort ranks a tie with a higher column index first.
    let above = 0;
    for (let c = 0; c < width; c++) {
      const s = score[i * width + c]!;
      if (s > own || (s === own && c > t)) above++;
    }
    if (above < k) hits++;
  }
  return hits / n;
}
