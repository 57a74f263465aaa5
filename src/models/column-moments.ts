/**
 * Per-column mean and population variance over some rows of X, optionally weighted, computed
 * as scikit-learn's `_incremental_mean_and_var` does on a first fit (a mean pass, then the
 * corrected two-pass variance Σ(x − x̄)² − (Σ(x − x̄))²/n, over n). StandardScaler's numbers.
 */
import type { Rows } from './estimator.js';
import { rowCount, type DenseView } from './kernels/index.js';

/** Column means and population variances, and the (weighted) row count they are over. */
export interface ColumnMoments {
  readonly mean: Float64Array;
  readonly var: Float64Array;
  /** Rows, or the sum of their weights. */
  readonly count: number;
}

/**
 * Means and variances of X's columns over `rows` (all rows when undefined), weighted by
 * `weights[i]` (indexed by row id) when given.
 * @example
 * ```ts
 * const { mean, var: variance } = columnMoments(matrixView(X), fold.train);
 * ```
 */
export function columnMoments(X: DenseView, rows: Rows, weights?: Float64Array): ColumnMoments {
  const d = X.nCols;
  const n = rowCount(X, rows);
  const sum = new Float64Array(d);
  let count = 0;
  for (let r = 0; r < n; r++) {
    const i = rows === undefined ? r : rows[r]!;
    const w = weights === undefined ? 1 : weights[i]!;
    count += w;
    for (let j = 0; j < d; j++) sum[j]! += w * at(X, i, j);
  }
  const mean = sum.map((s) => s / count);
  const correction = new Float64Array(d);
  const squares = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    const i = rows === undefined ? r : rows[r]!;
    const w = weights === undefined ? 1 : weights[i]!;
    for (let j = 0; j < d; j++) {
      const t = at(X, i, j) - mean[j]!;
      correction[j]! += w * t;
      squares[j]! += w * t * t;
    }
  }
  const variance = new Float64Array(d);
  for (let j = 0; j < d; j++) variance[j] = (squares[j]! - (correction[j]! * correction[j]!) / count) / count;
  return { mean, var: variance, count };
}

function at(X: DenseView, i: number, j: number): number {
  return X.order === 'C' ? X.data[i * X.nCols + j]! : X.data[j * X.nRows + i]!;
}
