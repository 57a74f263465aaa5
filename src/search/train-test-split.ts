/**
 * scikit-learn's `train_test_split`: one random (optionally stratified) split of the rows,
 * drawn from numpy's RandomState so a seed gives scikit-learn's rows for that `random_state`.
 */
import { ndarray, stridesOf, type NdArray } from '../data/ndarray.js';
import type { DType, TypedArrayFor } from '../data/dtypes.js';
import { ValueError } from '../errors.js';
import { checkBoolean, checkInteger } from './option-checks.js';
import { RandomState } from './random-state.js';
import { checkShuffleOptions, ShuffleSplit, splitSizes, stratificationClasses, stratifiedShuffleOnce } from './shuffle-split.js';

/** Options of {@link trainTestSplit} (scikit-learn's, camelCased). */
export interface TrainTestSplitOptions {
  /** A fraction in (0, 1) or a row count. Default 0.25 (or the complement of trainSize). */
  readonly testSize?: number;
  /** A fraction in (0, 1) or a row count. Default: the rows not tested. */
  readonly trainSize?: number;
  /** numpy's `random_state`. Default 0. */
  readonly seed?: number;
  /** Shuffle before splitting (default true); without, the first rows train and the next test. */
  readonly shuffle?: boolean;
  /** Class labels to stratify by (usually y's values). Needs `shuffle`. */
  readonly stratify?: Float64Array;
}

/** Row indices of a train/test split, in scikit-learn's order (permutation order when shuffled). */
export interface TrainTestIndices {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/**
 * The row indices `train_test_split(arange(n), ...)` returns for the same options.
 * @example
 * ```ts
 * trainTestSplitIndices(10, { seed: 42 }).test; // scikit-learn's test rows for random_state=42
 * ```
 */
export function trainTestSplitIndices(nSamples: number, options: TrainTestSplitOptions = {}): TrainTestIndices {
  checkInteger('trainTestSplit: nSamples', nSamples, 1);
  const shuffle = checkBoolean('options.shuffle', options.shuffle ?? true);
  const { testSize, trainSize, seed } = checkShuffleOptions({ ...options, nSplits: 1 }, 0.25);
  const [nTrain, nTest] = splitSizes('trainTestSplit', nSamples, testSize, trainSize);
  if (!shuffle) {
    if (options.stratify !== undefined) throw new ValueError('trainTestSplit: stratify needs shuffle: true (as scikit-learn)');
    const range = (start: number, n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => start + i);
    return { train: range(0, nTrain), test: range(nTrain, nTest) };
  }
  if (options.stratify === undefined) return new ShuffleSplit({ nSplits: 1, testSize: nTest, trainSize: nTrain, seed }).split(nSamples)[0]!;
  // scikit-learn hands the counts (not the fractions) to StratifiedShuffleSplit.
  const { rows, counts } = stratificationClasses('trainTestSplit', options.stratify, nSamples, nTrain, nTest);
  return stratifiedShuffleOnce(rows, counts, nTrain, nTest, new RandomState(seed));
}

/** Rows `rows` of `a` (any dtype, C or F order) as a new in-memory C-order array. */
export function takeRows<D extends DType>(a: NdArray<D>, rows: Int32Array): NdArray<D> {
  const [n, ...rest] = a.shape;
  const width = rest.reduce((p, s) => p * s, 1);
  const Ctor = a.data.constructor as new (length: number) => TypedArrayFor<D>;
  const out = new Ctor(rows.length * width);
  const [rowStride, colStride] = a.shape.length === 1 ? [1, 0] : [stridesOf(a.shape, a.order)[0]!, a.order === 'C' ? 1 : n!];
  for (let r = 0; r < rows.length; r++) {
    const base = rows[r]! * rowStride;
    for (let j = 0; j < width; j++) (out as unknown as number[])[r * width + j] = (a.data as unknown as number[])[base + j * colStride]!;
  }
  return ndarray(a.dtype, [rows.length, ...rest], out);
}

/**
 * Splits X and y into random train and test rows (scikit-learn's `train_test_split`): the
 * same rows, in the same order, as scikit-learn for the same seed. The parts are in-memory copies.
 * @example
 * ```ts
 * const { XTrain, XTest, yTrain, yTest } = trainTestSplit(X, y, { testSize: 0.2, seed: 0 });
 * ```
 */
export function trainTestSplit<DX extends DType, DY extends DType>(X: NdArray<DX>, y: NdArray<DY>, options: TrainTestSplitOptions = {}): {
  XTrain: NdArray<DX>; XTest: NdArray<DX>; yTrain: NdArray<DY>; yTest: NdArray<DY>; train: Int32Array; test: Int32Array;
} {
  if (X.shape[0] !== y.shape[0]) throw new ValueError(`trainTestSplit: X has ${X.shape[0]} rows but y has ${y.shape[0]}`);
  const { train, test } = trainTestSplitIndices(X.shape[0]!, options);
  return { XTrain: takeRows(X, train), XTest: takeRows(X, test), yTrain: takeRows(y, train), yTest: takeRows(y, test), train, test };
}
