/**
 * One run per output folder. Two runs writing one folder would interleave their journals and
 * overwrite each other's results, so a run holds `<dir>/.memgrid.lock` from start to end: a
 * file created with O_EXCL (one creator wins, atomically, on any local file system) holding
 * the holder's pid, host and a random token. A lock whose holder is gone (same host, no such
 * pid) is stale and taken over; anything else refuses the second run at once, naming the
 * folder and the holder.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { writeAllTo } from '../data/atomic.js';
import { MemgridError, WriteError } from '../errors.js';

/** Name of the lock file inside the folder. */
export const LOCK_FILE = '.memgrid.lock';

/** What a lock file holds. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
  readonly command: string;
  readonly since: string;
}

/**
 * A folder another memgrid process is using.
 * @example
 * ```ts
 * catch (e) { if (e instanceof FolderLockedError) console.error(e.holder.pid); }
 * ```
 */
export class FolderLockedError extends MemgridError {
  override readonly code = 'LOCKED';
  constructor(readonly dir: string, readonly holder: LockHolder | undefined) {
    const lock = nodePath.join(dir, LOCK_FILE);
    super(holder
      ? `${dir} is in use by another memgrid run (pid ${holder.pid} on ${holder.host} since ${holder.since}: ${holder.command}); ` +
        `wait for it to finish or choose another --out${holder.host === os.hostname() ? '' : ` (if it is no longer running, delete ${lock})`}`
      : `${dir} is in use by another memgrid run (its lock ${lock} cannot be read); wait for it to finish or choose another --out`);
  }
}

/** A held lock; `release()` removes it (only if it is still ours). */
export interface FolderLock {
  readonly path: string;
  /** The stale lock this one replaced, if any. */
  readonly replaced?: LockHolder;
  release(): void;
}

/**
 * Take the lock of folder `dir` (which must exist) for `command`.
 * @throws FolderLockedError when a live process holds it.
 * @example
 * ```ts
 * const lock = lockFolder('runs/quickstart', 'memgrid run quickstart.json');
 * try { ... } finally { lock.release(); }
 * ```
 */
export function lockFolder(dir: string, command: string): FolderLock {
  const path = nodePath.join(dir, LOCK_FILE);
  const holder: LockHolder = { pid: process.pid, host: os.hostname(), token: randomBytes(8).toString('hex'), command, since: new Date().toISOString() };
  let replaced: LockHolder | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(path, holder)) {
      return { path, ...(replaced ? { replaced } : {}), release: () => releaseIfOurs(path, holder.token) };
    }
    const current = readHolder(path);
    if (current === 'gone') continue; // released between our attempt and our read
    if (current === undefined || isAlive(current)) throw new FolderLockedError(dir, current);
    if (!removeIfStill(path, current)) continue;
    replaced = current;
  }
  throw new FolderLockedError(dir, undefined);
}

function tryCreate(path: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = fs.openSync(path, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeAllTo(fd, Buffer.from(`${JSON.stringify(holder)}\n`));
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(path, { force: true });
    throw new WriteError(path, `cannot write the lock: ${(error as Error).message}`, { cause: error });
  }
  fs.closeSync(fd);
  return true;
}

/** The lock's holder; undefined for a lock that cannot be read (being written, or foreign); 'gone' when there is none. */
function readHolder(path: string): LockHolder | undefined | 'gone' {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : undefined;
  }
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    if (Number.isInteger(h.pid) && typeof h.host === 'string' && typeof h.token === 'string') return h as LockHolder;
  } catch {
    // A lock being written right now reads as empty or partial: treat it as held.
  }
  return undefined;
}

/** Whether the holder may still be running: always on another host (its pids are not ours to check). */
function isAlive(holder: LockHolder): boolean {
  if (holder.host !== os.hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove the stale lock `stale`, unless another process replaced it meanwhile: the lock is
 * renamed aside first (only one remover succeeds) and put back if it is not the stale one.
 */
function removeIfStill(path: string, stale: LockHolder): boolean {
  const aside = `${path}.${randomBytes(4).toString('hex')}.stale`;
  try {
    fs.renameSync(path, aside);
  } catch {
    return false;
  }
  const moved = readHolder(aside);
  if (moved !== 'gone' && moved?.token !== stale.token) {
    // We took a fresh lock of a faster process: give it back.
    try {
      fs.linkSync(aside, path);
    } catch {
      // A third process created a lock meanwhile; it holds the folder now.
    }
    fs.rmSync(aside, { force: true });
    return false;
  }
  fs.rmSync(aside, { force: true });
  return true;
}

function releaseIfOurs(path: string, token: string): void {
  const current = readHolder(path);
  if (current !== 'gone' && current?.token === token) fs.rmSync(path, { force: true });
}
