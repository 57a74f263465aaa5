/** Store administration: list, verify and prune a store root (the library side of `memgrid store`). */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ndarray } from '../../src/data/ndarray.js';
import { persistDataset, writeFoldSet } from '../../src/data/store.js';
import { listStores, pruneStores, verifyStores } from '../../src/data/store-admin.js';
import { tempDir } from '../helpers/temp.js';

const DAY = 86400_000;
const dir = tempDir('memgrid-admin-');
let roots = 0;

/** A root with three stores of different sizes, last used 1, 3 and 10 days before `now`. */
function makeRoot(now: Date): { root: string; dirs: string[] } {
  const root = path.join(dir, `stores-${roots++}`);
  const dirs = [10, 20, 40].map((rows, i) => {
    const X = ndarray('float64', [rows, 3], Float64Array.from({ length: rows * 3 }, (_, k) => k * (i + 1)));
    const store = persistDataset(X, ndarray('float64', [rows], new Float64Array(rows)), { root });
    writeFoldSet(store.dir, [{ train: Int32Array.from({ length: rows - 2 }, (_, k) => k + 2), test: new Int32Array([0, 1]) }]);
    const used = new Date(now.getTime() - [1, 3, 10][i]! * DAY);
    fs.utimesSync(path.join(store.dir, '.last-used'), used, used);
    return store.dir;
  });
  return { root, dirs };
}

describe('store administration', () => {
  const now = new Date();

  it('lists stores most recently used first, with size and source', () => {
    const { root, dirs } = makeRoot(now);
    const stores = listStores(root);
    expect(stores.map((s) => s.dir)).toEqual(dirs);
    expect(stores.map((s) => s.source)).toEqual(['in store', 'in store', 'in store']);
    expect(stores[2]!.bytes).toBeGreaterThan(stores[0]!.bytes);
    expect(stores[0]!.hash).toMatch(/^[0-9a-f]{32}$/);
    expect(listStores(path.join(root, 'none'))).toEqual([]);
  });

  it('verifies every file by content, fold sets included, and names what differs', () => {
    const { root, dirs } = makeRoot(now);
    expect(verifyStores(root).map((c) => c.problems)).toEqual([[], [], []]);
    const x = path.join(dirs[0]!, 'X.npy');
    const bytes = fs.readFileSync(x);
    bytes[200]! ^= 1;
    fs.writeFileSync(x, bytes);
    const folds = path.join(dirs[1]!, 'folds');
    const foldFile = path.join(folds, fs.readdirSync(folds)[0]!, 'test_0.npy');
    fs.truncateSync(foldFile, 100);
    const checks = verifyStores(root);
    expect(checks[0]!.problems).toEqual([expect.stringMatching(/^X\.npy has content hash [0-9a-f]{16}…, [0-9a-f]{16}… was written \(and it was modified since\)$/)]);
    expect(checks[1]!.problems).toEqual([expect.stringMatching(/^folds\/[0-9a-f]{16}\/test_0\.npy is 100 bytes, 136 were written$/)]);
    expect(checks[2]!.problems).toEqual([]);
    expect(verifyStores(root, path.basename(dirs[2]!).slice(0, 6))).toHaveLength(1);
    expect(() => verifyStores(root, 'ffffffff')).toThrow(`no store ffffffff in ${root} (memgrid store list shows them)`);
  });

  it('prunes by age, then least recently used down to a size; size 0 empties the root', () => {
    const { root, dirs } = makeRoot(now);
    const old = pruneStores(root, { olderThanMs: 7 * DAY, now });
    expect(old.removed.map((s) => s.dir)).toEqual([dirs[2]]);
    expect(fs.existsSync(dirs[2]!)).toBe(false);
    const sizes = listStores(root).map((s) => s.bytes);
    const bySize = pruneStores(root, { maxBytes: sizes[0]! + 1, now });
    expect(bySize.removed.map((s) => s.dir)).toEqual([dirs[1]]);
    expect(bySize.kept.map((s) => s.dir)).toEqual([dirs[0]]);
    expect(bySize.freedBytes).toBe(sizes[1]);
    fs.mkdirSync(path.join(root, '.tmp-leftover'));
    expect(pruneStores(root, { maxBytes: 0, now }).removed).toHaveLength(1);
    expect(fs.readdirSync(root)).toEqual([]);
  });
});
