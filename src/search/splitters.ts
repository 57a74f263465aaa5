/**
 * Cross-validation splitters: KFold and StratifiedKFold (scikit-learn 1.2's folds exactly,
 * shuffled or not: shuffles draw from numpy's RandomState), explicit folds, and
 * scikit-learn's rule for `cv`. The other splitters live beside this file.
 */
import { ValueError } from '../errors.js';
import { checkBoolean, checkInteger, describe } from './option-checks.js';
import { nativeFolds } from './native-folds.js';
import { checkNumpySeed, RandomState } from './random-state.js';
import type { Fold, Splitter } from './types.js';
import { warnOnce } from './warnings.js';

/** Options of KFold and StratifiedKFold. */
export interface KFoldOptions {
  /** Number of folds, >= 2. Default 5. */
  readonly nSplits?: number;
  /** Shuffle rows (KFold) or each class's fold labels (StratifiedKFold) before splitting. Default false. */
  readonly shuffle?: boolean;
  /**
   * numpy's `random_state` for the shuffle (an integer in [0, 2**32 - 1]); only allowed with
   * `shuffle: true`, as scikit-learn. Default 0.
   */
  readonly seed?: number;
}

interface CheckedKFoldOptions {
  readonly nSplits: number;
  readonly shuffle: boolean;
  readonly seed: number;
}

export function checkKFoldOptions(options: KFoldOptions): CheckedKFoldOptions {
  const nSplits = checkInteger('options.nSplits', options.nSplits ?? 5, 2);
  const shuffle = checkBoolean('options.shuffle', options.shuffle ?? false);
  if (options.seed !== undefined) {
    checkNumpySeed('options.seed', options.seed);
    // scikit-learn refuses a random_state without shuffle: it would silently do nothing.
    if (!shuffle) throw new ValueError(`options.seed has no effect when options.shuffle is false: drop the seed or set shuffle: true`);
  }
  return { nSplits, shuffle, seed: options.seed ?? 0 };
}

export function checkSampleCount(who: string, nSamples: number, nSplits: number): void {
  checkInteger(`${who}.split: nSamples`, nSamples, 0);
  if (nSplits > nSamples) {
    throw new ValueError(`${who}: cannot have nSplits=${nSplits} greater than the number of samples: nSamples=${nSamples}`);
  }
}

/**
 * Folds from a fold label per row: fold k tests the rows labelled k and trains on the rest,
 * both ascending (scikit-learn builds them from boolean masks, so they are sorted). Labels
 * outside 0 .. nSplits − 1 train in every fold. The loops run in the addon where it has them
 * (native-folds.ts).
 */
export function foldsFromLabels(labels: Int32Array, nSplits: number): Fold[] {
  const n = labels.length;
  const native = nativeFolds();
  const sizes = new Int32Array(nSplits);
  if (native !== null) native.labelCounts(labels, sizes);
  else for (let i = 0; i < n; i++) sizes[labels[i]!]!++;
  const folds: Fold[] = [];
  for (let k = 0; k < nSplits; k++) {
    const test = new Int32Array(sizes[k]!);
    const train = new Int32Array(n - sizes[k]!);
    if (native !== null) native.foldIndices(labels, k, test, train);
    else splitByLabel(labels, k, test, train);
    folds.push({ train, test });
  }
  return folds;
}

/** Rows labelled k into test, the others into train, in row order (the addon's foldIndices in JavaScript). */
function splitByLabel(labels: Int32Array, k: number, test: Int32Array, train: Int32Array): void {
  let t = 0;
  let r = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === k) test[t++] = i;
    else train[r++] = i;
  }
}

/**
 * Unshuffled KFold's folds written straight from the block bounds: no label array and one
 * pass per fold (fresh memory is what these arrays cost, so none is allocated twice).
 */
