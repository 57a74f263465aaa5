/**
 * Successive halving (scikit-learn 1.2's `HalvingGridSearchCV` / `HalvingRandomSearchCV`):
 * every candidate is scored on a small subsample, the best third (1 / factor) go on to a
 * subsample `factor` times larger, and so on. Each rung is one evaluation on memgrid's engine,
 * so ridge rungs get the statistics plan and logistic rungs the warm-started C path, each path
 * starting from the previous rung's solution (halving-warm.ts).
 */
import type { NdArray } from '../data/ndarray.js';
import { persistDataset } from '../data/store.js';
import { ValueError } from '../errors.js';
import type { Estimator, FloatMatrix, Params } from '../models/estimator.js';
import type { FitRecord } from '../workers/protocol.js';
import { convergenceWarnings, solverStats } from './convergence.js';
import { sampleCandidates, type ParamDistributions } from './distributions.js';
import { createExecutor, evaluate, type Evaluation } from './engine.js';
import { parameterGrid, type ParamGrid } from './grid.js';
import { BaseSearch, failuresOf } from './grid-search.js';
import { pairwiseSum } from './numpy-order.js';
import { halvingSchedule, subsampleFolds, topK, type HalvingSchedule } from './halving-schedule.js';
import { RungSolutions, rungWarmStarts, warmStartable, withoutSolution } from './halving-warm.js';
import { checkBoolean, checkInteger, describe } from './option-checks.js';
import type { CvResults, SearchFitOptions, SearchOptions } from './options.js';
import { checkNumpySeed } from './random-state.js';
import { buildCvResults } from './results.js';
import { resolveScoring } from './scoring.js';
import { formatWarning, gatherWarnings } from './search-warnings.js';
import { resolveCv } from './splitters.js';
import type { Fold, Splitter } from './types.js';
import { checkInputShapes, checkTargetValues } from './validate.js';

/** Options of the halving searches: the shared ones (one scorer, a boolean refit) plus scikit-learn's. */
export interface HalvingOptions extends Omit<SearchOptions, 'refit' | 'scoring'> {
  /** One scorer name (scikit-learn's halving takes one metric). */
  readonly scoring?: string;
  /** Refit the best candidate of the last rung on all rows. Default true. */
  readonly refit?: boolean;
  /** How much each rung grows the resource and shrinks the candidates, > 1. Default 3. */
  readonly factor?: number;
  /** The resource: only rows ('n_samples'). */
  readonly resource?: 'n_samples';
  /**
   * Rows of the first rung: 'exhaust', 'smallest' (nSplits * 2, times the class count for
   * classifiers) or a count. Default 'exhaust' for HalvingGridSearch, 'smallest' for
   * HalvingRandomSearch, as scikit-learn.
   */
  readonly minResources?: 'exhaust' | 'smallest' | number;
  /** Rows of the last rung at most: 'auto' (all, default) or a count. */
  readonly maxResources?: 'auto' | number;
  /** Run all the rungs the candidates need, repeating the first rung's size while needed. Default false. */
  readonly aggressiveElimination?: boolean;
  /** numpy's `random_state` for the subsamples (and HalvingRandomSearch's draws). Default 0. */
  readonly seed?: number;
}

/** Options of {@link HalvingRandomSearch}. */
export interface HalvingRandomSearchOptions extends HalvingOptions {
  /** Candidates of the first rung: a count, or 'exhaust' (default: maxResources / minResources). */
  readonly nCandidates?: 'exhaust' | number;
}

interface CheckedHalving {
  readonly factor: number;
  readonly minResources: 'exhaust' | 'smallest' | number;
  readonly maxResources: 'auto' | number;
  readonly aggressive: boolean;
  readonly seed: number;
}

