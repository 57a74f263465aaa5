/**
 * Splitters that keep each group's rows together: scikit-learn's `GroupKFold` and
 * `StratifiedGroupKFold`, with its tie-breaking (numpy's argsort, its sums' rounding) so the
 * folds are the same.
 */
import { ValueError } from '../errors.js';
import { numpyArgsort, numpyStd, pairwiseSum, uniqueLabels } from './numpy-order.js';
import { checkInteger } from './option-checks.js';
import { RandomState } from './random-state.js';
import { checkKFoldOptions, checkSampleCount, foldsFromLabels, type KFoldOptions } from './splitters.js';
import type { Fold, Groups, Splitter } from './types.js';
import { warnOnce } from './warnings.js';

/** Checks that groups were given, one per row; returns them encoded as `np.unique` does. */
function encodeGroups(who: string, groups: Groups | undefined, nSamples: number): ReturnType<typeof uniqueLabels> {
  if (groups === undefined) throw new ValueError(`${who} needs groups: pass fit(X, y, { groups }) (or data.groups in a config)`);
  if (groups.length !== nSamples) throw new ValueError(`${who}: groups has ${groups.length} labels, expected one per row (${nSamples})`);
  return uniqueLabels(groups);
}

/**
 * K folds of whole groups (scikit-learn's `GroupKFold`): the largest groups first, each to the
 * fold with the fewest rows so far. Not randomized.
 * @example
 * ```ts
 * new GroupKFold({ nSplits: 2 }).split(4, undefined, [1, 1, 2, 3])[0].test; // Int32Array [0, 1]
 * ```
 */
export class GroupKFold implements Splitter {
  readonly nSplits: number;

  constructor(options: { readonly nSplits?: number } = {}) {
    this.nSplits = checkInteger('options.nSplits', options.nSplits ?? 5, 2);
  }

  split(nSamples: number, _y?: Float64Array, groups?: Groups): Fold[] {
    checkSampleCount('GroupKFold', nSamples, this.nSplits);
    const { codes, counts } = encodeGroups('GroupKFold', groups, nSamples);
    if (this.nSplits > counts.length) {
      throw new ValueError(`GroupKFold: cannot have nSplits=${this.nSplits} greater than the number of groups: ${counts.length}`);
    }
    // Largest groups first: numpy's argsort reversed, so ties fall in numpy's order.
    const order = numpyArgsort(counts).reverse();
    const perFold = new Float64Array(this.nSplits);
    const foldOfGroup = new Int32Array(counts.length);
    for (const g of order) {
      let lightest = 0;
      for (let f = 1; f < this.nSplits; f++) if (perFold[f]! < perFold[lightest]!) lightest = f;
      perFold[lightest]! += counts[g]!;
      foldOfGroup[g] = lightest;
    }
    return foldsFromLabels(codes.map((g) => foldOfGroup[g]!), this.nSplits);
  }
}

/**
 * Folds of whole groups that keep the classes' shares as well as groups allow (scikit-learn's
 * `StratifiedGroupKFold`): groups with the most uneven class counts first, each to the fold
 * where the classes' spread across folds stays smallest. With `shuffle`, groups of equal
 * spread are ordered by numpy's RandomState, as scikit-learn does (including its way of
 * applying the shuffled order, so the folds are the same for the same seed).
 * @example
 * ```ts
 * const cv = new StratifiedGroupKFold({ nSplits: 2 });
 * cv.split(6, Float64Array.from([0, 0, 1, 1, 0, 1]), [1, 1, 2, 2, 3, 3]);
 * ```
 */
export class StratifiedGroupKFold implements Splitter {
  readonly nSplits: number;
  readonly shuffle: boolean;
  readonly seed: number;

  constructor(options: KFoldOptions = {}) {
    ({ nSplits: this.nSplits, shuffle: this.shuffle, seed: this.seed } = checkKFoldOptions(options));
  }

