/** cvResults' columns: scikit-learn's names for params, and its ranking rule. */
import { describe, expect, it } from 'vitest';
import type { Params } from '../../src/models/estimator.js';
import { buildCvResults, paramColumn, rankScores } from '../../src/search/results.js';

describe('param columns', () => {
  it.each([
    ['alpha', 'param_alpha'],
    ['fitIntercept', 'param_fit_intercept'],
    ['maxIter', 'param_max_iter'],
    ['classWeight', 'param_class_weight'],
    ['l1Ratio', 'param_l1_ratio'],
    ['C', 'param_C'],
    ['logisticregression__C', 'param_logisticregression__C'],
    ['standardscaler__withMean', 'param_standardscaler__with_mean'],
  ])('%s is spelt %s', (name, column) => {
    expect(paramColumn(name)).toBe(column);
  });

  it('buildCvResults names param columns scikit-learn\'s way and keeps memgrid\'s names in params', () => {
    const candidates: Params[] = [{ alpha: 1 }, { alpha: 2, fitIntercept: false }];
    const records = candidates.flatMap((_, candidate) => [0, 1].map((fold) => ({ candidate, fold, test: { r2: candidate + fold / 10 }, fitTime: 0, scoreTime: 0 })));
    const cv = buildCvResults(candidates, 2, ['r2'], records, false);
    expect(Object.keys(cv).filter((k) => k.startsWith('param'))).toEqual(['param_alpha', 'param_fit_intercept', 'params']);
    expect(cv['param_fit_intercept']).toEqual([null, false]);
    expect(cv.params).toEqual(candidates);
    expect(cv['mean_test_score']).toEqual([0.05, 1.05]);
  });
});

describe('rankScores', () => {
  it('ranks higher means first, ties share the lowest rank, NaN ranks last', () => {
    expect(rankScores([0.5, 0.9, 0.5, Number.NaN])).toEqual([2, 1, 2, 4]);
    expect(rankScores([Number.NaN, Number.NaN])).toEqual([1, 1]);
  });
});
