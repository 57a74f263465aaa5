/**
 * The arithmetic of scikit-learn 1.2's successive halving, separate from running it: the rung
 * schedule (`n_resources_`, `n_candidates_` and the iteration counts), the rows each rung
 * subsamples (`_SubsampleMetaSplitter`), and which candidates survive a rung (`_top_k`).
 * @example
 * ```ts
 * halvingSchedule({ nCandidates: 50, factor: 3, minResources: 10, maxResources: 1000, exhaust: true, aggressive: false });
 * // nResources [37, 111, 333, 999], nCandidates [50, 17, 6, 2]
 * ```
 */
import { numpyArgsort } from './numpy-order.js';
import { pyFloorDiv, pyLog } from './py-math.js';
import { RandomState } from './random-state.js';
import type { Fold } from './types.js';

/** What the schedule depends on. */
export interface ScheduleInput {
  readonly nCandidates: number;
  readonly factor: number;
  /** min_resources_ before 'exhaust' raises it: the given count, or nSplits * 2 (* nClasses). */
  readonly minResources: number;
  readonly maxResources: number;
  /** minResources was 'exhaust': the last rung should use as much as possible. */
  readonly exhaust: boolean;
  readonly aggressive: boolean;
}

/** scikit-learn's schedule attributes, camelCased. */
export interface HalvingSchedule {
  readonly nResources: readonly number[];
  readonly nCandidates: readonly number[];
  readonly nIterations: number;
  readonly nPossibleIterations: number;
  readonly nRequiredIterations: number;
  readonly minResources: number;
  readonly maxResources: number;
}

/**
 * The rungs scikit-learn's `_run_search` runs for these inputs: the same floats, floors and
 * logarithms (Python's `math.log(x, base)`, whose last bit decides a floor at exact powers).
 */
export function halvingSchedule(input: ScheduleInput): HalvingSchedule {
  const { factor, maxResources, aggressive } = input;
  const nRequired = 1 + Math.floor(pyLog(input.nCandidates, factor));
  let minResources = input.minResources;
  if (input.exhaust) minResources = Math.max(minResources, pyFloorDiv(maxResources, factor ** (nRequired - 1)));
  const nPossible = 1 + Math.floor(pyLog(pyFloorDiv(maxResources, minResources), factor));
  const nIterations = aggressive ? nRequired : Math.min(nPossible, nRequired);
  const nResources: number[] = [];
  const nCandidates: number[] = [];
  let remaining = input.nCandidates;
  for (let itr = 0; itr < nIterations; itr++) {
    const power = aggressive ? Math.max(0, itr - nRequired + nPossible) : itr;
    nResources.push(Math.min(Math.trunc(factor ** power * minResources), maxResources));
    nCandidates.push(remaining);
    remaining = Math.min(remaining, Math.ceil(remaining / factor));
  }
  return { nResources, nCandidates, nIterations, nPossibleIterations: nPossible, nRequiredIterations: nRequired, minResources, maxResources };
}

/** `sklearn.utils.resample(indices, replace=False, n_samples=k, random_state=seed)`: a fresh RandomState(seed) each call. */
function resamplePrefix(indices: Int32Array, k: number, seed: number): Int32Array {
  const order = new RandomState(seed).permutation(indices.length);
  const out = new Int32Array(k);
  for (let i = 0; i < k; i++) out[i] = indices[order[i]!]!;
  return out;
}

/**
 * The folds of one rung (scikit-learn's `_SubsampleMetaSplitter` with subsample_test): each
 * base fold's training and test rows resampled to `fraction` of their size. With an integer
 * seed every call shuffles with a fresh RandomState(seed), so a rung's rows are a prefix of the
 * next rung's.
 */
export function subsampleFolds(baseFolds: readonly Fold[], fraction: number, seed: number): Fold[] {
  return baseFolds.map((fold) => ({
    train: resamplePrefix(fold.train, Math.trunc(fraction * fold.train.length), seed),
    test: resamplePrefix(fold.test, Math.trunc(fraction * fold.test.length), seed),
  }));
}

/**
 * Indices of the `k` best of `scores` in scikit-learn's `_top_k` order: numpy's argsort
 * (NaN last, then rolled to the front so NaN never survives ahead of a score), the last k,
 * worst first.
 */
export function topK(scores: readonly number[], k: number): number[] {
  const order = Array.from(numpyArgsort(scores));
  const nans = scores.filter((s) => Number.isNaN(s)).length;
  const rolled = nans === 0 ? order : [...order.slice(order.length - nans), ...order.slice(0, order.length - nans)];
  return rolled.slice(Math.max(0, rolled.length - k));
}
