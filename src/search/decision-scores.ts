/**
 * The two scorers logistic searches use most, accuracy and neg_log_loss, scored straight from a
 * LogisticRegression's decision values, a row at a time. The plain route builds each model's
 * predicted labels or its [n, classes] probabilities, copies the positive column out and finds
 * the labels again (three arrays of the test rows per model and scorer: 12 models on 40,000
 * rows spent more on that than on their logs); this one computes, row by row, the same
 * probability (sigmoid, probabilityRow), clip and log in the same order, so every score is the
 * plain route's bit for bit. Where the plain route would throw or take another branch (a label
 * that is not one of the model's classes, a test fold missing a class, no rows) it is left to
 * that route.
 */
import { indexInSorted } from '../models/distinct.js';
import { binaryScoresWasm } from '../models/kernels/wasm/binary-scores.js';
import type { Estimator } from '../models/estimator.js';
import { sigmoid } from '../models/kernels/logistic-math.js';
import { argmaxRow, LogisticRegression, probabilityRow } from '../models/logistic.js';
import { clipProbability, LOG_LOSS_EPS } from './metrics/classification.js';
import { distinctLabels, getScorer, type Scorer } from './scorers.js';

const ACCURACY = getScorer('accuracy');
const NEG_LOG_LOSS = getScorer('neg_log_loss');

/**
 * `scorer`'s score of `estimator` from its decision values on rows labelled `yTrue`, when the
 * fused route applies (a LogisticRegression, the built-in accuracy or neg_log_loss), else
 * undefined. `decision` is called only when it applies.
 * @example
 * ```ts
 * decisionScore(getScorer('neg_log_loss'), model, yTrue, () => model.decisionFunction(X, rows)); // -0.31...
 * ```
 */
export function decisionScore(scorer: Scorer, estimator: Estimator, yTrue: Float64Array, decision: () => Float64Array): number | undefined {
  if (!(estimator instanceof LogisticRegression) || !fusedScorer(scorer) || yTrue.length === 0) return undefined;
  const classes = estimator.classes;
  const z = decision();
  const k = classes.length;
  const outputs = k === 2 ? 1 : k;
  if (z.length !== yTrue.length * outputs) return undefined;
  if (scorer === ACCURACY) return accuracyOf(yTrue, z, classes);
  // log_loss takes its labels from yTrue: the rows must show every class of the model, no other.
  if (!sameValues(distinctLabels(yTrue), classes)) return undefined;
  return -(k === 2 ? binaryLogLoss(yTrue, z, classes) : multinomialLogLoss(yTrue, z, classes));
}

/** The fraction of rows whose predicted class (z > 0 for two classes, else the largest z) is their label. */
function accuracyOf(yTrue: Float64Array, z: Float64Array, classes: Float64Array): number {
  const n = yTrue.length;
  const k = classes.length;
  if (k === 2) {
    const hits = new Float64Array(1);
    sumBinaryRows(yTrue, z, 1, classes, hits, undefined);
    return hits[0]! / n;
  }
  let hits = 0;
  for (let i = 0; i < n; i++) if (yTrue[i] === classes[argmaxRow(z, i * k, k)]) hits++;
  return hits / n;
}

/** log_loss on the positive class's probability σ(z), each row's pair renormalised after clipping. */
function binaryLogLoss(yTrue: Float64Array, z: Float64Array, classes: Float64Array): number {
  const hits = new Float64Array(1);
  const losses = new Float64Array(1);
  sumBinaryRows(yTrue, z, 1, classes, hits, losses);
  return losses[0]! / yTrue.length;
}

/** log_loss on each row's softmax, clipped and renormalised. */
function multinomialLogLoss(yTrue: Float64Array, z: Float64Array, classes: Float64Array): number {
  const n = yTrue.length;
  const k = classes.length;
  const p = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    probabilityRow(z, i * k, k, p, 0);
    let rowSum = 0;
    for (let c = 0; c < k; c++) rowSum += clipProbability(p[c]!, LOG_LOSS_EPS);
    const pTrue = clipProbability(p[indexInSorted(classes, yTrue[i]!)]!, LOG_LOSS_EPS);
    total -= Math.log(pTrue / rowSum);
  }
  return total / n;
}

