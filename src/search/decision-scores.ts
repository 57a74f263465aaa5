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
  if (!(estimator instanceof LogisticRegression) || (scorer !== ACCURACY && scorer !== NEG_LOG_LOSS) || yTrue.length === 0) return undefined;
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
  let hits = 0;
  if (k === 2) {
    for (let i = 0; i < n; i++) if (yTrue[i] === classes[z[i]! > 0 ? 1 : 0]) hits++;
  } else {
    for (let i = 0; i < n; i++) if (yTrue[i] === classes[argmaxRow(z, i * k, k)]) hits++;
  }
  return hits / n;
}

/** log_loss on the positive class's probability σ(z), each row's pair renormalised after clipping. */
function binaryLogLoss(yTrue: Float64Array, z: Float64Array, classes: Float64Array): number {
  const n = yTrue.length;
  const first = classes[0]!;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const p1 = clipProbability(sigmoid(z[i]!), LOG_LOSS_EPS);
    const rowSum = 1 - p1 + p1;
    const pTrue = yTrue[i] === first ? 1 - p1 : p1;
    total -= Math.log(pTrue / rowSum);
  }
  return total / n;
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