function consecutiveFolds(n: number, nSplits: number): Fold[] {
  const base = Math.floor(n / nSplits);
  const extra = n % nSplits;
  const folds: Fold[] = [];
  let start = 0;
  for (let k = 0; k < nSplits; k++) {
    const stop = start + base + (k < extra ? 1 : 0);
    const test = new Int32Array(stop - start);
    const train = new Int32Array(n - test.length);
    for (let i = start; i < stop; i++) test[i - start] = i;
    for (let i = 0; i < start; i++) train[i] = i;
    for (let i = stop; i < n; i++) train[i - test.length] = i;
    folds.push({ train, test });
    start = stop;
  }
  return folds;
}

/**
 * K consecutive folds (scikit-learn's `KFold`): the first `n % k` folds get one extra row.
 * With `shuffle`, rows are permuted first by numpy's `RandomState(seed).shuffle`, so the folds
 * equal scikit-learn's for `random_state=seed`.
 * @example
 * ```ts
 * const folds = new KFold({ nSplits: 3 }).split(10);
 * folds[0].test; // Int32Array [0, 1, 2, 3]
 * ```
 */
export class KFold implements Splitter {
  readonly nSplits: number;
  readonly shuffle: boolean;
  readonly seed: number;

  constructor(options: KFoldOptions = {}) {
    ({ nSplits: this.nSplits, shuffle: this.shuffle, seed: this.seed } = checkKFoldOptions(options));
  }

  split(nSamples: number): Fold[] {
    checkSampleCount('KFold', nSamples, this.nSplits);
    if (!this.shuffle) return consecutiveFolds(nSamples, this.nSplits);
    return shuffledKFold(nSamples, this.nSplits, new RandomState(this.seed));
  }
}

/** KFold's folds after `rng.shuffle(arange(n))` (RepeatedKFold calls it once per repeat on one generator). */
export function shuffledKFold(nSamples: number, nSplits: number, rng: RandomState): Fold[] {
  const order = rng.permutation(nSamples);
  const labels = new Int32Array(nSamples);
  const base = Math.floor(nSamples / nSplits);
  const extra = nSamples % nSplits;
  let pos = 0;
  for (let k = 0; k < nSplits; k++) {
    const size = base + (k < extra ? 1 : 0);
    for (let j = 0; j < size; j++) labels[order[pos++]!] = k;
  }
  return foldsFromLabels(labels, nSplits);
}

/** Labels encoded by order of first appearance, as scikit-learn's StratifiedKFold encodes them. */
interface EncodedLabels {
  readonly codes: Int32Array;
  readonly counts: number[];
}

/** Labels below this (and ≥ 0) are looked up in a table instead of a Map: class labels mostly are 0, 1, 2, ... */
const SMALL_LABELS = 1024;

function encodeClasses(y: Float64Array): EncodedLabels {
  const codeOf = new Map<number, number>();
  const small = new Int32Array(SMALL_LABELS).fill(-1);
  const codes = new Int32Array(y.length);
  const counts: number[] = [];
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (!Number.isFinite(v)) throw new ValueError(`StratifiedKFold: y[${i}] is ${v}: class labels must be finite`);
    // scikit-learn's type_of_target calls non-integral floats 'continuous' and refuses them.
    if (!Number.isInteger(v)) {
      throw new ValueError(`StratifiedKFold: y must hold class labels (binary or multiclass), found continuous values (y[${i}] = ${v})`);
    }
    // A Map lookup per row cost 100 ns on 200,000 rows; the table (−0 is 0 in both) is a load.
    let code = v >= 0 && v < SMALL_LABELS ? small[v]! : codeOf.get(v) ?? -1;
    if (code < 0) {
      code = counts.length;
      if (v >= 0 && v < SMALL_LABELS) small[v] = code;
      else codeOf.set(v, code);
      counts.push(0);
    }
    codes[i] = code;
    counts[code]!++;
  }
  return { codes, counts };
}

/**
 * Rows of each class per fold, computed as scikit-learn does: deal the sorted class codes
 * round-robin over the folds (class c's rows take positions p .. p + count − 1, position j going
 * to fold j mod nSplits: each fold gets ⌊count / nSplits⌋, and the remainder goes one each to
 * the folds from p mod nSplits on). Returns a [nSplits, nClasses] row-major count table.
 */
