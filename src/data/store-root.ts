/**
 * Where dataset stores live. The default root is a folder of this user in the system's shared
 * temp folder, where any local user can create entries: it is created 0700 and, before each
 * use, checked to be a real folder owned by this user that nobody else can write into, so that
 * no one can plant a store under a predictable content hash for a run to map.
 */
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { ValueError } from '../errors.js';

/** Environment variable that moves the default store root. */
export const STORE_ROOT_ENV = 'MEMGRID_STORE_ROOT';

/** Permission bits that let other users write into a folder. */
const GROUP_OTHER_WRITE = 0o022;

/**
 * The store root used when none is given: `$MEMGRID_STORE_ROOT`, else
 * `<os tmpdir>/memgrid-stores-<uid>` (one per user, so users never share one).
 * @example
 * ```ts
 * defaultStoreRoot(); // '/tmp/memgrid-stores-1000'
 * ```
 */
export function defaultStoreRoot(): string {
  const fromEnv = process.env[STORE_ROOT_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return nodePath.resolve(fromEnv);
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  return nodePath.join(os.tmpdir(), uid === undefined ? 'memgrid-stores' : `memgrid-stores-${uid}`);
}

/**
 * Create the store root `root` if needed and return its absolute path. A root inside the
 * shared temp folder is created 0700 and must be a folder (not a link) owned by this user,
 * not writable by others; a root elsewhere (shared storage for queue workers) is used as it is.
 * @throws ValueError naming the root and what is wrong with it.
 * @example
 * ```ts
 * const root = ensureStoreRoot(options.root ?? defaultStoreRoot());
 * ```
 */
export function ensureStoreRoot(root: string): string {
  const full = nodePath.resolve(root);
  const shared = isInsideTemp(full);
  try {
    fs.mkdirSync(full, { recursive: true, mode: shared ? 0o700 : 0o777 });
  } catch (error) {
    throw new ValueError(`${full}: cannot create the store root (${(error as NodeJS.ErrnoException).code ?? String(error)}); choose another with --store-root or ${STORE_ROOT_ENV}`, { cause: error });
  }
  if (shared) checkPrivate(full);
  return full;
}

/**
 * Throw unless `dir` is a folder of this user that no other user can write into.
 * @example
 * ```ts
 * checkPrivate('/tmp/memgrid-stores-1000');
 * ```
 */
export function checkPrivate(dir: string): void {
  const stat = fs.lstatSync(dir);
  const hint = `; choose another store root with --store-root or ${STORE_ROOT_ENV}`;
  if (stat.isSymbolicLink()) throw new ValueError(`${dir}: the store root is a symbolic link; refusing to follow it in the shared temp folder${hint}`);
  if (!stat.isDirectory()) throw new ValueError(`${dir}: the store root is not a folder${hint}`);
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  if (uid !== undefined && stat.uid !== uid) {
    throw new ValueError(`${dir}: the store root belongs to uid ${stat.uid}, not to you (uid ${uid}); another user may have planted it${hint}`);
  }
  if ((stat.mode & GROUP_OTHER_WRITE) !== 0) {
    throw new ValueError(`${dir}: the store root is writable by other users (mode ${(stat.mode & 0o777).toString(8)}); run chmod 700 on it${hint}`);
  }
}

/** True when `path` lies inside the system temp folder, where every local user may create entries. */
function isInsideTemp(path: string): boolean {
  const temp = realOrSelf(os.tmpdir());
  const rel = nodePath.relative(temp, realOrSelf(nodePath.dirname(path)));
  return rel === '' || (!rel.startsWith('..') && !nodePath.isAbsolute(rel));
}

function realOrSelf(path: string): string {
  try {
    return fs.realpathSync(path);
  } catch {
    return nodePath.resolve(path);
  }
}
