/**
 * Input checks a search runs once, before any worker starts: shapes, finiteness and, for
 * classifiers, at least two classes. Models trust their inputs after this.
 */
import type { NdArray } from '../data/ndarray.js';
import { toFloat64 } from '../data/ndarray.js';
import { allFiniteInFile } from '../data/finite.js';
import { isMapped } from '../data/npy.js';
import { isFloatDType } from '../data/dtypes.js';
import { DataError } from '../errors.js';
import { checkFiniteX, checkFiniteY, matrixView } from '../models/checks.js';
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
  // A file-backed X is checked by reading its file; only a bad file is scanned again through
  // the mapping, for the error message that names the row and column.
  const view = matrixView(X);
  if (!(isMapped(X) && allFiniteInFile(X) === true)) checkFiniteX(view, undefined);
  const labels = toFloat64(y);
  checkFiniteY(labels, undefined);
  if (estimator.kind === 'classifier') {
    const first = labels[0]!;
    if (labels.every((v) => v === first)) {
      throw new DataError(`y has a single class (${first}): a classifier needs at least two`);
    }
  }
  return labels;
}
