/**
 * Ridge from sufficient statistics: what lets a search fit every alpha on every fold from
 * one pass over the rows. Statistics ({@link GramStats}, all accumulated around one shared
 * shift) add up across row blocks, so a training fold's statistics are the sum of the other
 * folds' blocks, and a held-out fold's squared error follows from its own block.
 */
import { gramStats, type GramStats } from './kernels.js';

/** Doubles one serialised GramStats takes: xtx, xty, xSum, then ySum, yty, count. */
export function statsLength(nCols: number): number {
  return nCols * nCols + 2 * nCols + 3;
}

/**
 * `into += from`, entry by entry (same shift on both).
 * @example
 * ```ts
 * const train = gramStats(d); for (const block of otherFolds) addStats(train, block);
 * ```
 */
export function addStats(into: GramStats, from: GramStats): void {
  const { xtx, xty, xSum } = into;
  for (let i = 0; i < xtx.length; i++) xtx[i]! += from.xtx[i]!;
  for (let j = 0; j < xty.length; j++) {
    xty[j]! += from.xty[j]!;
    xSum[j]! += from.xSum[j]!;
  }
  into.ySum += from.ySum;
  into.yty += from.yty;
  into.count += from.count;
}

/**
 * Writes statistics into one flat Float64Array (for transfer between threads without
 * structured-cloning objects): `list[i]` occupies `statsLength(d)` doubles from
 * `i * statsLength(d)`; an undefined entry (a cell with no rows) stays all zeros.
 */
export function packStats(list: readonly (GramStats | undefined)[], nCols: number): Float64Array {
  const size = statsLength(nCols);
  const out = new Float64Array(size * list.length);
  list.forEach((s, i) => {
    if (!s) return;
    const at = i * size;
    out.set(s.xtx, at);
    out.set(s.xty, at + nCols * nCols);
    out.set(s.xSum, at + nCols * nCols + nCols);
    out[at + size - 3] = s.ySum;
    out[at + size - 2] = s.yty;
    out[at + size - 1] = s.count;
  });
  return out;
}

/**
 * `cells[i] += ` the i-th statistics packed in `flat` (see {@link packStats}), read in place:
 * no per-cell objects are built for a transfer's contents.
 * @example
 * ```ts
 * addPackedStats(cells, result.stats, d);
 * ```
 */
export function addPackedStats(cells: readonly GramStats[], flat: Float64Array, nCols: number): void {
  const size = statsLength(nCols);
  const dd = nCols * nCols;
  cells.forEach((cell, i) => {
    const at = i * size;
    if (flat[at + size - 1] === 0) return; // no rows in this cell here
    const { xtx, xty, xSum } = cell;
    for (let k = 0; k < dd; k++) xtx[k]! += flat[at + k]!;
    for (let j = 0; j < nCols; j++) {
      xty[j]! += flat[at + dd + j]!;
      xSum[j]! += flat[at + dd + nCols + j]!;
    }
    cell.ySum += flat[at + size - 3]!;
    cell.yty += flat[at + size - 2]!;
    cell.count += flat[at + size - 1]!;
  });
}

/** Residual and total sums of squares of a linear model on the rows a GramStats summarises. */
export interface ResidualSums {
  /** Σ(y − ŷ)². */
  readonly sse: number;
  /** Σ(y − ȳ)², about these rows' own mean (r2's denominator). */
  readonly sst: number;
  readonly count: number;
}

/**
 * Σ(y − ŷ)² and Σ(y − ȳ)² over the rows summarised by `stats` (accumulated around `shift`,
 * `yShift`; only xtx's upper triangle is read), for packed coefficients `[w, b]`.
 * Expanded about the rows' own means so that the large terms cancel as little as possible:
 * with z = x − shift, t = y − yShift, r = (t − t̄) − (z − z̄)·w − δ and δ = ŷ's mean error,
 * Σr² = Stt − 2w·Szt + wᵀSzz w + n δ².
 * @example
 * ```ts
 * const { sse, sst } = residualSums(testStats, packed, shift, yShift); // r2 = 1 - sse / sst
 * ```
 */
export function residualSums(stats: GramStats, packed: Float64Array, shift: Float64Array, yShift: number): ResidualSums {
  const d = stats.nCols;
  const n = stats.count;
  const tMean = stats.ySum / n;
  const stt = stats.yty - n * tMean * tMean;
  let wSzt = 0;
  let wSzzw = 0;
  let meanError = tMean;
  for (let j = 0; j < d; j++) {
    const wj = packed[j]!;
    const zj = stats.xSum[j]! / n;
    meanError -= zj * wj;
    wSzt += wj * (stats.xty[j]! - zj * stats.ySum);
    const row = j * d;
    let acc = (stats.xtx[row + j]! - n * zj * zj) * wj;
    for (let k = j + 1; k < d; k++) acc += 2 * (stats.xtx[row + k]! - n * zj * (stats.xSum[k]! / n)) * packed[k]!;
    wSzzw += wj * acc;
  }
  // ŷ − yShift at the mean row: b + (shift + z̄)·w − yShift; meanError so far is t̄ − z̄·w.
  let offset = packed[d]! - yShift;
  for (let j = 0; j < d; j++) offset += shift[j]! * packed[j]!;
  meanError -= offset;
  const sse = Math.max(0, stt - 2 * wSzt + wSzzw + n * meanError * meanError);
  return { sse, sst: stt, count: n };
}