function checkHalvingOptions(options: HalvingOptions): CheckedHalving {
  const factor = options.factor ?? 3;
  if (typeof factor !== 'number' || !Number.isFinite(factor) || factor <= 1) {
    throw new ValueError(`options.factor must be a number > 1, found ${describe(factor)}`);
  }
  if ((options.resource ?? 'n_samples') !== 'n_samples') {
    throw new ValueError(`options.resource: only 'n_samples' is supported, found ${describe(options.resource)}`);
  }
  const minResources = options.minResources ?? 'exhaust';
  if (minResources !== 'exhaust' && minResources !== 'smallest') checkInteger('options.minResources', minResources, 1);
  const maxResources = options.maxResources ?? 'auto';
  if (maxResources !== 'auto') checkInteger('options.maxResources', maxResources, 1);
  if (options.refit !== undefined) checkBoolean('options.refit', options.refit);
  if (Array.isArray(options.scoring)) throw new ValueError('options.scoring: halving searches take one scorer name, as scikit-learn');
  return {
    factor, minResources, maxResources, aggressive: checkBoolean('options.aggressiveElimination', options.aggressiveElimination ?? false),
    seed: checkNumpySeed('options.seed', options.seed ?? 0),
  };
}

/** A splitter that hands out folds computed beforehand (one rung's subsamples). */
function fixedFolds(folds: readonly Fold[]): Splitter {
  return { nSplits: folds.length, split: () => [...folds] };
}

/** What scikit-learn's halving searches expose besides the best candidate, camelCased. */
interface HalvingOutcome extends HalvingSchedule {
  readonly nRemainingCandidates: number;
}

/** Shared machinery of the two halving searches. */
abstract class BaseHalving extends BaseSearch {
  private halving: HalvingOutcome | undefined;
  protected readonly checked: CheckedHalving;

  constructor(estimator: Estimator, readonly halvingOptions: HalvingOptions) {
    // scikit-learn's halving searches return train scores unless told not to.
    super(estimator, { returnTrainScore: true, ...halvingOptions } as SearchOptions);
    this.checked = checkHalvingOptions(halvingOptions);
  }

  /** The first rung's candidates, given the resolved resources. */
  protected abstract firstCandidates(minResources: number, maxResources: number): Params[];

  protected override candidates(): Params[] {
    throw new Error('internal: halving searches pick their candidates in fit');
  }

