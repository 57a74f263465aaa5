/**
 * Per-thread cache of mapped dataset stores: a worker maps a store the first time a task
 * names it and keeps the mapping (and its fold sets) for every later task.
 */
import { realpathSync } from 'node:fs';
import { openStore, readFoldSet, type OpenedStore } from '../data/store.js';
import type { FoldIndices } from '../data/store.js';

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

/** Paths of the files a mapped store's arrays live in (for memory reports); empty if not mapped here. */
export function mappedFiles(dir: string): string[] {
  const store = stores.get(dir);
  return store ? [store.X.path, store.y.path].map((p) => realpathSync(p)) : [];
}