  split(nSamples: number, y?: Float64Array, groups?: Groups): Fold[] {
    checkSampleCount('StratifiedGroupKFold', nSamples, this.nSplits);
    if (y === undefined) throw new ValueError('StratifiedGroupKFold.split needs the labels y');
    if (y.length !== nSamples) throw new ValueError(`StratifiedGroupKFold: y has ${y.length} labels, expected nSamples=${nSamples}`);
    const classes = uniqueLabels(y);
    const yCount = Float64Array.from(classes.counts);
    const nClasses = yCount.length;
    if (classes.counts.every((c) => this.nSplits > c)) {
      throw new ValueError(`StratifiedGroupKFold: nSplits=${this.nSplits} cannot be greater than the number of members in each class`);
    }
    const smallest = Math.min(...classes.counts);
    if (this.nSplits > smallest) {
      warnOnce('UserWarning', `The least populated class in y has only ${smallest} members, which is less than nSplits=${this.nSplits}.`);
    }
    const grouped = encodeGroups('StratifiedGroupKFold', groups, nSamples);
    const nGroups = grouped.counts.length;
    let rowsOfCounts = Array.from({ length: nGroups }, () => new Float64Array(nClasses));
    for (let i = 0; i < nSamples; i++) rowsOfCounts[grouped.codes[i]!]![classes.codes[i]!]!++;
    // scikit-learn shuffles the count rows but then reads a row's position as its group id.
    if (this.shuffle) rowsOfCounts = Array.from(new RandomState(this.seed).permutation(nGroups), (g) => rowsOfCounts[g]!);
    const spread = rowsOfCounts.map((row) => -numpyStd(row));
    const order = [...Array(nGroups).keys()].sort((a, b) => spread[a]! - spread[b]!);
    const perFold = Array.from({ length: this.nSplits }, () => new Float64Array(nClasses));
    const foldOfGroup = new Int32Array(nGroups);
    for (const g of order) {
      const best = bestFold(perFold, yCount, rowsOfCounts[g]!);
      for (let c = 0; c < nClasses; c++) perFold[best]![c]! += rowsOfCounts[g]![c]!;
      foldOfGroup[g] = best;
    }
    const folds = foldsFromLabels(grouped.codes.map((g) => foldOfGroup[g]!), this.nSplits);
    folds.forEach((fold, k) => {
      if (fold.test.length === 0) throw new ValueError(`StratifiedGroupKFold: fold ${k} has no test rows: there are fewer usable groups than nSplits=${this.nSplits}`);
    });
    return folds;
  }
}

/** numpy's isclose with its default tolerances. */
function isClose(a: number, b: number): boolean {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= 1e-8 + 1e-5 * Math.abs(b);
}

/**
 * scikit-learn's `_find_best_fold`: the fold where adding the group gives the smallest mean
 * (over classes) standard deviation (over folds) of the class shares; near ties go to the
 * fold with fewer rows. Sums run in numpy's order so near ties resolve the same way.
 */
function bestFold(perFold: readonly Float64Array[], yCount: Float64Array, groupCounts: Float64Array): number {
  const nSplits = perFold.length;
  const nClasses = yCount.length;
  const share = new Float64Array(nSplits);
  const stdPerClass = new Float64Array(nClasses);
  let best = -1;
  let minEval = Infinity;
  let minSamples = Infinity;
  for (let i = 0; i < nSplits; i++) {
    for (let c = 0; c < nClasses; c++) {
      // Column c of (perFold with the group added to fold i) / yCount, summed fold by fold as numpy's axis-0 std does.
      let sum = 0;
      for (let f = 0; f < nSplits; f++) {
        share[f] = (perFold[f]![c]! + (f === i ? groupCounts[c]! : 0)) / yCount[c]!;
        sum += share[f]!;
      }
      const mean = sum / nSplits;
      let sq = 0;
      for (let f = 0; f < nSplits; f++) sq += (share[f]! - mean) * (share[f]! - mean);
      stdPerClass[c] = Math.sqrt(sq / nSplits);
    }
    const foldEval = pairwiseSum(stdPerClass) / nClasses;
    const samplesInFold = pairwiseSum(perFold[i]!);
    if (foldEval < minEval || (isClose(foldEval, minEval) && samplesInFold < minSamples)) {
      minEval = foldEval;
      minSamples = samplesInFold;
      best = i;
    }
  }
  return best;
}
