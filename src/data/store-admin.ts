/**
 * Looking after a store root: list its dataset stores, verify them by content, and prune the
 * least recently used (`memgrid store list | verify | prune` call these). Stores only grow
 * otherwise: every search on new data adds one.
 */
import fs from 'node:fs';
import nodePath from 'node:path';
import { ValueError } from '../errors.js';
import { fileMismatch, isFileRecord } from './file-digest.js';
import { LAST_USED_FILE } from './store.js';
import { defaultStoreRoot } from './store-root.js';

/** One store folder of a root, as `memgrid store list` shows it. */
export interface StoreInfo {
  /** The folder name: the first 32 hex digits of the store's content hash. */
  readonly hash: string;
  readonly dir: string;
  /** Bytes of the files inside the folder (external arrays referenced in place are not counted). */
  readonly bytes: number;
  /** When a search last used the store (or, never used, when it was made). */
  readonly lastUsed: Date;
  /** Where X and y live: `in store`, or the external files' paths. */
  readonly source: string;
  /** Why the manifest cannot be read, for a folder that is not a sound store. */
  readonly problem?: string;
}

/** The outcome of verifying one store. */
export interface StoreCheck {
  readonly hash: string;
  readonly dir: string;
  /** Empty when every file matches its recorded size and content hash. */
  readonly problems: readonly string[];
}

/** Options of {@link pruneStores}. */
export interface PruneOptions {
  /** Remove stores not used for this long (ms). */
  readonly olderThanMs?: number;
  /** Then remove the least recently used until the root holds at most this many bytes (0 empties it). */
  readonly maxBytes?: number;
  /** The present time (tests). */
  readonly now?: Date;
}

/** What {@link pruneStores} removed and kept. */
export interface PruneOutcome {
  readonly removed: readonly StoreInfo[];
  readonly kept: readonly StoreInfo[];
  readonly freedBytes: number;
}

/** Leftovers of interrupted writes (`.tmp-*`, `.trash-*`) older than this are removed by prune. */
const LEFTOVER_AGE_MS = 3600_000;

/**
 * The stores under `root` (default: the default store root), most recently used first.
 * @example
 * ```ts
 * for (const s of listStores()) console.log(s.hash, s.bytes, s.lastUsed.toISOString(), s.source);
 * ```
 */
export function listStores(root: string = defaultStoreRoot()): StoreInfo[] {
  const full = nodePath.resolve(root);
  if (!fs.existsSync(full)) return [];
  return storeFolders(full).map(describeStore).sort((a, b) => b.lastUsed.getTime() - a.lastUsed.getTime());
}

/**
 * Verify every store under `root` (or the one whose hash starts with `hash`): each file
 * against the size and SHA-256 its manifest (or fold set) records, external arrays against
 * their recorded size and mtime.
 * @throws ValueError when `hash` matches no store.
 * @example
 * ```ts
 * const bad = verifyStores(undefined, '3fa9').filter((c) => c.problems.length > 0);
 * ```
 */
export function verifyStores(root: string = defaultStoreRoot(), hash?: string): StoreCheck[] {
  const stores = listStores(root).filter((s) => hash === undefined || s.hash.startsWith(hash));
  if (hash !== undefined && stores.length === 0) throw new ValueError(`no store ${hash} in ${nodePath.resolve(root)} (memgrid store list shows them)`);
  return stores.map((s) => ({ hash: s.hash, dir: s.dir, problems: s.problem === undefined ? checkStore(s.dir) : [s.problem] }));
}

/**
 * Remove stores from `root`: first those unused for `olderThanMs`, then the least recently
 * used until at most `maxBytes` remain. Leftovers of interrupted writes go too.
 * A process that already mapped a removed store keeps its mapping.
 * @example
 * ```ts
 * pruneStores(undefined, { olderThanMs: 7 * 86400_000, maxBytes: 10 * 2 ** 30 });
 * ```
 */
export function pruneStores(root: string = defaultStoreRoot(), options: PruneOptions = {}): PruneOutcome {
  const now = (options.now ?? new Date()).getTime();
  const full = nodePath.resolve(root);
  if (!fs.existsSync(full)) return { removed: [], kept: [], freedBytes: 0 };
  removeLeftovers(full, now, options.maxBytes === 0);
  const stores = listStores(full).reverse(); // least recently used first
  const removed: StoreInfo[] = [];
  let total = stores.reduce((n, s) => n + s.bytes, 0);
  for (const store of stores) {
    const old = options.olderThanMs !== undefined && now - store.lastUsed.getTime() > options.olderThanMs;
    const over = options.maxBytes !== undefined && total > options.maxBytes;
    if (!old && !over) continue;
    removeFolder(store.dir);
    removed.push(store);
    total -= store.bytes;
  }
  const kept = stores.filter((s) => !removed.includes(s)).reverse();
  return { removed, kept, freedBytes: removed.reduce((n, s) => n + s.bytes, 0) };
}

