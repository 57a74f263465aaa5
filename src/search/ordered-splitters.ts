/**
 * Splitters with no randomness: scikit-learn's `TimeSeriesSplit`, `LeaveOneOut`, `LeavePOut`
 * and `PredefinedSplit`, with the same folds in the same order.
 */
import { ValueError } from '../errors.js';
import { checkInteger, describe } from './option-checks.js';
import { foldsFromLabels } from './splitters.js';
import type { Fold, Splitter } from './types.js';

/**
 * Most row indices a fold set may hold in total (train + test over every fold): 2**27 int32
 * values are 512 MiB. Leave-out splitters pass it quickly (n rows give about n² indices).
 */
export const MAX_FOLD_INDICES = 2 ** 27;

function checkFoldVolume(who: string, nSplits: number, nSamples: number): void {
  if (nSplits * nSamples > MAX_FOLD_INDICES) {
    throw new ValueError(
      `${who}: ${nSplits} splits of ${nSamples} rows would hold ${nSplits * nSamples} row indices, more than memgrid keeps (${MAX_FOLD_INDICES}): `
      + 'use KFold or ShuffleSplit for data this size',
    );
  }
}

/** Options of TimeSeriesSplit (scikit-learn's, camelCased). */
export interface TimeSeriesSplitOptions {
  /** Number of splits, >= 2. Default 5. */
  readonly nSplits?: number;
  /** Most rows a training set keeps (the latest ones). Default: no limit. */
  readonly maxTrainSize?: number;
  /** Rows per test set. Default: nSamples / (nSplits + 1), rounded down. */
  readonly testSize?: number;
  /** Rows left out between each training set's end and its test set. Default 0. */
  readonly gap?: number;
}

/**
 * Forward-chaining splits for ordered data (scikit-learn's `TimeSeriesSplit`): each test set
 * follows its training set in row order; training sets grow (or slide, with `maxTrainSize`).
 * @example
 * ```ts
 * new TimeSeriesSplit({ nSplits: 3, testSize: 2, gap: 2 }).split(12)[0]; // train [0..3], test [6, 7]
 * ```
 */
export class TimeSeriesSplit implements Splitter {
  readonly nSplits: number;
  readonly maxTrainSize: number | undefined;
  readonly testSize: number | undefined;
  readonly gap: number;

  constructor(options: TimeSeriesSplitOptions = {}) {
    this.nSplits = checkInteger('options.nSplits', options.nSplits ?? 5, 2);
    this.maxTrainSize = options.maxTrainSize === undefined ? undefined : checkInteger('options.maxTrainSize', options.maxTrainSize, 1);
    this.testSize = options.testSize === undefined ? undefined : checkInteger('options.testSize', options.testSize, 1);
    this.gap = checkInteger('options.gap', options.gap ?? 0, 0);
  }

  split(nSamples: number): Fold[] {
    checkInteger('TimeSeriesSplit.split: nSamples', nSamples, 1);
    const nFolds = this.nSplits + 1;
    const testSize = this.testSize ?? Math.floor(nSamples / nFolds);
    if (nFolds > nSamples) throw new ValueError(`TimeSeriesSplit: cannot have number of folds=${nFolds} greater than the number of samples=${nSamples}`);
    if (nSamples - this.gap - testSize * this.nSplits <= 0) {
      throw new ValueError(`TimeSeriesSplit: too many splits=${this.nSplits} for number of samples=${nSamples} with testSize=${testSize} and gap=${this.gap}`);
    }
    const folds: Fold[] = [];
    for (let testStart = nSamples - this.nSplits * testSize; testStart < nSamples; testStart += testSize) {
      const trainEnd = testStart - this.gap;
      const trainStart = this.maxTrainSize !== undefined && this.maxTrainSize < trainEnd ? trainEnd - this.maxTrainSize : 0;
      folds.push({ train: range(trainStart, trainEnd), test: range(testStart, Math.min(testStart + testSize, nSamples)) });
    }
    return folds;
  }
}

function range(start: number, stop: number): Int32Array {
  const out = new Int32Array(Math.max(0, stop - start));
  for (let i = 0; i < out.length; i++) out[i] = start + i;
  return out;
}

/**
 * Every row tested alone once (scikit-learn's `LeaveOneOut`): n folds of n - 1 training rows,
 * so it is refused past {@link MAX_FOLD_INDICES} indices.
 * @example
 * ```ts
 * new LeaveOneOut().split(3)[1]; // { train: [0, 2], test: [1] }
 * ```
 */
