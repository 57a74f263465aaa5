import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ndarray } from '../../src/data/ndarray.js';
import { openNpy, readNpy, saveNpy } from '../../src/data/npy.js';
import { checkStoreUnchanged, openStore, persistDataset, readFoldSet, writeFoldSet } from '../../src/data/store.js';
import { DataError, NpyFormatError, ValueError } from '../../src/errors.js';
import { tempDir } from '../helpers/temp.js';

const X = ndarray('float64', [4, 2], new Float64Array([1, 2, 3, 4, 5, 6, 7, 8]));
const y = ndarray('float64', [4], new Float64Array([0, 1, 0, 1]));

describe('persistDataset and openStore', () => {
  it('writes X.npy, y.npy and manifest.json into <root>/<hash>/ and maps them read-only', () => {
    const root = tempDir('memgrid-store-');
    const store = persistDataset(X, y, { root });
    expect(path.dirname(store.dir)).toBe(path.resolve(root));
    expect(store.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(path.basename(store.dir)).toBe(store.hash.slice(0, 32));
    expect(fs.readdirSync(store.dir).sort()).toEqual(['.last-used', 'X.npy', 'manifest.json', 'y.npy']);
    expect(store.X).toMatchObject({ dtype: 'float64', shape: [4, 2], mode: 'r', writable: false });
    expect(Array.from(store.X.data as Float64Array)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const xFile = path.join(store.dir, 'X.npy');
    expect(store.manifest).toMatchObject({
      format: 'memgrid-store', version: 2, nRows: 4, writer: { host: os.hostname(), pid: process.pid },
      X: {
        file: 'X.npy', external: false, size: fs.statSync(xFile).size, mtimeMs: Math.trunc(fs.statSync(xFile).mtimeMs),
        sha256: createHash('sha256').update(fs.readFileSync(xFile)).digest('hex'),
      },
    });
  });

  it('reuses the folder for the same data and makes a new one for changed data, leaving no temp folders', () => {
    const root = tempDir('memgrid-store-');
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
    const root = tempDir('memgrid-store-');
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
    const { size, mtimeMs } = fs.statSync(xPath);
    expect(() => openStore(store.dir)).toThrow(new DataError(`${path.join(store.dir, 'manifest.json')}: external array ${fs.realpathSync(xPath)} `
      + `changed since the store was made (expected size ${size} and mtime ${mtime.getTime()}, found ${size} and ${Math.trunc(mtimeMs)}); persist the data again`));
  });

  it('copies a copy-on-write mapping (its data may differ from its file)', () => {
    const root = tempDir('memgrid-store-');
    const ext = fs.mkdtempSync(path.join(root, 'cow-'));
    saveNpy(path.join(ext, 'X.npy'), X);
    const cow = openNpy(path.join(ext, 'X.npy'), { mode: 'c' });
    cow.data[0] = -1;
    const store = persistDataset(cow, y, { root });
    expect(store.manifest.X.external).toBe(false);
    expect(store.X.data[0]).toBe(-1);
  });

  it('uses <tmpdir>/memgrid-stores-<uid> by default, a private folder, or $MEMGRID_STORE_ROOT', () => {
    const root = tempDir('memgrid-store-');
    const data = ndarray('float64', [1, 1], new Float64Array([Math.random()]));
    const store = persistDataset(data, ndarray('float64', [1]));
    const defaultRoot = path.join(os.tmpdir(), `memgrid-stores-${process.getuid!()}`);
    expect(path.dirname(store.dir)).toBe(defaultRoot);
    expect(fs.statSync(defaultRoot).mode & 0o777).toBe(0o700);
    fs.rmSync(store.dir, { recursive: true });
    const moved = path.join(root, 'from-env');
    process.env.MEMGRID_STORE_ROOT = moved;
    try {
      expect(path.dirname(persistDataset(data, ndarray('float64', [1])).dir)).toBe(moved);
    } finally {
      delete process.env.MEMGRID_STORE_ROOT;
    }
  });

  it('validates shapes and manifests', () => {
    const root = tempDir('memgrid-store-');
    expect(() => persistDataset(X, ndarray('float64', [3]), { root })).toThrow(/X has 4 rows, y has 3 values/);
    expect(() => persistDataset(ndarray('float64', [4]), y, { root })).toThrow(/X must be 2-d, found shape \[4\]/);
    const bad = fs.mkdtempSync(path.join(root, 'bad-'));
    const manifest = path.join(bad, 'manifest.json');
    expect(() => openStore(bad)).toThrow(new NpyFormatError(manifest, `cannot read the store manifest: ENOENT: no such file or directory, open '${manifest}'`));
    fs.writeFileSync(path.join(bad, 'manifest.json'), '{"format": "memgrid-store"}');
    expect(() => openStore(bad)).toThrow(/manifest\.json: not a memgrid store manifest \(version 2\)/);
    const store = persistDataset(X, y, { root });
    const copy = fs.mkdtempSync(path.join(root, 'mismatch-'));
    for (const f of ['X.npy', 'manifest.json']) fs.copyFileSync(path.join(store.dir, f), path.join(copy, f));
    saveNpy(path.join(copy, 'y.npy'), ndarray('float64', [3]));
    expect(() => openStore(copy)).toThrow(`${copy}: the dataset store is damaged: y.npy is 152 bytes, 160 bytes were written; run the search again to rebuild it from its data, or delete the folder`);
  });
});

/** Flip one bit of the file at `file`, keeping its size and mtime (what a bad disk or a careless tool does). */
function flipBit(file: string, at: number): void {
  const { mtimeNs } = fs.statSync(file, { bigint: true });
  const fd = fs.openSync(file, 'r+');
  const byte = Buffer.alloc(1);
  fs.readSync(fd, byte, 0, 1, at);
  byte[0]! ^= 0x10;
  fs.writeSync(fd, byte, 0, 1, at);
  fs.closeSync(fd);
  // touch sets the nanoseconds exactly (fs.utimesSync goes through a float and may round them).
  const ns = mtimeNs % 1_000_000_000n;
  execFileSync('touch', ['-m', '-d', `@${mtimeNs / 1_000_000_000n}.${String(ns).padStart(9, '0')}`, file]);
}

describe('a store is verified before it is reused', () => {
  const data = (seed: number) => ({
    X: ndarray('float64', [6, 2], Float64Array.from({ length: 12 }, (_, i) => i + seed)),
    y: ndarray('float64', [6], Float64Array.from({ length: 6 }, (_, i) => i * seed)),
  });

  it('a touched file is hashed, and a store whose bytes changed is rebuilt from the data', () => {
    const root = tempDir('memgrid-store-');
    const { X: x, y: yy } = data(1);
    const first = persistDataset(x, yy, { root });
    const file = path.join(first.dir, 'X.npy');
    flipBit(file, 128 + 3);
    fs.utimesSync(file, new Date(), new Date(Date.now() + 10_000));
    const again = persistDataset(x, yy, { root });
    expect(again.dir).toBe(first.dir);
    expect(again.rebuilt).toMatch(new RegExp(`^${first.dir}: X\\.npy has content hash [0-9a-f]{16}…, [0-9a-f]{16}… was written \\(and it was modified since\\); rebuilt it from the data$`));
    expect(Array.from(again.X.data as Float64Array)).toEqual(Array.from(x.data));
    expect(persistDataset(x, yy, { root }).rebuilt).toBeUndefined();
  });

  it('a store another process wrote is checked by content even when size and mtime match', () => {
    const root = tempDir('memgrid-store-');
    const { X: x, y: yy } = data(2);
    const script = `
      const { persistDataset } = await import(${JSON.stringify(new URL('../../dist/src/data/store.js', import.meta.url).href)});
      const { ndarray } = await import(${JSON.stringify(new URL('../../dist/src/data/ndarray.js', import.meta.url).href)});
      const X = ndarray('float64', [6, 2], Float64Array.from({ length: 12 }, (_, i) => i + 2));
      const y = ndarray('float64', [6], Float64Array.from({ length: 6 }, (_, i) => i * 2));
      process.stdout.write(persistDataset(X, y, { root: ${JSON.stringify(root)} }).dir);`;
    const dir = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    flipBit(path.join(dir, 'y.npy'), 128 + 9);
    const reused = persistDataset(x, yy, { root });
    expect(reused.dir).toBe(dir);
    expect(reused.rebuilt).toMatch(/: y\.npy has content hash [0-9a-f]{16}…, [0-9a-f]{16}… was written; rebuilt it from the data$/);
    expect(Array.from(reused.y.data as Float64Array)).toEqual([0, 2, 4, 6, 8, 10]);
  });

  it('a store that lost a file (a temp cleaner) or its manifest is rebuilt', () => {
    const root = tempDir('memgrid-store-');
    const { X: x, y: yy } = data(3);
    const store = persistDataset(x, yy, { root });
    fs.rmSync(path.join(store.dir, 'y.npy'));
    expect(persistDataset(x, yy, { root }).rebuilt).toBe(`${store.dir}: y.npy is missing; rebuilt it from the data`);
    fs.rmSync(path.join(store.dir, 'manifest.json'));
    expect(persistDataset(x, yy, { root }).rebuilt).toBe(`${store.dir}: manifest.json is missing; rebuilt it from the data`);
    expect(fs.readdirSync(root).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('a damaged store with no data in hand is refused, naming the store', () => {
    const root = tempDir('memgrid-store-');
    const { X: x, y: yy } = data(4);
    const store = persistDataset(x, yy, { root });
    fs.truncateSync(path.join(store.dir, 'X.npy'), 140);
    expect(() => openStore(store.dir)).toThrow(`${store.dir}: the dataset store is damaged: X.npy is 140 bytes, 224 bytes were written; run the search again to rebuild it from its data, or delete the folder`);
  });

  it('notices a mapped .npy rewritten while a search reads it', () => {
    const root = tempDir('memgrid-store-');
    const ext = fs.mkdtempSync(path.join(root, 'inplace-'));
    const xPath = path.join(ext, 'X.npy');
    saveNpy(xPath, X);
    const store = persistDataset(openNpy(xPath, { mode: 'r' }), y, { root });
    expect(() => checkStoreUnchanged(store)).not.toThrow();
    fs.utimesSync(xPath, new Date(), new Date(Date.now() + 60_000));
    expect(() => checkStoreUnchanged(store)).toThrow(new RegExp(`^${fs.realpathSync(xPath)} changed while a search was reading it \\(size 192 and mtime \\d+ when the search began, 192 and \\d+ now\\); its results cannot be trusted\\. Write a new file and rename it over the old one instead of rewriting it in place, then run again$`));
  });
});

describe('the store root in the shared temp folder is private', () => {
  it('is created 0700, and one that is a link or writable by others is refused', () => {
    const root = tempDir('memgrid-store-');
    const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'memgrid-root-'));
    try {
      const fresh = path.join(shared, 'stores');
      expect(path.dirname(persistDataset(X, y, { root: fresh }).dir)).toBe(fresh);
      expect(fs.statSync(fresh).mode & 0o777).toBe(0o700);
      const open = path.join(shared, 'open');
      fs.mkdirSync(open);
      fs.chmodSync(open, 0o777);
      expect(() => persistDataset(X, y, { root: open })).toThrow(`${open}: the store root is writable by other users (mode 777); run chmod 700 on it; choose another store root with --store-root or MEMGRID_STORE_ROOT`);
      const link = path.join(shared, 'link');
      fs.symlinkSync(fresh, link);
      expect(() => persistDataset(X, y, { root: link })).toThrow(`${link}: the store root is a symbolic link; refusing to follow it in the shared temp folder; choose another store root with --store-root or MEMGRID_STORE_ROOT`);
    } finally {
      fs.rmSync(shared, { recursive: true, force: true });
    }
  });

  it.skipIf(process.getuid?.() !== 0)(`one owned by another user is refused${process.getuid?.() === 0 ? '' : ' (skipped: only root can make a folder another user owns)'}`, () => {
    const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'memgrid-root-'));
    try {
      const planted = path.join(shared, 'planted');
      fs.mkdirSync(planted, { mode: 0o700 });
      fs.chownSync(planted, 65534, 65534);
      expect(() => persistDataset(X, y, { root: planted })).toThrow(`${planted}: the store root belongs to uid 65534, not to you (uid 0); another user may have planted it; choose another store root with --store-root or MEMGRID_STORE_ROOT`);
    } finally {
      fs.rmSync(shared, { recursive: true, force: true });
    }
  });
});

describe('fold sets', () => {
  const folds = [
    { train: new Int32Array([2, 3]), test: new Int32Array([0, 1]) },
    { train: new Int32Array([0, 1]), test: new Int32Array([2, 3]) },
  ];

  it('writes int32 train/test files under folds/<id>/ and maps them back', () => {
    const root = tempDir('memgrid-store-');
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
    const root = tempDir('memgrid-store-');
    const store = persistDataset(X, y, { root });
    const id = writeFoldSet(store.dir, folds);
    expect(writeFoldSet(store.dir, folds.map((f) => ({ train: f.train.slice(), test: f.test.slice() })))).toBe(id);
    expect(writeFoldSet(store.dir, [folds[1]!, folds[0]!])).not.toBe(id);
    expect(writeFoldSet(store.dir, [{ train: new Int32Array([0, 1, 2, 3]), test: new Int32Array(0) }])).not.toBe(id);
  });

  it('refuses indices outside the rows and ids that are not hex', () => {
    const root = tempDir('memgrid-store-');
    const store = persistDataset(X, y, { root });
    expect(() => writeFoldSet(store.dir, [{ train: new Int32Array([0, 4]), test: new Int32Array([1]) }]))
      .toThrow(/folds\[0\]\.train\[1\] = 4 is outside the store's 4 rows/);
    expect(() => readFoldSet(store.dir, '../../etc')).toThrow(new ValueError('readFoldSet: fold set id must be hex digits, found "../../etc"'));
    expect(() => readFoldSet(store.dir, 'abcdef')).toThrow(/no fold set abcdef/);
  });
});
