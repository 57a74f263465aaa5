/**
 * The worker side of ridge's fast plan: one pass over a row range of the mapped X,
 * accumulating GramStats per (segment, cell) with the shared Gram kernel; then, for each
 * sample-weight fit param of the search, the same cells weighted (a block of cells after the
 * unweighted ones, in the order of `task.fitParams`).
 */
import type { NdArray } from '../data/ndarray.js';
import { matrixView, targetValues } from '../models/checks.js';
import type { FloatMatrix } from '../models/estimator.js';
import { accumulateGram, GRAM_UNROLL, gramStats } from '../models/kernels/index.js';
import { accumulateWeightedGram, packStats } from '../models/ridge-stats.js';
import type { RidgeStatsTask, TaskResult } from '../workers/protocol.js';
import { mappedFolds, mappedStore } from '../workers/store-cache.js';
import { taskFitParams } from './fit-arrays.js';
import { FitError } from '../errors.js';
import { foldCells, type FoldCells } from './fold-cells.js';

/** Per-thread caches: each row's cell, and y as float64, per store and fold set. */
const cellCache = new Map<string, FoldCells>();
const targetCache = new Map<string, Float64Array>();

/** Runs a `ridge-stats` task in this thread. */
export function runRidgeStatsTask(task: RidgeStatsTask): TaskResult {
  const started = performance.now();
  const store = mappedStore(task.store);
  const view = matrixView(store.X as FloatMatrix);
  const folds = mappedFolds(task.store, task.foldSet);
  const layout = cached(cellCache, `${task.store}\u0000${task.foldSet}`, () => {
    const cells = foldCells(folds, view.nRows);
    if (cells === undefined) throw new FitError(`fold set ${task.foldSet} has no cell layout: the ridge plan should not have sent this task`);
    return cells;
  });
  const y = cached(targetCache, task.store, () => targetValues(store.y as NdArray, view.nRows));
  const cellRows = rowsByCell(task, layout.cellOfRow, layout.nCells);
  const shift = Float64Array.from(task.shift);
  const scratch = new Float64Array(GRAM_UNROLL * view.nCols);
  // Only cells with rows get statistics; a task spans a few segments of a learning curve's many.
  const cells = cellRows.map((rows) => {
    if (rows.length === 0) return undefined;
    const stats = gramStats(view.nCols);
    accumulateGram(view, rows, y, shift, task.yShift, stats, scratch);
    return stats;
  });
  const arrays = taskFitParams(task);
  for (const key of task.fitParams ?? []) {
    const weights = arrays[key]!;
    for (const rows of cellRows) {
      if (rows.length === 0) {
        cells.push(undefined);
        continue;
      }
      const stats = gramStats(view.nCols);
      accumulateWeightedGram(view, rows, y, weights, shift, task.yShift, stats);
      cells.push(stats);
    }
  }
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

/**
 * The task's rows grouped by (segment × nCells + cell), ascending within each group; rows no
 * fold uses are skipped. Two passes, counting then filling, so each list is allocated once.
 */
function rowsByCell(task: RidgeStatsTask, cellOfRow: Int32Array, nCells: number): Int32Array[] {
  const { rowStart, rowEnd, cutoffs } = task;
  const nGroups = (cutoffs.length + 1) * nCells;
  const groupOfRow = new Int32Array(rowEnd - rowStart);
  const counts = new Int32Array(nGroups);
  let segment = 0;
  for (let i = rowStart; i < rowEnd; i++) {
    while (segment < cutoffs.length && cutoffs[segment]! <= i) segment++;
    const cell = cellOfRow[i]!;
    const group = cell < 0 ? -1 : segment * nCells + cell;
    groupOfRow[i - rowStart] = group;
    if (group >= 0) counts[group]!++;
  }
  const lists = Array.from(counts, (n) => new Int32Array(n));
  const fill = new Int32Array(nGroups);
  for (let i = rowStart; i < rowEnd; i++) {
    const group = groupOfRow[i - rowStart]!;
    if (group >= 0) lists[group]![fill[group]!++] = i;
  }
  return lists;
}
