/**
 * Content checks of a worker's store copies. A copy is verified file by file against the
 * store it was copied from (SHA-256 of every file), and the digests are kept beside the copy
 * so that a cached copy is checked again, once per worker process, before any task maps it.
 * Arrays a manifest names by absolute path outside the store are copied in as well, and the
 * manifest is rewritten to point at them.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, sep } from 'node:path';
import { DataError } from '../errors.js';

/** File beside a cached copy's arrays that records their digests. */
export const DIGESTS_FILE = '.memgrid-digests.json';
/** Folder of a cached copy that receives arrays the manifest kept outside the store. */
const EXTERNAL_DIR = 'external';

/** SHA-256 (hex) of every file under `dir` by relative path: the fingerprint of a store copy. */
export type Digests = Readonly<Record<string, string>>;

/**
 * The `hash` a store's manifest.json records (the store's content hash and folder name).
 * @throws DataError for a missing or malformed manifest.
 * @example
 * ```ts
 * readStoreHash('/shared/stores/3f2a9c'); // '3f2a9c'
 * ```
 */
export function readStoreHash(dir: string): string {
  const path = join(dir, 'manifest.json');
  let manifest: { hash?: unknown };
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as { hash?: unknown };
  } catch (error) {
    throw new DataError(`${path}: cannot read the store manifest (${(error as Error).message})`, { cause: error });
  }
  if (typeof manifest.hash !== 'string') throw new DataError(`${path}: expected a string "hash", found ${typeof manifest.hash}`);
  return manifest.hash;
}

/**
 * Digests of the store's arrays: every file except fold sets (added by later searches) and
 * the manifest (rewritten when external arrays are copied in).
 * @example
 * ```ts
 * const digests = await storeDigests('/var/cache/memgrid/3f2a9c');
 * ```
 */
export async function storeDigests(dir: string): Promise<Digests> {
  const out: Record<string, string> = {};
  for (const path of filesUnder(dir)) {
    const rel = relative(dir, path);
    if (rel === 'manifest.json' || rel === DIGESTS_FILE || rel.startsWith(`folds${sep}`)) continue;
    out[rel.split(sep).join('/')] = await sha256(path);
  }
  return out;
}

/**
 * Checks the copy at `copy` against `expected` digests and throws a DataError naming the first
 * file that differs, is missing or is extra.
 * @example
 * ```ts
 * await checkDigests(tmp, await storeDigests(source), `copy of ${source}`);
 * ```
 */
export async function checkDigests(copy: string, expected: Digests, what: string): Promise<void> {
  const found = await storeDigests(copy);
  const names = new Set([...Object.keys(expected), ...Object.keys(found)]);
  for (const name of [...names].sort()) {
    if (expected[name] === found[name]) continue;
    const detail = found[name] === undefined ? 'is missing' : expected[name] === undefined ? 'is not in the original'
      : `has content hash ${found[name]!.slice(0, 16)}…, expected ${expected[name]!.slice(0, 16)}…`;
    throw new DataError(`${what}: ${name} ${detail}; the copy does not match the manifest's store, refusing to run tasks on it (delete ${copy} to copy it again)`);
  }
}

/** Digests recorded beside a cached copy, or undefined for a copy made without them. */
export function readDigests(copy: string): Digests | undefined {
  const path = join(copy, DIGESTS_FILE);
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) as Digests : undefined;
}

/** Records `digests` beside the copy. */
export async function writeDigests(copy: string, digests: Digests): Promise<void> {
  await writeFile(join(copy, DIGESTS_FILE), JSON.stringify(digests, null, 1));
}

/**
 * Copies the `.npy` files the manifest at `copy` names by absolute path (outside the store)
 * into `<copy>/external/`, and rewrites the manifest to name them under `finalDir` (where the
 * copy will be renamed to). Returns the digests of the originals, keyed like `storeDigests`.
 * @example
 * ```ts
 * const external = await localizeManifest(tmp, '/var/cache/memgrid/3f2a9c');
 * ```
 */
export async function localizeManifest(copy: string, finalDir: string): Promise<Digests> {
  const path = join(copy, 'manifest.json');
  const manifest: unknown = JSON.parse(readFileSync(path, 'utf8'));
  const digests: Record<string, string> = {};
  let n = 0;
  const pending: Promise<void>[] = [];
  const rewrite = (value: unknown): unknown => {
    if (typeof value === 'string' && isAbsolute(value) && value.endsWith('.npy') && existsSync(value)) {
      const name = `${n++}-${basename(value)}`;
      pending.push((async () => {
        await mkdir(join(copy, EXTERNAL_DIR), { recursive: true });
        await copyFile(value, join(copy, EXTERNAL_DIR, name));
        digests[`${EXTERNAL_DIR}/${name}`] = await sha256(value);
      })());
      return join(finalDir, EXTERNAL_DIR, name);
    }
    if (Array.isArray(value)) return value.map(rewrite);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v)]));
    return value;
  };
  const local = rewrite(manifest);
  await Promise.all(pending);
  if (n > 0) await writeFile(path, JSON.stringify(local, null, 2));
  return digests;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else if (entry.isFile() || statSync(path).isFile()) out.push(path);
  }
  return out;
}

function sha256(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path).on('data', (chunk) => hash.update(chunk)).on('error', reject).on('end', () => resolve(hash.digest('hex')));
  });
}
