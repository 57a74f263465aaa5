/**
 * Random train/test splits: scikit-learn's `ShuffleSplit` and `StratifiedShuffleSplit`, drawn
 * from numpy's RandomState so that the same seed gives scikit-learn's indices for that
 * `random_state`. Indices come in permutation order, not sorted, as scikit-learn's do.
 */
import { ValueError } from '../errors.js';
import { uniqueLabels } from './numpy-order.js';
import { checkFinite, checkInteger, describe } from './option-checks.js';
import { checkNumpySeed, RandomState } from './random-state.js';
import type { Fold, Splitter } from './types.js';

/** Options of ShuffleSplit and StratifiedShuffleSplit. */
export interface ShuffleSplitOptions {
  /** Number of random splits, >= 1. Default 10. */
  readonly nSplits?: number;
  /** A fraction in (0, 1) of the rows, or an integer count >= 1. Default 0.1 (or the complement of trainSize). */
  readonly testSize?: number;
  /** A fraction in (0, 1) or an integer count >= 1. Default: all rows not in the test set. */
  readonly trainSize?: number;
  /** numpy's `random_state` (an integer in [0, 2**32 - 1]). Default 0. */
  readonly seed?: number;
}

function checkSize(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  checkFinite(name, value);
  if (value <= 0 || (value >= 1 && !Number.isInteger(value))) {
    throw new ValueError(`${name} must be a fraction in (0, 1) or an integer count >= 1, found ${describe(value)}`);
  }
  return value;
}

/** Validated sizes and seed shared by both shuffle splitters (`defaultTest` when neither size is given). */
interface SplitSizeOptions {
  readonly nSplits: number;
  readonly testSize: number | undefined;
  readonly trainSize: number | undefined;
  readonly seed: number;
}

/** Checks ShuffleSplit-style options; `defaultTest` is the test size when neither is given. */
export function checkShuffleOptions(options: ShuffleSplitOptions, defaultTest: number): SplitSizeOptions {
  const nSplits = checkInteger('options.nSplits', options.nSplits ?? 10, 1);
  const trainSize = checkSize('options.trainSize', options.trainSize);
  const testSize = checkSize('options.testSize', options.testSize ?? (options.trainSize === undefined ? defaultTest : undefined));
  if (testSize !== undefined && trainSize !== undefined && testSize < 1 && trainSize < 1 && testSize + trainSize > 1) {
    throw new ValueError(`options.testSize + options.trainSize must be at most 1, found ${testSize + trainSize}`);
  }
  return { nSplits, testSize, trainSize, seed: checkNumpySeed('options.seed', options.seed ?? 0) };
}

/**
 * scikit-learn's `_validate_shuffle_split`: fractions round the test size up and the train
 * size down; returns [nTrain, nTest].
 */
export function splitSizes(who: string, nSamples: number, testSize: number | undefined, trainSize: number | undefined): [number, number] {
  const test = testSize === undefined ? undefined : testSize < 1 ? Math.ceil(testSize * nSamples) : testSize;
  const train = trainSize === undefined ? undefined : trainSize < 1 ? Math.floor(trainSize * nSamples) : trainSize;
  const nTest = test ?? nSamples - train!;
  const nTrain = train ?? nSamples - nTest;
  if (nTest >= nSamples && testSize !== undefined && testSize >= 1) {
    throw new ValueError(`${who}: options.testSize=${testSize} must be smaller than the number of samples ${nSamples}`);
  }
  if (nTrain >= nSamples && trainSize !== undefined && trainSize >= 1) {
    throw new ValueError(`${who}: options.trainSize=${trainSize} must be smaller than the number of samples ${nSamples}`);
  }
  if (nTrain + nTest > nSamples) {
    throw new ValueError(`${who}: trainSize + testSize = ${nTrain + nTest} rows, more than the ${nSamples} samples`);
  }
  if (nTrain <= 0) throw new ValueError(`${who}: with nSamples=${nSamples} the train set would be empty`);
  if (nTest <= 0) throw new ValueError(`${who}: with nSamples=${nSamples} the test set would be empty`);
  return [nTrain, nTest];
}

/** What both shuffle splitters are made of: how many splits, their sizes (testSize 0.1 by default) and the seed. */
abstract class ShuffleSettings {
  readonly nSplits: number;
  readonly testSize: number | undefined;
  readonly trainSize: number | undefined;
  readonly seed: number;

  constructor(options: ShuffleSplitOptions = {}) {
    ({ nSplits: this.nSplits, testSize: this.testSize, trainSize: this.trainSize, seed: this.seed } = checkShuffleOptions(options, 0.1));
  }
}

/**
 * Independent random train/test splits (scikit-learn's `ShuffleSplit`): each split is
 * `rng.permutation(n)`, its first `nTest` rows tested and the next `nTrain` trained on.
 * @example
 * ```ts
 * const folds = new ShuffleSplit({ nSplits: 3, testSize: 0.25, seed: 1 }).split(100);
 * folds[0].test.length; // 25
 * ```
 */
