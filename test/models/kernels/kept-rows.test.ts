/**
 * Kept rows (kernels/wasm/kept-rows.ts): a sweep over rows marked `keep` loads them into the
 * wasm kernel's memory once and reads them from there on later passes. The results must equal
 * the block-buffer sweep's bit for bit (same values, same order), later passes must really
 * read the kept copy (shown by changing X behind the kept rows' back, which the contract
 * forbids and a test may do), and a new owner, new labels or a budget too small must reload.
 */
import fs from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import {
  logisticNewtonSweep, newtonScratchLength, softmaxNewtonSweep, withBackend, type DenseView, type SweepRows,
} from '../../../src/models/kernels/index.js';
import { KEPT_ROWS_ENV, keptCapacityFor, keptRowsBudget, setKeptRowsBudget } from '../../../src/models/kernels/wasm/kept-rows.js';
import { createGramKernel, dropKeptRowKernels, wasmGramKernel } from '../../../src/models/kernels/wasm/kernel.js';
import { nativeMmap, prepareFreshMemory } from '../../../src/data/native-mmap.js';
import { ndarray } from '../../../src/data/ndarray.js';
import { matrixWindows } from '../../../src/models/checks.js';
import { encodeLabels } from '../../../src/models/logistic-labels.js';
import { logisticProblem } from '../../../src/models/logistic-problem.js';
import { rowSegments } from '../../../src/models/segments.js';
import { LogisticRegression } from '../../../src/models/logistic.js';
import { fitLogisticPath } from '../../../src/models/logistic-path.js';
import { randoms } from '../../helpers/random.js';

const n = 150; // two whole 64-row blocks and a partial one
const d = 5;
const D = d + 1;
const k = 3;

function viewOf(values: Float64Array, order: 'C' | 'F'): DenseView {
  if (order === 'C') return { data: values, nRows: n, nCols: d, order };
  const f = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) f[j * n + i] = values[i * d + j]!;
  return { data: f, nRows: n, nCols: d, order };
}

const y = randoms(n, 3);
const target = Float64Array.from(y, (v) => (v > 0 ? 1 : 0));
const label = Int32Array.from(y, (v) => (v < -0.3 ? 0 : v < 0.3 ? 1 : 2));
const shift = Float64Array.from({ length: d }, (_, j) => 2 + 0.1 * j);
const weight = randoms(n, 4).map((v) => 1.5 + v);
// Runs of consecutive rows, a repeated row and rows out of order.
const subset = Int32Array.from([...Array(90).keys()].map((i) => i + 20).concat([7, 3, 3, n - 1, 0, 15, 9, 140, 141, 142]));

interface Sweep { loss: number; grad: Float64Array; hess: Float64Array | undefined }

/** One wasm sweep over `data` at coefficients from `seed`, binary or softmax, with or without a Hessian. */
function sweep(data: SweepRows, kind: 'binary' | 'softmax', seed: number, withHess: boolean, labels?: Float64Array | Int32Array): Sweep {
  const size = kind === 'binary' ? D : k * D;
  const coef = randoms(size, seed).map((v) => 0.4 * v);
  const grad = new Float64Array(size);
  const hess = withHess ? new Float64Array(size * size) : undefined;
  const scratch = new Float64Array(newtonScratchLength(d, kind === 'binary' ? 1 : k));
  const loss = withBackend('wasm', () => kind === 'binary'
    ? logisticNewtonSweep(data, (labels as Float64Array | undefined) ?? target, coef, grad, hess, scratch)
    : softmaxNewtonSweep(data, (labels as Int32Array | undefined) ?? label, k, coef, grad, hess, scratch));
  return { loss, grad, hess };
}

afterEach(() => setKeptRowsBudget(undefined));

