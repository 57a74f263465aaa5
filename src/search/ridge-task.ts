/**
 * The worker side of ridge's fast plan: one pass over a row range of the mapped X,
 * accumulating GramStats per (segment, test fold) cell with the shared Gram kernel, window
 * by window (a range that crosses a window boundary is two kernel calls per cell); then, for
 * each sample-weight fit param of the search, the same cells weighted (a block of cells after
 * the unweighted ones, in the order of `task.fitParams`; the kernel weighs each row as it
 * reads it), each cell's rows again while they are fresh in the page cache.
 */
import { matrixWindows, type MatrixWindow } from '../models/checks.js';
import type { FloatMatrix } from '../models/estimator.js';
import { accumulateGram, GRAM_UNROLL, gramStats, type GramStats } from '../models/kernels/index.js';
import { packStats } from '../models/ridge-stats.js';
import type { RidgeStatsTask, TaskResult } from '../workers/protocol.js';
import { mappedFolds, mappedStore, storeTarget } from '../workers/store-cache.js';
import { taskFitParams } from './fit-arrays.js';
import { FitError } from '../errors.js';
import { foldCells, type FoldCells } from './fold-cells.js';

/** Per-thread cache: each row's cell, per store and fold set. */
const cellCache = new Map<string, FoldCells>();

/** Runs a `ridge-stats` task in this thread. */
export function runRidgeStatsTask(task: RidgeStatsTask): TaskResult {
  const started = performance.now();
  const store = mappedStore(task.store);
  const [nRows, nCols] = store.X.shape as [number, number];
  const folds = mappedFolds(task.store, task.foldSet);
  const layout = cached(cellCache, `${task.store}\u0000${task.foldSet}`, () => {
    const cells = foldCells(folds, nRows);
    if (cells === undefined) throw new FitError(`fold set ${task.foldSet} has no cell layout: the ridge plan should not have sent this task`);
    return cells;
  });
  const y = storeTarget(task.store);
  const shift = Float64Array.from(task.shift);
  const scratch = new Float64Array(GRAM_UNROLL * nCols);
  const arrays = taskFitParams(task);
  const weightBlocks = (task.fitParams ?? []).map((key) => arrays[key]!);
  // One pass in row order: read ahead aggressively, and let the kernel reclaim these pages
  // first when X is larger than memory (on a cold 2 GB X it was the fastest of the advices).
  store.X.advise('sequential', task.rowStart, task.rowEnd);
  // Only groups with rows get statistics; a task spans a few segments of a learning curve's many.
  const nGroups = (task.cutoffs.length + 1) * layout.nCells;
  const groups = new Array<GramStats | undefined>(nGroups * (1 + weightBlocks.length)).fill(undefined);
  for (const window of matrixWindows(store.X as FloatMatrix)) {
    const from = Math.max(task.rowStart, window.rowStart);
    const to = Math.min(task.rowEnd, window.rowEnd);
    if (from >= to) continue;
    const yLocal = y.subarray(window.rowStart, window.rowEnd);
    const weightsLocal = weightBlocks.map((w) => w.subarray(window.rowStart, window.rowEnd));
    rowsByCell(task, from, to, window, layout).forEach((rows, group) => {
      if (rows.length === 0) return;
      accumulateGram(window.view, rows, yLocal, shift, task.yShift, (groups[group] ??= gramStats(nCols)), scratch);
      weightsLocal.forEach((weight, b) => {
        const stats = (groups[(b + 1) * nGroups + group] ??= gramStats(nCols));
        accumulateGram(window.view, rows, yLocal, shift, task.yShift, stats, scratch, weight);
      });
    });
  }
  return { records: [], stats: packStats(groups, nCols), elapsed: (performance.now() - started) / 1000 };
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
 * Rows `[rowStart, rowEnd)` of the task (all inside `window`) grouped by (segment × nCells +
 * cell), ascending within each group, as indices local to the window; rows no fold uses are
 * skipped. Two passes, counting then filling, so each list is allocated once.
 */
function rowsByCell(task: RidgeStatsTask, rowStart: number, rowEnd: number, window: MatrixWindow, layout: FoldCells): Int32Array[] {
  const { cutoffs } = task;
  const { cellOfRow, nCells } = layout;
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
    if (group >= 0) lists[group]![fill[group]!++] = i - window.rowStart;
  }
  return lists;
}
