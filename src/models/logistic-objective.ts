/**
 * scikit-learn's lbfgs objective for LogisticRegression, over the rows of a fold:
 * Σ log-loss + ‖W‖²/(2C), the intercepts unpenalised. Binary problems have one output
 * (sigmoid, the positive class is `classes[1]`); k > 2 classes have k outputs (softmax,
 * every class's weights penalised: scikit-learn's symmetric multinomial form).
 */
import { DataError } from '../errors.js';
import type { Rows } from './estimator.js';
import { logisticLossGrad, softmaxLossGrad, type DenseView } from './kernels/index.js';
import type { Objective } from './lbfgs.js';

/** Labels turned into what the loss kernels read, for every row id. */
export interface EncodedLabels {
  /** Sorted distinct labels among the rows used. */
  readonly classes: Float64Array;
  /** Linear outputs: 1 for two classes, else the number of classes. */
  readonly nOutputs: number;
  /** Binary: 1 for classes[1], 0 otherwise (by row id). */
  readonly target?: Float64Array;
  /** Multinomial: class index by row id. */
  readonly label?: Int32Array;
}

/**
 * Find the classes among the chosen rows and encode them. A single class is a DataError.
 * @example
 * ```ts
 * const enc = encodeLabels(y, rows); // enc.classes, enc.nOutputs
 * ```
 */
export function encodeLabels(y: Float64Array, rows: Rows): EncodedLabels {
  const n = rows === undefined ? y.length : rows.length;
  const seen = new Set<number>();
  for (let r = 0; r < n; r++) seen.add(y[rows === undefined ? r : rows[r]!]!);
  const classes = Float64Array.from(seen).sort();
  if (classes.length < 2) {
    throw new DataError(`y has a single class (${classes[0]}) in the rows used: a classifier needs at least 2 classes`);
  }
  if (classes.length === 2) {
    const positive = classes[1]!;
    const target = new Float64Array(y.length);
    for (let r = 0; r < n; r++) {
      const i = rows === undefined ? r : rows[r]!;
      target[i] = y[i] === positive ? 1 : 0;
    }
    return { classes, nOutputs: 1, target };
  }
  const index = new Map<number, number>();
  classes.forEach((c, k) => index.set(c, k));
  const label = new Int32Array(y.length);
  for (let r = 0; r < n; r++) {
    const i = rows === undefined ? r : rows[r]!;
    label[i] = index.get(y[i]!)!;
  }
  return { classes, nOutputs: classes.length, label };
}

/**
 * The objective over packed coefficients (nOutputs blocks of [w, b]) for L-BFGS.
 * Without an intercept, the intercept entries get zero gradient, so from a zero start
 * they stay exactly 0 and the solver walks the same path as with no intercept entry.
 * @example
 * ```ts
 * const fg = logisticObjective(view, rows, enc, 1.0, true);
 * minimizeLbfgs(fg, new Float64Array(enc.nOutputs * (view.nCols + 1)), { maxIter: 100, pgtol: 1e-4 });
 * ```
 */
export function logisticObjective(
  view: DenseView, rows: Rows, enc: EncodedLabels, C: number, fitIntercept: boolean,
): Objective {
  const d = view.nCols;
  const k = enc.nOutputs;
  const scratch = new Float64Array(k);
  const lambda = 1 / C;
  return (x, grad) => {
    grad.fill(0);
    let loss = enc.target !== undefined
      ? logisticLossGrad(view, rows, enc.target, x, grad)
      : softmaxLossGrad(view, rows, enc.label!, k, x, grad, scratch);
    let penalty = 0;
    for (let c = 0; c < k; c++) {
      const off = c * (d + 1);
      for (let j = 0; j < d; j++) {
        const w = x[off + j]!;
        penalty += w * w;
        grad[off + j]! += lambda * w;
      }
      if (!fitIntercept) grad[off + d] = 0;
    }
    loss += 0.5 * lambda * penalty;
    return loss;
  };
}
