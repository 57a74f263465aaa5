/**
 * The coordinator side of ridge's fast plan: every (candidate, fold[, train size]) fit solved
 * from summed cell statistics, a pipeline's scalers included. A scaler is an affine map, so
 * its mean and standard deviation on a training fold follow from that fold's own statistics,
 * and ridge on the scaled features is ridge on the raw statistics with the Gram centred and
 * scaled (ridgeFromStats with a map): no pass over the data per candidate, no copy of X.
 * Weighted fits read the weighted cells of their fit param; scores read the unweighted ones
 * (scikit-learn 1.2 scores unweighted).
 */
import { ndarray } from '../data/ndarray.js';
import { DataError, FitError } from '../errors.js';
import { composeMaps, identityMap, packedToRaw } from '../models/affine.js';
import type { ColumnMoments } from '../models/column-moments.js';
import type { AffineMap, Estimator, EstimatorState, Params, TransformerState } from '../models/estimator.js';
import { gramStats, symmetrizeUpper, type GramStats } from '../models/kernels/index.js';
import { modelFromState } from '../models/registry.js';
import { RidgeSystem } from '../models/ridge.js';
import { addStats, centredGram, clearStats, residualSums, type ResidualSums } from '../models/ridge-stats.js';
import { scalerMap } from '../models/standard-scaler.js';
import type { FitRecord, FitWarning } from '../workers/protocol.js';
import { ROLE_TEST, ROLE_TRAIN, type FoldCells } from './fold-cells.js';
import { errorRecords, messageOf, type PendingFit } from './plan.js';
import type { Fold } from './types.js';

/** Scores that follow from residual sums alone, by scikit-learn scorer name. */
export const STATS_SCORERS: Readonly<Record<string, (r: ResidualSums) => number>> = {
  r2: ({ sse, sst, count }) => (count < 2 ? Number.NaN : sse === 0 ? 1 : sst === 0 ? 0 : 1 - sse / sst),
  neg_mean_squared_error: ({ sse, count }) => -sse / count,
  neg_root_mean_squared_error: ({ sse, count }) => -Math.sqrt(sse / count),
  explained_variance: ({ sse, sst, count, meanResidual }) => {
    const numerator = Math.max(0, sse / count - meanResidual * meanResidual);
    return numerator === 0 ? 1 : sst === 0 ? 0 : 1 - numerator / (sst / count);
  },
};

/** One scaler step of a pipeline: its name, its params for a candidate, and the cell block its weights are in (0: unweighted). */
export interface ScalerSettings {
  readonly step: string;
  readonly withMean: boolean;
  readonly withStd: boolean;
  readonly block: number;
}

/** How one candidate is fitted: ridge's params, the ridge's weight block, its scalers. */
export interface FitSettings {
  readonly alpha: number;
  readonly fitIntercept: boolean;
  /** Cell block of the ridge's weights (0: unweighted). */
  readonly block: number;
  readonly scalers: readonly ScalerSettings[];
  /** The candidate's params as the search reports them, and the model's spec params merged. */
  readonly params: Params;
  /** The ridge step's name in a pipeline; undefined for a bare Ridge. */
  readonly ridgeStep?: string;
}

/** Everything solving needs beside the cells. */
export interface SolveInput {
  readonly pending: readonly PendingFit[];
  readonly settings: readonly FitSettings[];
  readonly folds: readonly Fold[];
  /** How rows fall into cells, and each cell's role in each fold. */
  readonly layout: FoldCells;
  /** Cells, block by block: block b's cell (segment s, cell c) at b·nSegments·nCells + s·nCells + c. */
  readonly cells: readonly (GramStats | undefined)[];
  readonly blocks: number;
  readonly cutoffs: readonly number[];
  readonly shift: Float64Array;
  readonly yShift: number;
  /** Metric names and the stats scorer each is. */
  readonly scoring: readonly (readonly [string, string])[];
  readonly returnTrainScore: boolean;
  readonly errorScore: number | 'raise';
  readonly statsSeconds: number;
}

/**
 * Solves every pending fit from the cells. Walks the segments once, keeping each cell's
 * running sum per block; a training prefix that ends at this segment is the sum of the running
 * sums of the cells its fold trains on, so each (fold, train size) costs nCells additions per
 * block, not one per (segment, cell).
 */
