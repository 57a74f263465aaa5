/**
 * Which plots a run gets, from what it saved: the learning curve, the validation curve,
 * score vs parameter for a grid with one varying parameter, and a heatmap for two.
 */
import type { CvResults } from '../search/options.js';
import { heatmapSpec, learningCurveSpec, paramCurveSpec, scatterSpec, type CurveSeries, type VlSpec } from './specs.js';
import type { RunContents } from './types.js';

/** A plot to render: its file name in `plots/`, a title and its vega-lite spec. */
export interface PlotPlan {
  readonly file: string;
  readonly title: string;
  readonly spec: VlSpec;
}

const TRAIN = 'Training score';
/** Scatter plots drawn for a random search, at most. */
const MAX_SCATTERS = 3;
/** A parameter with at most this many values may colour a scatter. */
const MAX_GROUPS = 6;
const CV = 'Cross-validation score';

/**
 * Plans every plot that applies to a run's saved contents.
 * @example
 * ```ts
 * planPlots({ results, learningCurve }).map((p) => p.file); // ['learning_curve.svg', 'search_alpha.svg']
 * ```
 */
export function planPlots(contents: RunContents): PlotPlan[] {
  const plots: PlotPlan[] = [];
  const lc = contents.learningCurve;
  if (lc) {
    plots.push({
      file: 'learning_curve.svg', title: 'Learning curve',
      spec: learningCurveSpec(lc.trainSizes, { label: TRAIN, mean: lc.trainMean, std: lc.trainStd }, { label: CV, mean: lc.testMean, std: lc.testStd }, lc.scoring),
    });
  }
  const vc = contents.validationCurve;
  if (vc) {
    plots.push({
      file: 'validation_curve.svg', title: `Validation curve: ${vc.paramName}`,
      spec: paramCurveSpec(vc.paramName, vc.paramRange, [
        { label: TRAIN, mean: vc.trainMean, std: vc.trainStd }, { label: CV, mean: vc.testMean, std: vc.testStd },
      ], vc.scoring, `Validation curve (${vc.paramName})`),
    });
  }
  const { cvResults, refitMetric, scoring } = contents.results;
  if (cvResults) {
    const metric = refitMetric ?? scoring[0]!;
    plots.push(...(contents.results.kind === 'random' || contents.results.kind === 'halving' ? randomSearchPlots(cvResults, scoring, metric) : searchPlots(cvResults, scoring, metric)));
  }
  return plots;
}

/**
 * Column suffix of a metric in `cvResults`: its name when the search kept metric names (scoring
 * was a list), `score` when scoring was one name, as GridSearchCV names them.
 * @example
 * ```ts
 * metricKey(search.cvResults, 'r2'); // 'r2' after scoring: ['r2'], 'score' after scoring: 'r2'
 * ```
 */
export function metricKey(cvResults: CvResults, metric: string): string {
  return `mean_test_${metric}` in cvResults ? metric : 'score';
}

/**
 * Parameters whose value differs between candidates, in cvResults' (sorted) order.
 * @example
 * ```ts
 * varyingParams(search.cvResults); // ['alpha'] for a grid over alpha with fixed fitIntercept
 * ```
 */
export function varyingParams(cvResults: CvResults): string[] {
  return Object.keys(cvResults)
    .filter((c) => c.startsWith('param_'))
    .map((c) => c.slice('param_'.length))
    .filter((p) => new Set((cvResults[`param_${p}`] ?? []).map((v) => JSON.stringify(v))).size > 1);
}

function searchPlots(cvResults: CvResults, scoring: readonly string[], metric: string): PlotPlan[] {
  const key = metricKey(cvResults, metric);
  const mean = cvResults[`mean_test_${key}`] as number[] | undefined;
  const std = cvResults[`std_test_${key}`] as number[] | undefined;
  if (!mean || !std) return [];
  const varying = varyingParams(cvResults);
  if (varying.length === 1) {
    const param = varying[0]!;
    const values = cvResults[`param_${param}`]!;
    // Candidates in value order, so the line is drawn left to right.
    const order = values.map((_, i) => i).sort((a, b) => compareValues(values[a], values[b]));
    const pick = (col: readonly unknown[] | undefined): number[] => order.map((i) => Number(col?.[i] ?? Number.NaN));
    const series: CurveSeries[] = [];
    if (cvResults[`mean_train_${key}`]) series.push({ label: TRAIN, mean: pick(cvResults[`mean_train_${key}`]), std: pick(cvResults[`std_train_${key}`]) });
    series.push({ label: CV, mean: pick(mean), std: pick(std) });
    return [{
      file: `search_${safeName(param)}.svg`, title: `Search: ${metric} vs ${param}`,
      spec: paramCurveSpec(param, order.map((i) => values[i]), series, metric, `Search: mean ${metric} vs ${param}`),
    }];
  }
  if (varying.length === 2) {
    const [xParam, yParam] = varying as [string, string];
    const xs = cvResults[`param_${xParam}`]!;
    const ys = cvResults[`param_${yParam}`]!;
    const cells = mean.map((score, i) => ({ x: xs[i], y: ys[i], score }));
    return [{ file: `search_heatmap.svg`, title: `Search: ${metric} over ${xParam} × ${yParam}`, spec: heatmapSpec(xParam, yParam, cells, metric) }];
  }
  return [];
}

/** A random search samples continuous values: a scatter per numeric parameter reads better than a grid plot. */
function randomSearchPlots(cvResults: CvResults, scoring: readonly string[], metric: string): PlotPlan[] {
  const key = metricKey(cvResults, metric);
  const mean = cvResults[`mean_test_${key}`] as number[] | undefined;
  const std = cvResults[`std_test_${key}`] as number[] | undefined;
  if (!mean || !std) return [];
  const varying = varyingParams(cvResults);
  const numeric = varying.filter((p) => cvResults[`param_${p}`]!.every((v) => typeof v === 'number'));
  const distinct = (p: string): number => new Set(cvResults[`param_${p}`]!.map((v) => JSON.stringify(v))).size;
  // Sampled (many-valued) params get a scatter; few-valued ones colour it instead.
  const sampled = numeric.filter((p) => distinct(p) > MAX_GROUPS);
  return (sampled.length > 0 ? sampled : numeric).slice(0, MAX_SCATTERS).map((param) => {
    const xs = cvResults[`param_${param}`] as number[];
    // Colour by another varying parameter with few values (e.g. a list like tol or fitIntercept).
    const group = varying.find((p) => p !== param && distinct(p) <= MAX_GROUPS);
    const groups = group === undefined ? undefined : cvResults[`param_${group}`]!;
    const points = xs.map((x, i) => ({ x, score: mean[i]!, std: std[i]!, ...(groups ? { group: groups[i] } : {}) }));
    return { file: `search_${safeName(param)}.svg`, title: `Random search: ${metric} vs ${param}`, spec: scatterSpec(param, points, metric, group) };
  });
}

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

function safeName(name: string): string {
  return name.replace(/[^\w.-]/g, '_');
}