function allocatePerFold(counts: readonly number[], nSplits: number): Int32Array {
  const nClasses = counts.length;
  const allocation = new Int32Array(nSplits * nClasses);
  let position = 0;
  for (let c = 0; c < nClasses; c++) {
    const count = counts[c]!;
    const each = Math.floor(count / nSplits);
    for (let k = 0; k < nSplits; k++) allocation[k * nClasses + c] = each;
    for (let t = 0; t < count % nSplits; t++) allocation[((position + t) % nSplits) * nClasses + c]!++;
    position += count;
  }
  return allocation;
}

function checkClassSizes(counts: readonly number[], nSplits: number): void {
  // A loop, not Math.max(...counts): label sets can be large enough to overflow the call stack.
  let largest = 0;
  let smallest = Infinity;
  for (const c of counts) {
    if (c > largest) largest = c;
    if (c < smallest) smallest = c;
  }
  if (largest < nSplits) {
    throw new ValueError(
      `StratifiedKFold: nSplits=${nSplits} cannot be greater than the number of members in each class (largest class has ${largest})`,
    );
  }
  if (smallest < nSplits) {
    warnOnce('UserWarning', `The least populated class in y has only ${smallest} members, which is less than nSplits=${nSplits}.`);
  }
}

/**
 * Folds that keep each class's share (scikit-learn's `StratifiedKFold`, identical folds for the
 * same seed): each class is given to the folds in contiguous blocks, in row order, and with
 * `shuffle` each class's fold labels are shuffled by numpy's RandomState.
 * @example
 * ```ts
 * const y = new Float64Array([0, 0, 0, 1, 1, 1]);
 * new StratifiedKFold({ nSplits: 3 }).split(6, y)[0].test; // Int32Array [0, 3]
 * ```
 */
export class StratifiedKFold implements Splitter {
  readonly nSplits: number;
  readonly shuffle: boolean;
  readonly seed: number;

  constructor(options: KFoldOptions = {}) {
    ({ nSplits: this.nSplits, shuffle: this.shuffle, seed: this.seed } = checkKFoldOptions(options));
  }

  split(nSamples: number, y?: Float64Array): Fold[] {
    return stratifiedKFold(nSamples, y, this.nSplits, this.shuffle ? new RandomState(this.seed) : undefined);
  }
}

/**
 * StratifiedKFold's folds; with `rng`, each class's fold labels are shuffled by it in class
 * order (RepeatedStratifiedKFold calls it once per repeat on one generator).
 */
export function stratifiedKFold(nSamples: number, y: Float64Array | undefined, nSplits: number, rng: RandomState | undefined): Fold[] {
  if (y === undefined) throw new ValueError('StratifiedKFold.split needs the labels y');
  if (y.length !== nSamples) throw new ValueError(`StratifiedKFold: y has ${y.length} labels, expected nSamples=${nSamples}`);
  checkSampleCount('StratifiedKFold', nSamples, nSplits);
  const { codes, counts } = encodeClasses(y);
  checkClassSizes(counts, nSplits);
  const nClasses = counts.length;
  const allocation = allocatePerFold(counts, nSplits);
  // Fold labels for each class's rows in row order: fold 0's share first, then fold 1's, ...
  const perClass = counts.map((count, c) => {
    const labels = new Int32Array(count);
    let at = 0;
    for (let k = 0; k < nSplits; k++) {
      const share = allocation[k * nClasses + c]!;
      labels.fill(k, at, at + share);
      at += share;
    }
    rng?.shuffle(labels);
    return labels;
  });
  const cursor = new Int32Array(nClasses);
  const foldOf = new Int32Array(nSamples);
  for (let i = 0; i < nSamples; i++) {
    const c = codes[i]!;
    foldOf[i] = perClass[c]![cursor[c]!++]!;
  }
  return foldsFromLabels(foldOf, nSplits);
}

