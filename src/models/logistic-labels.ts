/**
 * Class labels as logistic regression's kernels read them. Binary problems have one output
 * (sigmoid, the positive class is `classes[1]`, as scikit-learn's); k > 2 classes have k
 * outputs (softmax, scikit-learn's symmetric multinomial form).
 */
import { DataError } from '../errors.js';
import { DistinctValues, indexInSorted } from './distinct.js';
import type { Rows } from './estimator.js';

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
  const seen = new DistinctValues();
  seen.addAll(y, rows);
  const classes = seen.sorted();
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
  const label = new Int32Array(y.length);
  for (let r = 0; r < n; r++) {
    const i = rows === undefined ? r : rows[r]!;
    label[i] = indexInSorted(classes, y[i]!);
  }
  return { classes, nOutputs: classes.length, label };
}

/**
 * `all`, the encoding of every row's label ({@link encodeLabels} with no rows), as the encoding
 * of `rows` when they hold every one of its classes: then encodeLabels(y, rows) finds the same
 * classes and codes, and this saves the pass (a fold of 160,000 rows took 8-17 ms a task to
 * encode, most of it filling a fresh per-row array). Undefined when `all` is undefined or a
 * class has no row among `rows` (encode the rows themselves: their classes differ). Codes at
 * row ids outside `rows` are those rows' own, not encodeLabels' zeros: fits read only the
 * rows they fit.
 * @example
 * ```ts
 * const all = encodeLabels(y, undefined); // once for many folds of the same y
 * const labels = labelsForRows(all, fold.train) ?? encodeLabels(y, fold.train);
 * ```
 */
export function labelsForRows(all: EncodedLabels | undefined, rows: Rows): EncodedLabels | undefined {
  if (all === undefined) return undefined;
  if (rows === undefined) return all;
  const codes = all.target ?? all.label!;
  const seen = new Uint8Array(all.classes.length);
  let missing = seen.length;
  for (let r = 0; r < rows.length && missing > 0; r++) {
    const c = codes[rows[r]!]!;
    if (seen[c] === 0) {
      seen[c] = 1;
      missing--;
    }
  }
  return missing === 0 ? all : undefined;
}
