/**
 * The addon's row loops (native/rows.c through src/models/kernels/native-rows.ts): column sums
 * and the logistic sweeps' row loads must equal the JavaScript loops they replace bit for bit
 * (same values, same order), whichever rows, weights, labels and shift, and must refuse bad
 * indices before writing anything.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  columnSums, logisticNewtonSweep, newtonScratchLength, softmaxNewtonSweep, withBackend, type DenseView, type SweepRows,
} from '../../../src/models/kernels/index.js';
import { nativeRows, useNativeRows } from '../../../src/models/kernels/native-rows.js';
import { dropKeptRowKernels, wasmGramKernel } from '../../../src/models/kernels/wasm/kernel.js';
import { randoms } from '../../helpers/random.js';

afterEach(() => {
  useNativeRows(true);
  vi.restoreAllMocks();
});

/** Indices where two arrays differ in any bit (−0 differs from 0; NaN equals NaN). */
function bitDifferences(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  expect(a.length).toBe(b.length);
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) out.push(i);
  return out;
}

/** Runs `body` with the native loops on, then off; returns both results. */
function bothWays<T>(body: () => T): { native: T; js: T } {
  useNativeRows(true);
  const native = body();
  useNativeRows(false);
  const js = body();
  useNativeRows(true);
  return { native, js };
}

/** Values whose sums depend on their order: magnitudes from 1e-3 to 1e15, both signs. */
function mixedValues(count: number, seed: number): Float64Array {
  return randoms(count, seed).map((v, i) => v * 10 ** ((i * 7) % 19 - 3));
}

// Runs of consecutive rows, a repeated row, rows out of order, and a count that is not a multiple of 4.
const n = 203;
const subset = Int32Array.from([...Array(120).keys()].map((i) => i + 40).concat([7, 3, 3, n - 1, 0, 15, 9, 170, 171, 172, 173]));

describe('native column sums', () => {
  test('the addon has them (a built addon is what CI tests)', () => {
    expect(nativeRows()).not.toBeNull();
  });

  for (const d of [1, 3, 4, 33]) {
    for (const rows of [undefined, subset]) {
      test(`d = ${d}, ${rows ? 'a subset' : 'all rows'}: the same sums as JavaScript's, bit for bit, added to what out held`, () => {
        const X: DenseView = { data: mixedValues(n * d, d), nRows: n, nCols: d, order: 'C' };
        const start = randoms(d, 9).map((v) => v * 1e10);
        const { native, js } = bothWays(() => {
          const out = start.slice();
          columnSums(X, rows, out);
          return out;
        });
        expect(bitDifferences(native, js)).toEqual([]);
        expect(bitDifferences(native, start)).not.toEqual([]);
      });
    }
  }

  test('are the route taken for a C-order float64 X', () => {
    const spy = vi.spyOn(nativeRows()!, 'columnSums');
    columnSums({ data: new Float64Array(12), nRows: 4, nCols: 3, order: 'C' }, undefined, new Float64Array(3));
    expect(spy).toHaveBeenCalledTimes(1);
  });
});

