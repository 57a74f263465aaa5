/**
 * Per-column mean and population variance over some rows of X, optionally weighted, computed
 * as scikit-learn's `_incremental_mean_and_var` does on a first fit (a mean pass, then the
 * corrected two-pass variance Σ(x − x̄)² − (Σ(x − x̄))²/n, over n). StandardScaler's numbers.
 */
import { rowCount, type DenseView } from './kernels/index.js';
import type { RowSegment } from './segments.js';

/** Column means and population variances, and the (weighted) row count they are over. */
export interface ColumnMoments {
  readonly mean: Float64Array;
  readonly var: Float64Array;
  /** Rows, or the sum of their weights. */
  readonly count: number;
}

/**
 * Means and variances of X's columns over the rows of `segments` (X's windows: see
 * segments.ts), weighted by `weights[i]` (indexed by row of X) when given. Rows are visited in
 * order, segment by segment, in both passes.
 * @example
 * ```ts
 * const { mean, var: variance } = columnMoments(rowSegments(matrixWindows(X), fold.train), X.shape[1]);
 * ```
 */
export function columnMoments(segments: readonly RowSegment[], d: number, weights?: Float64Array): ColumnMoments {
  const sum = new Float64Array(d);
  let count = 0;
  for (const { view, rows, rowStart } of segments) {
    const n = rowCount(view, rows);
    for (let r = 0; r < n; r++) {
      const i = rows === undefined ? r : rows[r]!;
      const w = weights === undefined ? 1 : weights[rowStart + i]!;
      count += w;
      for (let j = 0; j < d; j++) sum[j]! += w * at(view, i, j);
    }
  }
  const mean = sum.map((s) => s / count);
  const correction = new Float64Array(d);
  const squares = new Float64Array(d);
  for (const { view, rows, rowStart } of segments) {
    const n = rowCount(view, rows);
    for (let r = 0; r < n; r++) {
      const i = rows === undefined ? r : rows[r]!;
      const w = weights === undefined ? 1 : weights[rowStart + i]!;
      for (let j = 0; j < d; j++) {
        const t = at(view, i, j) - mean[j]!;
        correction[j]! += w * t;
        squares[j]! += w * t * t;
      }
    }
  }
  const variance = new Float64Array(d);
  for (let j = 0; j < d; j++) variance[j] = (squares[j]! - (correction[j]! * correction[j]!) / count) / count;
  return { mean, var: variance, count };
}

function at(X: DenseView, i: number, j: number): number {
  return X.order === 'C' ? X.data[i * X.nCols + j]! : X.data[j * X.nRows + i]!;
}
