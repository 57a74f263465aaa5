/**
 * Per-thread cache of mapped dataset stores: a worker maps a store the first time a task
 * names it and keeps the mapping (and its fold sets) for every later task.
 */
import { openStore, readFoldSet, readFoldSetArrays, type OpenedStore } from '../data/store.js';
import type { FoldIndices } from '../data/store.js';
import type { MappedArray } from '../data/ndarray.js';
import { targetValues } from '../models/checks.js';
import { encodeLabels, type EncodedLabels } from '../models/logistic-labels.js';

const stores = new Map<string, OpenedStore>();
const foldSets = new Map<string, readonly FoldIndices[]>();

/** The store at `dir`, mapped read-only once per thread. */
export function mappedStore(dir: string): OpenedStore {
  let store = stores.get(dir);
  if (!store) {
    store = openStore(dir);
    stores.set(dir, store);
  }
  return store;
}

const targets = new Map<string, Float64Array>();

/**
 * The y of the store at `dir` as float64 values, one per row of its X, converted once per thread
 * for every task that reads it (its own array when y is float64 already).
 */
export function storeTarget(dir: string): Float64Array {
  let target = targets.get(dir);
  if (!target) {
    const { X, y } = mappedStore(dir);
    target = targetValues(y, X.shape[0]!);
    targets.set(dir, target);
  }
  return target;
}

const labelSets = new Map<string, EncodedLabels | undefined>();

/**
 * The class labels of the store at `dir` encoded for every row (encodeLabels), once per thread
 * for every logistic task that fits on its rows (a fold whose rows hold every class reads them:
 * labelsForRows). Undefined when y has a single class: the tasks' own encoding then says so.
 */
export function storeLabels(dir: string): EncodedLabels | undefined {
  if (!labelSets.has(dir)) labelSets.set(dir, encodeAll(storeTarget(dir)));
  return labelSets.get(dir);
}

function encodeAll(target: Float64Array): EncodedLabels | undefined {
  try {
    return encodeLabels(target, undefined);
  } catch {
    return undefined;
  }
}

/** Fold set `id` of the store at `dir`, mapped once per thread. */
export function mappedFolds(dir: string, id: string): readonly FoldIndices[] {
  const key = `${dir}\u0000${id}`;
  let folds = foldSets.get(key);
  if (!folds) {
    folds = readFoldSet(dir, id);
    foldSets.set(key, folds);
  }
  return folds;
}

const fitArrays = new Map<string, Readonly<Record<string, Float64Array>>>();

/** The per-row fit arrays (sample weights) of fold set `id`, by fit param name, mapped once per thread. */
export function mappedFitArrays(dir: string, id: string): Readonly<Record<string, Float64Array>> {
  const key = `${dir}\u0000${id}`;
  let arrays = fitArrays.get(key);
  if (!arrays) {
    arrays = readFoldSetArrays(dir, id);
    fitArrays.set(key, arrays);
  }
  return arrays;
}

/** The arrays of a store this thread has mapped (for memory reports); empty if it has not mapped it. */
export function mappedArrays(dir: string): MappedArray[] {
  const store = stores.get(dir);
  return store ? [store.X, store.y] : [];
}