  /**
   * Runs the rungs, then (unless `refit: false`) refits the best candidate of the last rung on
   * all rows. `fitOptions.groups` goes to a group-aware splitter. Resolves to `this`.
   */
  override async fit(X: FloatMatrix, y: NdArray, fitOptions: SearchFitOptions = {}): Promise<this> {
    checkInputShapes(X, y);
    const { estimator } = this;
    const options = this.options;
    const scoring = resolveScoring(options.scoring as string | undefined, estimator.kind);
    const labels = checkTargetValues(estimator, X, y);
    const nSamples = labels.length;
    // Persist once: every rung then maps the same store instead of hashing in-memory data again.
    const store = persistDataset(X, y, options.storeRoot === undefined ? {} : { root: options.storeRoot });
    const data = { X: store.X as FloatMatrix, y: store.y };
    const baseFolds = resolveCv(options.cv as never, estimator.kind === 'classifier').split(nSamples, labels, fitOptions.groups);
    const { factor, seed } = this.checked;
    const nClasses = estimator.kind === 'classifier' ? new Set(labels).size : 1;
    const smallest = baseFolds.length * 2 * nClasses;
    const minGiven = typeof this.checked.minResources === 'number' ? this.checked.minResources : smallest;
    const maxResources = this.checked.maxResources === 'auto' ? nSamples : this.checked.maxResources;
    if (minGiven > maxResources) throw new ValueError(`minResources=${minGiven} is greater than maxResources=${maxResources}`);
    let candidates = this.firstCandidates(minGiven, maxResources);
    const schedule = halvingSchedule({
      nCandidates: candidates.length, factor, minResources: minGiven, maxResources,
      exhaust: this.checked.minResources === 'exhaust', aggressive: this.checked.aggressive,
    });
    const all: { params: Params; iter: number; nResources: number }[] = [];
    const records: FitRecord[] = [];
    let last: { evaluation: Evaluation; offset: number } | undefined;
    const warmable = warmStartable(estimator);
    let previous: RungSolutions | undefined;
    let carried: number[] = [];
    const executor = options.executor ?? createExecutor(options.workers);
    try {
      for (let itr = 0; itr < schedule.nIterations; itr++) {
        const nResources = schedule.nResources[itr]!;
        const folds = subsampleFolds(baseFolds, nResources / nSamples, seed);
        checkRungFolds(folds, itr, nResources);
        const lastRung = itr === schedule.nIterations - 1;
        const evaluation = await evaluate({
          estimator, ...data, candidates, options: { ...options, cv: fixedFolds(folds), executor }, fitOptions,
          ...(warmable ? { warm: rungWarmStarts(lastRung, previous, carried) } : {}),
        });
        const offset = all.length;
        candidates.forEach((params) => all.push({ params, iter: itr, nResources }));
        for (const r of evaluation.records) records.push({ ...withoutSolution(r), candidate: r.candidate + offset });
        last = { evaluation, offset };
        if (!lastRung) {
          const means = meanTestScores(evaluation.records, candidates.length, folds.length, scoring[0]!);
          carried = topK(means, Math.ceil(candidates.length / factor));
          candidates = carried.map((i) => candidates[i]!);
          previous = warmable ? new RungSolutions(evaluation.records) : undefined;
        }
      }
    } finally {
      if (!options.executor) await executor.close();
    }
    const params = all.map((a) => a.params);
    const cvResults = withRungColumns(buildCvResults(params, baseFolds.length, scoring, records, options.returnTrainScore ?? true), all);
    const bestIndex = bestOfLastRung(cvResults, all);
    let bestEstimator: Estimator | undefined;
    let refitTime: number | undefined;
    if (options.refit !== false) {
      const t0 = performance.now();
      const fitParams = last!.evaluation.fitParams;
      bestEstimator = last!.evaluation.refit(bestIndex - last!.offset)
        ?? estimator.clone().setParams(params[bestIndex]!).fit(data.X, data.y, Object.keys(fitParams).length === 0 ? undefined : { ...fitParams });
      refitTime = (performance.now() - t0) / 1000;
    }
    const scoringWarnings = gatherWarnings(records);
    this.outcome = {
      cvResults, scoring, multimetric: false, scorers: last!.evaluation.scorers, refitMetric: scoring[0], bestIndex, bestEstimator, refitTime,
      storeHash: last!.evaluation.storeHash, fitErrors: failuresOf(records, params),
      warnings: [
        ...convergenceWarnings(records, params, estimator.getParams(), bestEstimator),
        ...scoringWarnings.map((w) => formatWarning(w, records.length)),
      ],
      scoringWarnings, solverStats: solverStats(records), fitRecords: records,
    };
    this.halving = { ...schedule, nCandidates: schedule.nCandidates, nRemainingCandidates: candidates.length };
    return this;
  }

  private get schedule(): HalvingOutcome {
    if (!this.halving) throw new ValueError('this search is not fitted yet: call `await search.fit(X, y)` first');
    return this.halving;
  }

  /** Rows used by each rung (scikit-learn's `n_resources_`). */
  get nResources(): readonly number[] { return this.schedule.nResources; }
  /** Candidates evaluated by each rung (`n_candidates_`). */
  get nCandidates(): readonly number[] { return this.schedule.nCandidates; }
  /** Rungs run (`n_iterations_`). */
  get nIterations(): number { return this.schedule.nIterations; }
  /** Rungs the resources allow (`n_possible_iterations_`). */
  get nPossibleIterations(): number { return this.schedule.nPossibleIterations; }
  /** Rungs needed to get down to one candidate (`n_required_iterations_`). */
  get nRequiredIterations(): number { return this.schedule.nRequiredIterations; }
  /** Rows of the first rung (`min_resources_`). */
  get minResources(): number { return this.schedule.minResources; }
  /** Most rows a rung may use (`max_resources_`). */
  get maxResources(): number { return this.schedule.maxResources; }
  /** Candidates left after the last rung (`n_remaining_candidates_`). */
  get nRemainingCandidates(): number { return this.schedule.nRemainingCandidates; }
}

