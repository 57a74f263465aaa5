/**
 * GridSearch, learningCurve and validationCurve against scikit-learn 1.2 reference results
 * (test/fixtures/search/parity.json), on the inline executor and on worker threads.
 */
import { describe, expect, it } from 'vitest';
import { createExecutor } from '../../src/search/engine.js';
import { GridSearch } from '../../src/search/grid-search.js';
import { learningCurve, validationCurve } from '../../src/search/curves.js';
import { KFold } from '../../src/search/splitters.js';
import { Ridge } from '../../src/models/ridge.js';
import { CountingExecutor } from '../helpers/counting-executor.js';
import { dataset, maxRelDiff, parity, type GridCase } from '../helpers/parity.js';

function caseNamed(name: string): GridCase {
  return parity.grids.find((c) => c.name === name)!;
}

function scoreColumns(expected: GridCase): string[] {
  return Object.keys(expected.cvResults).filter((k) => k !== 'params');
}

/** scikit-learn's spelling of memgrid's param names, for the fixtures' `params`. */
const SKLEARN_PARAM: Readonly<Record<string, string>> = { alpha: 'alpha', fitIntercept: 'fit_intercept' };

/**
 * A ridge search against scikit-learn's: every column the fixture holds (split, mean, std and
 * rank of each metric, test and train) within 1e-9 relative (both sides solve the same normal
 * equations; they differ by rounding), the same params and best candidate, and the refit's
 * coefficients and intercept within 1e-9 relative.
 */
function expectRidgeParity(search: GridSearch, expected: GridCase): void {
  for (const column of scoreColumns(expected)) {
    expect(search.cvResults[column], column).toHaveLength(expected.cvResults[column]!.length);
    expect(maxRelDiff(search.cvResults[column]!, expected.cvResults[column]!), column).toBeLessThan(1e-9);
  }
  const params = search.cvResults.params.map((p) => Object.fromEntries(Object.entries(p).map(([k, v]) => [SKLEARN_PARAM[k] ?? k, v])));
  expect(params).toEqual(expected.cvResults['params']);
  expect(search.bestIndex).toBe(expected.bestIndex);
  expect(maxRelDiff([search.bestScore], [expected.bestScore])).toBeLessThan(1e-9);
  const best = search.bestEstimator as Ridge;
  expect(maxRelDiff(Array.from(best.coef), expected.bestCoef)).toBeLessThan(1e-9);
  expect(maxRelDiff([best.intercept], expected.bestIntercept)).toBeLessThan(1e-9);
}

describe('GridSearch matches scikit-learn GridSearchCV', () => {
  it('ridge on diabetes, r2 + neg_mean_squared_error (statistics plan), every column within 1e-9 relative', async () => {
    const expected = caseNamed('ridge_diabetes');
    const { X, y } = dataset('diabetes');
    const executor = new CountingExecutor();
    const search = await new GridSearch(new Ridge(), expected.grid as Record<string, number[]>, {
      cv: new KFold({ nSplits: 5 }), scoring: expected.scoring as string[], refit: 'r2', returnTrainScore: true, executor,
    }).fit(X, y);
    expect(executor.kinds()).toEqual(['ridge-stats']);
    expectRidgeParity(search, expected);
  });

  it('ridge with MAE and RMSE (plain plan) on two worker threads, every column within 1e-9 relative', async () => {
    const expected = caseNamed('ridge_diabetes_mae');
    const { X, y } = dataset('diabetes');
    const executor = new CountingExecutor(createExecutor(2));
    try {
      const search = await new GridSearch(new Ridge(), expected.grid as Record<string, number[]>, {
        cv: 5, scoring: expected.scoring as string[], refit: 'neg_mean_absolute_error', returnTrainScore: true, executor,
      }).fit(X, y);
      expect(executor.kinds()).toEqual(['cv']);
      expectRidgeParity(search, expected);
    } finally {
      await executor.close();
    }
  });

  it('a list of grids with fitIntercept false, single metric named "score", param columns spelt as scikit-learn\'s', async () => {
    const expected = caseNamed('ridge_synthetic_intercept_grid');
    const { X, y } = dataset('synthetic');
    const grid = [{ alpha: [0.1, 1, 10] }, { alpha: [1], fitIntercept: [false] }];
    const executor = new CountingExecutor();
    const search = await new GridSearch(new Ridge(), grid, { cv: new KFold({ nSplits: 4 }), scoring: 'r2', returnTrainScore: true, executor }).fit(X, y);
    // The statistics plan fits a candidate without an intercept from the same statistics (uncentred about its shift).
    expect(executor.kinds()).toEqual(['ridge-stats']);
    expectRidgeParity(search, expected);
    expect(search.cvResults['param_alpha']).toEqual([0.1, 1, 10, 1]);
    expect(search.cvResults['param_fit_intercept']).toEqual([null, null, null, false]);
    expect(search.cvResults['param_fitIntercept']).toBeUndefined();
    expect(search.cvResults.params[3]).toEqual({ alpha: 1, fitIntercept: false });
    expect(search.bestParams).toEqual(search.cvResults.params[search.bestIndex]);
  });
});

describe('curves match scikit-learn', () => {
  it('learningCurve with fractions (statistics plan) within 1e-9 relative', async () => {
    const expected = parity.learningCurve;
    const { X, y } = dataset('synthetic');
    const executor = new CountingExecutor();
    const curve = await learningCurve(new Ridge({ alpha: 1 }), X, y, { trainSizes: expected.requested, cv: new KFold({ nSplits: 5 }), executor });
    expect(executor.kinds()).toEqual(['ridge-stats']);
    expect(curve.trainSizes).toEqual(expected.trainSizes);
    expect(maxRelDiff(curve.testScores.flat(), expected.testScores.flat())).toBeLessThan(1e-9);
    expect(maxRelDiff(curve.trainScores.flat(), expected.trainScores.flat())).toBeLessThan(1e-9);
    expect(curve.fitTimes.map((row) => row.length)).toEqual(expected.trainSizes.map(() => 5));
    expect(curve.fitTimes.flat().every((t) => Number.isFinite(t) && t >= 0)).toBe(true);
  });

  it('learningCurve with counts and MAE (plain plan) on worker threads within 1e-9 relative', async () => {
    const expected = parity.learningCurveCounts;
    const { X, y } = dataset('diabetes');
    const executor = new CountingExecutor(createExecutor(2));
    try {
      const curve = await learningCurve(new Ridge({ alpha: 1 }), X, y, {
        trainSizes: expected.requested, cv: 5, scoring: expected.scoring, executor,
      });
      expect(executor.kinds()).toEqual(['cv']);
      expect(curve.trainSizes).toEqual(expected.trainSizes);
      expect(maxRelDiff(curve.testScores.flat(), expected.testScores.flat())).toBeLessThan(1e-9);
      expect(maxRelDiff(curve.trainScores.flat(), expected.trainScores.flat())).toBeLessThan(1e-9);
    } finally {
      await executor.close();
    }
  });

  it('validationCurve over alpha (statistics plan) within 1e-9 relative', async () => {
    const expected = parity.validationCurve;
    const { X, y } = dataset('diabetes');
    const executor = new CountingExecutor();
    const curve = await validationCurve(new Ridge(), X, y, 'alpha', expected.values, { cv: 5, executor });
    expect(executor.kinds()).toEqual(['ridge-stats']);
    expect(maxRelDiff(curve.testScores.flat(), expected.testScores.flat())).toBeLessThan(1e-9);
    expect(maxRelDiff(curve.trainScores.flat(), expected.trainScores.flat())).toBeLessThan(1e-9);
  });
});
