/**
 * Ridge's fast plan. One pass over the rows (split across workers) accumulates sufficient
 * statistics per (segment, cell), a cell being the rows with one role pattern across the
 * folds (fold-cells.ts: for KFold, the rows one fold holds out); every training and test set
 * is a sum of cells, every alpha is one d×d solve, and R²/MSE on held-out rows follow from
 * their statistics. Learning curves (partitions only) split the row range at each training
 * prefix's end, so a prefix is a sum of whole segments. Scorers that need predictions (MAE,
 * ...) take the plain plan.
 */
import { elementAsNumber, ndarray, rowWindows } from '../data/ndarray.js';
import { DataError, FitError } from '../errors.js';
import { checkFiniteMatrix, matrixWindows } from '../models/checks.js';
import type { Estimator, Params } from '../models/estimator.js';
import { gramStats, symmetrizeUpper, type GramStats } from '../models/kernels/index.js';
import { Ridge, ridgeFromStats } from '../models/ridge.js';
import { addPackedStats, addStats, clearStats, residualSums, type ResidualSums } from '../models/ridge-stats.js';
import type { FitRecord, RidgeStatsTask, TaskMessage, TaskResult } from '../workers/protocol.js';
import type { PendingFit, Plan, PlanInput } from './plan.js';
import { foldCells, ROLE_TEST, ROLE_TRAIN, type FoldCells } from './fold-cells.js';
import type { Fold } from './types.js';

/** Scores that follow from residual sums alone, by scikit-learn scorer name. */
const STATS_SCORERS: Readonly<Record<string, (r: ResidualSums) => number>> = {
  r2: ({ sse, sst, count }) => (count < 2 ? Number.NaN : sst === 0 ? (sse === 0 ? 1 : 0) : 1 - sse / sst),
  neg_mean_squared_error: ({ sse, count }) => -sse / count,
  neg_root_mean_squared_error: ({ sse, count }) => -Math.sqrt(sse / count),
};

/** Rows used to pick the shared shift: enough to land near the column means. */
const SHIFT_ROWS = 1024;
/**
 * Rows per stats task. Fixed, not derived from the worker count, so that the cells are
 * summed in the same order whatever the pool size: results do not depend on `workers`.
 * 65,536 rows of 64 float64 columns are 32 MiB: 8 tasks for W1's 500,000 rows.
 */
const ROWS_PER_TASK = 65_536;

/** The ridge plan, or undefined when it does not apply (other model, scorer or splitter). */
export function planRidgeStats(input: PlanInput): Plan | undefined {
  const { context, candidates, folds, X, pending } = input;
  if (context.model.name !== 'ridge' || pending.length === 0) return undefined;
  if (!context.scoring.every((s) => s in STATS_SCORERS)) return undefined;
  const params = candidates.map((c) => ({ ...context.model.params, ...c }));
  if (!params.every((p) => p['fitIntercept'] !== false)) return undefined;
  const [nRows, nCols] = X.shape as [number, number];
  const layout = foldCells(folds, nRows);
  if (layout === undefined) return undefined;
  // Training prefixes are row ranges only when each training set is the sorted rest of a partition.
  if (!layout.partition && pending.some((fit) => fit.trainSize !== undefined)) return undefined;
  const { nCells } = layout;

  const cutoffs = prefixCutoffs(pending, folds);
  const { shift, yShift } = sharedShift(input);
  const nTasks = Math.max(1, Math.ceil(nRows / ROWS_PER_TASK));
  const tasks: RidgeStatsTask[] = [];
  for (let t = 0; t < nTasks; t++) {
    tasks.push({
      kind: 'ridge-stats', ...context, rowStart: Math.floor((t * nRows) / nTasks), rowEnd: Math.floor(((t + 1) * nRows) / nTasks),
      cutoffs, shift: Array.from(shift), yShift,
    });
  }
  const nSegments = cutoffs.length + 1;
  const results = new Map<TaskMessage, TaskResult>();
  let cells: (GramStats | undefined)[] | undefined;
  return {
    tasks,
    collect: (task: TaskMessage, result: TaskResult): FitRecord[] => {
      results.set(task, result);
      if (results.size < tasks.length) return [];
      // Sum in task order, not arrival order, so the numbers never depend on scheduling.
      // Only cells some row fell in get statistics: a learning curve's segments each lie in one or two folds.
      cells = new Array<GramStats | undefined>(nSegments * nCells).fill(undefined);
      let statsSeconds = 0;
      for (const t of tasks) {
        const r = results.get(t)!;
        if (!(r.stats instanceof Float64Array)) throw new FitError(`a ridge-stats task (rows ${t.rowStart}..${t.rowEnd}) returned no statistics`);
        addPackedStats(cells, r.stats, nCols);
        statsSeconds += r.elapsed ?? 0;
      }
      checkFiniteCells(cells, input.X);
      return solveAll({ pending, params, folds, layout, cells, cutoffs, shift, yShift, scoring: context.scoring,
        returnTrainScore: context.returnTrainScore, statsSeconds });
    },
    failed: () => undefined,
    // When every row is in some cell, every value of X enters some cell's sums, where a NaN or
    // ±Inf cannot hide; rows no fold uses are left to the engine's up-front check.
    checksFiniteX: layout.coversAllRows,
    // When every row is in some cell, the refit on all rows is one more solve, no pass over the data.
    refit: (candidate: number): Estimator | undefined => {
      if (!cells || !layout.coversAllRows) return undefined;
      const all = sumCells(cells, nCols, nCells, nSegments, () => true);
      const merged = { ...context.model.params, ...candidates[candidate]! };
      const packed = ridgeFromStats(all, shift, yShift, merged['alpha'] as number, true);
      return Ridge.fromState({
        name: 'ridge', params: merged,
        coef: ndarray('float64', [nCols], packed.slice(0, nCols)), intercept: ndarray('float64', [], packed.slice(nCols)),
      });
    },
  };
}

