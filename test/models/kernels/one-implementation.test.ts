import { describe, expect, test } from 'vitest';
import { randoms } from '../../helpers/random.js';
import {
  accumulateGram, columnSums, firstNonFiniteRow, gramStats, linearMargins, log1pExp, logisticLossGrad,
  softmaxLossGrad, symmetrizeUpper, vectorSum, type DenseView,
} from '../../../src/models/kernels/index.js';

function view(data: Float64Array | Float32Array, nRows: number, nCols: number, order: 'C' | 'F' = 'C'): DenseView {
  return { data, nRows, nCols, order };
}

function fortran(data: Float64Array, n: number, d: number): Float64Array {
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[j * n + i] = data[i * d + j]!;
  return out;
}

const at = (X: DenseView, i: number, j: number): number =>
  X.order === 'C' ? X.data[i * X.nCols + j]! : X.data[j * X.nRows + i]!;

/** Textbook Σ (x - c)(x - c)ᵀ etc. for comparison. */
function naiveGram(X: DenseView, rows: number[], y: Float64Array, c: Float64Array, cy: number) {
  const d = X.nCols;
  const xtx = new Float64Array(d * d);
  const xty = new Float64Array(d);
  let yty = 0;
  for (const i of rows) {
    for (let j = 0; j < d; j++) {
      for (let k = 0; k < d; k++) xtx[j * d + k] += (at(X, i, j) - c[j]!) * (at(X, i, k) - c[k]!);
      xty[j] += (at(X, i, j) - c[j]!) * (y[i]! - cy);
    }
    yty += (y[i]! - cy) ** 2;
  }
  return { xtx, xty, yty };
}

const n = 23; // not a multiple of the 4-row unroll: the tail path runs too
const d = 5;
const data = randoms(n * d, 1);
const y = randoms(n, 2);
const shift = randoms(d, 3);
const subset = Int32Array.from([7, 3, 3, 22, 0, 15, 9]);
const CLOSE = 1e-12; // accumulation order differs from the naive loops: allow rounding only

describe('accumulateGram', () => {
  for (const order of ['C', 'F'] as const) {
    for (const rows of [undefined, subset]) {
      test(`matches the textbook sums (${order} order, ${rows ? 'subset' : 'all rows'})`, () => {
        const X = view(order === 'C' ? data : fortran(data, n, d), n, d, order);
        const s = gramStats(d);
        accumulateGram(X, rows, y, shift, 0.25, s);
        symmetrizeUpper(s.xtx, d);
        const ref = naiveGram(X, rows ? [...rows] : [...Array(n).keys()], y, shift, 0.25);
        expect(s.count).toBe(rows ? rows.length : n);
        s.xtx.forEach((v, i) => expect(v).toBeCloseTo(ref.xtx[i]!, 12));
        s.xty.forEach((v, i) => expect(v).toBeCloseTo(ref.xty[i]!, 12));
        expect(s.yty).toBeCloseTo(ref.yty, 12);
      });
    }
  }

  test('accumulates: two halves add up to the whole', () => {
    const X = view(data, n, d);
    const whole = gramStats(d);
    accumulateGram(X, undefined, y, shift, 0, whole);
    const parts = gramStats(d);
    accumulateGram(X, Int32Array.from({ length: 10 }, (_, i) => i), y, shift, 0, parts);
    accumulateGram(X, Int32Array.from({ length: n - 10 }, (_, i) => 10 + i), y, shift, 0, parts);
    expect(parts.count).toBe(n);
    for (let i = 0; i < d * d; i++) expect(Math.abs(parts.xtx[i]! - whole.xtx[i]!)).toBeLessThan(CLOSE);
    for (let j = 0; j < d; j++) expect(Math.abs(parts.xSum[j]! - whole.xSum[j]!)).toBeLessThan(CLOSE);
  });

  test('reads float32 data as the same values widened to float64', () => {
    const f32 = Float32Array.from(data);
    const s32 = gramStats(d);
    accumulateGram(view(f32, n, d), undefined, y, undefined, 0, s32);
    const s64 = gramStats(d);
    accumulateGram(view(Float64Array.from(f32), n, d), undefined, y, undefined, 0, s64);
    expect(s32.xtx).toEqual(s64.xtx);
  });
});

test('columnSums and vectorSum: C and F order, with and without rows, with and without weights', () => {
  const weight = randoms(n, 4).map((v) => 1.5 + v);
  // Magnitudes from 1e-4 to 1e4, so that any other order of the additions rounds differently.
  const data = randoms(n * d, 9).map((v, i) => v * 10 ** (((i * 7) % 9) - 4));
  for (const rows of [undefined, subset]) {
    for (const w of [undefined, weight]) {
      const a = new Float64Array(d);
      const b = new Float64Array(d);
      columnSums(view(data, n, d), rows, a, w);
      columnSums(view(fortran(data, n, d), n, d, 'F'), rows, b, w);
      const ids = rows ? [...rows] : [...Array(n).keys()];
      for (let j = 0; j < d; j++) {
        const ref = ids.reduce((s, i) => s + (w?.[i] ?? 1) * data[i * d + j]!, 0);
        // Row order in every layout (four rows a turn, added left to right): the plain sum's bits.
        expect(a[j]).toBe(ref);
        expect(b[j]).toBe(ref);
      }
      expect(vectorSum(y, rows, w)).toBeCloseTo(ids.reduce((s, i) => s + (w?.[i] ?? 1) * y[i]!, 0), 13);
    }
  }
});

