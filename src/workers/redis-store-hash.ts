/** Reading and recomputing a store's content hash (provisional until the data layer lands). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../errors.js';

export function readStoreHash(dir: string): string {
  const path = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as { hash?: unknown };
  if (typeof manifest.hash !== 'string') throw new DataError(`${path}: expected a string "hash", found ${typeof manifest.hash}`);
  return manifest.hash;
}

export function recomputeStoreHash(dir: string): string {
  return readStoreHash(dir);
}

export async function localizeManifest(_dir: string): Promise<void> {}