export function solveAll(input: SolveInput): FitRecord[] {
  const { pending, folds, cells, cutoffs, blocks, layout } = input;
  const { nCells, roles } = layout;
  const nFolds = folds.length;
  const d = input.shift.length;
  const nSegments = cutoffs.length + 1;
  const perBlock = nSegments * nCells;
  const hasRole = (cell: number, fold: number, role: number): boolean => roles[cell * nFolds + fold] === role;
  // Each fold's test rows score every candidate: centre their Gram once (O(d²) a fold, not a fit).
  const tests = folds.map((_, k) => {
    const stats = testStats(input, (_s, c) => hasRole(c, k, ROLE_TEST));
    return { stats, centred: centredGram(stats) };
  });
  const bySpan = fitsBySpan(pending, folds, cutoffs);
  // Cells summed over the segments so far, per block; with one segment (a search) the cells themselves.
  const running = nSegments === 1
    ? Array.from({ length: blocks }, (_, b) => cells.slice(b * perBlock, (b + 1) * perBlock))
    : Array.from({ length: blocks }, () => Array.from({ length: nCells }, (): GramStats | undefined => gramStats(d)));
  const train = Array.from({ length: blocks }, () => gramStats(d));
  const records = new Map<PendingFit, FitRecord>();
  for (let s = 0; s < nSegments; s++) {
    if (nSegments > 1) {
      for (let b = 0; b < blocks; b++) {
        for (let c = 0; c < nCells; c++) addCell(running[b]![c]!, cells[b * perBlock + s * nCells + c]);
      }
    }
    for (const [fold, fits] of bySpan.get(s + 1) ?? []) {
      for (let b = 0; b < blocks; b++) {
        clearStats(train[b]!);
        for (let c = 0; c < nCells; c++) if (hasRole(c, fold, ROLE_TRAIN)) addCell(train[b]!, running[b]![c]);
        symmetrizeUpper(train[b]!.xtx, d);
      }
      const systems = sharedSystems(input.settings, fits, d);
      for (const fit of fits) records.set(fit, solveOne(input, fit, train, tests[fold]!, systems));
    }
  }
  return pending.map((fit) => records.get(fit)!);
}

/**
 * A fold's unweighted test statistics, its cells those `isTest` picks: the one cell holding its
 * test rows when there is one (KFold; read only, and only its upper triangle is read), else their sum.
 */
function testStats(input: SolveInput, isTest: (segment: number, cell: number) => boolean): GramStats {
  const { cells } = input;
  const { nCells } = input.layout;
  const nSegments = input.cutoffs.length + 1;
  const d = input.shift.length;
  const holding: GramStats[] = [];
  for (let s = 0; s < nSegments; s++) {
    for (let c = 0; c < nCells; c++) {
      const cell = cells[s * nCells + c];
      if (cell && isTest(s, c)) holding.push(cell);
    }
  }
  return holding.length === 1 ? holding[0]! : sumCells(cells, d, 0, nCells, nSegments, isTest);
}

/**
 * Σ of block `block`'s cells in the first `segments` segments that pass `include`; xtx
 * symmetrized. `totalSegments` is the number of segments per block (default `segments`).
 */
export function sumCells(
  cells: readonly (GramStats | undefined)[], d: number, block: number, nCells: number, segments: number,
  include: (segment: number, cell: number) => boolean, totalSegments = segments,
): GramStats {
  const out = gramStats(d);
  const offset = block * totalSegments * nCells;
  for (let s = 0; s < segments; s++) {
    for (let c = 0; c < nCells; c++) if (include(s, c)) addCell(out, cells[offset + s * nCells + c]);
  }
  symmetrizeUpper(out.xtx, d);
  return out;
}

/** Fewest alphas on one training set for which one shared reduction beats a Cholesky each. */
const SHARED_MIN_ALPHAS = 4;
/** Narrowest X for which sharing pays: below it a Cholesky costs about what a shifted solve does. */
const SHARED_MIN_COLS = 24;

/**
 * The normal equations fits on one training set can share: fits that differ only in alpha
 * solve one {@link RidgeSystem} (one Householder reduction, O(d²) per alpha) when enough of
 * them do and X is wide enough to repay it. Undefined when nothing is worth sharing.
 */
