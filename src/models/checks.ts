/**
 * Input checks at the model boundary: X must be a 2-d float matrix, y a 1-d numeric
 * array of matching length, `rows` valid indices, and no NaN/Inf in the rows used.
 * Each failure is a DataError naming the array, what was expected and what was found.
 */
import { DataError } from '../errors.js';
import { isDType, itemSize } from '../data/dtypes.js';
import { isSingleWindow, rowWindows, shapeSize, toFloat64, type NdArray } from '../data/ndarray.js';
import type { FloatMatrix, Rows } from './estimator.js';
import { firstNonFiniteRow, firstNonFiniteValue, type DenseView } from './kernels/index.js';

/**
 * The kernel view of X after checking it is a 2-d float64/float32 array with at least one
 * column (as scikit-learn requires) whose data length matches its shape.
 * @example
 * ```ts
 * const view = matrixView(X); // view.nRows, view.nCols
 * ```
 */
export function matrixView(X: FloatMatrix): DenseView {
  checkMatrix(X);
  if (!isSingleWindow(X)) {
    throw new DataError(
      `X [${X.shape.join(', ')}] of ${X.dtype} (${shapeSize(X.shape) * itemSize(X.dtype)} bytes) is mapped as ${X.windows!.length} row windows, `
      + 'and this step reads X as one typed array (one window at most); Ridge and LogisticRegression (fit, predict and every search) read X window by window',
    );
  }
  const [nRows, nCols] = X.shape as [number, number];
  if (X.data.length !== nRows * nCols) {
    throw new DataError(`X has ${X.data.length} elements, shape [${nRows}, ${nCols}] needs ${nRows * nCols}`);
  }
  return { data: X.data, nRows, nCols, order: X.order };
}

/** Rows `[rowStart, rowEnd)` of X as a kernel view of their own (row `i` of X is the view's row `i - rowStart`). */
export interface MatrixWindow {
  readonly rowStart: number;
  readonly rowEnd: number;
  readonly view: DenseView;
}

/**
 * X's row windows as kernel views, after the checks of {@link matrixView}: one for an
 * in-memory X or a small mapping, several for a mapping past the window size. Kernels run
 * per window on window-local row indices.
 * @example
 * ```ts
 * for (const { rowStart, view } of matrixWindows(X)) columnSums(view, undefined, sums);
 * ```
 */
export function matrixWindows(X: FloatMatrix): MatrixWindow[] {
  checkMatrix(X);
  const nCols = X.shape[1]!;
  return rowWindows(X as NdArray).map(({ rowStart, rowEnd, data }) => {
    const nRows = rowEnd - rowStart;
    if (data.length !== nRows * nCols) {
      throw new DataError(`X rows ${rowStart}..${rowEnd} have ${data.length} elements, ${nRows} rows of ${nCols} need ${nRows * nCols}`);
    }
    return { rowStart, rowEnd, view: { data: data as DenseView['data'], nRows, nCols, order: X.order } };
  });
}

function checkMatrix(X: FloatMatrix): void {
  const dtype = (X as { dtype: string }).dtype;
  if (dtype !== 'float64' && dtype !== 'float32') {
    throw new DataError(`X must have dtype float64 or float32, found ${dtype}`);
  }
  if (X.shape.length !== 2) {
    throw new DataError(`X must be 2-d [nRows, nCols], found shape [${X.shape.join(', ')}]`);
  }
  const [nRows, nCols] = X.shape as [number, number];
  if (nCols === 0) throw new DataError(`X has 0 features (shape [${nRows}, 0]): at least 1 is required`);
  if (X.order !== 'C' && X.order !== 'F') throw new DataError(`X order must be 'C' or 'F', found ${String(X.order)}`);
}

/**
 * Check that every index in `rows` is in [0, nRows) and that there is at least one row.
 * @example
 * ```ts
 * checkRows(fold.train, X.shape[0]);
 * ```
 */
export function checkRows(rows: Rows, nRows: number): void {
  if (rows === undefined) {
    if (nRows === 0) throw new DataError('X has 0 rows: need at least one');
    return;
  }
  if (!(rows instanceof Int32Array)) throw new DataError('rows must be an Int32Array of row indices');
  if (rows.length === 0) throw new DataError('rows is empty: need at least one row');
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r]!;
    if (i < 0 || i >= nRows) throw new DataError(`rows[${r}] = ${i} is out of range for X with ${nRows} rows`);
  }
}