describe('native row loads of the logistic sweeps', () => {
  const d = 6;
  const D = d + 1;
  const k = 3;
  const values = randoms(n * d, 1).map((v) => 2 + 3 * v);
  const y = randoms(n, 3);
  const target = Float64Array.from(y, (v) => (v > 0 ? 1 : 0));
  const label = Int32Array.from(y, (v) => (v < -0.3 ? 0 : v < 0.3 ? 1 : 2));
  const shift = Float64Array.from({ length: d }, (_, j) => 2 + 0.1 * j);
  const weight = randoms(n, 4).map((v) => 1.5 + v);

  /** One wasm sweep (a Hessian pass, then a gradient pass) over fresh SweepRows, so each call loads its rows anew. */
  function twoPasses(kind: 'binary' | 'softmax', data: Omit<SweepRows, 'X'>): Float64Array[] {
    const rows: SweepRows = { X: { data: values, nRows: n, nCols: d, order: 'C' }, ...data };
    const size = kind === 'binary' ? D : k * D;
    const out: Float64Array[] = [];
    for (const [seed, withHess] of [[11, true], [12, false]] as const) {
      const coef = randoms(size, seed).map((v) => 0.4 * v);
      const grad = new Float64Array(size);
      const hess = withHess ? new Float64Array(size * size) : undefined;
      const scratch = new Float64Array(newtonScratchLength(d, kind === 'binary' ? 1 : k));
      const loss = withBackend('wasm', () => kind === 'binary'
        ? logisticNewtonSweep(rows, target, coef, grad, hess, scratch)
        : softmaxNewtonSweep(rows, label, k, coef, grad, hess, scratch));
      out.push(Float64Array.of(loss), grad, ...(hess ? [hess] : []));
    }
    return out;
  }

  for (const kind of ['binary', 'softmax'] as const) {
    for (const keep of [true, false]) {
      for (const [name, data] of [
        ['all rows, no shift, no weights', {}],
        ['a subset, shifted and weighted', { rows: subset, shift, weight }],
      ] as const) {
        test(`${kind}, ${keep ? 'kept' : 'streamed'} rows, ${name}: the same loss, gradient and Hessian bit for bit`, () => {
          const { native, js } = bothWays(() => {
            dropKeptRowKernels();
            return twoPasses(kind, { ...data, keep });
          });
          native.forEach((part, i) => expect(bitDifferences(part, js[i]!)).toEqual([]));
        });
      }
    }
  }

  test('kept rows hold [x − shift, 1, zero padding], their labels and weights, as the JavaScript load leaves them', () => {
    const kept = (): { rows: Float64Array; labels: Int32Array; weights: Float64Array } => {
      dropKeptRowKernels();
      twoPasses('softmax', { rows: subset, shift, weight, keep: true });
      const kernel = wasmGramKernel(D, 3, k)!;
      const count = subset.length;
      return {
        rows: kernel.keptRows.slice(0, count * kernel.stride), labels: kernel.keptLabels.slice(0, count), weights: kernel.keptWeights.slice(0, count),
      };
    };
    const { native, js } = bothWays(kept);
    expect(bitDifferences(native.rows, js.rows)).toEqual([]);
    expect(Array.from(native.labels)).toEqual(Array.from(js.labels));
    expect(bitDifferences(native.weights, js.weights)).toEqual([]);
    const stride = wasmGramKernel(D, 3, k)!.stride;
    expect(native.rows[3 * stride + d]).toBe(1);
    expect(native.rows[3 * stride]).toBe(values[subset[3]! * d]! - shift[0]!);
    expect(native.labels[3]).toBe(label[subset[3]!]);
    expect(native.weights[3]).toBe(weight[subset[3]!]);
  });

  test('binary targets (float64) become the int32 labels ToInt32 makes of them', () => {
    const dst = new Float64Array(4 * 8);
    const labelsOut = new Int32Array(4);
    const labelsIn = Float64Array.of(1, 0, -0, 1.9);
    nativeRows()!.loadRows(dst, 0, 8, new Float64Array(4 * 3), 3, null, 0, 4, new Float64Array(3), labelsOut, labelsIn, new Float64Array(4), null);
    expect(Array.from(labelsOut)).toEqual([1, 0, 0, 1]);
  });

  test('a row outside X, or a destination too short, is refused before anything is written', () => {
    const native = nativeRows()!;
    const dst = new Float64Array(3 * 8).fill(7);
    const X = new Float64Array(5 * 3);
    const args = (rows: Int32Array, out = dst) =>
      [out, 0, 8, X, 3, rows, 0, 3, new Float64Array(3), new Int32Array(3), new Float64Array(5), new Float64Array(3), null] as const;
    expect(() => native.loadRows(...args(Int32Array.of(0, 1, 5)))).toThrow(/row 5 \(at 2\) is outside 0\.\.4/);
    expect(() => native.loadRows(...args(Int32Array.of(0, -1, 2)))).toThrow(RangeError);
    expect(() => native.loadRows(...args(Int32Array.of(0, 1, 2), new Float64Array(2 * 8)))).toThrow(/past the end of dst/);
    expect(Array.from(new Set(dst))).toEqual([7]);
    expect(() => native.columnSums(X, 3, Int32Array.of(0, 9), 2, new Float64Array(3))).toThrow(/row 9/);
  });
});