describe('kept rows', () => {
  for (const kind of ['binary', 'softmax'] as const) {
    for (const order of ['C', 'F'] as const) {
      for (const rows of [undefined, subset]) {
        test(`${kind}, ${order} order, ${rows ? 'a subset' : 'all rows'}: every pass equals the block-buffer sweep bit for bit`, () => {
          const X = viewOf(randoms(n * d, 1).map((v) => 2 + 3 * v), order);
          const streamed: SweepRows = { X, rows, shift, weight };
          const kept: SweepRows = { ...streamed, keep: true };
          // The first pass loads the kept rows, the later ones read them; gradient and Hessian passes alike.
          for (const [seed, withHess] of [[11, true], [12, false], [13, true], [14, false]] as const) {
            expect(sweep(kept, kind, seed, withHess)).toEqual(sweep(streamed, kind, seed, withHess));
          }
          expect(wasmGramKernel(D, kind === 'binary' ? 1 : 3, kind === 'binary' ? 1 : k)!.keptCapacity).toBeGreaterThanOrEqual(rows?.length ?? n);
        });
      }
    }

    test(`${kind}: later passes read the kept copy, not X (changing X behind them changes nothing)`, () => {
      const values = randoms(n * d, 2);
      const X = viewOf(values, 'C');
      const kept: SweepRows = { X, rows: subset, shift, keep: true };
      const before = sweep(kept, kind, 21, true);
      values.fill(0.5);
      expect(sweep(kept, kind, 21, true)).toEqual(before);
      // The same rows, not kept, see the change: so the equality above is the kept copy's.
      expect(sweep({ X, rows: subset, shift }, kind, 21, true).loss).not.toBe(before.loss);
    });

    test(`${kind}: new labels, a new owner or no budget reload the rows`, () => {
      const values = randoms(n * d, 5);
      const X = viewOf(values, 'C');
      const kept: SweepRows = { X, rows: undefined, weight, keep: true };
      sweep(kept, kind, 31, false);
      const other = kind === 'binary' ? Float64Array.from(target, (t) => 1 - t) : Int32Array.from(label, (c) => (c + 1) % k);
      expect(sweep(kept, kind, 32, true, other)).toEqual(sweep({ X, rows: undefined, weight }, kind, 32, true, other));
      values.fill(0.25);
      // A second owner's rows replace the first's when both do not fit; either reloads from X as it is now.
      setKeptRowsBudget(n * (8 * 8 + 12));
      const second: SweepRows = { X, rows: subset, weight, keep: true };
      expect(sweep(second, kind, 33, false)).toEqual(sweep({ X, rows: subset, weight }, kind, 33, false));
      expect(sweep(kept, kind, 34, false)).toEqual(sweep({ X, rows: undefined, weight }, kind, 34, false));
      setKeptRowsBudget(0);
      const unkept: SweepRows = { X, rows: undefined, keep: true };
      const first = sweep(unkept, kind, 35, false);
      values.fill(0.75);
      expect(sweep(unkept, kind, 35, false).loss).not.toBe(first.loss);
    });
  }

  for (const kind of ['binary', 'softmax'] as const) {
    test(`${kind}: keep 'existing' keeps the leading whole blocks the kernel has room for, streams the rest, and makes no room`, () => {
      dropKeptRowKernels();
      // 2,600 rows of 5 features: blocks of 1,024 rows (blockRowsFor), the last one partial.
      const rowsAll = 2600;
      const values = randoms(rowsAll * d, 9).map((v) => 2 + 3 * v);
      const X: DenseView = { data: values, nRows: rowsAll, nCols: d, order: 'C' };
      const labels = kind === 'binary'
        ? Float64Array.from(randoms(rowsAll, 10), (v) => (v > 0 ? 1 : 0))
        : Int32Array.from(randoms(rowsAll, 10), (v) => (v < -0.3 ? 0 : v < 0.3 ? 1 : 2));
      const outputs = kind === 'binary' ? 1 : 3;
      const classes = kind === 'binary' ? 1 : k;
      // Room for 1,536 rows (1,500 asked, and a little more): one whole block of the three.
      sweep({ X, rows: Int32Array.from({ length: 1500 }, (_, i) => i), shift, keep: true }, kind, 40, false, labels);
      const kernel = wasmGramKernel(D, outputs, classes)!;
      expect([kernel.capacity, kernel.keptCapacity]).toEqual([1024, 1536]);
      const existing: SweepRows = { X, rows: undefined, shift, keep: 'existing' };
      const streamed: SweepRows = { X, rows: undefined, shift };
      for (const [seed, withHess] of [[41, true], [42, false], [43, true]] as const) {
        expect(sweep(existing, kind, seed, withHess, labels)).toEqual(sweep(streamed, kind, seed, withHess, labels));
      }
      expect(wasmGramKernel(D, outputs, classes)).toBe(kernel);
      expect(kernel.keptCapacity).toBe(1536);
      // Rows 0-1023 are read from the kept copy from now on, rows 1024-2599 from X.
      const before = sweep(existing, kind, 44, true, labels);
      values.fill(0.5, 0, 1024 * d);
      expect(sweep(existing, kind, 44, true, labels)).toEqual(before);
      values.fill(0.5, 1024 * d);
      expect(sweep(existing, kind, 44, true, labels).loss).not.toBe(before.loss);
      // Without kept memory it streams every row.
      dropKeptRowKernels();
      expect(sweep(existing, kind, 45, true, labels)).toEqual(sweep(streamed, kind, 45, true, labels));
      expect(wasmGramKernel(D, outputs, classes)!.keptCapacity).toBe(0);
    });
  }

  test('a logistic problem keeps its rows unless told not to (keepRows: false, a refit\'s few passes)', () => {
    for (const keepRows of [true, false]) {
      const values = randoms(n * d, 6);
      const X = ndarray('float64', [n, d], values);
      const labels = encodeLabels(target, undefined);
      const problem = logisticProblem({ segments: rowSegments(matrixWindows(X), undefined), labels, fitIntercept: true, keepRows });
      const beta = randoms(D, 7).map((v) => 0.3 * v);
      const grad = new Float64Array(D);
      const before = withBackend('wasm', () => problem.evaluate(beta, grad, undefined));
      values.fill(0.5); // behind the problem's back: only rows read afresh see it
      const after = withBackend('wasm', () => problem.evaluate(beta, grad, undefined));
      expect(after === before).toBe(keepRows);
    }
  });

  test('a problem thinned for a presolve keeps its rows in the room its parent\'s rows made, and makes none', () => {
    dropKeptRowKernels();
    const rowsAll = 4000;
    const values = randoms(rowsAll * d, 11);
    const X = ndarray('float64', [rowsAll, d], values);
    const labels = encodeLabels(Float64Array.from(randoms(rowsAll, 12), (v) => (v > 0 ? 1 : 0)), undefined);
    const problem = logisticProblem({ segments: rowSegments(matrixWindows(X), undefined), labels, fitIntercept: true });
    const beta = randoms(D, 13).map((v) => 0.3 * v);
    const grad = new Float64Array(D);
    withBackend('wasm', () => problem.evaluate(beta, grad, undefined));
    const kernel = wasmGramKernel(D, 1, 1)!;
    const room = kernel.keptCapacity;
    const thin = problem.thinned(2)!; // 2,000 rows: within the 4,000 rows' room
    const before = withBackend('wasm', () => thin.evaluate(beta, grad, undefined));
    values.fill(0.5); // behind both problems' backs
    expect(withBackend('wasm', () => thin.evaluate(beta, grad, undefined))).toBe(before);
    expect(withBackend('wasm', () => problem.thinned(2)!.evaluate(beta, grad, undefined))).not.toBe(before);
    expect(wasmGramKernel(D, 1, 1)).toBe(kernel);
    expect(kernel.keptCapacity).toBe(room);
  });

  test('a kernel makes a little room beyond the rows asked for, so folds a row apart share it (within the budget)', () => {
    const first = wasmGramKernel(D + 8, 1, 1, 1000)!;
    expect(first.keptCapacity).toBe(1024); // 1000 + 16, in whole 64-row blocks
    expect(wasmGramKernel(D + 8, 1, 1, 1001)).toBe(first);
    setKeptRowsBudget(1000 * (16 * 8 + 12));
    expect(keptCapacityFor(1000, 16)).toBe(1000); // no room for more within the budget
  });

  test('a fit on the main thread lets go of its kept rows when it ends (a pool thread would keep them)', () => {
    const X = ndarray('float64', [n, d], randoms(n * d, 8));
    const y = ndarray('float64', [n], target);
    const labels = encodeLabels(target, undefined);
    const problem = logisticProblem({ segments: rowSegments(matrixWindows(X), undefined), labels, fitIntercept: true });
    withBackend('wasm', () => problem.evaluate(new Float64Array(D), new Float64Array(D), undefined));
    expect(wasmGramKernel(D, 1, 1)!.keptCapacity).toBeGreaterThan(0); // a bare problem's rows stay kept
    withBackend('wasm', () => new LogisticRegression().fit(X, y));
    expect(wasmGramKernel(D, 1, 1)!.keptCapacity).toBe(0);
    withBackend('wasm', () => problem.evaluate(new Float64Array(D), new Float64Array(D), undefined));
    withBackend('wasm', () => fitLogisticPath(X, y, undefined, [0.1, 1], { fitIntercept: true, maxIter: 100, tol: 1e-6 }));
    expect(wasmGramKernel(D, 1, 1)!.keptCapacity).toBe(0);
  });

  test(`${KEPT_ROWS_ENV} sets the budget; a bad value is an error naming it`, () => {
    const saved = process.env[KEPT_ROWS_ENV];
    try {
      process.env[KEPT_ROWS_ENV] = '1.5';
      setKeptRowsBudget(undefined);
      expect(keptRowsBudget()).toBe(1.5 * 2 ** 20);
      process.env[KEPT_ROWS_ENV] = 'lots';
      setKeptRowsBudget(undefined);
      expect(() => keptRowsBudget()).toThrow(/MEMGRID_KEPT_ROWS_MIB must be a number of MiB from 0 to 3072, found "lots"/);
    } finally {
      if (saved === undefined) delete process.env[KEPT_ROWS_ENV];
      else process.env[KEPT_ROWS_ENV] = saved;
    }
  });
});

