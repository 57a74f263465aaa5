/**
 * Hyperparameters each model accepts, their defaults (scikit-learn's) and their valid
 * values, in one table so constructors, `setParams`, the registry and config checks
 * all say the same thing the same way.
 */
import { didYouMean } from '../did-you-mean.js';
import { ValueError } from '../errors.js';
import type { ModelName, ParamValue, Params, StepKind } from './estimator.js';

/** One parameter: its type, default and the rule a value must satisfy. */
export interface ParamSpec {
  /** `classWeight`: null, "balanced" or an object of weights by label (scikit-learn's class_weight). */
  readonly type: 'number' | 'integer' | 'boolean' | 'classWeight';
  readonly default: number | boolean | null;
  /** Returns true when a number is allowed; `rule` says what is allowed, for messages. */
  readonly valid?: (v: number) => boolean;
  readonly rule?: string;
}

/**
 * Every model's parameters, keyed by model name then param name.
 * @example
 * ```ts
 * PARAM_SPECS.logistic.C.default; // 1
 * ```
 */
export const PARAM_SPECS: Readonly<Record<StepKind, Readonly<Record<string, ParamSpec>>>> = {
  ridge: {
    alpha: { type: 'number', default: 1, valid: (v) => v >= 0, rule: 'a finite number >= 0' },
    fitIntercept: { type: 'boolean', default: true },
  },
  logistic: {
    C: { type: 'number', default: 1, valid: (v) => v > 0, rule: 'a finite number > 0' },
    fitIntercept: { type: 'boolean', default: true },
    maxIter: { type: 'integer', default: 100, valid: (v) => v >= 1, rule: 'an integer >= 1' },
    tol: { type: 'number', default: 1e-4, valid: (v) => v > 0, rule: 'a finite number > 0' },
    classWeight: { type: 'classWeight', default: null, rule: 'null, "balanced" or an object of weights >= 0 by numeric label' },
  },
  standard_scaler: {
    withMean: { type: 'boolean', default: true },
    withStd: { type: 'boolean', default: true },
  },
};

/**
 * Model names the registry knows, in a stable order.
 * @example
 * ```ts
 * MODEL_NAMES.includes('ridge'); // true
 * ```
 */
export const MODEL_NAMES: readonly ModelName[] = ['ridge', 'logistic'];

/**
 * Throw a ValueError unless `name` is a model name (suggesting the closest one).
 * @example
 * ```ts
 * checkModelName('ridg'); // ValueError: unknown model "ridg" (did you mean "ridge"?) ...
 * ```
 */
export function checkModelName(name: unknown): asserts name is ModelName {
  if (typeof name === 'string' && (MODEL_NAMES as readonly string[]).includes(name)) return;
  const hint = typeof name === 'string' ? didYouMean(name, MODEL_NAMES) : '';
  throw new ValueError(`unknown model ${JSON.stringify(name)}${hint}; known models: ${MODEL_NAMES.join(', ')}`);
}

/**
 * Throw a ValueError for the first unknown param name (with a "did you mean") or bad
 * value (naming the param, the rule and the value found).
 * @example
 * ```ts
 * validateParams('ridge', { alpha: -1 }); // ValueError: ridge param alpha must be a finite number >= 0, found -1
 * ```
 */
export function validateParams(name: StepKind, params: Params): void {
  if (name !== 'standard_scaler') checkModelName(name);
  if (params === null || typeof params !== 'object') {
    throw new ValueError(`${name} params must be an object, found ${params === null ? 'null' : typeof params}`);
  }
  const specs = PARAM_SPECS[name];
  const known = Object.keys(specs);
  for (const [key, value] of Object.entries(params)) {
    const spec = paramSpec(name, key);
    if (spec === undefined) {
      throw new ValueError(`${name}: unknown param "${key}"${didYouMean(key, known)}; known params: ${known.join(', ')}`);
    }
    checkValue(name, key, spec, value);
  }
}

/**
 * The spec of param `key` of model `name`, or undefined for an unknown param. Only the table's
 * own entries count: `constructor`, `toString` and `__proto__` are unknown params, not the
 * methods every object inherits.
 * @example
 * ```ts
 * paramSpec('ridge', 'alpha')?.default; // 1
 * paramSpec('ridge', 'constructor');    // undefined
 * ```
 */
export function paramSpec(name: StepKind, key: string): ParamSpec | undefined {
  const specs = PARAM_SPECS[name];
  return Object.hasOwn(specs, key) ? specs[key] : undefined;
}

function checkValue(model: StepKind, key: string, spec: ParamSpec, value: unknown): void {
  // JSON for strings and objects: String() throws on an object whose toString is not a function.
  const found = typeof value === 'string' || (typeof value === 'object' && value !== null) ? JSON.stringify(value) : String(value);
  if (spec.type === 'boolean') {
    if (typeof value !== 'boolean') throw new ValueError(`${model} param ${key} must be true or false, found ${found}`);
    return;
  }
  if (spec.type === 'classWeight') {
    const issue = classWeightIssue(value);
    if (issue !== undefined) throw new ValueError(`${model} param ${key} ${issue}`);
    return;
  }
  const ok = typeof value === 'number' && Number.isFinite(value)
    && (spec.type !== 'integer' || Number.isInteger(value)) && (spec.valid === undefined || spec.valid(value));
  if (!ok) throw new ValueError(`${model} param ${key} must be ${spec.rule ?? `a ${spec.type}`}, found ${found}`);
}

/**
 * What is wrong with a class weight (to follow the param's name in a message), or undefined when
 * it is null, "balanced", or an object whose keys are numeric labels and values finite weights >= 0.
 * @example
 * ```ts
 * classWeightIssue({ 0: 1, 1: -2 }); // 'has weight -2 for label 1: weights must be finite numbers >= 0'
 * ```
 */
export function classWeightIssue(value: unknown): string | undefined {
  if (value === null || value === 'balanced') return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    const found = typeof value === 'string' ? JSON.stringify(value) : Array.isArray(value) ? 'an array' : String(value);
    return `must be null, "balanced" or an object of weights by label ({ "0": 1, "1": 5 }), found ${found}`;
  }
  for (const [label, weight] of Object.entries(value as Record<string, unknown>)) {
    if (label.trim() === '' || !Number.isFinite(Number(label))) {
      return `has label ${JSON.stringify(label)}, which is not a number (y holds numeric labels; a CSV's text classes are numbered 0, 1, ... in its manifest)`;
    }
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
      return `has weight ${JSON.stringify(weight) ?? String(weight)} for label ${label}: weights must be finite numbers >= 0`;
    }
  }
  return undefined;
}

/**
 * Defaults overlaid with `params`, validated.
 * @example
 * ```ts
 * resolveParams('logistic', { C: 10 }); // { C: 10, fitIntercept: true, maxIter: 100, tol: 0.0001, classWeight: null }
 * ```
 */
export function resolveParams(name: StepKind, params: Params): Record<string, ParamValue> {
  validateParams(name, params);
  const out: Record<string, ParamValue> = {};
  for (const [key, spec] of Object.entries(PARAM_SPECS[name])) out[key] = spec.default;
  for (const [key, value] of Object.entries(params)) out[key] = value;
  return out;
}