function storeFolders(root: string): string[] {
  return fs.readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => nodePath.join(root, e.name));
}

function describeStore(dir: string): StoreInfo {
  const hash = nodePath.basename(dir);
  const bytes = folderBytes(dir);
  const manifestPath = nodePath.join(dir, 'manifest.json');
  const lastUsed = mtimeOf(nodePath.join(dir, LAST_USED_FILE)) ?? mtimeOf(manifestPath) ?? mtimeOf(dir)!;
  try {
    const m = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as { X?: { file?: unknown; external?: unknown }; y?: { file?: unknown; external?: unknown } };
    const where = (e: { file?: unknown; external?: unknown } | undefined): string => (e?.external === true ? String(e.file) : 'in store');
    const source = m.X?.external !== true && m.y?.external !== true ? 'in store' : `X ${where(m.X)}, y ${where(m.y)}`;
    return { hash, dir, bytes, lastUsed, source };
  } catch (error) {
    return { hash, dir, bytes, lastUsed, source: '?', problem: `${manifestPath}: cannot read the manifest (${(error as Error).message})` };
  }
}

/** Problems of one store, by content: its arrays, external files and every fold set. */
function checkStore(dir: string): string[] {
  const problems: string[] = [];
  const manifest = JSON.parse(fs.readFileSync(nodePath.join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  for (const name of ['X', 'y'] as const) {
    const entry = manifest[name] as { file?: unknown; external?: unknown; size?: unknown; mtimeMs?: unknown; sha256?: unknown } | undefined;
    if (entry === undefined || typeof entry.file !== 'string') {
      problems.push(`manifest.json: ${name} has no file entry`);
      continue;
    }
    if (entry.external === true) {
      const stat = fs.statSync(entry.file, { throwIfNoEntry: false });
      if (!stat) problems.push(`${entry.file} (external ${name}) is missing`);
      else if (stat.size !== entry.size || Math.trunc(stat.mtimeMs) !== entry.mtimeMs) problems.push(`${entry.file} (external ${name}) changed since the store was made`);
      continue;
    }
    const file = entry.file;
    if (!isFileRecord(entry)) {
      problems.push(`manifest.json: ${name} records no size and content hash (a store of an older memgrid)`);
      continue;
    }
    const mismatch = fileMismatch(nodePath.join(dir, file), entry, { deep: true });
    if (mismatch !== undefined) problems.push(`${file} ${mismatch}`);
  }
  const foldsDir = nodePath.join(dir, 'folds');
  if (fs.existsSync(foldsDir)) {
    for (const id of fs.readdirSync(foldsDir).filter((f) => !f.startsWith('.'))) problems.push(...checkFoldSet(nodePath.join(foldsDir, id), id));
  }
  return problems;
}

function checkFoldSet(dir: string, id: string): string[] {
  let files: Record<string, unknown>;
  try {
    files = (JSON.parse(fs.readFileSync(nodePath.join(dir, 'meta.json'), 'utf8')) as { files?: Record<string, unknown> }).files ?? {};
  } catch (error) {
    return [`folds/${id}/meta.json: cannot read it (${(error as Error).message})`];
  }
  return Object.entries(files).flatMap(([name, record]) => {
    if (!isFileRecord(record)) return [`folds/${id}/meta.json: ${name} has no size and content hash`];
    const mismatch = fileMismatch(nodePath.join(dir, name), record, { deep: true });
    return mismatch === undefined ? [] : [`folds/${id}/${name} ${mismatch}`];
  });
}

function removeLeftovers(root: string, now: number, all: boolean): void {
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory() || !/^\.(tmp|trash)-/.test(entry.name)) continue;
    const path = nodePath.join(root, entry.name);
    if (all || now - (mtimeOf(path)?.getTime() ?? now) > LEFTOVER_AGE_MS) fs.rmSync(path, { recursive: true, force: true });
  }
}

/** Rename aside first, so a half-removed store is never mistaken for a store. */
function removeFolder(dir: string): void {
  const trash = nodePath.join(nodePath.dirname(dir), `.trash-${nodePath.basename(dir)}-${process.pid}`);
  fs.renameSync(dir, trash);
  fs.rmSync(trash, { recursive: true, force: true });
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const path = nodePath.join(dir, entry.name);
    if (entry.isDirectory()) total += folderBytes(path);
    else if (entry.isFile()) total += fs.statSync(path).size;
  }
  return total;
}

function mtimeOf(path: string): Date | undefined {
  return fs.statSync(path, { throwIfNoEntry: false })?.mtime;
}