function sharedSystems(settings: readonly FitSettings[], fits: readonly PendingFit[], d: number): SharedSystems | undefined {
  if (d < SHARED_MIN_COLS) return undefined;
  const counts = new Map<string, number>();
  for (const fit of fits) {
    const key = systemKey(settings[fit.candidate]!);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const shared = [...counts].filter(([, n]) => n >= SHARED_MIN_ALPHAS).map(([key]) => key);
  return shared.length === 0 ? undefined : new SharedSystems(new Set(shared));
}

/** The systems fits on one training set share, built on first use, for the settings keys worth sharing. */
class SharedSystems {
  private readonly systems = new Map<string, RidgeSystem>();

  constructor(private readonly keys: ReadonlySet<string>) {}

  /** The shared system for `settings` (built by `build` the first time), or undefined when its key is not shared. */
  get(settings: FitSettings, build: () => RidgeSystem): RidgeSystem | undefined {
    const key = systemKey(settings);
    if (!this.keys.has(key)) return undefined;
    let system = this.systems.get(key);
    if (system === undefined) {
      system = build();
      this.systems.set(key, system);
    }
    return system;
  }
}

/** Everything but alpha that decides a candidate's normal equations. */
function systemKey(settings: FitSettings): string {
  const scalers = settings.scalers.map((s) => `${s.block}:${s.withMean ? 1 : 0}${s.withStd ? 1 : 0}`).join(',');
  return `${settings.block}|${settings.fitIntercept ? 1 : 0}|${scalers}`;
}

/** A fitted ridge (on its scalers' map) from training statistics, per block. */
interface Solved {
  /** Packed [w, b] on raw features, for scoring from statistics. */
  readonly raw: Float64Array;
  /** Packed [w, b] on the scaled features (the model's own coefficients). */
  readonly packed: Float64Array;
  readonly map: AffineMap | undefined;
  readonly moments: readonly ColumnMoments[];
}

/**
 * Solves one candidate's ridge (with its scalers) on training statistics `train` (one per block).
 * @throws DataError when the training weights sum to zero, as Ridge.fit does.
 */
export function solveSettings(
  settings: FitSettings, train: readonly GramStats[], shift: Float64Array, yShift: number, shared?: SharedSystems,
): Solved {
  const d = shift.length;
  let map: AffineMap | undefined;
  const moments: ColumnMoments[] = [];
  for (const scaler of settings.scalers) {
    const stats = train[scaler.block]!;
    if (!(stats.count > 0)) throw new DataError(`sampleWeight of step "${scaler.step}" sums to zero over the rows fitted on: weights can't be normalized`);
    const raw = momentsOf(stats, shift);
    const current = map ?? identityMap(d);
    const seen: ColumnMoments = {
      mean: raw.mean.map((m, j) => (m - current.shift[j]!) / current.scale[j]!),
      var: raw.var.map((v, j) => v / (current.scale[j]! * current.scale[j]!)),
      count: raw.count,
    };
    moments.push(seen);
    map = composeMaps(current, scalerMap(seen, scaler));
  }
  const ridgeStats = train[settings.block]!;
  if (!(ridgeStats.count > 0)) throw new DataError("sampleWeight sums to zero over the rows fitted on: weights can't be normalized");
  const build = (): RidgeSystem => new RidgeSystem(ridgeStats, shift, yShift, settings.fitIntercept, map);
  const system = shared?.get(settings, build);
  const packed = system ? system.solveShared(settings.alpha) : build().solve(settings.alpha);
  return { packed, raw: map ? packedToRaw(packed, map) : packed, map, moments };
}

/** Means and population variances of the columns a GramStats summarises (accumulated around `shift`). */
function momentsOf(stats: GramStats, shift: Float64Array): ColumnMoments {
  const d = stats.nCols;
  const n = stats.count;
  const mean = new Float64Array(d);
  const variance = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const zMean = stats.xSum[j]! / n;
    mean[j] = shift[j]! + zMean;
    variance[j] = Math.max(0, (stats.xtx[j * d + j]! - zMean * stats.xSum[j]!) / n);
  }
  return { mean, var: variance, count: n };
}

