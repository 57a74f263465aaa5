/**
 * The phases of a run: the search (grid or random), then the learning and validation curves
 * of the chosen params. Each phase journals its fits and reports progress.
 */
import { dirname } from 'node:path';
import type { Estimator, Params } from '../models/estimator.js';
import { learningCurve, validationCurve } from '../search/curves.js';
import { GridSearch, RandomizedSearch, type BaseSearch } from '../search/grid-search.js';
import { HalvingGridSearch, HalvingRandomSearch, type HalvingOptions } from '../search/halving.js';
import type { HostMemory, LearningCurveResult, SearchFitOptions, SearchOptions, ValidationCurveResult, WorkerMemory } from '../search/options.js';
import { resolveScoring } from '../search/scoring.js';
import type { Splitter } from '../search/types.js';
import type { LearningCurveFile, ValidationCurveFile } from '../report/types.js';
import { meanStd } from '../search/results.js';
import type { Executor } from '../workers/protocol.js';
import { BestTracker } from './best.js';
import type { ExperimentConfig } from './config.js';
import { splitterFromConfig } from './cv-config.js';
import type { ExperimentData } from './data.js';
import type { Journal, Phase } from './journal.js';
import { configEstimator, configKind } from './model.js';
import type { ProgressSink } from './progress.js';
import type { FitFailureLog } from './warnings.js';

/** What every phase needs. */
export interface PhaseContext {
  readonly config: ExperimentConfig;
  readonly data: ExperimentData;
  readonly journal: Journal;
  readonly progress: ProgressSink;
  readonly workers: number | undefined;
  readonly executor: Executor | undefined;
  readonly signal: AbortSignal | undefined;
  readonly storeRoot: string | undefined;
  /** Collects every failed fit, run now or restored, for results.json and the end-of-run warning. */
  readonly failures: FitFailureLog;
}

/** A finished search, as the results need it. */
export interface SearchOutcome {
  readonly search: BaseSearch;
  readonly bestParams: Params | undefined;
  readonly seconds: number;
  /** The last memory report of each worker seen during the run. */
  readonly workers: readonly WorkerMemory[];
  /** The last memory report of each host seen during the run. */
  readonly hosts: readonly HostMemory[];
}

/** Finished curves and their seconds. */
export interface CurvesOutcome {
  readonly files: { readonly learningCurve?: LearningCurveFile; readonly validationCurve?: ValidationCurveFile };
  readonly timings: Readonly<Record<string, number>>;
  readonly workers: readonly WorkerMemory[];
  readonly hosts: readonly HostMemory[];
}

/**
 * The scorers of a run: the config's, or the model's default.
 * @example
 * ```ts
 * runScoring(config); // ['r2'] for a ridge config without `scoring`
 * ```
 */
export function runScoring(config: ExperimentConfig): string[] {
  return resolveScoring(config.scoring, configKind(config));
}

/**
 * The one metric that picks the best candidate and that curves are scored with.
 * @example
 * ```ts
 * mainMetric(config); // 'neg_log_loss' when refit names it
 * ```
 */
export function mainMetric(config: ExperimentConfig): string {
  const scoring = runScoring(config);
  return typeof config.refit === 'string' ? config.refit : scoring[0]!;
}

function splitter(config: ExperimentConfig): Splitter {
  return splitterFromConfig(config.cv, config.model.name === 'logistic' ? 'classifier' : 'regressor', dirname(config.file));
}

/** The last memory report of each worker and of each host during one phase. */
interface MemorySeen {
  readonly workers: Map<string, WorkerMemory>;
  readonly hosts: Map<string, HostMemory>;
}

function memorySeen(): MemorySeen {
  return { workers: new Map(), hosts: new Map() };
}

/**
 * Options wiring one phase to the journal and the progress sink.
 * Restored fits count towards "best so far" too, so a resumed bar starts where it stopped.
 */
function phaseOptions(context: PhaseContext, phase: Phase, label: string, memory: MemorySeen): SearchOptions {
  const { config, journal, progress, failures } = context;
  const metric = mainMetric(config);
  const cv = splitter(config);
  const best = new BestTracker(cv.nSplits, metric);
  progress.start(label, metric, context.data.bytes);
  return {
    cv,
    emitWarnings: false,
    // As written: a name gives `_score` columns, a list keeps each metric's name (GridSearchCV's rule).
    scoring: config.scoring ?? runScoring(config)[0]!,
    returnTrainScore: config.returnTrainScore,
    ...(config.errorScore === undefined ? {} : { errorScore: config.errorScore }),
    ...(context.workers === undefined ? {} : { workers: context.workers }),
    ...(context.executor === undefined ? {} : { executor: context.executor }),
    ...(context.signal === undefined ? {} : { signal: context.signal }),
    ...(context.storeRoot === undefined ? {} : { storeRoot: context.storeRoot }),
    onRecord: (record, key) => {
      journal.append(phase, record, key);
      best.add(key, record);
      failures.add(phase, record, key);
    },
    completed: (key) => {
      const record = journal.lookup(phase, key);
      if (record) {
        best.add(key, record);
        failures.add(phase, record, key);
      }
      return record;
    },
    onProgress: (p) => {
      for (const w of p.workers ?? []) memory.workers.set(w.worker, w);
      for (const h of p.hosts ?? []) memory.hosts.set(h.host, h);
      progress.update({ ...p, bestScore: p.bestScore ?? best.score, workers: [...memory.workers.values()], hosts: [...memory.hosts.values()] });
    },
  };
}

