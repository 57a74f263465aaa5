/** A worker's store roots and data-root cache, on hand-made store folders (no Redis needed). */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheStore } from '../../src/workers/data-root.js';
import { StoreResolver } from '../../src/workers/redis-stores.js';
import { checkDigests, DIGESTS_FILE, readDigests } from '../../src/workers/redis-store-hash.js';

let root: string;
let stores: string;
let external: string;

/** A store folder as the data layer lays it out: manifest.json (with its hash), arrays, folds/<id>/. */
function makeStore(hash: string, foldSets: readonly string[]): string {
  const dir = join(stores, hash);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'X.npy'), Buffer.from(`X bytes of ${hash}`));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ hash, X: { path: external }, y: { file: 'y.npy' } }));
  writeFileSync(join(dir, 'y.npy'), Buffer.from(`y bytes of ${hash}`));
  for (const id of foldSets) {
    mkdirSync(join(dir, 'folds', id), { recursive: true });
    writeFileSync(join(dir, 'folds', id, 'train_0.npy'), Buffer.from(id));
  }
  return dir;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'memgrid-data-root-'));
  stores = join(root, 'stores');
  external = join(root, 'elsewhere', 'big.npy');
  mkdirSync(join(root, 'elsewhere'), { recursive: true });
  writeFileSync(external, Buffer.from('an X mapped where the user keeps it'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('cacheStore', () => {
  it('copies a store once into <dataRoot>/<hash>, with its external arrays and digests', async () => {
    const source = makeStore('aaa111', ['f1']);
    const dataRoot = join(root, 'cache1');
    const local = await cacheStore(source, dataRoot);
    expect(local).toBe(join(dataRoot, 'aaa111'));
    expect(readFileSync(join(local, 'y.npy'), 'utf8')).toBe('y bytes of aaa111');
    expect(existsSync(join(local, 'folds', 'f1', 'train_0.npy'))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(local, 'manifest.json'), 'utf8')) as { X: { path: string } };
    expect(manifest.X.path).toBe(join(local, 'external', '0-big.npy'));
    expect(readFileSync(manifest.X.path, 'utf8')).toBe('an X mapped where the user keeps it');
    expect(Object.keys(readDigests(local)!).sort()).toEqual(['X.npy', 'external/0-big.npy', 'y.npy']);

    const before = statSync(join(local, DIGESTS_FILE)).mtimeMs;
    expect(await Promise.all([cacheStore(source, dataRoot), cacheStore(source, dataRoot)])).toEqual([local, local]);
    expect(statSync(join(local, DIGESTS_FILE)).mtimeMs).toBe(before);
  });

  it('makes one copy when several tasks ask for the same store at once', async () => {
    const dataRoot = join(root, 'cache5');
    const source = makeStore('fff666', []);
    const paths = await Promise.all([1, 2, 3].map(() => cacheStore(source, dataRoot)));
    expect(new Set(paths)).toEqual(new Set([join(dataRoot, 'fff666')]));
    expect(readdirSync(dataRoot)).toEqual(['fff666']);
  });

  it('detects a tampered copy, naming the file', async () => {
    const local = await cacheStore(makeStore('bbb222', []), join(root, 'cache2'));
    writeFileSync(join(local, 'y.npy'), Buffer.from('y bytes of bbb22X'));
    await expect(checkDigests(local, readDigests(local)!, 'cached store')).rejects.toThrow(
      /cached store: y\.npy has content hash [0-9a-f]{16}…, expected [0-9a-f]{16}…; the copy does not match/,
    );
  });

  it('refuses a store whose manifest hash is not a plain name', async () => {
    const source = makeStore('ccc333', []);
    writeFileSync(join(source, 'manifest.json'), JSON.stringify({ hash: '../../etc' }));
    await expect(cacheStore(source, join(root, 'cache3'))).rejects.toThrow(/hash must be a plain name, found '\.\.\/\.\.\/etc'/);
  });
});

describe('StoreResolver', () => {
  it('allows stores inside the roots only, after resolving links', async () => {
    const inside = makeStore('ddd444', ['f1']);
    const resolver = await StoreResolver.create({ storeRoots: [stores] });
    expect(await resolver.resolve(inside, 'f1')).toBe(inside);
    await expect(resolver.resolve(join(root, 'elsewhere'), 'f1')).rejects.toThrow(/refused task: store .* is outside the worker's store roots/);
    await expect(resolver.resolve(`${stores}/../elsewhere`, 'f1')).rejects.toThrow(/outside the worker's store roots/);
    symlinkSync(join(root, 'elsewhere'), join(stores, 'link'));
    await expect(resolver.resolve(join(stores, 'link'), 'f1')).rejects.toThrow(/outside the worker's store roots/);
    await expect(resolver.resolve('relative/store', 'f1')).rejects.toThrow(/is not absolute/);
    await expect(resolver.resolve(join(stores, 'missing'), 'f1')).rejects.toThrow(/is not on this host/);
    await expect(StoreResolver.create({ storeRoots: [join(root, 'nope')] })).rejects.toThrow(/store root '.*nope' does not exist/);
  });

  it('with a data root, uses the cached copy and brings in new fold sets from the original', async () => {
    const source = makeStore('eee555', ['f1']);
    const dataRoot = join(root, 'cache4');
    const resolver = await StoreResolver.create({ storeRoots: [stores], dataRoot });
    const local = await resolver.resolve(source, 'f1');
    expect(local).toBe(join(dataRoot, 'eee555'));
    mkdirSync(join(source, 'folds', 'f2'));
    writeFileSync(join(source, 'folds', 'f2', 'train_0.npy'), 'f2');
    expect(await resolver.resolve(source, 'f2')).toBe(local);
    expect(readFileSync(join(local, 'folds', 'f2', 'train_0.npy'), 'utf8')).toBe('f2');
    // The original gone (another host's path): the verified cache still serves its fold sets.
    rmSync(source, { recursive: true });
    expect(await resolver.resolve(source, 'f2')).toBe(local);
  });
});
