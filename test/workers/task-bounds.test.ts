/** Every index of a task is bounded by the store it names, whichever executor runs it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ndarray } from '../../src/data/ndarray.js';
import { persistDataset, writeFoldSet } from '../../src/data/store.js';
import { handleTask } from '../../src/search/task-runner.js';
import type { TaskMessage } from '../../src/workers/protocol.js';
import { storeBounds } from '../../src/workers/task-bounds.js';

const root = mkdtempSync(join(tmpdir(), 'memgrid-bounds-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const X = ndarray('float64', [6, 2], Float64Array.from({ length: 12 }, (_, i) => Math.sin(i)));
const y = ndarray('float64', [6], new Float64Array([0, 1, 0, 1, 0, 1]));
const store = persistDataset(X, y, { root });
const foldSet = writeFoldSet(store.dir, [
  { train: new Int32Array([2, 3, 4, 5]), test: new Int32Array([0, 1]) },
  { train: new Int32Array([0, 1, 4, 5]), test: new Int32Array([2, 3]) },
  { train: new Int32Array([0, 1, 2, 3]), test: new Int32Array([4, 5]) },
]);
const base = {
  store: store.dir, foldSet, model: { name: 'logistic' as const, params: {} }, scoring: ['accuracy'], returnTrainScore: false, errorScore: Number.NaN,
};

describe('task bounds', () => {
  it('reads a store\'s bounds from its manifest and fold headers', () => {
    expect(storeBounds(store.dir, foldSet)).toEqual({ nRows: 6, nCols: 2, trainSizes: [4, 4, 4] });
  });

  it.each([
    ['a fold past the fold set', { ...base, kind: 'logistic-path', candidates: [{ id: 0, params: { C: 1 } }], fold: 3 }, 'refused task: fold: fold 3 does not exist: the fold set has 3 fold(s)'],
    ['a train size past a fold', { ...base, kind: 'cv', candidates: [{ id: 0, params: {} }], folds: [1], trainSize: 5 }, 'refused task: trainSize: 5 is more than the 4 training rows of fold 1'],
    ['rows past the store', {
      ...base, model: { name: 'ridge' as const, params: {} }, scoring: ['r2'], kind: 'ridge-stats', rowStart: 0, rowEnd: 2e9, cutoffs: [], shift: [0, 0], yShift: 0,
    }, 'refused task: rowEnd: 2000000000 is past the store\'s 6 rows'],
  ])('the task handler refuses %s before allocating anything', (_what, task, message) => {
    expect(() => handleTask(task as TaskMessage)).toThrow(message);
  });

  it('runs a task inside the bounds', () => {
    const result = handleTask({ ...base, kind: 'cv', candidates: [{ id: 0, params: {} }], folds: [0, 2], trainSize: 4 });
    expect(result.records.map((r) => r.fold)).toEqual([0, 2]);
  });
});
