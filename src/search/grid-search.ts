/**
 * GridSearch and RandomizedSearch: scikit-learn's GridSearchCV / RandomizedSearchCV on
 * memgrid's engine. Candidates come from a grid or from sampled distributions; everything
 * after that (folds, tasks, cvResults, ranking, refit) is shared.
 */
import type { NdArray } from '../data/ndarray.js';
import { ValueError } from '../errors.js';
import { isClassifier, type Classifier, type Estimator, type FloatMatrix, type Params, type Rows } from '../models/estimator.js';
import type { FitRecord } from '../workers/protocol.js';
import { evaluate, type Evaluation } from './engine.js';
import type { Scorer } from './scorers.js';
import { formatWarning, gatherWarnings, type SearchWarning } from './search-warnings.js';
import { warnOnce } from './warnings.js';
import { parameterGrid } from './grid.js';
import { sampleCandidates, type Distribution } from './distributions.js';
import type { CvResults, SearchFitOptions, SearchOptions } from './options.js';
import { convergenceWarnings, solverStats, type SolverStats } from './convergence.js';
import { buildCvResults, metricKeys } from './results.js';

/** A fit that failed and was scored with `errorScore`. */
export interface FitFailure {
  readonly candidate: number;
  readonly fold: number;
  readonly params: Params;
  readonly message: string;
}

/** Fields a finished search exposes (scikit-learn's `best_*_` attributes, camelCased). */
export interface Outcome {
  cvResults: CvResults;
  scoring: readonly string[];
  multimetric: boolean;
  scorers: ReadonlyMap<string, Scorer>;
  refitMetric: string | undefined;
  bestIndex: number | undefined;
  bestEstimator: Estimator | undefined;
  refitTime: number | undefined;
  storeHash: string;
  fitErrors: FitFailure[];
  warnings: string[];
  scoringWarnings: SearchWarning[];
  solverStats: SolverStats | undefined;
  fitRecords: readonly FitRecord[];
}

/** Shared machinery of GridSearch, RandomizedSearch and the halving searches (which fit their own way). */
export abstract class BaseSearch {
  protected outcome: Outcome | undefined;

  constructor(readonly estimator: Estimator, readonly options: SearchOptions = {}) {}

  /** The candidates to try, in the order their results are reported. */
  protected abstract candidates(): Params[];

  /**
   * Evaluates every candidate on every fold, then ranks and (unless `refit: false`) refits the
   * best candidate on all rows. `fitOptions` are groups for group-aware splitters and fit params
   * routed to every fit and to the refit (`{ sampleWeight }`, or `{ <step>__sampleWeight }` for
   * a pipeline); scores stay unweighted, as in scikit-learn 1.2. Resolves to `this`.
   */
  async fit(X: FloatMatrix, y: NdArray, fitOptions: SearchFitOptions = {}, ...extra: unknown[]): Promise<this> {
    if (extra.length > 0) throw new ValueError(`fit takes (X, y, options); found ${3 + extra.length} arguments. Pass fit params as one object, e.g. { sampleWeight }`);
    const candidates = this.candidates();
    const metricForRefit = this.options.refit === false ? undefined : (names: readonly string[]): string | undefined => {
      try {
        return resolveRefit(this.options.refit, names);
      } catch {
        return undefined; // the search reports the bad option after its tasks, as before
      }
    };
    const evaluation = await evaluate({
      estimator: this.estimator, X, y, candidates, options: this.options, fitOptions, deferClose: true,
      ...(metricForRefit ? { refitMetric: metricForRefit } : {}),
    });
    // The search's own threads take ~25 ms to end after its last task (LB, LW: 2-3% of the
    // search): fit resolves without waiting for them, as joblib's workers outlive a scikit-learn
    // search. The process still waits for them before it exits.
    evaluation.released.catch((error: unknown) => warnOnce('MemgridWarning', `a search's worker threads did not close cleanly: ${String(error)}`));
    this.outcome = this.conclude(evaluation, X, y, candidates);
    return this;
  }