/**
 * y's values as float64, indexed by row id: the array itself when y is float64
 * (no copy), a converted copy otherwise (int64 labels from numpy included).
 * @example
 * ```ts
 * const t = targetValues(y, view.nRows); // t[i] is row i's label as a number
 * ```
 */
export function targetValues(y: NdArray, nRows: number): Float64Array {
  if (y === null || typeof y !== 'object' || !Array.isArray(y.shape) || !(Array.isArray(y.windows) || ArrayBuffer.isView(y.data))) {
    throw new DataError('y must be an NdArray');
  }
  if (y.shape.length !== 1) throw new DataError(`y must be 1-d, found shape [${y.shape.join(', ')}]`);
  const found = rowWindows(y).reduce((n, w) => n + w.data.length, 0);
  if (y.shape[0] !== nRows || found !== nRows) {
    throw new DataError(`X has ${nRows} rows but y has ${y.shape[0]} values`);
  }
  if (!isDType(y.dtype)) throw new DataError(`y must have a numeric dtype, found ${String(y.dtype)}`);
  // One float64 typed array as it is; windows (a y mapped past the window size) are copied into one.
  if (y.dtype === 'float64' && isSingleWindow(y)) return y.data as Float64Array;
  return toFloat64(y);
}

/**
 * Throw a DataError naming the first row and column of X (among `rows`) that is NaN or ±Inf.
 * `rowStart` is the row of X that the view's row 0 is (a window of a bigger X).
 * @example
 * ```ts
 * checkFiniteX(matrixView(X), fold.train);
 * ```
 */
export function checkFiniteX(X: DenseView, rows: Rows, rowStart = 0): void {
  const r = firstNonFiniteRow(X, rows);
  if (r < 0) return;
  const i = rows === undefined ? r : rows[r]!;
  for (let j = 0; j < X.nCols; j++) {
    const v = X.order === 'C' ? X.data[i * X.nCols + j]! : X.data[j * X.nRows + i]!;
    if (!Number.isFinite(v)) throw new DataError(`X contains ${v} at row ${rowStart + i}, column ${j}: values must be finite`);
  }
}

/**
 * {@link checkFiniteX} over every row of X, window by window (X of any size).
 * @example
 * ```ts
 * checkFiniteMatrix(store.X as FloatMatrix);
 * ```
 */
export function checkFiniteMatrix(X: FloatMatrix): void {
  for (const { rowStart, view } of matrixWindows(X)) checkFiniteX(view, undefined, rowStart);
}

/**
 * Throw a DataError naming the first row (among `rows`) where y is NaN or ±Inf.
 * @example
 * ```ts
 * checkFiniteY(targetValues(y, n), fold.train);
 * ```
 */
export function checkFiniteY(y: Float64Array, rows: Rows): void {
  const r = firstNonFiniteValue(y, rows);
  if (r < 0) return;
  const i = rows === undefined ? r : rows[r]!;
  throw new DataError(`y contains ${y[i]} at row ${i}: values must be finite`);
}

/**
 * Everything `fit` needs checked, in one call: X's view, y's values and the rows.
 * @example
 * ```ts
 * const { view, target } = checkFitInput(X, y, rows);
 * ```
 */
export function checkFitInput(X: FloatMatrix, y: NdArray, rows: Rows): { view: DenseView; target: Float64Array } {
  const view = matrixView(X);
  const target = targetValues(y, view.nRows);
  checkRows(rows, view.nRows);
  checkFiniteX(view, rows);
  checkFiniteY(target, rows);
  return { view, target };
}

/**
 * Checks for predicting with a model fitted on `nFeatures` columns; returns X's view.
 * @example
 * ```ts
 * const view = checkPredictInput(X, fold.test, coef.length);
 * ```
 */
export function checkPredictInput(X: FloatMatrix, rows: Rows, nFeatures: number): DenseView {
  const view = matrixView(X);
  if (view.nCols !== nFeatures) {
    throw new DataError(`X has ${view.nCols} features, but the model was fitted with ${nFeatures}`);
  }
  checkRows(rows, view.nRows);
  checkFiniteX(view, rows);
  return view;
}
