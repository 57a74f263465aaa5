/**
 * The memory monitor on a small store with 1, 2 and 4 threads: every worker is named
 * host/pid/thread, reports at most the dataset as resident however many threads map it
 * (X in several windows here), and its host's total and available memory.
 */
import fs from 'node:fs';
import os, { hostname } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ndarray } from '../../src/data/ndarray.js';
import { openNpy, saveNpy } from '../../src/data/npy.js';
import type { FloatMatrix } from '../../src/models/estimator.js';
import { Ridge } from '../../src/models/ridge.js';
import { GridSearch } from '../../src/search/grid-search.js';
import type { SearchProgress } from '../../src/search/options.js';
import { createExecutor } from '../../src/search/engine.js';
import { hostMemory } from '../../src/workers/memory.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memgrid-memory-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const ROWS = 6000;
const COLS = 8;
/** X and y as the store holds them: float64, 384,000 + 48,000 bytes. */
const DATASET_BYTES = ROWS * COLS * 8 + ROWS * 8;

function mappedData(): { X: FloatMatrix; y: ReturnType<typeof openNpy> } {
  const x = new Float64Array(ROWS * COLS);
  const y = new Float64Array(ROWS);
  for (let i = 0; i < ROWS; i++) {
    for (let j = 0; j < COLS; j++) x[i * COLS + j] = Math.sin(i * 7 + j) * (j + 1);
    y[i] = x[i * COLS]! * 2 - x[i * COLS + 3]! + Math.cos(i);
  }
  saveNpy(path.join(dir, 'X.npy'), ndarray('float64', [ROWS, COLS], x));
  saveNpy(path.join(dir, 'y.npy'), ndarray('float64', [ROWS], y));
  return { X: openNpy(path.join(dir, 'X.npy'), { mode: 'r' }) as FloatMatrix, y: openNpy(path.join(dir, 'y.npy'), { mode: 'r' }) };
}

describe('the memory monitor', () => {
  const { X, y } = mappedData();

  it('a mapping in windows counts each byte of its data once: all of it, once read', () => {
    // Windows of 100 rows (6,400 bytes, not page-aligned): neighbours share a page, counted once.
    const windowed = openNpy(path.join(dir, 'X.npy'), { mode: 'r', windowBytes: 6400 });
    const again = openNpy(path.join(dir, 'X.npy'), { mode: 'r', windowBytes: 6400 });
    let total = 0;
    for (const w of windowed.windows!) for (let i = 0; i < w.data.length; i++) total += w.data[i]!;
    expect(Number.isFinite(total)).toBe(true);
    expect(windowed.windows).toHaveLength(60);
    expect(windowed.residentBytes()).toBe(ROWS * COLS * 8);
    expect(again.residentBytes()).toBe(ROWS * COLS * 8);
  });

  it.each([1, 2, 4])('with %i thread(s): named workers, at most the dataset resident each, and the host', async (threads) => {
    const saved = process.env.MEMGRID_MAP_WINDOW_BYTES;
    // The threads map X in 60 windows of 100 rows (they inherit the environment when they start).
    process.env.MEMGRID_MAP_WINDOW_BYTES = '6400';
    const executor = createExecutor(threads);
    let last: SearchProgress | undefined;
    try {
      // MAE takes the plain path: one task per (candidate, fold), so every thread runs some.
      await new GridSearch(new Ridge(), { alpha: [0.1, 1, 10, 100] }, {
        cv: 4, scoring: 'neg_mean_absolute_error', executor, onProgress: (p) => { last = p; },
      }).fit(X, y);
    } finally {
      await executor.close();
      if (saved === undefined) delete process.env.MEMGRID_MAP_WINDOW_BYTES;
      else process.env.MEMGRID_MAP_WINDOW_BYTES = saved;
    }
    const workers = last!.workers!;
    expect(workers).toHaveLength(threads);
    for (const w of workers) {
      expect(w.worker).toMatch(new RegExp(`^${hostname()}/${process.pid}/\\d+$`));
      expect(w.host).toBe(hostname());
      expect(w.datasetResident).toBeGreaterThan(0);
      expect(w.datasetResident).toBeLessThanOrEqual(DATASET_BYTES);
      expect(w.heapUsed).toBeGreaterThan(0);
      expect(w.privateBytes).toBeGreaterThan(0);
    }
    expect(new Set(workers.map((w) => w.worker)).size).toBe(threads);
    const hosts = last!.hosts!;
    expect(hosts.map((h) => h.host)).toEqual([hostname()]);
    expect(hosts[0]!.totalBytes).toBe(hostMemory().totalBytes);
    expect(hosts[0]!.freeBytes).toBeGreaterThan(0);
    expect(hosts[0]!.freeBytes).toBeLessThanOrEqual(hosts[0]!.totalBytes);
  });
});
