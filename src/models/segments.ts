/**
 * A fit's or a prediction's rows, split by the row windows of X: one segment per window the
 * rows touch, each with the window's kernel view and the rows as window-local indices, so a
 * model runs its kernels once per segment and never needs X as one typed array. For X in one
 * window (every in-memory X) there is one segment that passes `rows` through uncopied.
 */
import { DataError } from '../errors.js';
import { windowIndexOfRow, type NdArray } from '../data/ndarray.js';
import { checkFiniteX, checkFiniteY, checkRows, matrixWindows, targetValues, type MatrixWindow } from './checks.js';
import type { FloatMatrix, Rows } from './estimator.js';
import type { DenseView } from './kernels/index.js';

/**
 * The rows of one window of X that an operation visits. Output `r` of the segment (its r-th
 * row) belongs at `positions[r]` of the caller's output, or at `offset + r` when `positions`
 * is undefined.
 */
export interface RowSegment {
  /** Row of X that the view's row 0 is. */
  readonly rowStart: number;
  readonly view: DenseView;
  /** Window-local row indices, ascending within the window as given; undefined: every row of the window. */
  readonly rows: Int32Array | undefined;
  readonly positions: Int32Array | undefined;
  readonly offset: number;
}

/**
 * `rows` (or all rows) of X split by window. Rows of an explicit list keep their order within
 * each window; the list may repeat rows and jump between windows.
 * @example
 * ```ts
 * for (const s of rowSegments(matrixWindows(X), fold.train)) columnSums(s.view, s.rows, sums);
 * ```
 */
export function rowSegments(windows: readonly MatrixWindow[], rows: Rows): RowSegment[] {
  if (windows.length === 1) return [{ rowStart: 0, view: windows[0]!.view, rows, positions: undefined, offset: 0 }];
  if (rows === undefined) {
    return windows.map((w) => ({ rowStart: w.rowStart, view: w.view, rows: undefined, positions: undefined, offset: w.rowStart }));
  }
  const windowOf = new Int32Array(rows.length);
  const counts = new Int32Array(windows.length);
  for (let r = 0; r < rows.length; r++) {
    const k = windowIndexOfRow(windows, rows[r]!);
    windowOf[r] = k;
    counts[k]!++;
  }
  const local = Array.from(counts, (n) => new Int32Array(n));
  const positions = Array.from(counts, (n) => new Int32Array(n));
  const fill = new Int32Array(windows.length);
  for (let r = 0; r < rows.length; r++) {
    const k = windowOf[r]!;
    const at = fill[k]!++;
    local[k]![at] = rows[r]! - windows[k]!.rowStart;
    positions[k]![at] = r;
  }
  const out: RowSegment[] = [];
  windows.forEach((w, k) => {
    if (counts[k]! > 0) out.push({ rowStart: w.rowStart, view: w.view, rows: local[k], positions: positions[k], offset: 0 });
  });
  return out;
}

/** Number of rows a segment visits. */
export function segmentRows(s: RowSegment): number {
  return s.rows === undefined ? s.view.nRows : s.rows.length;
}

/**
 * Everything `fit` needs checked, window by window: the segments of `rows`, y's values
 * (indexed by row of X) and finiteness of the rows used.
 * @example
 * ```ts
 * const { segments, target } = checkFitSegments(X, y, rows);
 * ```
 */
export function checkFitSegments(X: FloatMatrix, y: NdArray, rows: Rows): { segments: RowSegment[]; target: Float64Array } {
  const windows = matrixWindows(X);
  const nRows = X.shape[0]!;
  const target = targetValues(y, nRows);
  checkRows(rows, nRows);
  const segments = rowSegments(windows, rows);
  for (const s of segments) checkFiniteX(s.view, s.rows, s.rowStart);
  checkFiniteY(target, rows);
  return { segments, target };
}

/**
 * Checks for predicting with a model fitted on `nFeatures` columns; returns the segments.
 * @example
 * ```ts
 * const segments = checkPredictSegments(X, fold.test, coef.length);
 * ```
 */
export function checkPredictSegments(X: FloatMatrix, rows: Rows, nFeatures: number): RowSegment[] {
  const nCols = X.shape[1]!;
  if (nCols !== nFeatures) throw new DataError(`X has ${nCols} features, but the model was fitted with ${nFeatures}`);
  return checkRowSegments(X, rows);
}

/**
 * The segments of `rows` (or all rows) of X, the rows checked against X and their values finite.
 * @example
 * ```ts
 * const moments = columnMoments(checkRowSegments(X, fold.train), X.shape[1]!);
 * ```
 */
export function checkRowSegments(X: FloatMatrix, rows: Rows): RowSegment[] {
  const windows = matrixWindows(X);
  checkRows(rows, X.shape[0]!);
  const segments = rowSegments(windows, rows);
  if (!checkedFinite.has(X)) for (const s of segments) checkFiniteX(s.view, s.rows, s.rowStart);
  return segments;
}

/** Matrices a search has found finite up front (see {@link markCheckedFinite}). */
const checkedFinite = new WeakSet<FloatMatrix>();

/**
 * Records that every value of X was found finite (a search checks its X once, before any task),
 * so {@link checkRowSegments} skips the scan: scoring a path's dozen models on a fold's test rows
 * scanned them a dozen times. Only for an X nothing writes to while it is in use (a search's
 * mapped dataset store).
 */
export function markCheckedFinite(X: FloatMatrix): void {
  checkedFinite.add(X);
}

/**
 * Runs `fill(segment, into)` per segment and places each segment's outputs (`width` per row)
 * where they belong in `out`: straight into place when the segment's rows are in order,
 * through a scratch buffer otherwise.
 * @example
 * ```ts
 * scatterOutputs(segments, out, 1, (s, into) => linearMargins(s.view, s.rows, packed, 1, into));
 * ```
 */
export function scatterOutputs(segments: readonly RowSegment[], out: Float64Array, width: number, fill: (s: RowSegment, into: Float64Array) => void): void {
  for (const s of segments) {
    const n = segmentRows(s);
    if (s.positions === undefined) {
      fill(s, out.subarray(s.offset * width, (s.offset + n) * width));
      continue;
    }
    const scratch = new Float64Array(n * width);
    fill(s, scratch);
    for (let r = 0; r < n; r++) {
      const at = s.positions[r]! * width;
      for (let c = 0; c < width; c++) out[at + c] = scratch[r * width + c]!;
    }
  }
}