/** A fold given by the caller: index lists (plain arrays from JSON are accepted too). */
export interface FoldSpec {
  readonly train: ArrayLike<number>;
  readonly test: ArrayLike<number>;
}

function toIndices(name: string, values: unknown): Int32Array {
  if (values === null || typeof values !== 'object' || typeof (values as ArrayLike<number>).length !== 'number') {
    throw new ValueError(`${name} must be a list of row indices, found ${describe(values)}`);
  }
  const list = values as ArrayLike<unknown>;
  const out = new Int32Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0x7fffffff) {
      throw new ValueError(`${name}[${i}] must be a non-negative integer row index, found ${describe(v)}`);
    }
    out[i] = v;
  }
  return out;
}

/**
 * Explicit folds, used as given (order kept). Indices are checked against the row count
 * when `split` is called.
 * @example
 * ```ts
 * const cv = new PredefinedFolds([{ train: [2, 3], test: [0, 1] }, { train: [0, 1], test: [2, 3] }]);
 * cv.split(4).length; // 2
 * ```
 */
export class PredefinedFolds implements Splitter {
  readonly nSplits: number;
  readonly folds: readonly Fold[];

  constructor(folds: readonly FoldSpec[]) {
    if (!Array.isArray(folds) || folds.length === 0) {
      throw new ValueError(`cv folds must be a non-empty list of {train, test} index lists, found ${describe(folds)}`);
    }
    this.folds = folds.map((fold: unknown, k) => {
      if (fold === null || typeof fold !== 'object') throw new ValueError(`cv folds[${k}] must be {train, test}, found ${describe(fold)}`);
      const { train, test } = fold as Partial<FoldSpec>;
      const checked = { train: toIndices(`cv folds[${k}].train`, train), test: toIndices(`cv folds[${k}].test`, test) };
      if (checked.test.length === 0) throw new ValueError(`cv folds[${k}].test is empty: every fold needs test rows`);
      if (checked.train.length === 0) throw new ValueError(`cv folds[${k}].train is empty: every fold needs training rows`);
      return checked;
    });
    this.nSplits = this.folds.length;
  }

  split(nSamples: number): Fold[] {
    checkInteger('PredefinedFolds.split: nSamples', nSamples, 1);
    this.folds.forEach((fold, k) => {
      for (const part of ['train', 'test'] as const) {
        const indices = fold[part];
        for (let i = 0; i < indices.length; i++) {
          if (indices[i]! >= nSamples) {
            throw new ValueError(`cv folds[${k}].${part}[${i}] = ${indices[i]} is out of range for ${nSamples} rows`);
          }
        }
      }
    });
    return [...this.folds];
  }
}

function isSplitter(value: unknown): value is Splitter {
  return value !== null && typeof value === 'object' && typeof (value as Splitter).split === 'function'
    && typeof (value as Splitter).nSplits === 'number';
}

/**
 * scikit-learn's `check_cv`: a fold count (default 5) means StratifiedKFold for classifiers
 * and KFold for regressors, unshuffled; a splitter is used as is; a list is explicit folds.
 * @example
 * ```ts
 * resolveCv(3, true); // StratifiedKFold { nSplits: 3 }
 * ```
 */
export function resolveCv(cv: number | Splitter | readonly FoldSpec[] | undefined, isClassifier: boolean): Splitter {
  if (cv === undefined || typeof cv === 'number') {
    const nSplits = cv ?? 5;
    if (!Number.isInteger(nSplits) || nSplits < 2) {
      throw new ValueError(`cv must be an integer >= 2, a splitter or a list of folds, found ${describe(nSplits)}`);
    }
    return isClassifier ? new StratifiedKFold({ nSplits }) : new KFold({ nSplits });
  }
  if (Array.isArray(cv)) return new PredefinedFolds(cv);
  if (isSplitter(cv)) return cv;
  throw new ValueError(`cv must be an integer >= 2, a splitter or a list of folds, found ${describe(cv)}`);
}
