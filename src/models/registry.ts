/**
 * Models by name: what task messages and experiment configs refer to. A worker builds its
 * estimator here from a spec (`{name, params}`, and a pipeline's steps); a dump rebuilds a
 * fitted one from `state()`.
 */
import { ValueError } from '../errors.js';
import type { NdArray } from '../data/ndarray.js';
import type { Estimator, EstimatorState, ModelName, ModelSpec, Params, StepKind } from './estimator.js';
import { LogisticRegression, type LogisticParams } from './logistic.js';
import { checkModelName, MODEL_NAMES, validateParams } from './params.js';
import { Pipeline, stepKind, type PipelineStep } from './pipeline.js';
import { Ridge, type RidgeParams } from './ridge.js';
import { StandardScaler } from './standard-scaler.js';

export { MODEL_NAMES, validateParams };
export type { ModelSpec };

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
 * The spec a task message carries for `estimator`: its name and params, and for a pipeline its steps.
 * @example
 * ```ts
 * specOf(makePipeline(new StandardScaler(), new Ridge())).steps; // [{ name: 'standardscaler', kind: 'standard_scaler' }, { name: 'ridge', kind: 'ridge' }]
 * ```
 */
export function specOf(estimator: Estimator): ModelSpec {
  if (estimator instanceof Pipeline) return { name: 'pipeline', params: estimator.getParams(), steps: estimator.layout() };
  return { name: estimator.name, params: estimator.getParams() };
}

/**
 * A new, unfitted estimator from a spec, with `params` (candidate params) overlaid on the spec's.
 * @throws ValueError for an unknown model, step kind or param.
 * @example
 * ```ts
 * const model = buildModel(task.model, candidate.params);
 * ```
 */
export function buildModel(spec: ModelSpec, params: Params = {}): Estimator {
  const merged = { ...spec.params, ...params };
  if (spec.name !== 'pipeline') return createModel(spec.name, merged);
  const steps = pipelineSteps(spec);
  const pipeline = new Pipeline(steps);
  pipeline.setParams(merged);
  return pipeline;
}

/**
 * Checks params against a spec (candidate params of a search) without building anything heavy.
 * @throws ValueError naming the param at fault.
 */
export function validateSpecParams(spec: ModelSpec, params: Params): void {
  if (spec.name === 'pipeline') new Pipeline(pipelineSteps(spec)).validateParams(params);
  else validateParams(spec.name, params);
}

function pipelineSteps(spec: ModelSpec): [string, PipelineStep][] {
  if (!Array.isArray(spec.steps) || spec.steps.length === 0) throw new ValueError('a pipeline spec needs its steps');
  return spec.steps.map(({ name, kind }) => [name, createStep(kind)]);
}

function createStep(kind: StepKind): PipelineStep {
  if (kind === 'standard_scaler') return new StandardScaler();
  return createModel(kind);
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
  // A state may come from a dump anyone could have written: every array must be float64 data
  // whose length fits its shape before a model reads it.
  checkStateArray(state.coef, 'coef');
  checkStateArray(state.intercept, 'intercept');
  if (state.classes !== undefined) checkStateArray(state.classes, 'classes');
  if (state.name === 'pipeline') return pipelineFromState(state);
  checkModelName(state.name);
  validateParams(state.name, state.params);
  if (state.nIter !== undefined && (!Number.isSafeInteger(state.nIter) || state.nIter < 0)) {
    throw new ValueError(`model state: nIter must be an integer >= 0, found ${JSON.stringify(state.nIter)}`);
  }
  switch (state.name) {
    case 'ridge': return Ridge.fromState(state);
    case 'logistic': return LogisticRegression.fromState(state);
  }
}

/** A fitted Pipeline from its state, every step's kind, params and arrays checked first. */
function pipelineFromState(state: EstimatorState): Estimator {
  if (!Array.isArray(state.transformers) || state.final === null || typeof state.final !== 'object') {
    throw new ValueError('pipeline state needs a list of transformers and a final step');
  }
  state.transformers.forEach((t, i) => {
    if (t === null || typeof t !== 'object' || t.kind !== 'standard_scaler' || typeof t.step !== 'string') {
      throw new ValueError(`pipeline state: transformers[${i}] must be a standard_scaler step with a name`);
    }
    validateParams(t.kind, t.params);
    for (const key of ['shift', 'scale', 'mean', 'var'] as const) checkStateArray(t[key], `transformers[${i}].${key}`);
    if (typeof t.nSamplesSeen !== 'number' || !(t.nSamplesSeen >= 0)) {
      throw new ValueError(`pipeline state: transformers[${i}].nSamplesSeen must be a number >= 0, found ${JSON.stringify(t.nSamplesSeen)}`);
    }
  });
  checkModelName(state.final.name);
  validateParams(state.final.name, state.final.params);
  return Pipeline.fromState(state);
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

export { stepKind };