/**
 * Throws the up-front check's DataError when X holds a NaN or ±Inf: it shows up in the sums
 * of the cell its row fell in. Only then is X scanned, to name the row and column.
 */
function checkFiniteCells(cells: readonly (GramStats | undefined)[], X: PlanInput['X']): void {
  if (cells.every((cell) => cell === undefined || allFinite(cell))) return;
  checkFiniteMatrix(X);
  throw new DataError('X has values too large for float64 ridge statistics (their squares overflow): scale the features down');
}

function allFinite(stats: GramStats): boolean {
  for (const part of [stats.xtx, stats.xty, stats.xSum]) {
    for (let i = 0; i < part.length; i++) if (!Number.isFinite(part[i]!)) return false;
  }
  return Number.isFinite(stats.ySum) && Number.isFinite(stats.yty);
}

/** Row indices where learning-curve prefixes end: a prefix of size s ends after its s-th training row. */
function prefixCutoffs(pending: readonly PendingFit[], folds: readonly Fold[]): number[] {
  const cuts = new Set<number>();
  for (const fit of pending) {
    if (fit.trainSize !== undefined) cuts.add(prefixEnd(folds[fit.fold]!, fit.trainSize));
  }
  return [...cuts].sort((a, b) => a - b);
}

function prefixEnd(fold: Fold, trainSize: number): number {
  return fold.train[trainSize - 1]! + 1;
}

/** Means of the first rows: a shift close enough to the column means that centring cancels little. */
function sharedShift({ X, y }: PlanInput): { shift: Float64Array; yShift: number } {
  const [nRows, nCols] = X.shape as [number, number];
  const m = Math.min(nRows, SHIFT_ROWS);
  const shift = new Float64Array(nCols);
  let yShift = 0;
  for (const { rowStart, rowEnd, view } of matrixWindows(X)) {
    for (let i = rowStart; i < Math.min(rowEnd, m); i++) {
      const r = i - rowStart;
      for (let j = 0; j < nCols; j++) shift[j]! += view.data[view.order === 'C' ? r * nCols + j : j * view.nRows + r]!;
    }
  }
  for (const { rowStart, rowEnd, data } of rowWindows(y)) {
    for (let i = rowStart; i < Math.min(rowEnd, m); i++) yShift += elementAsNumber(data, i - rowStart);
  }
  for (let j = 0; j < nCols; j++) shift[j]! /= m;
  return { shift, yShift: yShift / m };
}

interface SolveInput {
  readonly pending: readonly PendingFit[];
  readonly params: readonly Params[];
  readonly folds: readonly Fold[];
  readonly layout: FoldCells;
  readonly cells: readonly (GramStats | undefined)[];
  readonly cutoffs: readonly number[];
  readonly shift: Float64Array;
  readonly yShift: number;
  readonly scoring: readonly string[];
  readonly returnTrainScore: boolean;
  readonly statsSeconds: number;
}