/** One candidate on one training prefix: solve, then score on the fold's test statistics (and its training ones). */
function solveOne(
  input: SolveInput, fit: PendingFit, train: readonly GramStats[], test: { stats: GramStats; centred: Float64Array }, systems?: SharedSystems,
): FitRecord {
  const { shift, yShift } = input;
  const base = { candidate: fit.candidate, fold: fit.fold, ...(fit.trainSize === undefined ? {} : { trainSize: fit.trainSize }) };
  const t0 = performance.now();
  let solved: Solved;
  try {
    solved = solveSettings(input.settings[fit.candidate]!, train, shift, yShift, systems);
  } catch (error) {
    if (input.errorScore === 'raise') throw error;
    const names = { scoring: input.scoring.map(([name]) => name), returnTrainScore: input.returnTrainScore };
    return errorRecords([base], names, input.errorScore, messageOf(error), (performance.now() - t0) / 1000)[0]!;
  }
  const t1 = performance.now();
  const warnings: FitWarning[] = [];
  const testScores = scoresOf(input.scoring, residualSums(test.stats, solved.raw, shift, yShift, test.centred), warnings);
  const t2 = performance.now();
  const trainScores = input.returnTrainScore ? { train: scoresOf(input.scoring, residualSums(train[0]!, solved.raw, shift, yShift), warnings) } : {};
  return {
    ...base, test: testScores, ...trainScores, ...(warnings.length > 0 ? { warnings } : {}),
    fitTime: input.statsSeconds / input.pending.length + (t1 - t0) / 1000, scoreTime: (t2 - t1) / 1000,
  };
}

function scoresOf(scoring: readonly (readonly [string, string])[], sums: ResidualSums, warnings: FitWarning[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, builtin] of scoring) {
    if (builtin === 'r2' && sums.count < 2) {
      warnings.push({ type: 'UndefinedMetricWarning', metric: name, message: 'R^2 score is not well-defined with less than two samples.' });
    }
    out[name] = STATS_SCORERS[builtin]!(sums);
  }
  return out;
}

/**
 * The estimator refitted on all rows: a Ridge, or a Pipeline of fitted scalers and ridge.
 * @throws FitError when the statistics cannot be solved (weights summing to zero).
 */
export function refitFromStats(settings: FitSettings, all: readonly GramStats[], shift: Float64Array, yShift: number): Estimator {
  const d = shift.length;
  let solved: Solved;
  try {
    solved = solveSettings(settings, all, shift, yShift);
  } catch (error) {
    throw new FitError(`refit on all rows failed: ${messageOf(error)}`, { cause: error });
  }
  const ridgeParams = { alpha: settings.alpha, fitIntercept: settings.fitIntercept };
  const ridge: EstimatorState = {
    name: 'ridge', params: ridgeParams,
    coef: ndarray('float64', [d], solved.packed.slice(0, d)), intercept: ndarray('float64', [], solved.packed.slice(d)),
  };
  if (settings.ridgeStep === undefined) return modelFromState(ridge);
  let map = identityMap(d);
  const transformers: TransformerState[] = settings.scalers.map((scaler, i) => {
    const seen = solved.moments[i]!;
    const step = scalerMap(seen, scaler);
    map = composeMaps(map, step);
    return {
      step: scaler.step, kind: 'standard_scaler', params: { withMean: scaler.withMean, withStd: scaler.withStd }, nSamplesSeen: seen.count,
      shift: ndarray('float64', [d], step.shift), scale: ndarray('float64', [d], step.scale),
      mean: ndarray('float64', [d], Float64Array.from(seen.mean)), var: ndarray('float64', [d], Float64Array.from(seen.var)),
    };
  });
  return modelFromState({ ...ridge, name: 'pipeline', params: settings.params, transformers, final: { step: settings.ridgeStep, name: 'ridge', params: ridgeParams } });
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

/** The row index after the last row of a training prefix of size `trainSize`. */
export function prefixEnd(fold: Fold, trainSize: number): number {
  return fold.train[trainSize - 1]! + 1;
}

/** `into += cell`; a cell no row fell in adds nothing. */
function addCell(into: GramStats, cell: GramStats | undefined): void {
  if (cell) addStats(into, cell);
}
