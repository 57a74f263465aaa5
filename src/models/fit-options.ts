/**
 * What `fit` takes beside X and y, checked in one place: the rows to fit on (read in place),
 * per-row sample weights (scikit-learn's `sample_weight`, validated as 1.2's
 * `_check_sample_weight` does, with memgrid's messages), and, inside memgrid, an affine feature
 * map that the model applies as it reads X, so that a pipeline's scaling never copies X.
 * An option a model does not take is an error, never silently dropped.
 */
import { DataError, ValueError } from '../errors.js';
import { isSingleWindow, rowWindows, type NdArray } from '../data/ndarray.js';
import { didYouMean } from '../did-you-mean.js';
import type { AffineMap, FitOptionName, FitOptions, Rows, SampleWeight } from './estimator.js';

export type { AffineMap, FitOptionName, FitOptions, SampleWeight };

/** Fit options after checking: weights as float64 indexed by row id. */
export interface CheckedFitOptions {
  readonly rows: Rows;
  readonly weights?: Float64Array;
  readonly featureMap?: AffineMap;
  readonly warmStart?: Float64Array;
}

const ALL_OPTIONS: readonly FitOptionName[] = ['rows', 'sampleWeight', 'featureMap', 'warmStart'];

/**
 * Normalises `fit`'s third argument (a row list, or an options object) and refuses anything
 * else: a fourth argument, an unknown option, an option this model does not take.
 * @example
 * ```ts
 * const { rows, weights } = readFitOptions('Ridge', options, extra, ['rows', 'sampleWeight', 'featureMap'], nRows);
 * ```
 */
export function readFitOptions(
  model: string, options: Rows | FitOptions | undefined, extra: readonly unknown[], supported: readonly FitOptionName[], nRows: number,
): CheckedFitOptions {
  if (extra.length > 0) {
    throw new ValueError(`${model}.fit takes (X, y, options); found ${2 + 1 + extra.length} arguments. Pass options as one object, e.g. { sampleWeight }`);
  }
  if (options === undefined || options instanceof Int32Array) return { rows: options };
  if (options === null || typeof options !== 'object' || ArrayBuffer.isView(options) || Array.isArray(options)) {
    throw new ValueError(`${model}.fit: the third argument must be an options object ({ sampleWeight, ... }) or an Int32Array of rows, found ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!(ALL_OPTIONS as readonly string[]).includes(key)) {
      throw new ValueError(`${model}.fit: unknown option "${key}"${didYouMean(key, ALL_OPTIONS)}; it takes ${supported.join(', ')}`);
    }
    if (!(supported as readonly string[]).includes(key) && (options as Record<string, unknown>)[key] !== undefined) {
      throw new ValueError(`${model}.fit does not take ${key}; it takes ${supported.join(', ')}`);
    }
  }
  const o = options as FitOptions;
  return {
    rows: o.rows,
    ...(o.sampleWeight === undefined ? {} : { weights: checkSampleWeight(o.sampleWeight, nRows) }),
    ...(o.featureMap === undefined ? {} : { featureMap: o.featureMap }),
    ...(o.warmStart === undefined ? {} : { warmStart: checkWarmStart(model, o.warmStart) }),
  };
}

function checkWarmStart(model: string, warmStart: unknown): Float64Array {
  if (!(warmStart instanceof Float64Array)) throw new ValueError(`${model}.fit: warmStart must be a Float64Array (the model's packedCoef), found ${describeValue(warmStart)}`);
  for (let i = 0; i < warmStart.length; i++) {
    if (!Number.isFinite(warmStart[i]!)) throw new ValueError(`${model}.fit: warmStart[${i}] is ${warmStart[i]}: a start must be finite`);
  }
  return warmStart;
}

/**
 * Sample weights as float64, one per row, checked: 1-d, one per row of X, finite and
 * non-negative (scikit-learn 1.2's Ridge fails on negative weights with a NaN error; memgrid
 * says why). A number means that weight for every row.
 * @throws DataError naming what was found.
 * @example
 * ```ts
 * checkSampleWeight([1, 2, 0.5], 3); // Float64Array [1, 2, 0.5]
 * ```
 */
export function checkSampleWeight(weights: SampleWeight, nRows: number): Float64Array {
  if (typeof weights === 'number') {
    if (!Number.isFinite(weights) || weights < 0) throw new DataError(`sampleWeight must be a finite number >= 0, found ${weights}`);
    return new Float64Array(nRows).fill(weights);
  }
  let values: Float64Array;
  if (Array.isArray(weights)) {
    values = Float64Array.from(weights as readonly number[], Number);
  } else if (weights instanceof Float64Array || weights instanceof Float32Array) {
    values = weights instanceof Float64Array ? weights : Float64Array.from(weights);
  } else if (isNdArray(weights)) {
    if (weights.shape.length !== 1) {
      throw new DataError(`sampleWeight must be 1-d (one weight per row) or a number, found shape [${weights.shape.join(', ')}]`);
    }
    values = weightValues(weights);
  } else {
    throw new DataError(`sampleWeight must be an NdArray, a Float64Array, a list of numbers or a number, found ${describeValue(weights)}`);
  }
  if (values.length !== nRows) throw new DataError(`sampleWeight has ${values.length} values, expected ${nRows} (one per row of X)`);
  for (let i = 0; i < values.length; i++) {
    const w = values[i]!;
    if (!Number.isFinite(w)) throw new DataError(`sampleWeight contains ${w} at row ${i}: weights must be finite`);
    if (w < 0) throw new DataError(`sampleWeight[${i}] = ${w} is negative: weights must be >= 0`);
  }
  return values;
}

/**
 * Σ weights over `rows` (or all rows).
 * @throws DataError when it is zero: a weighted mean is then undefined (numpy: "Weights sum to zero").
 */
export function weightTotal(weights: Float64Array, rows: Rows): number {
  let total = 0;
  const n = rows === undefined ? weights.length : rows.length;
  for (let r = 0; r < n; r++) total += weights[rows === undefined ? r : rows[r]!]!;
  return checkWeightTotal(total);
}

/**
 * `total`, the sum of the weights of the rows fitted on, when it is positive.
 * @throws DataError when it is zero: a weighted mean is then undefined (numpy: "Weights sum to zero").
 */
export function checkWeightTotal(total: number): number {
  if (!(total > 0)) throw new DataError("sampleWeight sums to zero over the rows fitted on: weights can't be normalized");
  return total;
}

/** A 1-d NdArray's values as float64: a view when it is float64 in one piece, else copied window by window (n doubles, as y's). */
function weightValues(weights: NdArray): Float64Array {
  if (weights.dtype === 'float64' && isSingleWindow(weights)) return weights.data as Float64Array;
  const out = new Float64Array(weights.shape[0]!);
  for (const { rowStart, data } of rowWindows(weights)) {
    for (let i = 0; i < data.length; i++) out[rowStart + i] = Number((data as ArrayLike<number | bigint>)[i]!);
  }
  return out;
}

function isNdArray(value: unknown): value is NdArray {
  // A many-window array's `data` throws: its windows say it is an array.
  if (value === null || typeof value !== 'object' || !Array.isArray((value as NdArray).shape) || typeof (value as NdArray).dtype !== 'string') return false;
  const array = value as NdArray;
  return array.windows !== undefined ? array.windows.length > 0 : ArrayBuffer.isView(array.data);
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  return typeof value;
}
