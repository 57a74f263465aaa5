/** Small run contents for report tests: a one-parameter search with a learning curve, and a two-parameter one. */
import type { LearningCurveFile, RunContents, RunResults } from '../../src/report/types.js';
import type { CvResults } from '../../src/search/options.js';
import { paramColumn } from '../../src/search/results.js';

const alphas = [0.01, 0.1, 1, 10, 100];

function cvResults(params: Record<string, number | boolean>[], means: number[]): CvResults {
  const n = params.length;
  const names = [...new Set(params.flatMap((p) => Object.keys(p)))].sort();
  const columns: Record<string, unknown[]> = {
    mean_fit_time: params.map(() => 0.002), std_fit_time: params.map(() => 0.0001),
    mean_score_time: params.map(() => 0.0005), std_score_time: params.map(() => 0.00002),
  };
  for (const name of names) columns[paramColumn(name)] = params.map((p) => p[name]);
  columns.params = params;
  for (let f = 0; f < 3; f++) columns[`split${f}_test_score`] = means.map((m) => m + (f - 1) * 0.01);
  columns.mean_test_score = means;
  columns.std_test_score = means.map(() => 0.0082);
  const sorted = [...means].sort((a, b) => b - a);
  columns.rank_test_score = means.map((m) => 1 + sorted.indexOf(m));
  columns.mean_train_score = means.map((m) => m + 0.02);
  columns.std_train_score = means.map(() => 0.004);
  void n;
  return columns as unknown as CvResults;
}

const results = (cv: CvResults, bestIndex: number): RunResults => ({
  name: 'report-test', config: '/tmp/report-test.json', createdAt: '2025-01-01T00:00:00.000Z',
  model: { name: 'ridge', params: {} },
  data: { source: 'synthetic regression (200 samples, 5 features, seed 0)', shape: [200, 5], dtype: 'float64', hash: 'abcdef0123456789' },
  kind: 'grid', scoring: ['r2'], refit: true, refitMetric: 'r2',
  bestParams: cv.params[bestIndex]!, bestScore: (cv.mean_test_score as number[])[bestIndex]!, bestIndex,
  bestEstimator: { coef: [1, 2, 3, 4, 5], intercept: 0.5 },
  cvResults: cv,
  timings: { search: 0.12, refit: 0.001, total: 0.3 },
  fits: { total: 15, restored: 0 },
  memory: {
    datasetBytes: 9600, coordinator: { host: 'node-1', rss: 1e8, heapUsed: 2e7 },
    workers: [{ worker: 'node-1/4242/1', host: 'node-1', datasetResident: 9600, heapUsed: 5e6 }],
    hosts: [{ host: 'node-1', totalBytes: 2 ** 34, freeBytes: 2 ** 33 }],
  },
});

const learningCurve: LearningCurveFile = {
  trainSizes: [16, 53, 90, 127, 160], scoring: 'r2', params: { alpha: 1 },
  trainScores: [[0.99, 0.98, 0.99], [0.97, 0.96, 0.97], [0.96, 0.96, 0.95], [0.95, 0.95, 0.96], [0.95, 0.95, 0.95]],
  testScores: [[0.6, 0.7, 0.65], [0.85, 0.88, 0.86], [0.9, 0.91, 0.9], [0.92, 0.93, 0.92], [0.93, 0.93, 0.94]],
  fitTimes: [[0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]], scoreTimes: [[0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]],
  trainMean: [0.987, 0.967, 0.957, 0.953, 0.95], trainStd: [0.005, 0.005, 0.005, 0.005, 0.001],
  testMean: [0.65, 0.863, 0.903, 0.923, 0.933], testStd: [0.04, 0.012, 0.005, 0.005, 0.005],
};

/** A ridge alpha grid with a learning curve. */
export const oneParam: RunContents = {
  results: results(cvResults(alphas.map((alpha) => ({ alpha })), [0.93, 0.931, 0.935, 0.92, 0.7]), 2),
  learningCurve,
};

/** A two-parameter grid (heatmap). */
export const twoParams: RunContents = {
  results: results(cvResults(
    alphas.flatMap((alpha) => [true, false].map((fitIntercept) => ({ alpha, fitIntercept }))),
    alphas.flatMap((_, i) => [0.9 - i * 0.05, 0.8 - i * 0.05]),
  ), 0),
};
