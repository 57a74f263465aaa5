/**
 * Input checks a search runs once, before any task is sent: shapes first (instant), then
 * values (finiteness, and for classifiers at least two classes), which read all of X and run
 * while the worker threads start. Models trust their inputs after this. The one exception:
 * a plan whose single pass over X finds non-finite values anyway (ridge's statistics) checks
 * X there instead of reading it twice.
 */
import type { NdArray } from '../data/ndarray.js';
import { isFloatDType } from '../data/dtypes.js';
import { DataError } from '../errors.js';
import { checkFiniteY, targetValues } from '../models/checks.js';
import type { Estimator, FloatMatrix } from '../models/estimator.js';

/**
 * Checks the shapes and dtypes of X and y; reads no values.
 * @throws DataError naming the array and what was found.
 */
export function checkInputShapes(X: FloatMatrix, y: NdArray): void {
  if (X.shape.length !== 2) throw new DataError(`X must be 2-d [samples, features], found shape [${X.shape.join(', ')}]`);
  if (!isFloatDType(X.dtype)) throw new DataError(`X must be float64 or float32, found ${X.dtype}`);
  if (y.shape.length !== 1) throw new DataError(`y must be 1-d, found shape [${y.shape.join(', ')}]`);
  const [nRows] = X.shape as [number, number];
  if (y.shape[0] !== nRows) throw new DataError(`X and y have different lengths: X has ${nRows} rows, y has ${y.shape[0]}`);
  if (nRows === 0) throw new DataError('X has no rows');
  if (X.shape[1] === 0) throw new DataError(`X has 0 features (shape [${nRows}, 0]): at least 1 is required`);
}

/**
 * Checks the values of y (finite; for classifiers at least two classes) and returns it as
 * float64 for the splitters: y's own data when it is float64 already, so treat the result
 * as read-only. X's values are checked by checkFiniteMatrix (models/checks.ts), or by a plan whose pass
 * over the data checks them as it goes (see Plan.checksFiniteX).
 * @throws DataError naming the row and value found.
 */
export function checkTargetValues(estimator: Estimator, X: FloatMatrix, y: NdArray): Float64Array {
  const labels = targetValues(y, X.shape[0]!);
  checkFiniteY(labels, undefined);
  if (estimator.kind === 'classifier') {
    const first = labels[0]!;
    if (labels.every((v) => v === first)) {
      throw new DataError(`y has a single class (${first}): a classifier needs at least two`);
    }
  }
  return labels;
}

