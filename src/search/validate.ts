/**
 * Input checks a search runs once, before any worker starts: shapes, finiteness and, for
 * classifiers, at least two classes. Models trust their inputs after this.
 */
import type { NdArray } from '../data/ndarray.js';
import { toFloat64 } from '../data/ndarray.js';
import { isFloatDType } from '../data/dtypes.js';
import { DataError } from '../errors.js';
import type { Estimator, FloatMatrix } from '../models/estimator.js';

/**
 * Checks X and y and returns the labels as float64 (for splitters).
 * @throws DataError naming the array and the value found.
 */
export function validateInputs(estimator: Estimator, X: FloatMatrix, y: NdArray): Float64Array {
  if (X.shape.length !== 2) throw new DataError(`X must be 2-d [samples, features], found shape [${X.shape.join(', ')}]`);
  if (!isFloatDType(X.dtype)) throw new DataError(`X must be float64 or float32, found ${X.dtype}`);
  if (y.shape.length !== 1) throw new DataError(`y must be 1-d, found shape [${y.shape.join(', ')}]`);
  const [nRows] = X.shape as [number, number];
  if (y.shape[0] !== nRows) throw new DataError(`X and y have different lengths: X has ${nRows} rows, y has ${y.shape[0]}`);
  if (nRows === 0) throw new DataError('X has no rows');
  const at = firstNonFinite(X.data);
  if (at >= 0) throw new DataError(`X holds ${String(X.data[at])} at flat index ${at}: NaN and infinite values are not allowed`);
  const labels = toFloat64(y);
  const atY = firstNonFinite(labels);
  if (atY >= 0) throw new DataError(`y holds ${String(labels[atY])} at index ${atY}: NaN and infinite values are not allowed`);
  if (estimator.kind === 'classifier') {
    const first = labels[0]!;
    if (labels.every((v) => v === first)) {
      throw new DataError(`y has a single class (${first}): a classifier needs at least two`);
    }
  }
  return labels;
}

/**
 * Index of the first NaN or ±Infinity, or -1. One branch-free pass in blocks: x * 0 is NaN
 * exactly for those values, so only a block whose sum turns NaN is scanned again.
 */
function firstNonFinite(data: Float64Array | Float32Array): number {
  const n = data.length;
  const block = 4096;
  for (let start = 0; start < n; start += block) {
    const end = Math.min(n, start + block);
    let acc = 0;
    for (let i = start; i < end; i++) acc += data[i]! * 0;
    if (acc === 0) continue;
    for (let i = start; i < end; i++) if (!Number.isFinite(data[i]!)) return i;
  }
  return -1;
}
