import { describe, expect, it } from 'vitest';
import { ndarray, type NdArray } from '../../src/data/ndarray.js';
import { ValueError } from '../../src/errors.js';
import type { Classifier, Estimator, FloatMatrix, Params, Rows } from '../../src/models/estimator.js';
import { accuracy, logLoss, meanSquaredError, r2, rocAuc } from '../../src/search/metrics.js';
import { SCORERS, getScorer, labelsAt, resolveScoring } from '../../src/search/scorers.js';

/** Picks `rows` (or all) of a per-row vector. */
const pick = (v: Float64Array, rows: Rows, width = 1): Float64Array => {
  if (rows === undefined) return v.slice();
  const out = new Float64Array(rows.length * width);
  rows.forEach((r, i) => out.set(v.subarray(r * width, (r + 1) * width), i * width));
  return out;
};

/** A fake fitted model whose outputs are fixed per row: enough to test scorers without src/models. */
function fake(kind: 'regressor' | 'classifier', outputs: { predict: Float64Array; proba?: Float64Array; decision?: Float64Array }): Classifier {
  const base = {
    name: kind === 'regressor' ? 'ridge' : 'logistic',
    kind,
    fitted: true,
    classes: Float64Array.from([0, 1]),
    fit() { return this; },
    predict: (_X: FloatMatrix, rows?: Rows) => pick(outputs.predict, rows),
    predictProba: (_X: FloatMatrix, rows?: Rows) => pick(outputs.proba!, rows, 2),
    decisionFunction: (_X: FloatMatrix, rows?: Rows) => pick(outputs.decision!, rows),
    score: () => Number.NaN,
    getParams: (): Params => ({}),
    setParams() { return this; },
    clone() { return this as unknown as Estimator; },
    state: () => { throw new Error('not needed'); },
  };
  return base as unknown as Classifier;
}

const X = ndarray('float64', [6, 1]);
const yReg = ndarray('float64', [6], Float64Array.from([1, 2, 3, 4, 5, 6]));
const predReg = Float64Array.from([1.5, 2, 2.5, 4, 6, 5]);
const yCls: NdArray = ndarray('int32', [6], Int32Array.from([0, 1, 1, 0, 1, 0]));
const yClsF = Float64Array.from([0, 1, 1, 0, 1, 0]);
const decision = Float64Array.from([-2, 0.5, 1, 0.5, -0.1, -1]);
const proba = Float64Array.from([...decision].flatMap((d) => [1 / (1 + Math.exp(d)), 1 / (1 + Math.exp(-d))]));
const classifier = fake('classifier', { predict: Float64Array.from([0, 1, 1, 1, 0, 0]), proba, decision });
const regressor = fake('regressor', { predict: predReg });

describe('scorers', () => {
  it('score regressors with the metric and scikit-learn\'s sign', () => {
    expect(getScorer('r2').score(regressor, X, yReg)).toBe(r2(yReg.data, predReg));
    const mse = getScorer('neg_mean_squared_error');
    expect(mse.greaterIsBetter).toBe(false);
    expect(mse.score(regressor, X, yReg)).toBe(-meanSquaredError(yReg.data, predReg));
    expect(getScorer('neg_root_mean_squared_error').score(regressor, X, yReg)).toBeCloseTo(-Math.sqrt(meanSquaredError(yReg.data, predReg)), 15);
  });

  it('score only the given rows', () => {
    const rows = Int32Array.from([5, 1, 3]);
    const want = -meanSquaredError(Float64Array.from([6, 2, 4]), Float64Array.from([5, 2, 4]));
    expect(getScorer('neg_mean_squared_error').score(regressor, X, yReg, rows)).toBe(want);
    expect(getScorer('neg_mean_absolute_error').score(regressor, X, yReg, rows)).toBeCloseTo(-1 / 3, 15);
  });

  it('score classifiers from predictions, probabilities and decision values', () => {
    expect(getScorer('accuracy').score(classifier, X, yCls)).toBe(accuracy(yClsF, Float64Array.from([0, 1, 1, 1, 0, 0])));
    expect(getScorer('neg_log_loss').needs).toBe('proba');
    expect(getScorer('neg_log_loss').score(classifier, X, yCls)).toBe(-logLoss(yClsF, proba));
    expect(getScorer('roc_auc').needs).toBe('decision');
    expect(getScorer('roc_auc').score(classifier, X, yCls)).toBe(rocAuc(yClsF, decision));
    expect(getScorer('f1').score(classifier, X, yCls)).toBeCloseTo(2 / 3, 15);
    expect(getScorer('balanced_accuracy').score(classifier, X, yCls)).toBeCloseTo(2 / 3, 15);
  });

  it('log loss uses the classifier\'s classes, so a fold missing a class still scores', () => {
    const rows = Int32Array.from([1, 2]); // both class 1
    const want = -logLoss(Float64Array.from([1, 1]), pick(proba, rows, 2), Float64Array.from([0, 1]));
    expect(getScorer('neg_log_loss').score(classifier, X, yCls, rows)).toBe(want);
  });

  it('refuse probability scorers on regressors', () => {
    expect(() => getScorer('roc_auc').score(regressor, X, yReg)).toThrow(/needs a classifier, found the regressor 'ridge'/);
  });

  it('are plain frozen objects with scikit-learn names', () => {
    expect([...SCORERS.keys()].sort()).toEqual([
      'accuracy', 'balanced_accuracy', 'f1', 'neg_log_loss', 'neg_mean_absolute_error', 'neg_mean_squared_error',
      'neg_root_mean_squared_error', 'r2', 'roc_auc',
    ]);
    expect(Object.isFrozen(getScorer('r2'))).toBe(true);
  });
});

