/**
 * Random-search distributions as plain JSON objects (configs and task messages carry them),
 * and scikit-learn's ParameterSampler over them, drawing from numpy's RandomState so that a
 * seed gives scikit-learn's candidates for that `random_state`.
 */
import { ValueError } from '../errors.js';
import type { Params } from '../models/estimator.js';
import { compareCodePoints } from '../code-points.js';
import { indexGrid, checkParamValue, type ParamGrid, type ParamValue } from './grid.js';
import { checkFinite, checkInteger, describe } from './option-checks.js';
import { checkNumpySeed, RandomState } from './random-state.js';
import { warnOnce } from './warnings.js';

/** Continuous uniform on [low, high): scipy's `uniform(loc=low, scale=high - low)`. */
export interface UniformDistribution { readonly dist: 'uniform'; readonly low: number; readonly high: number }
/** Log-uniform on [low, high), 0 < low (scipy's `loguniform(a, b)`). */
export interface LogUniformDistribution { readonly dist: 'loguniform'; readonly low: number; readonly high: number }
/** Integers low..high-1, high exclusive (scipy's `randint`). */
export interface RandIntDistribution { readonly dist: 'randint'; readonly low: number; readonly high: number }
/** One of `values`, uniformly, with replacement. */
export interface ChoiceDistribution { readonly dist: 'choice'; readonly values: readonly ParamValue[] }

/** A random-search distribution: a plain, JSON-serialisable object. */
export type Distribution = UniformDistribution | LogUniformDistribution | RandIntDistribution | ChoiceDistribution;

/** What a search samples from: each parameter name with a distribution or a list of values. */
export type ParamDistributions = Readonly<Record<string, Distribution | readonly unknown[]>>;

const KINDS = ['uniform', 'loguniform', 'randint', 'choice'] as const;

function checkRange(where: string, low: unknown, high: unknown, kind: string): { low: number; high: number } {
  const lo = kind === 'randint' ? checkInteger(`${where}.low`, low, Number.MIN_SAFE_INTEGER) : checkFinite(`${where}.low`, low);
  const hi = kind === 'randint' ? checkInteger(`${where}.high`, high, Number.MIN_SAFE_INTEGER) : checkFinite(`${where}.high`, high);
  if (kind === 'loguniform' && lo <= 0) throw new ValueError(`${where}.low must be > 0 for loguniform, found ${lo}`);
  if (hi <= lo) throw new ValueError(`${where}.high must be greater than low (${lo}), found ${hi}`);
  return { low: lo, high: hi };
}

/**
 * Checks a distribution (e.g. parsed from a JSON config); `where` names it in messages.
 * @example
 * ```ts
 * parseDistribution({ dist: 'loguniform', low: 1e-3, high: 1e3 }, 'distributions.alpha');
 * ```
 */
export function parseDistribution(value: unknown, where = 'distribution'): Distribution {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValueError(`${where} must be a distribution object or a list of values, found ${describe(value)}`);
  }
  const d = value as Record<string, unknown>;
  switch (d.dist) {
    case 'uniform':
    case 'loguniform':
    case 'randint':
      return Object.freeze({ dist: d.dist, ...checkRange(where, d.low, d.high, d.dist) });
    case 'choice': {
      if (!Array.isArray(d.values) || d.values.length === 0) {
        throw new ValueError(`${where}.values must be a non-empty list, found ${describe(d.values)}`);
      }
      const values = d.values.map((v, i) => checkParamValue(`${where}.values[${i}]`, v));
      return Object.freeze({ dist: 'choice', values: Object.freeze(values) });
    }
    default:
      throw new ValueError(`${where}.dist must be one of ${KINDS.join(', ')}, found ${describe(d.dist)}`);
  }
}

/**
 * Uniform on [low, high).
 * @example
 * ```ts
 * uniform(0, 1); // { dist: 'uniform', low: 0, high: 1 }
 * ```
 */
export function uniform(low: number, high: number): UniformDistribution {
  return parseDistribution({ dist: 'uniform', low, high }, 'uniform') as UniformDistribution;
}

/**
 * Log-uniform on [low, high): good for regularisation strengths.
 * @example
 * ```ts
 * loguniform(1e-4, 1e2);
 * ```
 */
export function loguniform(low: number, high: number): LogUniformDistribution {
  return parseDistribution({ dist: 'loguniform', low, high }, 'loguniform') as LogUniformDistribution;
}

/**
 * Integers in [low, high), high exclusive like scipy.
 * @example
 * ```ts
 * randint(1, 11); // 1..10
 * ```
 */
export function randint(low: number, high: number): RandIntDistribution {
  return parseDistribution({ dist: 'randint', low, high }, 'randint') as RandIntDistribution;
}

/**
 * One of `values`, with replacement. (A plain list in `sampleCandidates` does the same,
 * except that all-list inputs are sampled without replacement.)
 * @example
 * ```ts
 * choice(['l1', 'l2']);
 * ```
 */
export function choice(values: readonly ParamValue[]): ChoiceDistribution {
  return parseDistribution({ dist: 'choice', values }, 'choice') as ChoiceDistribution;
}

