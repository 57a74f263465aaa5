/**
 * Where a Redis worker finds the store a task names. The path comes from the queue, so it is
 * trusted only inside the worker's store roots (after resolving symbolic links). With a data
 * root, the store is copied once into a local cache keyed by its content hash, and a store
 * already cached is used without reading the original at all.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { defaultStoreRoot } from '../data/store-root.js';
import { QueueError, ValueError } from '../errors.js';
import { cacheFoldSet, cacheStore, cachedStore } from './data-root.js';
import { isSafeName } from './redis-validate.js';

/** Where a worker may read stores from. */
export interface StorePolicy {
  /** Default: the default store root of this user (see defaultStoreRoot). */
  readonly storeRoots?: readonly string[] | undefined;
  readonly dataRoot?: string | undefined;
}

/**
 * Maps a task's store path to the folder this worker maps.
 * @example
 * ```ts
 * const stores = await StoreResolver.create({ storeRoots: ['/shared/stores'], dataRoot: '/var/cache/memgrid' });
 * const local = await stores.resolve(task.store, task.foldSet);
 * ```
 */
export class StoreResolver {
  private constructor(private readonly roots: readonly string[], private readonly dataRoot: string | undefined) {}

  /** Checks the roots exist (throws a ValueError naming a missing one) and creates the data root. */
  static async create(policy: StorePolicy): Promise<StoreResolver> {
    const roots = (policy.storeRoots ?? [defaultStoreRoot()]).flatMap((root) => {
      if (!existsSync(root)) {
        if (policy.storeRoots === undefined) return []; // the default root appears with the first search
        throw new ValueError(`store root '${root}' does not exist`);
      }
      if (!statSync(root).isDirectory()) throw new ValueError(`store root '${root}' is not a folder`);
      return [realpathSync(root)];
    });
    if (policy.storeRoots === undefined && roots.length === 0) roots.push(resolve(defaultStoreRoot()));
    return new StoreResolver(roots, policy.dataRoot === undefined ? undefined : resolve(policy.dataRoot));
  }

  /** The folder to map for `store` with fold set `foldSet`; a QueueError or ValueError says why not. */
  async resolve(store: string, foldSet: string): Promise<string> {
    const name = basename(store);
    if (this.dataRoot && isSafeName(name)) {
      const local = await cachedStore(this.dataRoot, name);
      if (local && existsSync(join(local, 'folds', foldSet))) return local;
      if (local) {
        await cacheFoldSet(this.allowed(store), local, foldSet);
        return local;
      }
    }
    const source = this.allowed(store);
    return this.dataRoot ? cacheStore(source, this.dataRoot) : source;
  }

  /** The real path of `store`, if it lies inside a store root. */
  private allowed(store: string): string {
    if (!isAbsolute(store)) throw new ValueError(`refused task: store path '${store}' is not absolute`);
    let real: string;
    try {
      real = realpathSync(store);
    } catch {
      throw new QueueError(`store '${store}' is not on this host and not in the worker's data root; share its folder or start the worker with --data-root`);
    }
    const inside = this.roots.some((root) => {
      const rel = relative(root, real);
      return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
    });
    if (!inside) {
      throw new ValueError(`refused task: store '${store}' is outside the worker's store roots (${this.roots.join(', ')}); start the worker with --store-root <folder> to allow it`);
    }
    return real;
  }
}
