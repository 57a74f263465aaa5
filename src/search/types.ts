/** Shared search types: folds and splitters. */

/** One train/test split: row indices into the dataset, ascending unless a shuffle says otherwise. */
export interface Fold {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/** Group labels, one per row (numbers or strings), for the group-aware splitters. */
export type Groups = ArrayLike<number> | readonly string[];

/**
 * A cross-validation splitter. `y` is given to stratified splitters (labels as float64),
 * `groups` to group-aware ones. Splitting is deterministic for a given seed.
 */
export interface Splitter {
  readonly nSplits: number;
  /**
   * Folds of `nSamples` rows; `y` (the labels as float64) and `groups` may be the caller's
   * data: read them, never write them.
   */
  split(nSamples: number, y?: Float64Array, groups?: Groups): Fold[];
}
