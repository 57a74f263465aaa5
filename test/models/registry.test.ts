import { describe, expect, test } from 'vitest';
import { ValueError } from '../../src/errors.js';
import { LogisticRegression } from '../../src/models/logistic.js';
import { ESTIMATOR_DUMP_TAG, estimatorDumpType, isEstimator, registerEstimatorDumpType } from '../../src/models/persist.js';
import { createModel, MODEL_NAMES, modelFromState, validateParams } from '../../src/models/registry.js';
import { Ridge } from '../../src/models/ridge.js';
import { dataset } from './logistic-fixtures.js';

describe('createModel', () => {
  test('builds each model by name with params', () => {
    expect(MODEL_NAMES).toEqual(['ridge', 'logistic']);
    const r = createModel('ridge', { alpha: 3 });
    expect(r).toBeInstanceOf(Ridge);
    expect(r.getParams()).toEqual({ alpha: 3, fitIntercept: true });
    const l = createModel('logistic', { C: 0.1, maxIter: 50 });
    expect(l).toBeInstanceOf(LogisticRegression);
    expect(l.getParams()).toEqual({ C: 0.1, fitIntercept: true, maxIter: 50, tol: 1e-4, classWeight: null });
    expect(l.kind).toBe('classifier');
  });
  test('an unknown model name suggests the closest', () => {
    expect(() => createModel('rigde' as never, {})).toThrow(new ValueError('unknown model "rigde" (did you mean "ridge"?); known models: ridge, logistic'));
  });
});

describe('validateParams', () => {
  test('unknown names, with "did you mean" only when close', () => {
    expect(() => validateParams('logistic', { max_iter: 5 })).toThrow(/unknown param "max_iter" \(did you mean "maxIter"\?\)/);
    expect(() => validateParams('ridge', { fit_intercept: true })).toThrow(/did you mean "fitIntercept"/);
    expect(() => validateParams('ridge', { solver: 'svd' })).toThrow(new ValueError('ridge: unknown param "solver"; known params: alpha, fitIntercept'));
  });
  test.each([
    ['ridge', { alpha: -0.5 }, 'ridge param alpha must be a finite number >= 0, found -0.5'],
    ['ridge', { alpha: Number.NaN }, 'ridge param alpha must be a finite number >= 0, found NaN'],
    ['ridge', { fitIntercept: 1 }, 'ridge param fitIntercept must be true or false, found 1'],
    ['logistic', { C: 0 }, 'logistic param C must be a finite number > 0, found 0'],
    ['logistic', { maxIter: 2.5 }, 'logistic param maxIter must be an integer >= 1, found 2.5'],
    ['logistic', { tol: 0 }, 'logistic param tol must be a finite number > 0, found 0'],
    ['logistic', { C: '1' }, 'logistic param C must be a finite number > 0, found "1"'],
  ] as const)('%s %o', (name, params, message) => {
    expect(() => validateParams(name, params)).toThrow(new ValueError(message));
  });
  test('only own entries of the param table are params: inherited names are unknown', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const params = JSON.parse(`{"${name}": 1}`) as Record<string, number>;
      expect(() => validateParams('ridge', params)).toThrow(new ValueError(`ridge: unknown param "${name}"; known params: alpha, fitIntercept`));
      expect(() => createModel('logistic', params)).toThrow(`logistic: unknown param "${name}"`);
    }
  });
  test('valid params pass, including boundary values', () => {
    expect(() => validateParams('ridge', { alpha: 0, fitIntercept: false })).not.toThrow();
    expect(() => validateParams('logistic', { C: 1e-12, maxIter: 1, tol: 1e-12 })).not.toThrow();
  });
});

describe('state and dump support', () => {
  const { X, y } = dataset('breast_cancer');
  test('modelFromState rebuilds a fitted classifier that predicts the same', () => {
    const m = createModel('logistic', { C: 0.3 }).fit(X, y);
    const back = modelFromState(m.state());
    expect(back.predict(X)).toEqual(m.predict(X));
    expect(back.state()).toEqual(m.state());
  });
  test('modelFromState rejects a state with bad params or no arrays', () => {
    const s = createModel('ridge').fit(X, y).state();
    expect(() => modelFromState({ ...s, params: { alpha: -1 } })).toThrow(/alpha must be/);
    expect(() => modelFromState({ name: 'ridge', params: {} } as never)).toThrow(new ValueError('model state must be an object with name, params, coef and intercept'));
  });
  test('modelFromState refuses malformed arrays with a clear error, not a TypeError from deep inside', () => {
    const s = createModel('ridge').fit(X, y).state();
    const int64 = { dtype: 'int64', shape: s.coef.shape, order: 'C', data: new BigInt64Array(s.coef.data.length) };
    expect(() => modelFromState({ ...s, coef: int64 } as never)).toThrow(new ValueError('model state: coef must hold float64 values, found int64 (BigInt64Array)'));
    expect(() => modelFromState({ ...s, coef: [1, 2] } as never)).toThrow(new ValueError('model state: coef must be an array ({dtype, shape, data}), found [1,2]'));
    expect(() => modelFromState({ ...s, intercept: { ...s.intercept, shape: [3] } })).toThrow(new ValueError('model state: intercept has 1 values, its shape [3] needs 3'));
    const l = createModel('logistic').fit(X, y).state();
    expect(() => modelFromState({ ...l, classes: { dtype: 'float64', shape: [2], order: 'C', data: new Float32Array(2) } } as never))
      .toThrow(new ValueError('model state: classes must hold float64 values, found float64 (Float32Array)'));
    expect(() => modelFromState({ ...l, nIter: -1 })).toThrow(new ValueError('model state: nIter must be an integer >= 0, found -1'));
  });
  test('the dump handler recognises estimators and round-trips them', () => {
    const registered: [string, unknown][] = [];
    registerEstimatorDumpType((tag, handler) => registered.push([tag, handler]));
    expect(registered).toEqual([[ESTIMATOR_DUMP_TAG, estimatorDumpType]]);
    const m = new Ridge({ alpha: 2 }).fit(X, y);
    expect(isEstimator(m)).toBe(true);
    expect(isEstimator({ coef: 1 })).toBe(false);
    const back = estimatorDumpType.decode(estimatorDumpType.encode(m)) as Ridge;
    expect(back.coef).toEqual(m.coef);
  });
});
