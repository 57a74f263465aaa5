/**
 * Searches over an X mapped in many row windows (a tiny MEMGRID_MAP_WINDOW_BYTES, inherited by
 * the worker threads) give scikit-learn's answers, as on one window: the ridge plan and the
 * logistic solver stream over windows.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ndarray, rowWindows, type NdArray } from '../../src/data/ndarray.js';
import { openNpy, saveNpy } from '../../src/data/npy.js';
import { DataError } from '../../src/errors.js';
import type { FloatMatrix } from '../../src/models/estimator.js';
import { LogisticRegression } from '../../src/models/logistic.js';
import { makePipeline } from '../../src/models/pipeline.js';
import { Ridge } from '../../src/models/ridge.js';
import { StandardScaler } from '../../src/models/standard-scaler.js';
import { learningCurve } from '../../src/search/curves.js';
import { GridSearch } from '../../src/search/grid-search.js';
import { KFold, StratifiedKFold } from '../../src/search/splitters.js';
import { converged } from '../models/logistic-fixtures.js';
import { dataset, maxRelDiff, parity } from '../helpers/parity.js';
import { pipelineData, pipelines, scoreColumnsDiff, searchRef } from '../helpers/pipelines.js';

/** 7 rows of diabetes' 10 float64 columns (80 bytes each) per window: 64 windows, rows straddle pages. */
const WINDOW_BYTES = '560';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memgrid-windowed-'));
const saved = process.env.MEMGRID_MAP_WINDOW_BYTES;

/** `X` and `y` saved as `.npy` and mapped read-only (X in windows). */
function mapped(name: string, X: NdArray, y: NdArray): { X: FloatMatrix; y: NdArray } {
  saveNpy(path.join(dir, `${name}-X.npy`), X);
  saveNpy(path.join(dir, `${name}-y.npy`), y);
  return { X: openNpy(path.join(dir, `${name}-X.npy`), { mode: 'r' }) as FloatMatrix, y: openNpy(path.join(dir, `${name}-y.npy`), { mode: 'r' }) };
}