describe('getScorer and resolveScoring', () => {
  it('suggest near misses and list valid names', () => {
    const valid = 'valid names: r2, neg_mean_squared_error, neg_root_mean_squared_error, neg_mean_absolute_error, accuracy, balanced_accuracy, neg_log_loss, roc_auc, f1';
    expect(() => getScorer('acuracy')).toThrow(new ValueError(`unknown scoring "acuracy" (did you mean "accuracy"?); ${valid}`));
    expect(() => getScorer('mean_squared_error')).toThrow(new ValueError(`unknown scoring "mean_squared_error" (did you mean "neg_mean_squared_error"?); ${valid}`));
    expect(() => getScorer('neg_mean_square_error')).toThrow(new ValueError(`unknown scoring "neg_mean_square_error" (did you mean "neg_mean_squared_error"?); ${valid}`));
    expect(() => getScorer('MAE')).toThrow(new ValueError(`unknown scoring "MAE" (did you mean "neg_mean_absolute_error"?); ${valid}`));
    expect(() => getScorer('constructor')).toThrow(new ValueError(`unknown scoring "constructor"; ${valid}`));
    expect(() => getScorer('banana')).toThrow(new ValueError(`unknown scoring "banana"; ${valid}`));
  });

  it('default to the estimator\'s own score', () => {
    expect(resolveScoring(undefined, 'regressor')).toEqual(['r2']);
    expect(resolveScoring(undefined, 'classifier')).toEqual(['accuracy']);
    expect(resolveScoring('roc_auc', 'classifier')).toEqual(['roc_auc']);
    expect(resolveScoring(['r2', 'neg_mean_absolute_error'], 'regressor')).toEqual(['r2', 'neg_mean_absolute_error']);
  });

  it('refuse empty lists, duplicates and classification scorers for regressors', () => {
    expect(() => resolveScoring([], 'regressor')).toThrow(/non-empty list/);
    expect(() => resolveScoring(['r2', 'r2'], 'regressor')).toThrow(/lists 'r2' twice/);
    expect(() => resolveScoring('accuracy', 'regressor')).toThrow(/'accuracy' is a classification metric and the estimator is a regressor/);
  });

  it('labelsAt reads any dtype in place', () => {
    const y = ndarray('int64', [3], BigInt64Array.from([5n, 6n, 7n]));
    expect([...labelsAt(y, Int32Array.from([2, 0]))]).toEqual([7, 5]);
    expect([...labelsAt(y)]).toEqual([5, 6, 7]);
  });
});

describe('scoreMany with a real classifier', () => {
  it("shares one decision pass for labels and probabilities and gives what predict and predictProba give", async () => {
    const { LogisticRegression } = await import('../../src/models/logistic.js');
    const { scoreMany } = await import('../../src/search/scorers.js');
    const n = 200;
    const X = ndarray('float64', [n, 3], Float64Array.from({ length: 3 * n }, (_, i) => Math.sin(i * 0.7) + (i % 3)));
    const y = ndarray('float64', [n], Float64Array.from({ length: n }, (_, i) => (Math.sin(i * 2.1) > 0 ? 1 : 0)));
    const model = new LogisticRegression({ C: 0.5 }).fit(X, y);
    const rows = Int32Array.from({ length: 50 }, (_, i) => i * 3);
    let decisions = 0;
    const counted = new Proxy(model, {
      get(target, key, receiver) {
        if (key === 'decisionFunction') return (...args: [FloatMatrix, Rows]) => { decisions++; return target.decisionFunction(...args); };
        const value = Reflect.get(target, key, receiver) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const scores = scoreMany(['accuracy', 'neg_log_loss'], counted, X, y, rows);
    expect(decisions).toBe(1);
    const truth = labelsAt(y, rows);
    expect(scores['accuracy']).toBe(accuracy(truth, model.predict(X, rows)));
    expect(scores['neg_log_loss']).toBe(-logLoss(truth, model.predictProba(X, rows), model.classes));
  });
});