/**
 * Solves every pending fit from the cells. Walks the segments once, keeping each cell's
 * running sum; a training prefix that ends at this segment is the sum of the running sums of
 * the cells its fold trains on, so each (fold, train size) costs nCells additions, not one per
 * (segment, cell).
 */
function solveAll(input: SolveInput): FitRecord[] {
  const { pending, folds, cells, cutoffs, layout } = input;
  const { nCells, roles } = layout;
  const nFolds = folds.length;
  const d = input.shift.length;
  const nSegments = cutoffs.length + 1;
  const hasRole = (cell: number, fold: number, role: number): boolean => roles[cell * nFolds + fold] === role;
  const testStats = folds.map((_, k) => sumCells(cells, d, nCells, nSegments, (_s, c) => hasRole(c, k, ROLE_TEST)));
  const bySpan = fitsBySpan(pending, folds, cutoffs);
  const running = Array.from({ length: nCells }, () => gramStats(d));
  const train = gramStats(d);
  const records = new Map<PendingFit, FitRecord>();
  for (let s = 0; s < nSegments; s++) {
    for (let c = 0; c < nCells; c++) addCell(running[c]!, cells[s * nCells + c]);
    for (const [fold, fits] of bySpan.get(s + 1) ?? []) {
      clearStats(train);
      for (let c = 0; c < nCells; c++) if (hasRole(c, fold, ROLE_TRAIN)) addStats(train, running[c]!);
      symmetrizeUpper(train.xtx, d);
      for (const fit of fits) records.set(fit, solveOne(input, fit, train, testStats[fold]!));
    }
  }
  return pending.map((fit) => records.get(fit)!);
}

/** Pending fits keyed by how many segments their training prefix spans, then by fold. */
function fitsBySpan(pending: readonly PendingFit[], folds: readonly Fold[], cutoffs: readonly number[]): Map<number, Map<number, PendingFit[]>> {
  const segmentAfter = new Map(cutoffs.map((cut, i) => [cut, i + 1]));
  const out = new Map<number, Map<number, PendingFit[]>>();
  for (const fit of pending) {
    const span = fit.trainSize === undefined ? cutoffs.length + 1 : segmentAfter.get(prefixEnd(folds[fit.fold]!, fit.trainSize))!;
    const byFold = out.get(span) ?? new Map<number, PendingFit[]>();
    const fits = byFold.get(fit.fold) ?? [];
    fits.push(fit);
    byFold.set(fit.fold, fits);
    out.set(span, byFold);
  }
  return out;
}

/** One candidate on one training prefix: solve, then score on the fold's test statistics (and its training ones). */
function solveOne(input: SolveInput, fit: PendingFit, train: GramStats, test: GramStats): FitRecord {
  const { shift, yShift, scoring } = input;
  const t0 = performance.now();
  const packed = ridgeFromStats(train, shift, yShift, input.params[fit.candidate]!['alpha'] as number, true);
  const t1 = performance.now();
  const testScores = scoresOf(scoring, residualSums(test, packed, shift, yShift));
  const trainScores = input.returnTrainScore ? { train: scoresOf(scoring, residualSums(train, packed, shift, yShift)) } : {};
  const t2 = performance.now();
  return {
    candidate: fit.candidate, fold: fit.fold, ...(fit.trainSize === undefined ? {} : { trainSize: fit.trainSize }),
    test: testScores, ...trainScores, fitTime: input.statsSeconds / input.pending.length + (t1 - t0) / 1000, scoreTime: (t2 - t1) / 1000,
  };
}

/** Σ of the cells in the first `segments` segments that pass `include`; xtx symmetrized. */
function sumCells(
  cells: readonly (GramStats | undefined)[], d: number, nCells: number, segments: number, include: (segment: number, cell: number) => boolean,
): GramStats {
  const out = gramStats(d);
  for (let s = 0; s < segments; s++) {
    for (let c = 0; c < nCells; c++) if (include(s, c)) addCell(out, cells[s * nCells + c]);
  }
  symmetrizeUpper(out.xtx, d);
  return out;
}

/** `into += cell`; a cell no row fell in adds nothing. */
function addCell(into: GramStats, cell: GramStats | undefined): void {
  if (cell) addStats(into, cell);
}

function scoresOf(scoring: readonly string[], sums: ResidualSums): Record<string, number> {
  return Object.fromEntries(scoring.map((name) => [name, STATS_SCORERS[name]!(sums)]));
}
