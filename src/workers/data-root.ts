/**
 * A worker's local cache of dataset stores (`--data-root DIR`): each store is copied once into
 * `DIR/<content hash>/`, through a temporary folder renamed into place so that a crash or a
 * second worker on the same host never sees half a copy. Every file of the copy is hashed and
 * must match the original (and again, once per worker process, before a cached copy is used),
 * or the task is refused. Arrays the manifest keeps outside the store folder (mapped where they
 * were) are copied into the cache too.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError } from '../errors.js';
import { checkDigests, localizeManifest, readDigests, readStoreHash, storeDigests, writeDigests } from './redis-store-hash.js';
import { isSafeName } from './redis-validate.js';

/** Copies made or in progress in this process: one copy per store even with many tasks at once. */
const copies = new Map<string, Promise<string>>();
/** Cached stores whose digests this process has checked. */
const verified = new Set<string>();

/**
 * The cached copy of store `hash` under `dataRoot`, verified once per process, or undefined if absent.
 * @throws DataError when the cached copy does not match its hash.
 * @example
 * ```ts
 * const local = await cachedStore('/var/cache/memgrid', manifestHash);
 * ```
 */
export async function cachedStore(dataRoot: string, hash: string): Promise<string | undefined> {
  const target = join(dataRoot, hash);
  if (!existsSync(join(target, 'manifest.json'))) return undefined;
  if (!verified.has(target)) {
    const digests = readDigests(target);
    if (!digests) throw new DataError(`${target}: a cached store without its digests (${target} was not made by a memgrid worker); delete it to copy the store again`);
    checkManifestHash(target, hash);
    await checkDigests(target, digests, `cached store ${target}`);
    verified.add(target);
  }
  return target;
}

/**
 * Copies the store at `source` into `<dataRoot>/<hash>/` (unless there already) and returns
 * the copy's path.
 * @throws DataError when the copy's recomputed hash differs from the manifest's.
 * @example
 * ```ts
 * const local = await cacheStore('/mnt/nfs/stores/3f2a...', '/var/cache/memgrid');
 * ```
 */
export function cacheStore(source: string, dataRoot: string): Promise<string> {
  let hash: string;
  try {
    hash = readStoreHash(source);
  } catch (error) {
    return Promise.reject(error);
  }
  if (!isSafeName(hash)) return Promise.reject(new DataError(`${join(source, 'manifest.json')}: hash must be a plain name, found '${hash}'`));
  const key = `${dataRoot}\u0000${hash}`;
  let copy = copies.get(key);
  if (!copy) {
    // Registered before the first await, so tasks arriving together share one copy.
    copy = (async () => (await cachedStore(dataRoot, hash)) ?? copyStore(source, dataRoot, hash))();
    copies.set(key, copy);
    copy.catch(() => copies.delete(key));
  }
  return copy;
}

/**
 * Copies fold set `foldSet` of the store at `source` into the cached store `local`
 * (a new search on data already cached brings new folds).
 * @example
 * ```ts
 * await cacheFoldSet('/mnt/nfs/stores/3f2a...', '/var/cache/memgrid/3f2a...', task.foldSet);
 * ```
 */
export async function cacheFoldSet(source: string, local: string, foldSet: string): Promise<void> {
  const target = join(local, 'folds', foldSet);
  if (existsSync(target)) return;
  const from = join(source, 'folds', foldSet);
  if (!existsSync(from)) throw new DataError(`${from}: fold set '${foldSet}' not found`);
  await mkdir(join(local, 'folds'), { recursive: true });
  await placeAtomically(target, (tmp) => cp(from, tmp, { recursive: true }));
}

async function copyStore(source: string, dataRoot: string, hash: string): Promise<string> {
  const target = join(dataRoot, hash);
  await mkdir(dataRoot, { recursive: true });
  await placeAtomically(target, async (tmp) => {
    await cp(source, tmp, { recursive: true, dereference: true });
    const expected = { ...await storeDigests(source), ...await localizeManifest(tmp, target) };
    checkManifestHash(tmp, hash);
    await checkDigests(tmp, expected, `copy of store ${source} in ${tmp}`);
    await writeDigests(tmp, expected);
  });
  verified.add(target);
  return target;
}

/** Fills a temporary sibling of `target` with `fill`, then renames it into place; a copy already there wins. */
async function placeAtomically(target: string, fill: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = `${target}.tmp-${process.pid}-${randomUUID().slice(0, 8)}`;
  try {
    await fill(tmp);
    await rename(tmp, target);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    // Another worker on this host renamed its (verified) copy first.
    if ((code === 'ENOTEMPTY' || code === 'EEXIST') && existsSync(target)) return;
    throw error;
  }
}

function checkManifestHash(dir: string, expected: string): void {
  const found = readStoreHash(dir);
  if (found !== expected) throw new DataError(`${join(dir, 'manifest.json')}: hash ${found} does not match the manifest's store ${expected}; refusing to run tasks on it`);
}