/**
 * Run the config's grid or random search, if it has one.
 * @example
 * ```ts
 * const outcome = await runSearch(context); outcome?.search.bestParams;
 * ```
 */
export async function runSearch(context: PhaseContext): Promise<SearchOutcome | undefined> {
  const { config, data } = context;
  if (config.grid === undefined && config.search === undefined) return undefined;
  const memory = memorySeen();
  const label = `${config.halving ? 'halving ' : ''}${config.search ? 'random search' : 'grid search'}`;
  const options = { ...phaseOptions(context, 'search', label, memory), refit: config.refit };
  const model = configEstimator(config);
  const t0 = performance.now();
  const search = config.halving ? halvingSearch(config, model, options)
    : config.search
      ? new RandomizedSearch(model, config.search.distributions as never, { ...options, nIter: config.search.nIter, seed: config.search.seed })
      : new GridSearch(model, config.grid as never, options);
  await search.fit(data.X, data.y, data.groups === undefined ? {} : { groups: data.groups });
  context.progress.stop();
  const bestParams = search.refitMetric === undefined ? undefined : search.bestParams;
  return { search, bestParams, seconds: (performance.now() - t0) / 1000, workers: [...memory.workers.values()], hosts: [...memory.hosts.values()] };
}

/** The halving variant of the config's grid or random search (one scorer, a boolean refit). */
function halvingSearch(config: ExperimentConfig, model: Estimator, options: SearchOptions): BaseSearch {
  const { nCandidates, ...halving } = config.halving!;
  const scoring = Array.isArray(options.scoring) ? options.scoring[0] : options.scoring;
  const common = {
    ...options, ...halving, refit: options.refit !== false, ...(scoring === undefined ? {} : { scoring: scoring as string }),
  } as HalvingOptions;
  return config.search
    ? new HalvingRandomSearch(model, config.search.distributions, { seed: config.search.seed, ...common, ...(nCandidates === undefined ? {} : { nCandidates }) })
    : new HalvingGridSearch(model, config.grid!, common);
}

/**
 * Run the config's learning and validation curves for the model's params overlaid with the
 * search's best params (the curves then show the chosen model).
 * @example
 * ```ts
 * const { files } = await runCurves(context, { alpha: 1 }); files.learningCurve?.testMean;
 * ```
 */
export async function runCurves(context: PhaseContext, bestParams: Params | undefined): Promise<CurvesOutcome> {
  const { config, data } = context;
  const overlay: Params = bestParams ?? {};
  const timings: Record<string, number> = {};
  const memory = memorySeen();
  const files: { learningCurve?: LearningCurveFile; validationCurve?: ValidationCurveFile } = {};
  const curveOptions = (phase: Phase, label: string): SearchOptions & SearchFitOptions => {
    const { refit: _refit, returnTrainScore: _train, ...rest } = phaseOptions(context, phase, label, memory);
    return { ...rest, scoring: mainMetric(config), ...(data.groups === undefined ? {} : { groups: data.groups }) };
  };
  if (config.learningCurve) {
    const t0 = performance.now();
    const estimator = configEstimator(config, overlay);
    const curve = await learningCurve(estimator, data.X, data.y, {
      ...curveOptions('learningCurve', 'learning curve'), trainSizes: config.learningCurve.trainSizes,
    });
    context.progress.stop();
    timings.learningCurve = (performance.now() - t0) / 1000;
    files.learningCurve = { ...curve, ...summarize(curve), params: { ...config.model.params, ...overlay } };
  }
  if (config.validationCurve) {
    const { param, values } = config.validationCurve;
    const { [param]: _dropped, ...others } = overlay;
    const t0 = performance.now();
    const curve = await validationCurve(configEstimator(config, others), data.X, data.y, param, values, curveOptions('validationCurve', 'validation curve'));
    context.progress.stop();
    timings.validationCurve = (performance.now() - t0) / 1000;
    files.validationCurve = { ...curve, ...summarize(curve) };
  }
  return { files, timings, workers: [...memory.workers.values()], hosts: [...memory.hosts.values()] };
}

/** Per-row mean and std over folds (numpy's ddof=0, as scikit-learn's plots use). */
function summarize(curve: LearningCurveResult | ValidationCurveResult): {
  trainMean: number[]; trainStd: number[]; testMean: number[]; testStd: number[];
} {
  const train = curve.trainScores.map((row) => meanStd(row));
  const test = curve.testScores.map((row) => meanStd(row));
  return { trainMean: train.map((s) => s.mean), trainStd: train.map((s) => s.std), testMean: test.map((s) => s.mean), testStd: test.map((s) => s.std) };
}
