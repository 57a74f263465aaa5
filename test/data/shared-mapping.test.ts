/**
 * `shareMapping` (dataset stores' arrays): every 'r' open of the same file, offset and length in
 * the process views one mapping, from any thread, so its pages are faulted in once. Sharing is
 * shown by a write through one view (which the read-only contract forbids; a test may do it)
 * appearing in the other; without `shareMapping`, and in any mode but 'r', each open keeps its own.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { ndarray } from '../../src/data/ndarray.js';
import { openNpy, saveNpy } from '../../src/data/npy.js';
import { openStore, persistDataset } from '../../src/data/store.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir('memgrid-shared-map-');

function savedFile(name: string, n = 4096): string {
  const file = path.join(dir, name);
  saveNpy(file, ndarray('float64', [n], Float64Array.from({ length: n }, (_, i) => i + 0.5)));
  return file;
}

describe('shareMapping: one mapping per file for the whole process', () => {
  it('two shared opens view the same memory; a plain open and a c open keep their own', () => {
    const file = savedFile('a.npy');
    const first = openNpy(file, { mode: 'r', shareMapping: true });
    const second = openNpy(file, { mode: 'r', shareMapping: true });
    const plain = openNpy(file, { mode: 'r' });
    const cow = openNpy(file, { mode: 'c', shareMapping: true });
    first.data[10] = -1;
    expect(second.data[10]).toBe(-1);
    expect(plain.data[10]).toBe(10.5);
    expect(cow.data[10]).toBe(10.5);
    cow.data[11] = -2;
    expect(first.data[11]).toBe(11.5);
    expect(openNpy(file, { mode: 'r' }).data[10]).toBe(10.5); // the file itself never changes
  });

  it('row windows share window by window, each with its own rows', () => {
    const file = path.join(dir, 'rows.npy');
    saveNpy(file, ndarray('float64', [600, 4], Float64Array.from({ length: 2400 }, (_, i) => i)));
    const a = openNpy(file, { mode: 'r', shareMapping: true, windowBytes: 100 * 32 });
    const b = openNpy(file, { mode: 'r', shareMapping: true, windowBytes: 100 * 32 });
    expect(a.windows!.length).toBe(6);
    a.windows![2]!.data[0] = -7; // row 200's first value
    expect(b.windows![2]!.data[0]).toBe(-7);
    expect(b.windows![1]!.data[0]).toBe(400);
    expect(b.windows![3]!.data[0]).toBe(1200);
  });

  it('a worker thread opening the store views the mapping this thread has', async () => {
    const X = ndarray('float64', [512, 2], Float64Array.from({ length: 1024 }, (_, i) => i));
    const y = ndarray('float64', [512], new Float64Array(512));
    const store = persistDataset(X, y, { root: path.join(dir, 'stores') });
    const here = openStore(store.dir);
    (here.X.data as Float64Array)[5] = -3; // a store is read-only: only a test writes, to show the sharing
    const url = new URL('../../src/data/store.ts', import.meta.url).href;
    // Plain JavaScript for the thread: it imports the compiled store (npm test builds dist/ first).
    const compiled = url.replace(/\/src\/data\/store\.ts$/, '/dist/src/data/store.js');
    const seen = await new Promise<number>((resolve, reject) => {
      const worker = new Worker(
        `import('${compiled}').then(({ openStore }) => require('node:worker_threads').parentPort.postMessage(openStore(${JSON.stringify(store.dir)}).X.data[5]))`,
        { eval: true },
      );
      worker.once('message', (v: number) => { resolve(v); void worker.terminate(); });
      worker.once('error', reject);
    });
    expect(seen).toBe(-3);
    expect(openNpy(path.join(store.dir, 'X.npy'), { mode: 'r' }).data[5]).toBe(5); // a plain open: its own mapping of the unchanged file
  });
});