function sameValues(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether `scorer` is one of the two the fused routes score (accuracy, neg_log_loss). */
function fusedScorer(scorer: Scorer): boolean {
  return scorer === ACCURACY || scorer === NEG_LOG_LOSS;
}

/**
 * accuracy and neg_log_loss of M binary models from their decision values side by side
 * (`z[r·M + m]`: row r, model m; models/logistic.ts's reusedStackedDecisions), in one pass over
 * the rows instead of one per model and metric: per model a map from each of `scorers` to its
 * score, the score {@link decisionScore} gives bit for bit (the same row operations, each
 * model's rows summed in row order). Undefined (score model by model) unless every scorer is
 * one of the two and every model a LogisticRegression of the same two classes; `decisions` is
 * called only then. A model's neg_log_loss is left out (for the plain route to score or refuse)
 * where the rows do not show exactly its two classes.
 * @example
 * ```ts
 * const scores = stackedBinaryScores(scorers, path.models, yTrue, () => values); // scores[m].get(scorer)
 * ```
 */
export function stackedBinaryScores(
  scorers: ReadonlyMap<string, Scorer>, models: readonly Estimator[], yTrue: Float64Array, decisions: () => Float64Array,
): Map<Scorer, number>[] | undefined {
  const M = models.length;
  const n = yTrue.length;
  const wanted = [...scorers.values()];
  if (M === 0 || n === 0 || !wanted.every(fusedScorer)) return undefined;
  if (!models.every((m) => m instanceof LogisticRegression)) return undefined;
  const classes = (models[0] as LogisticRegression).classes;
  if (classes.length !== 2 || !models.every((m) => sameValues((m as LogisticRegression).classes, classes))) return undefined;
  const z = decisions();
  if (z.length !== n * M) return undefined;
  const withAccuracy = wanted.includes(ACCURACY);
  const withLoss = wanted.includes(NEG_LOG_LOSS) && sameValues(distinctLabels(yTrue), classes);
  const hits = new Float64Array(M);
  const losses = new Float64Array(M);
  sumBinaryRows(yTrue, z, M, classes, hits, withLoss ? losses : undefined);
  return models.map((_, m) => {
    const scores = new Map<Scorer, number>();
    if (withAccuracy) scores.set(ACCURACY, hits[m]! / n);
    if (withLoss) scores.set(NEG_LOG_LOSS, -(losses[m]! / n));
    return scores;
  });
}

/**
 * The binary scores' row sums, for M models' decision values side by side (`z[r·M + m]`), in
 * row order: hits[m] += rows predicted right (z > 0 predicts classes[1]), and, given `losses`,
 * losses[m] −= the log of the row's true class's probability as scikit-learn's log_loss takes it
 * (σ(z) clipped to [eps, 1 − eps], the pair renormalised). On wasm where it can
 * (kernels/wasm/binary-scores.ts: the same operations, the same bits), else in JavaScript.
 */
function sumBinaryRows(
  yTrue: Float64Array, z: Float64Array, M: number, classes: Float64Array, hits: Float64Array, losses: Float64Array | undefined,
): void {
  if (!binaryScoresWasm(yTrue, z, M, classes, hits, losses)) sumBinaryRowsJs(yTrue, z, M, classes, hits, losses);
}

/** {@link sumBinaryRows} in JavaScript: the loop the wasm route repeats operation for operation. */
export function sumBinaryRowsJs(
  yTrue: Float64Array, z: Float64Array, M: number, classes: Float64Array, hits: Float64Array, losses: Float64Array | undefined,
): void {
  const first = classes[0]!;
  const second = classes[1]!;
  for (let r = 0, at = 0; r < yTrue.length; r++, at += M) {
    const t = yTrue[r]!;
    const isFirst = t === first;
    const isSecond = t === second;
    for (let m = 0; m < M; m++) {
      const zm = z[at + m]!;
      if (zm > 0 ? isSecond : isFirst) hits[m]!++;
      if (losses === undefined) continue;
      const p1 = clipProbability(sigmoid(zm), LOG_LOSS_EPS);
      const rowSum = 1 - p1 + p1;
      losses[m]! -= Math.log((isFirst ? 1 - p1 : p1) / rowSum);
    }
  }
}
