import { describe, expect, it } from 'vitest';
import { toFloat64 } from '../../src/data/ndarray.js';
import { makeClassification, makeRegression } from '../../src/data/synthetic.js';
import { ValueError } from '../../src/errors.js';
import { LogisticRegression } from '../../src/models/logistic.js';
import { Ridge } from '../../src/models/ridge.js';
import { crossValidate, crossValPredict, crossValScore } from '../../src/search/cross-validate.js';
import { ShuffleSplit } from '../../src/search/shuffle-split.js';
import { KFold, StratifiedKFold } from '../../src/search/splitters.js';

const regression = makeRegression({ nSamples: 200, nFeatures: 4, noise: 2, seed: 8 });
const classification = makeClassification({ nSamples: 150, nFeatures: 3, nClasses: 3, seed: 9 });

describe('crossValidate and crossValScore', () => {
  it('score each fold as a fit on its training rows would, with scikit-learn\'s keys', async () => {
    const cv = new KFold({ nSplits: 4, shuffle: true, seed: 0 });
    const result = await crossValidate(new Ridge({ alpha: 2 }), regression.X, regression.y, {
      cv, scoring: ['r2', 'neg_mean_squared_error'], returnTrainScore: true, returnEstimator: true, workers: 0,
    });
    expect(Object.keys(result).sort()).toEqual(
      ['estimator', 'fit_time', 'score_time', 'test_neg_mean_squared_error', 'test_r2', 'train_neg_mean_squared_error', 'train_r2']);
    const folds = cv.split(200);
    folds.forEach((fold, k) => {
      const model = new Ridge({ alpha: 2 }).fit(regression.X, regression.y, fold.train);
      expect(result['test_r2']![k]).toBeCloseTo(model.score(regression.X, regression.y, fold.test), 10);
      expect(result['train_r2']![k]).toBeCloseTo(model.score(regression.X, regression.y, fold.train), 10);
      expect(Array.from(result.estimator![k]!.state().coef.data)).toEqual(Array.from(model.state().coef.data));
    });
    const scores = await crossValScore(new Ridge({ alpha: 2 }), regression.X, regression.y, { cv, workers: 0 });
    expect(scores).toEqual(result['test_r2']);
  });

  it('takes one scorer in crossValScore', async () => {
    await expect(crossValScore(new Ridge(), regression.X, regression.y, { scoring: ['r2'] as never, workers: 0 }))
      .rejects.toThrow(new ValueError('crossValScore takes one scorer name; use crossValidate for several'));
  });
});

describe('crossValPredict', () => {
  it('predicts each row with the model fitted without its fold', () => {
    const cv = new KFold({ nSplits: 5 });
    const got = crossValPredict(new Ridge(), regression.X, regression.y, { cv });
    for (const fold of cv.split(200)) {
      const want = new Ridge().fit(regression.X, regression.y, fold.train).predict(regression.X, fold.test);
      fold.test.forEach((row, r) => expect(got[row]).toBe(want[r]));
    }
  });

  it('gives out-of-fold probabilities, one column per class', () => {
    const cv = new StratifiedKFold({ nSplits: 3 });
    const proba = crossValPredict(new LogisticRegression(), classification.X, classification.y, { cv, method: 'predictProba' });
    expect(proba).toHaveLength(150 * 3);
    const labels = toFloat64(classification.y);
    for (const fold of cv.split(150, labels)) {
      const want = new LogisticRegression().fit(classification.X, classification.y, fold.train).predictProba(classification.X, fold.test);
      fold.test.forEach((row, r) => {
        for (let c = 0; c < 3; c++) expect(proba[row * 3 + c]).toBe(want[r * 3 + c]);
      });
    }
  });

  it('needs a partition', () => {
    expect(() => crossValPredict(new Ridge(), regression.X, regression.y, { cv: new ShuffleSplit({ nSplits: 2 }) })).toThrow(
      new ValueError('crossValPredict needs folds that test every row exactly once (a partition, such as KFold); these do not'));
    expect(() => crossValPredict(new Ridge(), regression.X, regression.y, { method: 'predictProba' })).toThrow(
      'options.method predictProba needs a classifier, found ridge');
  });
});