  /** Ranks the candidates, refits the best (while the evaluation's threads close) and gathers what the search reports. */
  private conclude(evaluation: Evaluation, X: FloatMatrix, y: NdArray, candidates: readonly Params[]): Outcome {
    const { scoring, folds, records, multimetric } = evaluation;
    const cvResults = buildCvResults(candidates, folds.length, scoring, records, this.options.returnTrainScore ?? false, multimetric);
    const refitMetric = resolveRefit(this.options.refit, scoring);
    let bestIndex: number | undefined;
    let bestEstimator: Estimator | undefined;
    let refitTime: number | undefined;
    if (refitMetric !== undefined) {
      const key = metricKeys(scoring, multimetric).find((m) => m.scorer === refitMetric)!.key;
      bestIndex = (cvResults[`rank_test_${key}`] as number[]).indexOf(1);
      if (this.options.refit !== false) {
        const t0 = performance.now();
        const fitParams = evaluation.fitParams;
        bestEstimator = evaluation.refit(bestIndex)
          ?? this.estimator.clone().setParams(candidates[bestIndex]!).fit(X, y, Object.keys(fitParams).length === 0 ? undefined : { ...fitParams });
        refitTime = (performance.now() - t0) / 1000;
      }
    }
    const fitErrors = failuresOf(records, candidates);
    const scoringWarnings = gatherWarnings(records);
    if (this.options.emitWarnings !== false) for (const w of scoringWarnings) warnOnce(w.type, formatWarning(w, records.length));
    const warnings = [
      ...convergenceWarnings(records, candidates, this.estimator.getParams(), bestEstimator),
      ...scoringWarnings.map((w) => formatWarning(w, records.length)),
    ];
    return {
      cvResults, scoring, multimetric, scorers: evaluation.scorers, refitMetric, bestIndex, bestEstimator, refitTime,
      storeHash: evaluation.storeHash, fitErrors, warnings, scoringWarnings, solverStats: solverStats(records), fitRecords: records,
    };
  }

  private get done(): Outcome {
    if (!this.outcome) throw new ValueError('this search is not fitted yet: call `await search.fit(X, y)` first');
    return this.outcome;
  }

  private get best(): number {
    const index = this.done.bestIndex;
    if (index === undefined) throw new ValueError('no best candidate: the search ran with refit: false and several metrics');
    return index;
  }

  /** scikit-learn's `cv_results_`: one column per name, one entry per candidate. */
  get cvResults(): CvResults { return this.done.cvResults; }
  /** Scorer names used, in order. */
  get scoring(): readonly string[] { return this.done.scoring; }
  /** The metric that picks the best candidate. */
  get refitMetric(): string | undefined { return this.done.refitMetric; }
  /** Index into `cvResults` of the best candidate. */
  get bestIndex(): number { return this.best; }
  /** Params of the best candidate. */
  get bestParams(): Params { return this.done.cvResults.params[this.best]!; }
  /** Mean cross-validated score of the best candidate on the refit metric. */
  get bestScore(): number {
    const key = metricKeys(this.done.scoring, this.done.multimetric).find((m) => m.scorer === this.done.refitMetric)!.key;
    return (this.done.cvResults[`mean_test_${key}`] as number[])[this.best]!;
  }
  /** The best candidate refitted on all rows; undefined with `refit: false`. */
  get bestEstimator(): Estimator | undefined { return this.done.bestEstimator; }
  /** Seconds the refit took. */
  get refitTime(): number | undefined { return this.done.refitTime; }
  /** Fits that failed and were scored with `errorScore`, with their messages (scikit-learn only warns). */
  get fitErrors(): readonly FitFailure[] { return this.done.fitErrors; }
  /** Content hash of the dataset store the search ran on. */
  get storeHash(): string { return this.done.storeHash; }
  /**
   * What scikit-learn would warn about, one line each: fits (and the refit) that stopped at
   * `maxIter` before converging (scikit-learn's ConvergenceWarning), and each scoring warning
   * (an undefined metric, a metric that could not be computed) with its metric and how many fits
   * raised it. Empty when all is well.
   */
  get warnings(): readonly string[] { return this.done.warnings; }
  /**
   * The scoring warnings, structured: each once with its metric and how many fits raised it.
   * A metric that could not be computed is one: its cells are `errorScore` (NaN by default)
   * and the other metrics are still reported.
   */
  get scoringWarnings(): readonly SearchWarning[] { return this.done.scoringWarnings; }
  /** Iterative solvers' work summed over the fits (undefined for models without one, e.g. Ridge). */
  get solverStats(): SolverStats | undefined { return this.done.solverStats; }
  /** Every fit's record: scores, times and, for iterative solvers, `solver.nIter` and convergence. */
  get fitRecords(): readonly FitRecord[] { return this.done.fitRecords; }
  /** True when cvResults columns keep each metric's name (scoring was a list or object). */
  get multimetric(): boolean { return this.done.multimetric; }

  /** `cvResults` as one object per candidate, keyed by column name (in the columns' order). */
  cvResultsRows(): Record<string, unknown>[] {
    const columns = Object.entries(this.done.cvResults);
    return this.done.cvResults.params.map((_, i) => Object.fromEntries(columns.map(([name, values]) => [name, values[i]])));
  }

