/**
 * Random-search distributions as plain JSON objects (configs and task messages carry them),
 * and scikit-learn's ParameterSampler over them, seeded with seedrandom.
 */
import { ValueError } from '../errors.js';
import type { Params } from '../models/estimator.js';
import { indexGrid, checkParamValue, compareCodePoints, type ParamGrid, type ParamValue } from './grid.js';
import { checkFinite, checkInteger, checkSeed, describe, type Seed } from './option-checks.js';
import { makeRng, randomIndex, type Rng } from './rng.js';
import { warnOnce } from './warnings.js';

/** Continuous uniform on [low, high) (note: scipy's `uniform` takes loc and scale instead). */
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

/** One draw from `d`: exactly one call to `rng`, so draws stay aligned across parameters. */
export function sampleValue(d: Distribution, rng: Rng): ParamValue {
  const u = rng();
  switch (d.dist) {
    case 'uniform':
      return d.low + u * (d.high - d.low);
    case 'loguniform': {
      const v = Math.exp(Math.log(d.low) + u * (Math.log(d.high) - Math.log(d.low)));
      return Math.min(Math.max(v, d.low), d.high);
    }
    case 'randint':
      return d.low + Math.floor(u * (d.high - d.low));
    case 'choice':
      return d.values[Math.floor(u * d.values.length)]!;
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

/** `count` distinct indices in [0, size), in random order (sparse Fisher-Yates: O(count) memory). */
function distinctIndices(size: number, count: number, rng: Rng): number[] {
  const swapped = new Map<number, number>();
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const j = i + randomIndex(rng, size - i);
    out.push(swapped.get(j) ?? j);
    swapped.set(j, swapped.get(i) ?? i);
  }
  return out;
}

/**
 * `nIter` candidates drawn from `distributions` (scikit-learn's ParameterSampler), or from
 * one of several such objects chosen uniformly per draw. Keys are drawn in sorted order, one
 * generator draw each, so results are deterministic per seed. When every entry is a plain
 * list, the grid is sampled without replacement and `nIter` is capped at its size (with a
 * warning), as scikit-learn does.
 * @example
 * ```ts
 * sampleCandidates({ alpha: loguniform(1e-3, 1e3), fitIntercept: [true, false] }, 20, 0);
 * ```
 */
export function sampleCandidates(
  distributions: ParamDistributions | readonly ParamDistributions[], nIter: number, seed: Seed = 0,
): Params[] {
  checkInteger('nIter', nIter, 1);
  const rng = makeRng(checkSeed('seed', seed));
  const list = Array.isArray(distributions) ? distributions : [distributions];
  if (list.length === 0) throw new ValueError('distributions is an empty list: give at least one object of distributions');
  const spaces = list.map((s, i) => checkSpace(s, Array.isArray(distributions) ? `distributions[${i}]` : 'distributions'));
  if (spaces.every((entries) => entries.every((e) => e.list !== undefined))) {
    return sampleGrid(list as readonly ParamGrid[], nIter, rng);
  }
  const out: Params[] = [];
  for (let n = 0; n < nIter; n++) {
    const entries = spaces.length === 1 ? spaces[0]! : spaces[randomIndex(rng, spaces.length)]!;
    const params: Record<string, ParamValue> = {};
    for (const e of entries) {
      params[e.key] = e.dist !== undefined ? sampleValue(e.dist, rng) : e.list![randomIndex(rng, e.list!.length)]!;
    }
    out.push(params);
  }
  return out;
}

function sampleGrid(grids: readonly ParamGrid[], nIter: number, rng: Rng): Params[] {
  const grid = indexGrid(grids);
  let count = nIter;
  if (grid.size < nIter) {
    warnOnce('UserWarning', `The total space of parameters ${grid.size} is smaller than nIter=${nIter}. `
      + `Running ${grid.size} iterations. For exhaustive searches, use GridSearch.`);
    count = grid.size;
  }
  return distinctIndices(grid.size, count, rng).map((i) => grid.at(i));
}