export class LeaveOneOut implements Splitter {
  /** Known only once the rows are: `split(n)` gives n folds. */
  readonly nSplits = Number.NaN;

  split(nSamples: number): Fold[] {
    checkInteger('LeaveOneOut.split: nSamples', nSamples, 0);
    if (nSamples <= 1) throw new ValueError(`LeaveOneOut: cannot perform LeaveOneOut with nSamples=${nSamples}`);
    checkFoldVolume('LeaveOneOut', nSamples, nSamples);
    return foldsFromLabels(range(0, nSamples), nSamples);
  }
}

/** n choose p, or Infinity once it passes 2**53. */
function binomial(n: number, p: number): number {
  let out = 1;
  for (let i = 1; i <= p; i++) {
    out = (out * (n - p + i)) / i;
    if (out > Number.MAX_SAFE_INTEGER) return Infinity;
  }
  return Math.round(out);
}

/**
 * Every set of `p` rows tested once (scikit-learn's `LeavePOut`), in lexicographic order of
 * the test rows. C(n, p) folds grow fast: past {@link MAX_FOLD_INDICES} indices it is refused.
 * @example
 * ```ts
 * new LeavePOut({ p: 2 }).split(4).length; // 6
 * ```
 */
export class LeavePOut implements Splitter {
  readonly p: number;
  readonly nSplits = Number.NaN;

  constructor(options: { readonly p: number }) {
    this.p = checkInteger('options.p', options?.p, 1);
  }

  split(nSamples: number): Fold[] {
    checkInteger('LeavePOut.split: nSamples', nSamples, 0);
    const p = this.p;
    if (nSamples <= p) throw new ValueError(`LeavePOut: p=${p} must be strictly less than the number of samples=${nSamples}`);
    const count = binomial(nSamples, p);
    checkFoldVolume(`LeavePOut(p=${p})`, count, nSamples);
    const folds: Fold[] = [];
    const chosen = Int32Array.from({ length: p }, (_, i) => i);
    for (;;) {
      const test = chosen.slice();
      const train = new Int32Array(nSamples - p);
      for (let i = 0, t = 0, r = 0; i < nSamples; i++) {
        if (t < p && test[t] === i) t++;
        else train[r++] = i;
      }
      folds.push({ train, test });
      // Next combination in lexicographic order, as itertools.combinations.
      let k = p - 1;
      while (k >= 0 && chosen[k] === nSamples - p + k) k--;
      if (k < 0) break;
      chosen[k]!++;
      for (let j = k + 1; j < p; j++) chosen[j] = chosen[j - 1]! + 1;
    }
    return folds;
  }
}

/**
 * Folds given by a test-fold label per row (scikit-learn's `PredefinedSplit`): rows labelled
 * k (k >= 0) form test fold k, in ascending label order; rows labelled -1 are always trained on.
 * @example
 * ```ts
 * new PredefinedSplit([0, 1, -1, 1]).split(4); // test [0], then test [1, 3]
 * ```
 */
export class PredefinedSplit implements Splitter {
  readonly testFold: Int32Array;
  readonly nSplits: number;
  private readonly labels: number[];

  constructor(testFold: ArrayLike<number>) {
    if (testFold === null || typeof testFold !== 'object' || typeof testFold.length !== 'number' || testFold.length === 0) {
      throw new ValueError(`testFold must be a non-empty list of fold labels (-1 for never tested), found ${describe(testFold)}`);
    }
    this.testFold = Int32Array.from({ length: testFold.length }, (_, i) => {
      const v = testFold[i];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < -1) throw new ValueError(`testFold[${i}] must be an integer >= -1, found ${describe(v)}`);
      return v;
    });
    this.labels = [...new Set(this.testFold)].filter((v) => v !== -1).sort((a, b) => a - b);
    if (this.labels.length === 0) throw new ValueError('testFold has no test fold: every label is -1');
    this.nSplits = this.labels.length;
  }

  split(nSamples: number): Fold[] {
    if (nSamples !== this.testFold.length) {
      throw new ValueError(`PredefinedSplit: testFold has ${this.testFold.length} labels, expected one per row (${nSamples})`);
    }
    const index = new Map(this.labels.map((v, k) => [v, k]));
    // Rows labelled -1 get a label past the last fold: foldsFromLabels then trains on them in every fold.
    const labels = this.testFold.map((v) => (v === -1 ? this.labels.length : index.get(v)!));
    return foldsFromLabels(labels, this.labels.length);
  }
}
