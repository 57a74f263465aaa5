/** Assembling `results.json` from a run's config, data, search and curves. */
import { toNested } from '../data/ndarray.js';
import type { RunResults } from '../report/types.js';
import { hostname } from 'node:os';
import type { FitRecord } from '../workers/protocol.js';
import { hostMemory } from '../workers/memory.js';
import type { ExperimentConfig } from './config.js';
import type { ExperimentData } from './data.js';
import type { Journal } from './journal.js';
import { configEstimator } from './model.js';
import { runScoring, type CurvesOutcome, type SearchOutcome } from './phases.js';
import { failedFitsWarning, type FitFailureLog } from './warnings.js';

/** Everything results.json is made of. */
export interface ResultParts {
  readonly config: ExperimentConfig;
  readonly data: ExperimentData;
  readonly search: SearchOutcome | undefined;
  readonly curves: CurvesOutcome;
  readonly journal: Journal;
  readonly failures: FitFailureLog;
  /** `performance.now()` when the run started. */
  readonly started: number;
  readonly cwd: string;
}

/**
 * The content of results.json (DESIGN.md's fields plus data, timings and memory).
 * @example
 * ```ts
 * writeFileAtomic('results.json', toJson(assembleResults(parts)));
 * ```
 */
export function assembleResults(parts: ResultParts): RunResults {
  const { config, data, search: outcome, curves, journal } = parts;
  const fitErrors = parts.failures.list();
  const search = outcome?.search;
  const state = search?.bestEstimator?.state();
  const timings: Record<string, number> = {};
  if (outcome) timings.search = outcome.seconds;
  if (search?.refitTime !== undefined) timings.refit = search.refitTime;
  Object.assign(timings, curves.timings);
  timings.total = (performance.now() - parts.started) / 1000;
  const usage = process.memoryUsage();
  const best = search?.refitMetric === undefined ? undefined : search;
  return {
    name: config.name,
    config: config.file,
    createdAt: new Date().toISOString(),
    model: {
      name: config.model.name, params: config.model.params,
      ...(config.preprocess ? { preprocess: config.preprocess, pipeline: String(configEstimator(config)) } : {}),
    },
    data: {
      source: data.description, shape: data.X.shape, dtype: data.X.dtype, hash: data.hash,
      ...(data.featureNames ? { featureNames: data.featureNames } : {}),
      ...(data.classes ? { classes: data.classes } : {}),
    },
    ...(config.halving ? { kind: 'halving' as const } : config.grid ? { kind: 'grid' as const } : config.search ? { kind: 'random' as const } : {}),
    scoring: search?.scoring ?? runScoring(config),
    refit: config.refit,
    ...(search?.refitMetric === undefined ? {} : { refitMetric: search.refitMetric }),
    ...(best ? { bestParams: best.bestParams, bestScore: best.bestScore, bestIndex: best.bestIndex } : {}),
    ...(state ? {
      bestEstimator: {
        coef: toNested(state.coef), intercept: toNested(state.intercept),
        ...(state.classes ? { classes: classLabels(Array.from(state.classes.data), data.classes) } : {}),
        ...(state.transformers ? {
          steps: state.transformers.map((t) => ({ step: t.step, kind: t.kind, params: t.params, mean: toNested(t.mean), scale: toNested(t.scale) })),
        } : {}),
      },
    } : {}),
    ...(search ? { cvResults: search.cvResults } : {}),
    timings,
    fits: {
      total: journal.restored + journal.appendedCount, restored: journal.restored,
      ...(search?.solverStats ? { solver: search.solverStats, nIter: nIterTable(search.fitRecords, search.cvResults.params.length) } : {}),
    },
    fitErrors,
    warnings: [...phaseWarnings(search?.warnings, curves), ...failedFitsWarning(fitErrors, journal.restored + journal.appendedCount)],
    memory: {
      datasetBytes: data.bytes,
      coordinator: { host: hostname(), rss: usage.rss, heapUsed: usage.heapUsed },
      workers: lastOf([...(outcome?.workers ?? []), ...curves.workers], (w) => w.worker),
      // The coordinator's host too, measured now, so a run on Redis workers alone still shows it.
      hosts: lastOf([...(outcome?.hosts ?? []), ...curves.hosts, { host: hostname(), ...hostMemory() }], (h) => h.host),
    },
  };
}

/** n_iter of every search fit: one row per candidate, one column per split (null: no solver report). */
function nIterTable(records: readonly FitRecord[], nCandidates: number): (number | null)[][] {
  const nFolds = records.reduce((m, r) => Math.max(m, r.fold + 1), 0);
  const table = Array.from({ length: nCandidates }, () => new Array<number | null>(nFolds).fill(null));
  for (const r of records) if (r.solver && r.trainSize === undefined) table[r.candidate]![r.fold] = r.solver.nIter;
  return table;
}

/** The searches' and curves' own warnings, each naming its phase. */
function phaseWarnings(search: readonly string[] | undefined, curves: CurvesOutcome): string[] {
  return [
    ...(search ?? []).map((w) => `search: ${w}`),
    ...(curves.files.learningCurve?.warnings ?? []).map((w) => `learning curve: ${w}`),
    ...(curves.files.validationCurve?.warnings ?? []).map((w) => `validation curve: ${w}`),
  ];
}

/** The last report for each key, in order of first appearance. */
function lastOf<T>(reports: readonly T[], key: (report: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const r of reports) byKey.set(key(r), r);
  return [...byKey.values()];
}

/** A classifier's classes as the user's labels: the CSV's text labels when y held their indices. */
function classLabels(codes: readonly number[], labels: readonly string[] | undefined): (number | string)[] {
  return labels ? codes.map((k) => labels[k] ?? k) : [...codes];
}
