/**
 * Parameter grids in scikit-learn's `ParameterGrid` order: each grid's keys sorted, the last
 * key cycling fastest, grids of a list one after the other.
 */
import { compareCodePoints } from '../code-points.js';
import { ValueError } from '../errors.js';
import type { LabelWeights, ParamValue, Params } from '../models/estimator.js';
import { describe } from './option-checks.js';

export type { ParamValue };

/** One grid: each parameter name with the values to try. */
export type ParamGrid = Readonly<Record<string, readonly unknown[]>>;

/** A grid checked and with its keys sorted: ready to enumerate or index. */
interface CheckedGrid {
  readonly keys: readonly string[];
  readonly values: readonly (readonly ParamValue[])[];
  readonly size: number;
}

/** Throws unless `value` is a parameter value memgrid can carry; `where` names it in the message. */
export function checkParamValue(where: string, value: unknown): ParamValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (isPlainObject(value)) return checkLabelWeights(where, value);
  throw new ValueError(`${where} must be a finite number, a string, a boolean, null or an object of numbers (class weights), found ${describe(value)}`);
}

/** An object of finite numbers by label (a class-weight dict), copied and frozen. */
function checkLabelWeights(where: string, value: Record<string, unknown>): LabelWeights {
  const out: Record<string, number> = {};
  for (const [key, weight] of Object.entries(value)) {
    if (typeof weight !== 'number' || !Number.isFinite(weight)) {
      throw new ValueError(`${where}.${key} must be a finite number (a weight per label), found ${describe(weight)}`);
    }
    out[key] = weight;
  }
  return Object.freeze(out);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function checkGrid(grid: unknown, where: string): CheckedGrid {
  if (!isPlainObject(grid)) throw new ValueError(`${where} must be an object of value lists, found ${describe(grid)}`);
  const keys = Object.keys(grid).sort(compareCodePoints);
  if (keys.length === 0) throw new ValueError(`${where} has no parameters: give each parameter name a list of values`);
  const values = keys.map((key) => {
    const list = grid[key];
    if (!Array.isArray(list)) {
      throw new ValueError(`${where}.${key} must be a list of values, found ${describe(list)} (wrap a single value in a list)`);
    }
    if (list.length === 0) throw new ValueError(`${where}.${key} must be a non-empty list of values, found []`);
    return list.map((v, i) => checkParamValue(`${where}.${key}[${i}]`, v));
  });
  return { keys, values, size: values.reduce((n, v) => n * v.length, 1) };
}

/** Checks a grid or list of grids; messages name `grid`, `grid[1].alpha`, ... */
function checkGrids(grid: ParamGrid | readonly ParamGrid[]): CheckedGrid[] {
  if (!Array.isArray(grid)) return [checkGrid(grid, 'grid')];
  if (grid.length === 0) throw new ValueError('grid is an empty list: give at least one object of value lists');
  return grid.map((g, i) => checkGrid(g, `grid[${i}]`));
}

/** The candidate at mixed-radix position `index` of one checked grid (last key fastest). */
function candidateOf(grid: CheckedGrid, index: number): Params {
  const picked = new Array<ParamValue>(grid.keys.length);
  let rest = index;
  for (let k = grid.keys.length - 1; k >= 0; k--) {
    const values = grid.values[k]!;
    picked[k] = values[rest % values.length]!;
    rest = Math.floor(rest / values.length);
  }
  // Keys in sorted order so JSON output and `param_<name>` columns read alphabetically; every
  // key an own property ("__proto__" too, which assignment would swallow), so validation sees it.
  return Object.fromEntries(grid.keys.map((key, k) => [key, picked[k]!]));
}

/**
 * Every candidate of `grid`, in scikit-learn's ParameterGrid order.
 * @throws ValueError naming the grid key at fault (empty grid, empty or non-list values,
 * values that are not numbers, strings, booleans or null).
 * @example
 * ```ts
 * parameterGrid({ b: [1, 2], a: ['x', 'y'] });
 * // [{a:'x',b:1}, {a:'x',b:2}, {a:'y',b:1}, {a:'y',b:2}]
 * ```
 */
export function parameterGrid(grid: ParamGrid | readonly ParamGrid[]): Params[] {
  const out: Params[] = [];
  for (const g of checkGrids(grid)) {
    for (let i = 0; i < g.size; i++) out.push(candidateOf(g, i));
  }
  return out;
}

/**
 * Number of candidates of `grid` (scikit-learn's `len(ParameterGrid(grid))`).
 * @example
 * ```ts
 * gridSize([{ a: [1, 2] }, { b: [1, 2, 3] }]); // 5
 * ```
 */
export function gridSize(grid: ParamGrid | readonly ParamGrid[]): number {
  return checkGrids(grid).reduce((n, g) => n + g.size, 0);
}

/**
 * The candidate at `index` of `parameterGrid(grid)` without enumerating the others
 * (scikit-learn's `ParameterGrid.__getitem__`), for sampling from large grids.
 * @example
 * ```ts
 * gridCandidate({ a: [1, 2], b: [3, 4] }, 1); // {a: 1, b: 4}
 * ```
 */
export function gridCandidate(grid: ParamGrid | readonly ParamGrid[], index: number): Params {
  return candidateAt(checkGrids(grid), index);
}

function candidateAt(grids: readonly CheckedGrid[], index: number): Params {
  if (!Number.isInteger(index) || index < 0) throw new ValueError(`grid candidate index must be an integer >= 0, found ${describe(index)}`);
  let rest = index;
  for (const g of grids) {
    if (rest < g.size) return candidateOf(g, rest);
    rest -= g.size;
  }
  throw new ValueError(`grid candidate index ${index} is out of range for ${index - rest} candidates`);
}

/** Checked grids with lookup by index: used by samplers that draw grid positions. */
export interface IndexedGrid {
  readonly size: number;
  at(index: number): Params;
}

/** Check `grid` once and index it many times. */
export function indexGrid(grid: ParamGrid | readonly ParamGrid[]): IndexedGrid {
  const grids = checkGrids(grid);
  return { size: grids.reduce((n, g) => n + g.size, 0), at: (index) => candidateAt(grids, index) };
}
