/**
 * What every kernel takes and gives: X as a {@link DenseView}, the statistics a Gram pass
 * accumulates, and the packed-coefficient layout. A leaf module: every kernel file imports
 * from here, nothing here imports a kernel.
 *
 * Packed coefficients: a model with `k` linear outputs stores them as `k` blocks of
 * `nCols + 1` numbers, the weights then the intercept: `coef[c*(d+1) + j]` is weight `j` of
 * output `c`, `coef[c*(d+1) + d]` its intercept. Margins, losses and gradients all use it.
 */
import type { Order } from '../../data/ndarray.js';

/** Float elements a kernel reads X from. */
export type FloatData = Float64Array | Float32Array;

/**
 * A 2-d float matrix as kernels see it: no shape array, no dtype, just the numbers.
 * @example
 * ```ts
 * const X: DenseView = { data: new Float64Array([1, 2, 3, 4]), nRows: 2, nCols: 2, order: 'C' };
 * ```
 */
export interface DenseView {
  readonly data: FloatData;
  readonly nRows: number;
  readonly nCols: number;
  readonly order: Order;
}

/**
 * Number of rows a kernel visits: `rows.length`, or every row.
 * @example
 * ```ts
 * const out = new Float64Array(rowCount(X, rows));
 * ```
 */
export function rowCount(X: DenseView, rows?: Int32Array): number {
  return rows === undefined ? X.nRows : rows.length;
}

/**
 * Sufficient statistics of a least-squares problem over some rows, accumulated around
 * a shift `c` (for X) and `cy` (for y): with z = x - c and t = y - cy,
 * `xtx` = Σ zzᵀ (upper triangle only, row-major d×d: call {@link symmetrizeUpper}
 * once done), `xty` = Σ z t, `xSum` = Σ z, `ySum` = Σ t, `yty` = Σ t², `count` = rows.
 * Choosing the shift near the column means (e.g. the training means, or the whole
 * dataset's means for per-fold statistics) keeps the centred Gram matrix accurate:
 * Σ(z - z̄)(z - z̄)ᵀ = xtx - count·z̄z̄ᵀ with z̄ ≈ 0 cancels nothing.
 */
export interface GramStats {
  readonly nCols: number;
  readonly xtx: Float64Array;
  readonly xty: Float64Array;
  readonly xSum: Float64Array;
  ySum: number;
  yty: number;
  count: number;
}

/**
 * Zeroed statistics for `nCols` features.
 * @example
 * ```ts
 * const s = gramStats(X.nCols);
 * accumulateGram(X, rows, y, means, yMean, s);
 * symmetrizeUpper(s.xtx, X.nCols);
 * ```
 */
export function gramStats(nCols: number): GramStats {
  return {
    nCols, xtx: new Float64Array(nCols * nCols), xty: new Float64Array(nCols),
    xSum: new Float64Array(nCols), ySum: 0, yty: 0, count: 0,
  };
}

/**
 * Copy the upper triangle of a row-major d×d matrix onto its lower triangle.
 * @example
 * ```ts
 * symmetrizeUpper(stats.xtx, stats.nCols); // after the last accumulateGram call
 * ```
 */
export function symmetrizeUpper(G: Float64Array, d: number): void {
  for (let j = 0; j < d; j++) {
    for (let k = j + 1; k < d; k++) G[k * d + j] = G[j * d + k]!;
  }
}

/**
 * The rows a logistic sweep reads, and how: X, the chosen rows (all when undefined), a
 * per-feature `shift` subtracted from every value as it is loaded (the solver centres
 * features this way, and a scaler's mean enters the same way: [x − shift, 1] is the row a
 * sweep sees), and per-row `weight`s by row id (sample weights; 1 when absent).
 * @example
 * ```ts
 * const data: SweepRows = { X, rows: fold.train, shift: means };
 * ```
 */
export interface SweepRows {
  readonly X: DenseView;
  readonly rows: Int32Array | undefined;
  readonly shift?: Float64Array;
  readonly weight?: Float64Array;
  /**
   * The caller sweeps this same object again and again (a solver's passes): the wasm backend
   * may keep its rows, labels and weights in its own memory between passes
   * (wasm/kept-rows.ts), so none of the arrays may change while it is in use. `'existing'`:
   * keep only as many whole blocks of rows as the kept memory the thread's kernel already has
   * holds, streaming the rest, and never make room (fresh memory costs more than a few passes save).
   */
  readonly keep?: boolean | 'existing';
}

/** Row id of the r-th chosen row. */
export function rowId(rows: Int32Array | undefined, r: number): number {
  return rows === undefined ? r : rows[r]!;
}

/**
 * Σ weight[i] over the chosen rows, in row order: a weighted pass's `count`.
 * @example
 * ```ts
 * out.count += weightSum(weight, rows, rowCount(X, rows));
 * ```
 */
export function weightSum(weight: Float64Array, rows: Int32Array | undefined, n: number): number {
  let total = 0;
  for (let r = 0; r < n; r++) total += weight[rowId(rows, r)]!;
  return total;
}
