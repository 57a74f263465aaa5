/**
 * Ridge's fast plan, for a Ridge or a pipeline of StandardScalers and a Ridge. One pass over
 * the rows (split across workers) accumulates sufficient statistics per (segment, cell), a cell
 * being the rows with one role pattern across the folds (fold-cells.ts: for KFold, the rows one
 * fold holds out), once unweighted and once per sample-weight fit param; every training and
 * test set is a sum of cells, every candidate one d×d solve (ridge-solve.ts), and R²/MSE on
 * held-out rows follow from their statistics. Learning curves (partitions only) split the row
 * range at each training prefix's end, so a prefix is a sum of whole segments. Scorers that
 * need predictions (MAE, ...) and custom scorers take the plain plan.
 */
import { elementAsNumber, rowWindows } from '../data/ndarray.js';
import { DataError, FitError } from '../errors.js';
import { checkFiniteMatrix, matrixWindows } from '../models/checks.js';
import type { Estimator, ModelSpec, Params } from '../models/estimator.js';
import type { GramStats } from '../models/kernels/index.js';
import { addPackedStats } from '../models/ridge-stats.js';
import type { FitRecord, RidgeStatsTask, TaskMessage, TaskResult } from '../workers/protocol.js';
import type { PendingFit, Plan, PlanInput } from './plan.js';
import { foldCells } from './fold-cells.js';
import { prefixEnd, refitFromStats, solveAll, STATS_SCORERS, sumCells, type FitSettings } from './ridge-solve.js';
import type { Fold } from './types.js';

/** Rows used to pick the shared shift: enough to land near the column means. */
const SHIFT_ROWS = 1024;
/**
 * Rows per stats task. Fixed, not derived from the worker count, so that the cells are
 * summed in the same order whatever the pool size: results do not depend on `workers`.
 * 65,536 rows of 64 float64 columns are 32 MiB: 8 tasks for W1's 500,000 rows.
 */
const ROWS_PER_TASK = 65_536;
/**
 * A task's work grows with rows × columns² (the Gram): a wide X is split further, into up to
 * WIDE_SPLIT tasks of about 65,536 rows × 64 columns' work each, so that a wide X of few rows
 * still reaches every worker. Each task returns its cells' d×d sums, hence the cap.
 */
const WORK_PER_TASK = 65_536 * 64 * 64;
const WIDE_SPLIT = 8;

/** How many stats tasks the rows are cut into: from the data's shape alone, never the pool's size (results do not depend on it). */
export function statsTaskCount(nRows: number, nCols: number): number {
  const byRows = Math.ceil(nRows / ROWS_PER_TASK);
  const byWork = Math.min(WIDE_SPLIT, Math.floor((nRows * nCols * nCols) / WORK_PER_TASK));
  return Math.max(1, Math.min(nRows, Math.max(byRows, byWork)));
}

/** The ridge plan, or undefined when it does not apply (other model, scorer or splitter). */
export function planRidgeStats(input: PlanInput): Plan | undefined {
  const { context, candidates, folds, X, pending } = input;
  if (pending.length === 0) return undefined;
  const blocks = ['', ...(context.fitParams ?? [])];
  const settings = candidates.map((c) => fitSettings(context.model, { ...context.model.params, ...c }, c, blocks));
  if (settings.some((s) => s === undefined)) return undefined;
  const scoring = statsScoring(context.scoring, context.scorers);
  if (!scoring) return undefined;
  const [nRows, nCols] = X.shape as [number, number];
  const layout = foldCells(folds, nRows);
  if (layout === undefined) return undefined;
  // Training prefixes are row ranges only when each training set is the sorted rest of a partition.
  if (!layout.partition && pending.some((fit) => fit.trainSize !== undefined)) return undefined;
  const { nCells } = layout;

  const cutoffs = prefixCutoffs(pending, folds);
  const { shift, yShift } = sharedShift(input);
  const nTasks = statsTaskCount(nRows, nCols);
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
      cells = new Array<GramStats | undefined>(nSegments * nCells * blocks.length).fill(undefined);
      let statsSeconds = 0;
      for (const t of tasks) {
        const r = results.get(t)!;
        if (!(r.stats instanceof Float64Array)) throw new FitError(`a ridge-stats task (rows ${t.rowStart}..${t.rowEnd}) returned no statistics`);
        addPackedStats(cells, r.stats, nCols);
        statsSeconds += r.elapsed ?? 0;
      }
      checkFiniteCells(cells, input.X);
      return solveAll({
        pending, settings: settings as FitSettings[], folds, layout, cells, blocks: blocks.length, cutoffs, shift, yShift, scoring,
        returnTrainScore: context.returnTrainScore, errorScore: context.errorScore, statsSeconds,
      });
    },
    failed: () => undefined,
    // When every row is in some cell, every value of X enters some cell's sums, where a NaN or
    // ±Inf cannot hide; rows no fold uses are left to the engine's up-front check.
    checksFiniteX: layout.coversAllRows,
    // When every row is in some cell, the refit on all rows is one more solve, no pass over the data.
    refit: (candidate: number): Estimator | undefined => {
      if (!cells || !layout.coversAllRows) return undefined;
      const all = blocks.map((_, b) => sumCells(cells!, nCols, b, nCells, nSegments, () => true));
      return refitFromStats(settings[candidate]!, all, shift, yShift);
    },
  };
}

/**
 * How one candidate is fitted from statistics, or undefined when the model is not a Ridge or a
 * pipeline of StandardScalers and a Ridge. `blocks` lists the weight fit params in cell-block order.
 */
function fitSettings(spec: ModelSpec, merged: Params, candidate: Params, blocks: readonly string[]): FitSettings | undefined {
  const block = (key: string): number => Math.max(0, blocks.indexOf(key));
  if (spec.name === 'ridge') {
    return { alpha: merged['alpha'] as number, fitIntercept: merged['fitIntercept'] !== false, block: block('sampleWeight'), scalers: [], params: candidate };
  }
  const steps = spec.steps ?? [];
  const last = steps[steps.length - 1];
  if (spec.name !== 'pipeline' || last?.kind !== 'ridge' || !steps.slice(0, -1).every((s) => s.kind === 'standard_scaler')) return undefined;
  return {
    alpha: merged[`${last.name}__alpha`] as number,
    fitIntercept: merged[`${last.name}__fitIntercept`] !== false,
    block: block(`${last.name}__sampleWeight`),
    scalers: steps.slice(0, -1).map((s) => ({
      step: s.name, withMean: merged[`${s.name}__withMean`] !== false, withStd: merged[`${s.name}__withStd`] !== false,
      block: block(`${s.name}__sampleWeight`),
    })),
    params: merged,
    ridgeStep: last.name,
  };
}

/** Each metric with the stats scorer it is, or undefined when one needs predictions. */
function statsScoring(names: readonly string[], sources: TaskMessage['scorers']): [string, string][] | undefined {
  const out: [string, string][] = [];
  for (const name of names) {
    const source = sources?.[name];
    const builtin = source === undefined ? name : source.kind === 'builtin' ? source.name : undefined;
    if (builtin === undefined || !(builtin in STATS_SCORERS)) return undefined;
    out.push([name, builtin]);
  }
  return out;
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
