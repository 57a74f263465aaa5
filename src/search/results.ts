/**
 * Aggregates per-(candidate, fold) fit records into scikit-learn's `cv_results_` columns,
 * with its ranking rule (NaN means rank last; ties share the lowest rank).
 */
import type { Params } from '../models/estimator.js';
import type { FitRecord } from '../workers/protocol.js';
import type { CvResults } from './options.js';

/** Population mean and standard deviation (numpy's default ddof=0) of `values`. */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  const n = values.length;
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  return { mean, std: Math.sqrt(ss / n) };
}

/**
 * Ranks as scikit-learn 1.2 does: higher mean is better, NaN means are replaced by
 * (smallest finite mean − 1) so they rank last, ties get the lowest rank ("min").
 * When every mean is NaN every rank is 1.
 */
export function rankScores(means: readonly number[]): number[] {
  const finite = means.filter((m) => !Number.isNaN(m));
  if (finite.length === 0) return means.map(() => 1);
  const floor = Math.min(...finite) - 1;
  const filled = means.map((m) => (Number.isNaN(m) ? floor : m));
  return filled.map((m) => 1 + filled.filter((other) => other > m).length);
}

/**
 * The `cvResults` column of a param, spelt as scikit-learn spells the param: memgrid's
 * camelCase option names become snake_case (`fitIntercept` -> `param_fit_intercept`,
 * `maxIter` -> `param_max_iter`); names without a lower-case letter before a capital stay
 * (`param_C`, `param_logisticregression__C`). `params` keeps memgrid's names, which are what
 * the estimators take back.
 * @example
 * ```ts
 * paramColumn('fitIntercept'); // 'param_fit_intercept'
 * ```
 */
export function paramColumn(name: string): string {
  return `param_${name.replace(/([a-z0-9])([A-Z])/g, (_, before: string, capital: string) => `${before}_${capital.toLowerCase()}`)}`;
}

/**
 * The metric suffix in column names, GridSearchCV's rule: `score` when scoring was one scorer
 * (a name, a scorer, or absent), each metric's own name when it was a list or dict, even of one.
 * @example
 * ```ts
 * metricKeys(['neg_log_loss'], true); // [{ scorer: 'neg_log_loss', key: 'neg_log_loss' }]
 * metricKeys(['neg_log_loss'], false); // [{ scorer: 'neg_log_loss', key: 'score' }]
 * ```
 */
export function metricKeys(scoring: readonly string[], multimetric: boolean): { scorer: string; key: string }[] {
  return multimetric ? scoring.map((s) => ({ scorer: s, key: s })) : [{ scorer: scoring[0]!, key: 'score' }];
}

/**
 * Builds `cvResults` from fit records.
 * @param candidates the candidate params, in candidate-id order.
 * @param nFolds number of folds; every (candidate, fold) must have exactly one record.
 */
export function buildCvResults(
  candidates: readonly Params[],
  nFolds: number,
  scoring: readonly string[],
  records: readonly FitRecord[],
  returnTrainScore: boolean,
  multimetric = scoring.length > 1,
): CvResults {
  const grid = new Map<string, FitRecord>();
  for (const r of records) grid.set(`${r.candidate}/${r.fold}`, r);
  const get = (c: number, f: number): FitRecord => {
    const r = grid.get(`${c}/${f}`);
    if (!r) throw new Error(`internal: no result for candidate ${c} fold ${f}`);
    return r;
  };
  const columns: Record<string, unknown[]> = {};
  const perCandidate = (fn: (c: number) => unknown): unknown[] => candidates.map((_, c) => fn(c));
  const timeColumns = (name: 'fit' | 'score'): void => {
    const stats = candidates.map((_, c) => meanStd(folds(nFolds).map((f) => (name === 'fit' ? get(c, f).fitTime : get(c, f).scoreTime))));
    columns[`mean_${name}_time`] = stats.map((s) => s.mean);
    columns[`std_${name}_time`] = stats.map((s) => s.std);
  };
  timeColumns('fit');
  timeColumns('score');
  for (const name of paramNames(candidates)) {
    columns[paramColumn(name)] = perCandidate((c) => candidates[c]![name] ?? null);
  }
  columns['params'] = candidates.map((p) => ({ ...p }));
  for (const { scorer, key } of metricKeys(scoring, multimetric)) {
    for (const set of returnTrainScore ? (['test', 'train'] as const) : (['test'] as const)) {
      const scores = candidates.map((_, c) => folds(nFolds).map((f) => get(c, f)[set]?.[scorer] ?? Number.NaN));
      for (let f = 0; f < nFolds; f++) columns[`split${f}_${set}_${key}`] = scores.map((s) => s[f]);
      const stats = scores.map(meanStd);
      columns[`mean_${set}_${key}`] = stats.map((s) => s.mean);
      columns[`std_${set}_${key}`] = stats.map((s) => s.std);
      if (set === 'test') columns[`rank_test_${key}`] = rankScores(stats.map((s) => s.mean));
    }
  }
  return columns as unknown as CvResults;
}

function folds(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Parameter names over all candidates, sorted (scikit-learn's column order). */
function paramNames(candidates: readonly Params[]): string[] {
  const names = new Set<string>();
  for (const p of candidates) for (const k of Object.keys(p)) names.add(k);
  return [...names].sort();
}