describe('kept rows land on transparent huge pages, or in memory faulted in at once', () => {
  // Linux 5.14 and later; CI's machines run 6.x. Residency is read back with mincore.
  const pageSize = nativeMmap().pageSize;
  const thp = '/sys/kernel/mm/transparent_hugepage/enabled';
  const hugePagesOn = fs.existsSync(thp) && /\[(always|madvise)\]/.test(fs.readFileSync(thp, 'utf8')) && nativeMmap().MADV_HUGEPAGE !== undefined;
  /** Bytes of this process's mappings flagged by MADV_HUGEPAGE ("hg" among smaps' VmFlags). */
  const advised = (): number => {
    let total = 0;
    for (const block of fs.readFileSync('/proc/self/smaps', 'utf8').split(/\n(?=[0-9a-f]+-[0-9a-f]+ )/)) {
      const range = /^([0-9a-f]+)-([0-9a-f]+) /.exec(block);
      if (range && /^VmFlags:.*\bhg\b/m.test(block)) total += Number.parseInt(range[2]!, 16) - Number.parseInt(range[1]!, 16);
    }
    return total;
  };

  test('a kernel made with room for kept rows has them advised onto huge pages where the system has them, else resident before any row is loaded', () => {
    const before = advised();
    const kernel = createGramKernel(32, 64, 1, 1, 40_000); // ~10 MiB of kept rows
    const buffer = kernel.keptRows.buffer as ArrayBuffer;
    if (hugePagesOn) expect(advised() - before).toBeGreaterThanOrEqual(kernel.keptRows.byteLength);
    else expect(nativeMmap().residentBytes(buffer, 0, buffer.byteLength)).toBe(buffer.byteLength);
    // Without kept rows nothing is prepared: the block buffers' pages stay untouched until used.
    const small = createGramKernel(32, 64, 1, 1, 0);
    const untouched = small.rows.buffer as ArrayBuffer;
    expect(nativeMmap().residentBytes(untouched, 0, untouched.byteLength)).toBeLessThan(untouched.byteLength);
  });

  test('on huge pages the range is only advised, not populated: its pages fault in as they are written', () => {
    if (!hugePagesOn) return; // the populate below is what such a system gets
    const memory = new WebAssembly.Memory({ initial: 64 }); // 4 MiB, untouched
    const buffer = memory.buffer;
    const before = advised();
    expect(prepareFreshMemory(buffer, 0, buffer.byteLength)).toBe('huge');
    expect(advised() - before).toBeGreaterThanOrEqual(buffer.byteLength);
    expect(nativeMmap().residentBytes(buffer, 0, buffer.byteLength)).toBeLessThan(buffer.byteLength);
  });

  test('without huge pages the range is populated: resident, and what it holds unchanged', () => {
    const memory = new WebAssembly.Memory({ initial: 64 }); // 4 MiB, untouched
    const buffer = memory.buffer;
    const values = new Float64Array(buffer);
    values[0] = 1.5;
    values[values.length - 1] = -2.5;
    const before = nativeMmap().residentBytes(buffer, 0, buffer.byteLength);
    expect(before).toBeLessThanOrEqual(4 * pageSize);
    expect(prepareFreshMemory(buffer, 0, buffer.byteLength, false)).toBe('populated');
    expect(nativeMmap().residentBytes(buffer, 0, buffer.byteLength)).toBe(buffer.byteLength);
    expect([values[0], values[1], values[values.length - 1]]).toEqual([1.5, 0, -2.5]);
    expect(prepareFreshMemory(buffer, 0, 0)).toBe('none'); // an empty range is nothing to do
  });
});
