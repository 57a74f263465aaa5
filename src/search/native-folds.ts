/**
 * The addon's fold split (native/folds.c), where the addon has it: the loops of
 * splitters.ts's foldsFromLabels in C. A search runs them on the caller's thread before its first
 * task, while its pool threads start on the same cores; cold, the JavaScript loops (one pass
 * over every row per fold) were interpreted, then compiled four times over, ~40 ms of that start
 * on the benchmark's 200,000 rows, where C takes ~1 ms. Same folds either way.
 */
import { addonWith } from '../data/native-mmap.js';

/** The addon's fold-split exports. */
export interface NativeFolds {
  /** counts[l] += 1 for each label l in [0, counts.length); other labels count nowhere. */
  labelCounts(labels: Int32Array, counts: Int32Array): void;
  /** Rows labelled `fold` into `test`, the others into `train`, ascending; RangeError unless they fill both exactly. */
  foldIndices(labels: Int32Array, fold: number, test: Int32Array, train: Int32Array): void;
}

let loaded: NativeFolds | null | undefined;
let enabled = true;

/** The addon's fold split, or null where the addon is missing, predates it, or tests turned it off. */
export function nativeFolds(): NativeFolds | null {
  if (!enabled) return null;
  if (loaded === undefined) loaded = addonWith<NativeFolds>(['labelCounts', 'foldIndices']);
  return loaded;
}

/** Turns the native split off (false) or back on, for tests comparing it with the JavaScript one. */
export function useNativeFolds(on: boolean): void {
  enabled = on;
}
