import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ndarray } from '../../src/data/ndarray.js';
import { openNpy, readNpy, saveNpy } from '../../src/data/npy.js';
import { openStore, persistDataset, readFoldSet, writeFoldSet } from '../../src/data/store.js';
import { DataError, NpyFormatError, ValueError } from '../../src/errors.js';
import { tempDir } from './helpers.js';

const root = tempDir('memgrid-store-');
const X = ndarray('float64', [4, 2], new Float64Array([1, 2, 3, 4, 5, 6, 7, 8]));
const y = ndarray('float64', [4], new Float64Array([0, 1, 0, 1]));

describe('persistDataset and openStore', () => {
  it('writes X.npy, y.npy and manifest.json into <root>/<hash>/ and maps them read-only', () => {
    const store = persistDataset(X, y, { root });
    expect(path.dirname(store.dir)).toBe(path.resolve(root));
    expect(store.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(path.basename(store.dir)).toBe(store.hash.slice(0, 32));
    expect(fs.readdirSync(store.dir).sort()).toEqual(['X.npy', 'manifest.json', 'y.npy']);
    expect(store.X).toMatchObject({ dtype: 'float64', shape: [4, 2], mode: 'r', writable: false });
    expect(Array.from(store.X.data as Float64Array)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(store.manifest).toMatchObject({ format: 'memgrid-store', version: 1, nRows: 4, X: { file: 'X.npy', external: false } });
  });

  it('reuses the folder for the same data and makes a new one for changed data, leaving no temp folders', () => {
    const a = persistDataset(X, y, { root });
    const b = persistDataset(ndarray('float64', [4, 2], new Float64Array(X.data)), y, { root });
    expect(b.dir).toBe(a.dir);
    const changed = persistDataset(X, ndarray('float64', [4], new Float64Array([0, 1, 1, 1])), { root });
    expect(changed.dir).not.toBe(a.dir);
    const asF = persistDataset(ndarray('float64', [4, 2], new Float64Array(X.data), 'F'), y, { root });
    expect(asF.dir).not.toBe(a.dir);
    expect(fs.readdirSync(root).filter((f) => f.startsWith('.tmp'))).toEqual([]);
  });

  it('references an already-mapped .npy in place and hashes its identity, not its bytes', () => {
    const ext = fs.mkdtempSync(path.join(root, 'ext-'));
    const xPath = path.join(ext, 'X.npy');
    saveNpy(xPath, X);
    const mtime = new Date('2024-01-01T00:00:00Z');
    fs.utimesSync(xPath, mtime, mtime);
    const mapped = openNpy(xPath, { mode: 'r' });
    const store = persistDataset(mapped, y, { root });
    expect(store.manifest.X).toMatchObject({ file: fs.realpathSync(xPath), external: true });
    expect(fs.existsSync(path.join(store.dir, 'X.npy'))).toBe(false);
    expect(Array.from(store.X.data as Float64Array)).toEqual(Array.from(X.data));

    // Same size and mtime, different bytes: the hash does not change (the data was never read to hash it)...
    const rw = openNpy(xPath, { mode: 'r+' });
    rw.data[0] = 100;
    rw.flush();
    fs.utimesSync(xPath, mtime, mtime);
    expect(persistDataset(openNpy(xPath, { mode: 'r' }), y, { root }).dir).toBe(store.dir);
    // ...while a touched file is noticed: a new store, and the old one refuses to open.
    fs.utimesSync(xPath, new Date(), new Date(Date.now() + 5000));
    expect(persistDataset(openNpy(xPath, { mode: 'r' }), y, { root }).dir).not.toBe(store.dir);
    expect(() => openStore(store.dir)).toThrow(DataError);
    expect(() => openStore(store.dir)).toThrow(/external array .*X\.npy changed since the store was made/);
  });

  it('copies a copy-on-write mapping (its data may differ from its file)', () => {
    const ext = fs.mkdtempSync(path.join(root, 'cow-'));
    saveNpy(path.join(ext, 'X.npy'), X);
    const cow = openNpy(path.join(ext, 'X.npy'), { mode: 'c' });
    cow.data[0] = -1;
    const store = persistDataset(cow, y, { root });
    expect(store.manifest.X.external).toBe(false);
    expect(store.X.data[0]).toBe(-1);
  });

  it('uses <tmpdir>/memgrid-stores by default', () => {
    const data = ndarray('float64', [1, 1], new Float64Array([Math.random()]));
    const store = persistDataset(data, ndarray('float64', [1]));
    expect(path.dirname(store.dir)).toBe(path.join(os.tmpdir(), 'memgrid-stores'));
    fs.rmSync(store.dir, { recursive: true });
  });

  it('validates shapes and manifests', () => {
    expect(() => persistDataset(X, ndarray('float64', [3]), { root })).toThrow(/X has 4 rows, y has 3 values/);
    expect(() => persistDataset(ndarray('float64', [4]), y, { root })).toThrow(/X must be 2-d, found shape \[4\]/);
    const bad = fs.mkdtempSync(path.join(root, 'bad-'));
    expect(() => openStore(bad)).toThrow(NpyFormatError);
    fs.writeFileSync(path.join(bad, 'manifest.json'), '{"format": "memgrid-store"}');
    expect(() => openStore(bad)).toThrow(/manifest\.json: not a memgrid store manifest/);
    const store = persistDataset(X, y, { root });
    const copy = fs.mkdtempSync(path.join(root, 'mismatch-'));
    for (const f of ['X.npy', 'manifest.json']) fs.copyFileSync(path.join(store.dir, f), path.join(copy, f));
    saveNpy(path.join(copy, 'y.npy'), ndarray('float64', [3]));
    expect(() => openStore(copy)).toThrow(/y\.npy: shape: expected \[4\], found \[3\]/);
  });
});

describe('fold sets', () => {
  const folds = [
    { train: new Int32Array([2, 3]), test: new Int32Array([0, 1]) },
    { train: new Int32Array([0, 1]), test: new Int32Array([2, 3]) },
  ];

  it('writes int32 train/test files under folds/<id>/ and maps them back', () => {
    const store = persistDataset(X, y, { root });
    const id = writeFoldSet(store.dir, folds);
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    const files = fs.readdirSync(path.join(store.dir, 'folds', id)).sort();
    expect(files).toEqual(['meta.json', 'test_0.npy', 'test_1.npy', 'train_0.npy', 'train_1.npy']);
    expect(readNpy(path.join(store.dir, 'folds', id, 'train_1.npy')).dtype).toBe('int32');
    const back = readFoldSet(store.dir, id);
    expect(back.map((f) => [Array.from(f.train), Array.from(f.test)])).toEqual([[[2, 3], [0, 1]], [[0, 1], [2, 3]]]);
    expect(back[0]!.train).toBeInstanceOf(Int32Array);
  });

  it('reuses the id for the same folds and makes a new one for others', () => {
    const store = persistDataset(X, y, { root });
    const id = writeFoldSet(store.dir, folds);
    expect(writeFoldSet(store.dir, folds.map((f) => ({ train: f.train.slice(), test: f.test.slice() })))).toBe(id);
    expect(writeFoldSet(store.dir, [folds[1]!, folds[0]!])).not.toBe(id);
    expect(writeFoldSet(store.dir, [{ train: new Int32Array([0, 1, 2, 3]), test: new Int32Array(0) }])).not.toBe(id);
  });

  it('refuses indices outside the rows and ids that are not hex', () => {
    const store = persistDataset(X, y, { root });
    expect(() => writeFoldSet(store.dir, [{ train: new Int32Array([0, 4]), test: new Int32Array([1]) }]))
      .toThrow(/folds\[0\]\.train\[1\] = 4 is outside the store's 4 rows/);
    expect(() => readFoldSet(store.dir, '../../etc')).toThrow(ValueError);
    expect(() => readFoldSet(store.dir, 'abcdef')).toThrow(/no fold set abcdef/);
  });
});