  /** The best estimator's predictions (scikit-learn's `search.predict`). */
  predict(X: FloatMatrix, rows?: Rows): Float64Array {
    return this.refitted('predict').predict(X, rows);
  }

  /** The best estimator's class probabilities (a classifier's). */
  predictProba(X: FloatMatrix, rows?: Rows): Float64Array {
    return this.refittedClassifier('predictProba').predictProba(X, rows);
  }

  /** The best estimator's decision values (a classifier's). */
  decisionFunction(X: FloatMatrix, rows?: Rows): Float64Array {
    return this.refittedClassifier('decisionFunction').decisionFunction(X, rows);
  }

  /** The best estimator's classes (a classifier's). */
  get classes(): Float64Array {
    return this.refittedClassifier('classes').classes;
  }

  /**
   * The refit metric's score of the best estimator on X, y (or `rows`): scikit-learn's
   * `search.score`, which uses the search's scoring (the estimator's own score by default).
   */
  score(X: FloatMatrix, y: NdArray, rows?: Rows): number {
    const estimator = this.refitted('score');
    return this.done.scorers.get(this.done.refitMetric!)!.score(estimator, X, y, rows);
  }

  private refitted(method: string): Estimator {
    const best = this.done.bestEstimator;
    if (best) return best;
    throw new ValueError(`search.${method} is available only after refitting on the best parameters: this search ran with refit: false. Refit an estimator yourself with search.bestParams`);
  }

  private refittedClassifier(method: string): Classifier {
    const best = this.refitted(method);
    if (!isClassifier(best)) throw new ValueError(`search.${method} needs a classifier; the best estimator is the regressor '${best.name}'`);
    return best;
  }
}

/** The failed fits among `records`, by candidate then fold. */
export function failuresOf(records: readonly FitRecord[], candidates: readonly Params[]): FitFailure[] {
  return records.filter((r) => r.error !== undefined)
    .map((r) => ({ candidate: r.candidate, fold: r.fold, params: candidates[r.candidate]!, message: r.error! }))
    .sort((a, b) => a.candidate - b.candidate || a.fold - b.fold);
}

/**
 * Which metric picks the best candidate, following scikit-learn: `true` with one metric means
 * that metric; with several, refit must name one (or be false).
 */
function resolveRefit(refit: boolean | string | undefined, scoring: readonly string[]): string | undefined {
  if (typeof refit === 'string') {
    if (!scoring.includes(refit)) {
      throw new ValueError(`options.refit must be one of the scoring names (${scoring.join(', ')}), found ${JSON.stringify(refit)}`);
    }
    return refit;
  }
  if (scoring.length === 1) return scoring[0];
  if (refit === false) return undefined;
  throw new ValueError(
    `options.refit must name the metric that picks the best candidate when scoring has several (${scoring.join(', ')}), or be false`,
  );
}

/**
 * Exhaustive search over a parameter grid (scikit-learn's GridSearchCV).
 * @example
 * ```ts
 * const search = await new GridSearch(new Ridge(), { alpha: [0.1, 1, 10] }, { cv: 5 }).fit(X, y);
 * console.log(search.bestParams, search.bestScore);
 * ```
 */
export class GridSearch extends BaseSearch {
  constructor(estimator: Estimator, readonly grid: Record<string, readonly unknown[]> | readonly Record<string, readonly unknown[]>[], options: SearchOptions = {}) {
    super(estimator, options);
  }

  protected candidates(): Params[] {
    return parameterGrid(this.grid as never);
  }
}

/** Options of {@link RandomizedSearch}: the shared options plus the sample count and seed. */
export interface RandomizedSearchOptions extends SearchOptions {
  /** Candidates to sample; default 10, as scikit-learn. */
  readonly nIter?: number;
  /** numpy's `random_state` for the sampler (an integer in [0, 2**32 - 1]); default 0. */
  readonly seed?: number;
}

/**
 * Search over sampled candidates (scikit-learn's RandomizedSearchCV).
 * @example
 * ```ts
 * const search = await new RandomizedSearch(new LogisticRegression(), { C: loguniform(1e-3, 1e2) }, { nIter: 20, seed: 1 }).fit(X, y);
 * ```
 */
export class RandomizedSearch extends BaseSearch {
  constructor(estimator: Estimator, readonly distributions: Record<string, Distribution | readonly unknown[]>, options: RandomizedSearchOptions = {}) {
    super(estimator, options);
  }

  protected candidates(): Params[] {
    const { nIter = 10, seed = 0 } = this.options as RandomizedSearchOptions;
    return sampleCandidates(this.distributions as never, nIter, seed as never);
  }
}
