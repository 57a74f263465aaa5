/**
 * The worker side of ridge's fast plan: one pass over a row range of the mapped X,
 * accumulating GramStats per (segment, test fold) cell with the shared Gram kernel.
 */
import type { NdArray } from '../data/ndarray.js';
import { matrixView, targetValues } from '../models/checks.js';
import type { FloatMatrix } from '../models/estimator.js';
import { accumulateGram, GRAM_UNROLL, gramStats } from '../models/kernels/index.js';
import { packStats } from '../models/ridge-stats.js';
import type { RidgeStatsTask, TaskResult } from '../workers/protocol.js';
import { mappedFolds, mappedStore } from '../workers/store-cache.js';
import type { Fold } from './types.js';

/** Per-thread caches: the held-out fold of each row, and y as float64, per store and fold set. */
const testFoldCache = new Map<string, Int32Array>();
const targetCache = new Map<string, Float64Array>();

/** Runs a `ridge-stats` task in this thread. */
export function runRidgeStatsTask(task: RidgeStatsTask): TaskResult {
  const started = performance.now();
  const store = mappedStore(task.store);
  const view = matrixView(store.X as FloatMatrix);
  const folds = mappedFolds(task.store, task.foldSet);
  const testFold = cached(testFoldCache, `${task.store}\u0000${task.foldSet}`, () => heldOutFoldOfRow(folds, view.nRows));
  const y = cached(targetCache, task.store, () => targetValues(store.y as NdArray, view.nRows));
  const cellRows = rowsByCell(task, testFold, folds.length);
  const shift = Float64Array.from(task.shift);
  const scratch = new Float64Array(GRAM_UNROLL * view.nCols);
  // Only cells with rows get statistics; a task spans a few segments of a learning curve's many.
  const cells = cellRows.map((rows) => {
    if (rows.length === 0) return undefined;
    const stats = gramStats(view.nCols);
    accumulateGram(view, rows, y, shift, task.yShift, stats, scratch);
    return stats;
  });
  return { records: [], stats: packStats(cells, view.nCols), elapsed: (performance.now() - started) / 1000 };
}

function cached<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    cache.set(key, value);
  }
  return value;
}

/** testFold[i] = the fold that holds row i out. */
function heldOutFoldOfRow(folds: readonly Fold[], nRows: number): Int32Array {
  const out = new Int32Array(nRows);
  folds.forEach((fold, k) => {
    for (let r = 0; r < fold.test.length; r++) out[fold.test[r]!] = k;
  });
  return out;
}

/**
 * The task's rows grouped by cell (segment × nFolds + held-out fold), ascending within each
 * cell: two passes, counting then filling, so each cell's index list is allocated once.
 */
function rowsByCell(task: RidgeStatsTask, testFold: Int32Array, nFolds: number): Int32Array[] {
  const { rowStart, rowEnd, cutoffs } = task;
  const nCells = (cutoffs.length + 1) * nFolds;
  const cellOfRow = new Int32Array(rowEnd - rowStart);
  const counts = new Int32Array(nCells);
  let segment = 0;
  for (let i = rowStart; i < rowEnd; i++) {
    while (segment < cutoffs.length && cutoffs[segment]! <= i) segment++;
    const cell = segment * nFolds + testFold[i]!;
    cellOfRow[i - rowStart] = cell;
    counts[cell]!++;
  }
  const lists = Array.from(counts, (n) => new Int32Array(n));
  const fill = new Int32Array(nCells);
  for (let i = rowStart; i < rowEnd; i++) {
    const cell = cellOfRow[i - rowStart]!;
    lists[cell]![fill[cell]!++] = i;
  }
  return lists;
}