function checkRungFolds(folds: readonly Fold[], itr: number, nResources: number): void {
  folds.forEach((fold, k) => {
    for (const part of ['train', 'test'] as const) {
      if (fold[part].length === 0) {
        throw new ValueError(`halving rung ${itr} (${nResources} rows) leaves fold ${k} with no ${part} rows: raise minResources`);
      }
    }
  });
}

/**
 * Mean test score of each candidate over the folds, summed in fold order as numpy does (its
 * ties decide which candidates survive); NaN when a fold failed with a NaN errorScore.
 */
function meanTestScores(records: readonly FitRecord[], nCandidates: number, nFolds: number, scorer: string): number[] {
  const table = new Float64Array(nCandidates * nFolds);
  for (const r of records) table[r.candidate * nFolds + r.fold] = r.test[scorer] ?? Number.NaN;
  return Array.from({ length: nCandidates }, (_, c) => pairwiseSum(table, c * nFolds, nFolds) / nFolds);
}

function withRungColumns(results: CvResults, all: readonly { iter: number; nResources: number }[]): CvResults {
  return { ...results, iter: all.map((a) => a.iter), n_resources: all.map((a) => a.nResources) } as CvResults;
}

/** scikit-learn's `_select_best_index`: the best mean test score of the last rung (its first row if all are NaN). */
function bestOfLastRung(results: CvResults, all: readonly { iter: number }[]): number {
  const lastIter = all[all.length - 1]!.iter;
  const means = results['mean_test_score'] as number[];
  let best = -1;
  all.forEach((a, i) => {
    if (a.iter !== lastIter || Number.isNaN(means[i]!)) return;
    if (best === -1 || means[i]! > means[best]!) best = i;
  });
  return best === -1 ? all.findIndex((a) => a.iter === lastIter) : best;
}

/**
 * Successive halving over a parameter grid (scikit-learn's `HalvingGridSearchCV`): the same
 * rungs, subsamples and surviving candidates for the same seed, and its `cvResults` with the
 * `iter` and `n_resources` columns.
 * @example
 * ```ts
 * const search = await new HalvingGridSearch(new Ridge(), { alpha: [0.01, 0.1, 1, 10, 100] }, { factor: 2 }).fit(X, y);
 * search.nResources; // rows per rung
 * ```
 */
export class HalvingGridSearch extends BaseHalving {
  constructor(estimator: Estimator, readonly grid: ParamGrid | readonly ParamGrid[], options: HalvingOptions = {}) {
    super(estimator, options);
  }

  protected firstCandidates(): Params[] {
    return parameterGrid(this.grid);
  }
}

/**
 * Successive halving over sampled candidates (scikit-learn's `HalvingRandomSearchCV`): with
 * `nCandidates: 'exhaust'` (default) as many as let the last rung use the most rows.
 * @example
 * ```ts
 * const search = await new HalvingRandomSearch(new Ridge(), { alpha: loguniform(1e-3, 1e3) }, { nCandidates: 20, seed: 0 }).fit(X, y);
 * ```
 */
export class HalvingRandomSearch extends BaseHalving {
  constructor(estimator: Estimator, readonly distributions: ParamDistributions | readonly ParamDistributions[], options: HalvingRandomSearchOptions = {}) {
    super(estimator, { minResources: 'smallest', ...options });
    const n = options.nCandidates ?? 'exhaust';
    if (n !== 'exhaust') checkInteger('options.nCandidates', n, 1);
    if (n === 'exhaust' && options.minResources === 'exhaust') {
      throw new ValueError("options.nCandidates and options.minResources cannot both be 'exhaust'");
    }
  }

  protected firstCandidates(minResources: number, maxResources: number): Params[] {
    const n = (this.halvingOptions as HalvingRandomSearchOptions).nCandidates ?? 'exhaust';
    const count = n === 'exhaust' ? Math.floor(maxResources / minResources) : n;
    return sampleCandidates(this.distributions, count, this.checked.seed);
  }
}
