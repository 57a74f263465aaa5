/**
 * GridSearch, learningCurve and validationCurve against scikit-learn 1.2 reference results
 * (test/fixtures/search/parity.json), on the inline executor and on worker threads.
 */
import { describe, expect, it } from 'vitest';
import { GridSearch } from '../../src/search/grid-search.js';
import { learningCurve, validationCurve } from '../../src/search/curves.js';
import { KFold } from '../../src/search/splitters.js';
import { Ridge } from '../../src/models/ridge.js';
import { dataset, maxRelDiff, parity, type GridCase } from '../helpers/parity.js';

function caseNamed(name: string): GridCase {
  return parity.grids.find((c) => c.name === name)!;
}

function scoreColumns(expected: GridCase): string[] {
  return Object.keys(expected.cvResults).filter((k) => k !== 'params');
}

describe('GridSearch matches scikit-learn GridSearchCV', () => {
  it('ridge on diabetes, r2 + neg_mean_squared_error (fast path), within 1e-9 relative', async () => {
    const expected = caseNamed('ridge_diabetes');
    const { X, y } = dataset('diabetes');
    const search = await new GridSearch(new Ridge(), expected.grid as Record<string, number[]>, {
      cv: new KFold({ nSplits: 5 }), scoring: expected.scoring as string[], refit: 'r2', returnTrainScore: true, workers: 0,
    }).fit(X, y);
    for (const column of scoreColumns(expected)) {
      expect(maxRelDiff(search.cvResults[column]!, expected.cvResults[column]!), column).toBeLessThan(1e-9);
    }
    expect(search.bestIndex).toBe(expected.bestIndex);
    expect(search.bestScore).toBeCloseTo(expected.bestScore, 12);
    const best = search.bestEstimator as Ridge;
    expect(maxRelDiff(Array.from(best.coef), expected.bestCoef)).toBeLessThan(1e-9);
  });

  it('ridge with MAE and RMSE (plain path) on two worker threads, within 1e-9 relative', async () => {
    const expected = caseNamed('ridge_diabetes_mae');
    const { X, y } = dataset('diabetes');
    const search = await new GridSearch(new Ridge(), expected.grid as Record<string, number[]>, {
      cv: 5, scoring: expected.scoring as string[], refit: 'neg_mean_absolute_error', returnTrainScore: true, workers: 2,
    }).fit(X, y);
    for (const column of scoreColumns(expected)) {
      expect(maxRelDiff(search.cvResults[column]!, expected.cvResults[column]!), column).toBeLessThan(1e-9);
    }
    expect(search.bestIndex).toBe(expected.bestIndex);
  });

  it('a list of grids with fitIntercept false, single metric named "score"', async () => {
    const expected = caseNamed('ridge_synthetic_intercept_grid');
    const { X, y } = dataset('synthetic');
    const grid = [{ alpha: [0.1, 1, 10] }, { alpha: [1], fitIntercept: [false] }];
    const search = await new GridSearch(new Ridge(), grid, { cv: new KFold({ nSplits: 4 }), scoring: 'r2', returnTrainScore: true, workers: 0 }).fit(X, y);
    for (const column of scoreColumns(expected)) {
      expect(maxRelDiff(search.cvResults[column]!, expected.cvResults[column]!), column).toBeLessThan(1e-9);
    }
    expect(search.cvResults['param_fitIntercept']).toEqual([null, null, null, false]);
    expect(search.bestIndex).toBe(expected.bestIndex);
  });
});

describe('curves match scikit-learn', () => {
  it('learningCurve with fractions (fast path) within 1e-9 relative', async () => {
    const expected = parity.learningCurve;
    const { X, y } = dataset('synthetic');
    const curve = await learningCurve(new Ridge({ alpha: 1 }), X, y, { trainSizes: expected.requested, cv: new KFold({ nSplits: 5 }), workers: 0 });
    expect(curve.trainSizes).toEqual(expected.trainSizes);
    expect(maxRelDiff(curve.testScores.flat(), expected.testScores.flat())).toBeLessThan(1e-9);
    expect(maxRelDiff(curve.trainScores.flat(), expected.trainScores.flat())).toBeLessThan(1e-9);
    expect(curve.fitTimes.flat().every((t) => t >= 0)).toBe(true);
  });

  it('learningCurve with counts and MAE (plain path) on worker threads within 1e-9 relative', async () => {
    const expected = parity.learningCurveCounts;
    const { X, y } = dataset('diabetes');
    const curve = await learningCurve(new Ridge({ alpha: 1 }), X, y, {
      trainSizes: expected.requested, cv: 5, scoring: expected.scoring, workers: 2,
    });
    expect(curve.trainSizes).toEqual(expected.trainSizes);
    expect(maxRelDiff(curve.testScores.flat(), expected.testScores.flat())).toBeLessThan(1e-9);
    expect(maxRelDiff(curve.trainScores.flat(), expected.trainScores.flat())).toBeLessThan(1e-9);
  });

  it('validationCurve over alpha within 1e-9 relative', async () => {
    const expected = parity.validationCurve;
    const { X, y } = dataset('diabetes');
    const curve = await validationCurve(new Ridge(), X, y, 'alpha', expected.values, { cv: 5, workers: 0 });
    expect(maxRelDiff(curve.testScores.flat(), expected.testScores.flat())).toBeLessThan(1e-9);
    expect(maxRelDiff(curve.trainScores.flat(), expected.trainScores.flat())).toBeLessThan(1e-9);
  });
});
