/**
 * Models by name: what task messages and experiment configs refer to. A worker builds
 * its estimator here from `{name, params}`; a dump rebuilds a fitted one from `state()`.
 */
import { ValueError } from '../errors.js';
import type { NdArray } from '../data/ndarray.js';
import type { Estimator, EstimatorState, ModelName, Params } from './estimator.js';
import { LogisticRegression, type LogisticParams } from './logistic.js';
import { checkModelName, MODEL_NAMES, validateParams } from './params.js';
import { Ridge, type RidgeParams } from './ridge.js';

export { MODEL_NAMES, validateParams };

/**
 * A new, unfitted estimator. Unknown names and bad params throw a ValueError.
 * @example
 * ```ts
 * const model = createModel('logistic', { C: 10 });
 * ```
 */
export function createModel(name: ModelName, params: Params = {}): Estimator {
  checkModelName(name);
  validateParams(name, params);
  switch (name) {
    case 'ridge': return new Ridge(params as Partial<RidgeParams>);
    case 'logistic': return new LogisticRegression(params as Partial<LogisticParams>);
  }
}

/**
 * A fitted estimator rebuilt from its `state()` (for dump/load and results files).
 * @example
 * ```ts
 * const copy = modelFromState(model.state());
 * copy.predict(X); // same predictions as model
 * ```
 */
export function modelFromState(state: EstimatorState): Estimator {
  if (state === null || typeof state !== 'object' || state.coef === undefined || state.intercept === undefined) {
    throw new ValueError('model state must be an object with name, params, coef and intercept');
  }
  checkModelName(state.name);
  validateParams(state.name, state.params);
  // A state may come from a dump anyone could have written: every array must be float64 data
  // whose length fits its shape before a model reads it.
  checkStateArray(state.coef, 'coef');
  checkStateArray(state.intercept, 'intercept');
  if (state.classes !== undefined) checkStateArray(state.classes, 'classes');
  if (state.nIter !== undefined && (!Number.isSafeInteger(state.nIter) || state.nIter < 0)) {
    throw new ValueError(`model state: nIter must be an integer >= 0, found ${JSON.stringify(state.nIter)}`);
  }
  switch (state.name) {
    case 'ridge': return Ridge.fromState(state);
    case 'logistic': return LogisticRegression.fromState(state);
  }
}

function checkStateArray(value: unknown, name: string): void {
  const a = value as Partial<NdArray> | null;
  const shaped = a !== null && typeof a === 'object' && Array.isArray(a.shape) && a.shape.every((d) => Number.isSafeInteger(d) && d >= 0)
    && ArrayBuffer.isView(a.data);
  if (!shaped) throw new ValueError(`model state: ${name} must be an array ({dtype, shape, data}), found ${describeValue(value)}`);
  if (a.dtype !== 'float64' || !(a.data instanceof Float64Array)) {
    throw new ValueError(`model state: ${name} must hold float64 values, found ${String(a.dtype)} (${a.data!.constructor.name})`);
  }
  const size = a.shape!.reduce((n, d) => n * d, 1);
  if (a.data.length !== size) throw new ValueError(`model state: ${name} has ${a.data.length} values, its shape [${a.shape!.join(', ')}] needs ${size}`);
}

function describeValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
