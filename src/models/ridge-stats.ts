/**
 * Ridge from sufficient statistics: what lets a search fit every alpha on every fold from
 * one pass over the rows. Statistics ({@link GramStats}, all accumulated around one shared
 * shift) add up across row blocks, so a training fold's statistics are the sum of the other
 * folds' blocks, and a held-out fold's squared error follows from its own block.
 */
import { gramStats, type GramStats } from './kernels/index.js';

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

/** Zeroes `stats` for reuse. */
export function clearStats(stats: GramStats): void {
  stats.xtx.fill(0);
  stats.xty.fill(0);
  stats.xSum.fill(0);
  stats.ySum = 0;
  stats.yty = 0;
  stats.count = 0;
}

/** Doubles one packed cell takes: its cell index, then its statistics (see {@link statsLength}). */
function packedCellLength(nCols: number): number {
  return 1 + statsLength(nCols);
}

/**
 * Writes the defined statistics of `list` into one flat Float64Array (for transfer between
 * threads or through a queue without structured-cloning objects): per cell, its index in
 * `list`, then xtx, xty, xSum, ySum, yty, count. Cells with no rows (undefined) take no space.
 * @example
 * ```ts
 * const flat = packStats([undefined, stats], d); // one block, index 1
 * ```
 */
export function packStats(list: readonly (GramStats | undefined)[], nCols: number): Float64Array {
  const block = packedCellLength(nCols);
  const out = new Float64Array(block * list.filter((s) => s !== undefined).length);
  let at = 0;
  list.forEach((s, i) => {
    if (!s) return;
    out[at] = i;
    out.set(s.xtx, at + 1);
    out.set(s.xty, at + 1 + nCols * nCols);
    out.set(s.xSum, at + 1 + nCols * nCols + nCols);
    out[at + block - 3] = s.ySum;
    out[at + block - 2] = s.yty;
    out[at + block - 1] = s.count;
    at += block;
  });
  return out;
}

/**
 * `cells[i] += ` each cell packed in `flat` (see {@link packStats}), read in place; a cell
 * seen for the first time starts from zeros. Throws a RangeError for a malformed `flat`
 * (it may come from another process).
 * @example
 * ```ts
 * const cells: (GramStats | undefined)[] = new Array(nCells).fill(undefined);
 * addPackedStats(cells, result.stats, d);
 * ```
 */
export function addPackedStats(cells: (GramStats | undefined)[], flat: Float64Array, nCols: number): void {
  const block = packedCellLength(nCols);
  const dd = nCols * nCols;
  if (flat.length % block !== 0) throw new RangeError(`packed statistics have ${flat.length} values, not a multiple of ${block}`);
  for (let at = 0; at < flat.length; at += block) {
    const index = flat[at]!;
    if (!Number.isInteger(index) || index < 0 || index >= cells.length) {
      throw new RangeError(`packed statistics name cell ${index}, outside 0..${cells.length - 1}`);
    }
    const cell = (cells[index] ??= gramStats(nCols));
    const { xtx, xty, xSum } = cell;
    for (let k = 0; k < dd; k++) xtx[k]! += flat[at + 1 + k]!;
    for (let j = 0; j < nCols; j++) {
      xty[j]! += flat[at + 1 + dd + j]!;
      xSum[j]! += flat[at + 1 + dd + nCols + j]!;
    }
    cell.ySum += flat[at + block - 3]!;
    cell.yty += flat[at + block - 2]!;
    cell.count += flat[at + block - 1]!;
  }
}

/**
 * The centred Gram matrix Szz = Σ(z − z̄)(z − z̄)ᵀ of the rows `stats` summarises, upper triangle
 * (row-major d×d, the lower left 0): what {@link residualSums} multiplies coefficients by.
 * @example
 * ```ts
 * const centred = centredGram(testStats); // once per fold
 * for (const packed of models) residualSums(testStats, packed, shift, yShift, centred);
 * ```
 */
export function centredGram(stats: GramStats): Float64Array {
  const d = stats.nCols;
  const n = stats.count;
  const out = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    const zj = stats.xSum[j]! / n;
    const row = j * d;
    out[row + j] = stats.xtx[row + j]! - n * zj * zj;
    for (let k = j + 1; k < d; k++) out[row + k] = stats.xtx[row + k]! - n * zj * (stats.xSum[k]! / n);
  }
  return out;
}

/** Residual and total sums of squares of a linear model on the rows a GramStats summarises. */
export interface ResidualSums {
  /** Σ(y − ŷ)². */
  readonly sse: number;
  /** Σ(y − ȳ)², about these rows' own mean (r2's denominator). */
  readonly sst: number;
  readonly count: number;
  /** Mean of y − ŷ (explained variance's offset). */
  readonly meanResidual: number;
}

/**
 * Σ(y − ŷ)² and Σ(y − ȳ)² over the rows summarised by `stats` (accumulated around `shift`,
 * `yShift`; only xtx's upper triangle is read), for packed coefficients `[w, b]`.
 * Expanded about the rows' own means so that the large terms cancel as little as possible:
 * with z = x − shift, t = y − yShift, r = (t − t̄) − (z − z̄)·w − δ and δ = ŷ's mean error,
 * Σr² = Stt − 2w·Szt + wᵀSzz w + n δ².
 * `centred` ({@link centredGram} of the same stats) spares the O(d²) centring when one set of
 * statistics scores many models (a fold's test rows, every alpha); the sums are the same bit for bit.
 * @example
 * ```ts
 * const { sse, sst } = residualSums(testStats, packed, shift, yShift); // r2 = 1 - sse / sst
 * ```
 */
export function residualSums(
  stats: GramStats, packed: Float64Array, shift: Float64Array, yShift: number, centred: Float64Array = centredGram(stats),
): ResidualSums {
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
    let acc = centred[row + j]! * wj;
    for (let k = j + 1; k < d; k++) acc += 2 * centred[row + k]! * packed[k]!;
    wSzzw += wj * acc;
  }
  // ŷ − yShift at the mean row: b + (shift + z̄)·w − yShift; meanError so far is t̄ − z̄·w.
  let offset = packed[d]! - yShift;
  for (let j = 0; j < d; j++) offset += shift[j]! * packed[j]!;
  meanError -= offset;
  const sse = Math.max(0, stt - 2 * wSzt + wSzzw + n * meanError * meanError);
  return { sse, sst: stt, count: n, meanResidual: meanError };
}