beforeAll(() => {
  process.env.MEMGRID_MAP_WINDOW_BYTES = WINDOW_BYTES;
});
afterAll(() => {
  if (saved === undefined) delete process.env.MEMGRID_MAP_WINDOW_BYTES;
  else process.env.MEMGRID_MAP_WINDOW_BYTES = saved;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('searches over an X in many row windows', () => {
  it('ridge grid on two threads matches GridSearchCV within 1e-9 relative', async () => {
    const expected = parity.grids.find((c) => c.name === 'ridge_diabetes')!;
    const diabetes = dataset('diabetes');
    const { X, y } = mapped('diabetes', diabetes.X, diabetes.y);
    expect(rowWindows(X).length).toBe(Math.ceil(X.shape[0]! / 7));
    const search = await new GridSearch(new Ridge(), expected.grid as Record<string, number[]>, {
      cv: new KFold({ nSplits: 5 }), scoring: expected.scoring as string[], refit: 'r2', returnTrainScore: true, workers: 2,
    }).fit(X, y);
    for (const column of Object.keys(expected.cvResults).filter((k) => k !== 'params')) {
      expect(maxRelDiff(search.cvResults[column]!, expected.cvResults[column]!), column).toBeLessThan(1e-9);
    }
    expect(maxRelDiff(Array.from((search.bestEstimator as Ridge).coef), expected.bestCoef)).toBeLessThan(1e-9);
  });

  it('ridge learning curve (prefix statistics) inline matches learning_curve within 1e-9 relative', async () => {
    const expected = parity.learningCurve;
    const synthetic = dataset('synthetic');
    const { X, y } = mapped('synthetic', synthetic.X, synthetic.y);
    expect(rowWindows(X).length).toBeGreaterThan(1);
    const curve = await learningCurve(new Ridge({ alpha: 1 }), X, y, { trainSizes: expected.requested, cv: new KFold({ nSplits: 5 }), workers: 0 });
    expect(curve.trainSizes).toEqual(expected.trainSizes);
    expect(maxRelDiff(curve.testScores.flat(), expected.testScores.flat())).toBeLessThan(1e-9);
    expect(maxRelDiff(curve.trainScores.flat(), expected.trainScores.flat())).toBeLessThan(1e-9);
  });

  it('ridge with MAE and RMSE (the plain path: a fit per candidate and fold) matches GridSearchCV within 1e-9 relative', async () => {
    const expected = parity.grids.find((c) => c.name === 'ridge_diabetes_mae')!;
    const diabetes = dataset('diabetes');
    const { X, y } = mapped('diabetes-mae', diabetes.X, diabetes.y);
    const search = await new GridSearch(new Ridge(), expected.grid as Record<string, number[]>, {
      cv: 5, scoring: expected.scoring as string[], refit: 'neg_mean_absolute_error', returnTrainScore: true, workers: 0,
    }).fit(X, y);
    for (const column of Object.keys(expected.cvResults).filter((k) => k !== 'params')) {
      expect(maxRelDiff(search.cvResults[column]!, expected.cvResults[column]!), column).toBeLessThan(1e-9);
    }
  });

  it('Ridge fits and predicts on windowed X as on X in memory: all rows, and a shuffled row list with repeats', () => {
    const diabetes = dataset('diabetes');
    const { X, y } = mapped('direct', diabetes.X, diabetes.y);
    const rows = Int32Array.from({ length: 300 }, (_, i) => (i * 137 + 11) % 442);
    for (const subset of [undefined, rows]) {
      const inMemory = new Ridge({ alpha: 0.3 }).fit(diabetes.X, diabetes.y, subset);
      const windowed = new Ridge({ alpha: 0.3 }).fit(X, y, subset);
      expect(maxRelDiff(Array.from(windowed.coef), Array.from(inMemory.coef))).toBeLessThan(1e-12);
      expect(maxRelDiff(Array.from(windowed.predict(X, subset)), Array.from(inMemory.predict(diabetes.X, subset)))).toBeLessThan(1e-12);
    }
  });

  it('sample weights on a windowed X (and windowed weights): Ridge, and a weighted pipeline search on threads, match scikit-learn', async () => {
    const diabetes = pipelineData('diabetes');
    const { X, y } = mapped('weighted', diabetes.X, diabetes.y);
    saveNpy(path.join(dir, 'weighted-w.npy'), ndarray('float64', [442], Float64Array.from(pipelines.ridgeWeights.weights)));
    const weights = openNpy(path.join(dir, 'weighted-w.npy'), { mode: 'r' });
    expect(rowWindows(weights).length).toBeGreaterThan(1);
    const [ridgeRef] = pipelines.ridgeWeights.cases;
    const model = new Ridge({ alpha: ridgeRef!.alpha, fitIntercept: ridgeRef!.fitIntercept }).fit(X, y, { sampleWeight: weights });
    expect(maxRelDiff(Array.from(model.coef), ridgeRef!.coef)).toBeLessThan(1e-9);
    expect(maxRelDiff([model.intercept], ridgeRef!.intercept)).toBeLessThan(1e-9);

    const ref = searchRef('pipeline ridge weighted step');
    const search = await new GridSearch(makePipeline(new StandardScaler(), new Ridge()), { ridge__alpha: [0.01, 0.3, 10, 300] }, {
      cv: new KFold({ nSplits: 5 }), scoring: 'r2', workers: 2,
    }).fit(X, y, { ridge__sampleWeight: diabetes.w! });
    expect(scoreColumnsDiff(search.cvResults, ref.cvResults)).toBeLessThan(1e-9);
    expect(maxRelDiff(Array.from(search.predict(X, Int32Array.from(pipelines.predictRows))), ref.predict)).toBeLessThan(1e-9);
  });

  it('StandardScaler and a scaler + Ridge pipeline on the plain path (MAE) read a windowed X as X in memory', async () => {
    const diabetes = pipelineData('diabetes');
    const { X, y } = mapped('scaled', diabetes.X, diabetes.y);
    const rows = Int32Array.from({ length: 300 }, (_, i) => (i * 137 + 11) % 442);
    for (const options of [undefined, { rows, sampleWeight: diabetes.w! }]) {
      const windowed = new StandardScaler().fit(X, undefined, options);
      const inMemory = new StandardScaler().fit(diabetes.X, undefined, options);
      // A row list is summed window by window (its order within each): equal to rounding.
      expect(maxRelDiff(Array.from(windowed.mean), Array.from(inMemory.mean))).toBeLessThan(1e-13);
      expect(maxRelDiff(Array.from(windowed.var), Array.from(inMemory.var))).toBeLessThan(1e-13);
    }
    const search = (data: { X: FloatMatrix; y: NdArray }) => new GridSearch(makePipeline(new StandardScaler(), new Ridge()), { ridge__alpha: [0.3, 30] }, {
      cv: 5, scoring: 'neg_mean_absolute_error', workers: 0,
    }).fit(data.X, data.y, { ridge__sampleWeight: diabetes.w! });
    const [windowed, inMemory] = [await search({ X, y }), await search(diabetes)];
    expect(maxRelDiff(windowed.cvResults['mean_test_score']!, inMemory.cvResults['mean_test_score']!)).toBeLessThan(1e-12);
    expect(() => new StandardScaler().fit(X).transform(X)).toThrow(DataError);
  });

  it('a NaN in a late window is a DataError naming its row of X, not of the window', async () => {
    const diabetes = dataset('diabetes');
    const data = new Float64Array(diabetes.X.data);
    data[400 * 10 + 3] = Number.NaN;
    const { X, y } = mapped('nan', { ...diabetes.X, data }, diabetes.y);
    await expect(new GridSearch(new Ridge(), { alpha: [1] }, { cv: 3, workers: 0 }).fit(X, y)).rejects.toThrow(
      new DataError('X contains NaN at row 400, column 3: values must be finite'),
    );
  });

  it('a logistic search finds a ±Inf in a mapped X through the store\'s mapping and names its row of X', async () => {
    const cancer = converged.datasets['breast_cancer']!;
    const values = Float64Array.from(cancer.X.flat());
    values[500 * 30 + 29] = Number.POSITIVE_INFINITY;
    const { X, y } = mapped('logistic-inf', ndarray('float64', [cancer.X.length, 30], values), ndarray('float64', [cancer.y.length], Float64Array.from(cancer.y)));
    await expect(new GridSearch(new LogisticRegression(), { C: [0.1, 1] }, { cv: new StratifiedKFold({ nSplits: 3 }), workers: 0 }).fit(X, y))
      .rejects.toThrow(new DataError('X contains Infinity at row 500, column 29: values must be finite'));
  });

  it('logistic grid (the path plan) on two threads gives the in-memory search\'s numbers', async () => {
    const cancer = converged.datasets['breast_cancer']!;
    const X0 = ndarray('float64', [cancer.X.length, 30], Float64Array.from(cancer.X.flat()));
    const y0 = ndarray('float64', [cancer.y.length], Float64Array.from(cancer.y));
    const { X, y } = mapped('logistic', X0, y0);
    expect(rowWindows(X).length).toBeGreaterThan(100);
    const grid = { C: [0.01, 1, 100] };
    const options = { cv: new StratifiedKFold({ nSplits: 5 }), scoring: ['neg_log_loss', 'accuracy'], refit: 'neg_log_loss', workers: 2 };
    const windowed = await new GridSearch(new LogisticRegression({ tol: 1e-8 }), grid, options).fit(X, y);
    const whole = await new GridSearch(new LogisticRegression({ tol: 1e-8 }), grid, options).fit(X0, y0);
    // Sums over windows group rows differently from one pass: equal to rounding at the solver's precision.
    expect(maxRelDiff(windowed.cvResults['mean_test_neg_log_loss']!, whole.cvResults['mean_test_neg_log_loss']!)).toBeLessThan(1e-10);
    expect(windowed.cvResults['mean_test_accuracy']).toEqual(whole.cvResults['mean_test_accuracy']);
    const w = windowed.bestEstimator as LogisticRegression;
    expect(maxRelDiff(Array.from(w.predictProba(X)), Array.from((whole.bestEstimator as LogisticRegression).predictProba(X0)))).toBeLessThan(1e-9);
  });
});