/**
 * One draw from `d`, consuming `rng` as scipy's `rvs(random_state=rng)` (or scikit-learn's
 * list pick) does: `uniform` is `u * (high - low) + low` and `loguniform` is
 * `low * (high / low) ** u` for one `random_sample` u; `randint` is `rng.randint(low, high)`;
 * `choice` is `values[rng.randint(len)]`.
 */
export function sampleValue(d: Distribution, rng: RandomState): ParamValue {
  switch (d.dist) {
    case 'uniform':
      return rng.uniform(0, 1) * (d.high - d.low) + d.low;
    case 'loguniform':
      return d.low * Math.pow(d.high / d.low, rng.uniform(0, 1));
    case 'randint':
      return rng.randint(d.low, d.high);
    case 'choice':
      return d.values[rng.randint(d.values.length)]!;
  }
}

type Entry = { readonly key: string; readonly list?: readonly ParamValue[]; readonly dist?: Distribution };

function checkSpace(space: unknown, where: string): Entry[] {
  if (space === null || typeof space !== 'object' || Array.isArray(space)) {
    throw new ValueError(`${where} must be an object of distributions or value lists, found ${describe(space)}`);
  }
  const keys = Object.keys(space).sort(compareCodePoints);
  if (keys.length === 0) throw new ValueError(`${where} has no parameters`);
  return keys.map((key) => {
    const value = (space as Record<string, unknown>)[key];
    if (!Array.isArray(value)) return { key, dist: parseDistribution(value, `${where}.${key}`) };
    if (value.length === 0) throw new ValueError(`${where}.${key} must be a non-empty list of values, found []`);
    return { key, list: value.map((v, i) => checkParamValue(`${where}.${key}[${i}]`, v)) };
  });
}

/**
 * scikit-learn's `sample_without_replacement(n, k, method="auto")`: a permutation prefix when
 * k/n is in (0.01, 0.99), else tracking selection (rare picks) or reservoir sampling (nearly all).
 */
export function sampleWithoutReplacement(n: number, k: number, rng: RandomState): number[] {
  const ratio = n === 0 ? 1 : k / n;
  if (ratio > 0.01 && ratio < 0.99) return Array.from(rng.permutation(n).subarray(0, k));
  if (ratio < 0.2) {
    const selected = new Set<number>();
    const out: number[] = [];
    for (let i = 0; i < k; i++) {
      let j = rng.randint(n);
      while (selected.has(j)) j = rng.randint(n);
      selected.add(j);
      out.push(j);
    }
    return out;
  }
  const out = Array.from({ length: k }, (_, i) => i);
  for (let i = k; i < n; i++) {
    const j = rng.randint(0, i + 1);
    if (j < k) out[j] = i;
  }
  return out;
}

/**
 * `nIter` candidates drawn from `distributions` exactly as scikit-learn's ParameterSampler
 * draws them for `random_state=seed`: per candidate, one of several objects picked with
 * `rng.choice`, then its keys in sorted order, each a scipy-style draw or a list pick. When
 * every entry is a plain list, the grid is sampled without replacement (`nIter` capped at its
 * size, with a warning), as scikit-learn does. (`loguniform` values can differ from scipy's
 * in the last bits: numpy's `pow` itself differs between CPUs.)
 * @example
 * ```ts
 * sampleCandidates({ alpha: loguniform(1e-3, 1e3), fitIntercept: [true, false] }, 20, 0);
 * ```
 */
export function sampleCandidates(
  distributions: ParamDistributions | readonly ParamDistributions[], nIter: number, seed = 0,
): Params[] {
  checkInteger('nIter', nIter, 1);
  const rng = new RandomState(checkNumpySeed('seed', seed));
  const list = Array.isArray(distributions) ? distributions : [distributions];
  if (list.length === 0) throw new ValueError('distributions is an empty list: give at least one object of distributions');
  const spaces = list.map((s, i) => checkSpace(s, Array.isArray(distributions) ? `distributions[${i}]` : 'distributions'));
  if (spaces.every((entries) => entries.every((e) => e.list !== undefined))) {
    return sampleGrid(list as readonly ParamGrid[], nIter, rng);
  }
  const out: Params[] = [];
  for (let n = 0; n < nIter; n++) {
    const entries = spaces[rng.randint(spaces.length)]!;
    // Drawn in key order; Object.fromEntries keeps every key an own property ("__proto__" too).
    out.push(Object.fromEntries(entries.map((e): [string, ParamValue] => [
      e.key, e.dist !== undefined ? sampleValue(e.dist, rng) : e.list![rng.randint(e.list!.length)]!,
    ])));
  }
  return out;
}

function sampleGrid(grids: readonly ParamGrid[], nIter: number, rng: RandomState): Params[] {
  const grid = indexGrid(grids);
  let count = nIter;
  if (grid.size < nIter) {
    warnOnce('UserWarning', `The total space of parameters ${grid.size} is smaller than nIter=${nIter}. `
      + `Running ${grid.size} iterations. For exhaustive searches, use GridSearch.`);
    count = grid.size;
  }
  return sampleWithoutReplacement(grid.size, count, rng).map((i) => grid.at(i));
}