export class ShuffleSplit extends ShuffleSettings implements Splitter {
  split(nSamples: number): Fold[] {
    checkInteger('ShuffleSplit.split: nSamples', nSamples, 1);
    const [nTrain, nTest] = splitSizes('ShuffleSplit', nSamples, this.testSize, this.trainSize);
    const rng = new RandomState(this.seed);
    const folds: Fold[] = [];
    for (let s = 0; s < this.nSplits; s++) {
      const order = rng.permutation(nSamples);
      folds.push({ test: order.slice(0, nTest), train: order.slice(nTest, nTest + nTrain) });
    }
    return folds;
  }
}

/**
 * scikit-learn's `_approximate_mode`: how many of `nDraws` each class gets, floor of its
 * share first, then one more to the largest remainders, ties broken by `rng.choice`.
 */
export function approximateMode(classCounts: Int32Array, nDraws: number, rng: RandomState): Int32Array {
  let total = 0;
  for (const c of classCounts) total += c;
  const continuous = Array.from(classCounts, (c) => (c / total) * nDraws);
  const floored = continuous.map(Math.floor);
  let needToAdd = nDraws - floored.reduce((a, b) => a + b, 0);
  if (needToAdd > 0) {
    const remainder = continuous.map((c, i) => c - floored[i]!);
    const values = [...new Set(remainder)].sort((a, b) => b - a);
    for (const value of values) {
      const inds = remainder.flatMap((r, i) => (r === value ? [i] : []));
      const addNow = Math.min(inds.length, needToAdd);
      for (const k of rng.choiceWithoutReplacement(inds.length, addNow)) floored[inds[k]!]!++;
      needToAdd -= addNow;
      if (needToAdd === 0) break;
    }
  }
  return Int32Array.from(floored);
}

/** Row indices of each class (ascending), classes in `np.unique` order. */
function classRows(codes: Int32Array, counts: Int32Array): Int32Array[] {
  const rows = Array.from(counts, (c) => new Int32Array(c));
  const fill = new Int32Array(counts.length);
  for (let i = 0; i < codes.length; i++) rows[codes[i]!]![fill[codes[i]!]!++] = i;
  return rows;
}

/**
 * One stratified split as scikit-learn draws it: per-class train and test counts by
 * `approximateMode`, a permutation of each class, then both sets permuted.
 */
export function stratifiedShuffleOnce(
  rows: readonly Int32Array[], counts: Int32Array, nTrain: number, nTest: number, rng: RandomState,
): Fold {
  const nI = approximateMode(counts, nTrain, rng);
  const remaining = counts.map((c, i) => c - nI[i]!);
  const tI = approximateMode(remaining, nTest, rng);
  const train: number[] = [];
  const test: number[] = [];
  rows.forEach((classRowList, i) => {
    const perm = rng.permutation(counts[i]!);
    for (let k = 0; k < nI[i]!; k++) train.push(classRowList[perm[k]!]!);
    for (let k = nI[i]!; k < nI[i]! + tI[i]!; k++) test.push(classRowList[perm[k]!]!);
  });
  return { train: rng.shuffle(Int32Array.from(train)), test: rng.shuffle(Int32Array.from(test)) };
}

/** Encodes stratification labels and checks them as scikit-learn's StratifiedShuffleSplit does. */
export function stratificationClasses(who: string, y: Float64Array | undefined, nSamples: number, nTrain: number, nTest: number): {
  rows: Int32Array[]; counts: Int32Array;
} {
  if (y === undefined) throw new ValueError(`${who} needs the labels y`);
  if (y.length !== nSamples) throw new ValueError(`${who}: y has ${y.length} labels, expected nSamples=${nSamples}`);
  const { codes, counts } = uniqueLabels(y);
  if (counts.some((c) => c < 2)) {
    throw new ValueError(`${who}: the least populated class in y has only 1 member, which is too few (each class needs at least 2)`);
  }
  if (nTrain < counts.length) throw new ValueError(`${who}: the train size ${nTrain} should be at least the number of classes ${counts.length}`);
  if (nTest < counts.length) throw new ValueError(`${who}: the test size ${nTest} should be at least the number of classes ${counts.length}`);
  return { rows: classRows(codes, counts), counts };
}

/**
 * Random splits that keep each class's share (scikit-learn's `StratifiedShuffleSplit`, the
 * same indices for the same seed).
 * @example
 * ```ts
 * const y = Float64Array.from([0, 0, 0, 0, 1, 1, 1, 1]);
 * new StratifiedShuffleSplit({ nSplits: 2, testSize: 0.5, seed: 0 }).split(8, y)[0].test.length; // 4
 * ```
 */
export class StratifiedShuffleSplit extends ShuffleSettings implements Splitter {
  split(nSamples: number, y?: Float64Array): Fold[] {
    checkInteger('StratifiedShuffleSplit.split: nSamples', nSamples, 1);
    const [nTrain, nTest] = splitSizes('StratifiedShuffleSplit', nSamples, this.testSize, this.trainSize);
    const { rows, counts } = stratificationClasses('StratifiedShuffleSplit', y, nSamples, nTrain, nTest);
    const rng = new RandomState(this.seed);
    const folds: Fold[] = [];
    for (let s = 0; s < this.nSplits; s++) folds.push(stratifiedShuffleOnce(rows, counts, nTrain, nTest, rng));
    return folds;
  }
}
