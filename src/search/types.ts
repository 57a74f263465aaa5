/** Shared search types: folds and splitters. */

/** One train/test split: row indices into the dataset, ascending unless a shuffle says otherwise. */
export interface Fold {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/**
 * A cross-validation splitter. `y` is given to stratified splitters (labels as float64).
 * Splitting is deterministic for a given seed.
 */
export interface Splitter {
  readonly nSplits: number;
  /** Folds of `nSamples` rows; `y` (the labels as float64) may be the caller's data: read it, never write it. */
  split(nSamples: number, y?: Float64Array): Fold[];
}