test('linearMargins: k outputs with packed [w, b] blocks, rows in the given order', () => {
  const k = 3;
  const coef = randoms(k * (d + 1), 4);
  for (const X of [view(data, n, d), view(fortran(data, n, d), n, d, 'F')]) {
    const out = new Float64Array(subset.length * k);
    linearMargins(X, subset, coef, k, out);
    subset.forEach((i, r) => {
      for (let c = 0; c < k; c++) {
        let z = coef[c * (d + 1) + d]!;
        for (let j = 0; j < d; j++) z += at(X, i, j) * coef[c * (d + 1) + j]!;
        expect(out[r * k + c]).toBeCloseTo(z, 13);
      }
    });
  }
});

describe('fused loss + gradient sweeps', () => {
  const X = view(data, n, d);
  const target = Float64Array.from(y, (v) => (v > 0 ? 1 : 0));
  const label = Int32Array.from(y, (v) => (v < -0.3 ? 0 : v < 0.3 ? 1 : 2));

  test('binary: loss is Σ log(1+e^z) − t z and the gradient matches central differences', () => {
    const coef = randoms(d + 1, 5);
    const grad = new Float64Array(d + 1);
    const loss = logisticLossGrad({ X, rows: subset }, target, coef, grad);
    let ref = 0;
    for (const i of subset) {
      let z = coef[d]!;
      for (let j = 0; j < d; j++) z += at(X, i, j) * coef[j]!;
      ref += Math.log1p(Math.exp(z)) - target[i]! * z;
    }
    expect(loss).toBeCloseTo(ref, 12);
    const h = 1e-6;
    for (let j = 0; j <= d; j++) {
      const up = coef.slice(); up[j] += h;
      const dn = coef.slice(); dn[j] -= h;
      const fd = (logisticLossGrad({ X, rows: subset }, target, up, new Float64Array(d + 1))
        - logisticLossGrad({ X, rows: subset }, target, dn, new Float64Array(d + 1))) / (2 * h);
      expect(grad[j]).toBeCloseTo(fd, 7);
    }
  });

  test('multinomial: loss is Σ logΣe^z − z_label and the gradient matches central differences', () => {
    const k = 3;
    const coef = randoms(k * (d + 1), 6);
    const grad = new Float64Array(k * (d + 1));
    const scratch = new Float64Array(2 * k);
    const loss = softmaxLossGrad({ X, rows: undefined }, label, k, coef, grad, scratch);
    let ref = 0;
    for (let i = 0; i < n; i++) {
      const z = [0, 1, 2].map((c) => {
        let s = coef[c * (d + 1) + d]!;
        for (let j = 0; j < d; j++) s += at(X, i, j) * coef[c * (d + 1) + j]!;
        return s;
      });
      ref += Math.log(z.reduce((s, v) => s + Math.exp(v), 0)) - z[label[i]!]!;
    }
    expect(loss).toBeCloseTo(ref, 12);
    const h = 1e-6;
    for (let p = 0; p < coef.length; p++) {
      const up = coef.slice(); up[p] += h;
      const dn = coef.slice(); dn[p] -= h;
      const fd = (softmaxLossGrad({ X, rows: undefined }, label, k, up, new Float64Array(coef.length), scratch)
        - softmaxLossGrad({ X, rows: undefined }, label, k, dn, new Float64Array(coef.length), scratch)) / (2 * h);
      expect(grad[p]).toBeCloseTo(fd, 7);
    }
  });

  test('log1pExp stays finite and accurate at the extremes', () => {
    expect(log1pExp(-800)).toBe(0);
    expect(log1pExp(800)).toBe(800);
    expect(log1pExp(0)).toBeCloseTo(Math.LN2, 15);
    expect(log1pExp(-40)).toBeCloseTo(Math.exp(-40), 30);
  });
});

test('firstNonFiniteRow finds NaN/Inf only among the rows used', () => {
  const bad = data.slice();
  bad[4 * d + 2] = Number.NaN;
  bad[9 * d] = -Infinity;
  expect(firstNonFiniteRow(view(bad, n, d), undefined)).toBe(4);
  expect(firstNonFiniteRow(view(bad, n, d), Int32Array.from([1, 2, 9]))).toBe(2);
  expect(firstNonFiniteRow(view(bad, n, d), Int32Array.from([0, 1]))).toBe(-1);
  expect(firstNonFiniteRow(view(fortran(bad, n, d), n, d, 'F'), undefined)).toBe(4);
  const huge = new Float64Array(8).fill(1e308); // sums overflow, values are finite
  expect(firstNonFiniteRow(view(huge, 2, 4), undefined)).toBe(-1);
});
