/**
 * Models by name: what task messages and experiment configs refer to. A worker builds
 * its estimator here from `{name, params}`; a dump rebuilds a fitted one from `state()`.
 */
import { ValueError } from '../errors.js';
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
  switch (state.name) {
    case 'ridge': return Ridge.fromState(state);
    case 'logistic': return LogisticRegression.fromState(state);
  }
}
