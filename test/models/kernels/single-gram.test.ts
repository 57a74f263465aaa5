/**
 * A Hessian's Gram products in single precision (kernels/wasm/single-gram-module.ts): within
 * their worst-case rounding bound, entry by entry, for every tile shape; the double-precision
 * product, bit for bit, wherever that bound exceeds the caller's limit; and the binary and
 * multinomial sweeps' Hessians within the budget the solver gives them. Tolerances are the bound itself (γ_67 per unit of
 * Σ|w|·|z_j|·|z_k|) plus 1e-14 of that sum for the f64 additions around it.
 */
import { describe, expect, it } from 'vitest';
import { logisticNewtonSweep, newtonScratchLength, softmaxNewtonSweep, symmetrizeUpper, withBackend, type DenseView } from '../../../src/models/kernels/index.js';
import { createGramKernel } from '../../../src/models/kernels/wasm/kernel.js';
import { SINGLE_GRAM_ERROR } from '../../../src/models/kernels/wasm/single-gram-module.js';
import { randoms } from '../../helpers/random.js';

/** Rows u of n × d `data` scaled by powers of ten per column, so entries span six decades. */
function spreadRows(n: number, d: number, seed: number): Float64Array {
  const data = randoms(n * d, seed);
  for (let u = 0; u < n; u++) for (let j = 0; j < d; j++) data[u * d + j]! *= 10 ** ((j % 7) - 3);
  return data;
}

/** Σ_u w_u z_uj z_uk (exact enough: f64) and Σ_u |w_u|·|z_uj|·|z_uk| per entry. */
function gramAndScale(data: Float64Array, w: Float64Array, n: number, d: number): { G: Float64Array; S: Float64Array } {
  const G = new Float64Array(d * d);
  const S = new Float64Array(d * d);
  for (let u = 0; u < n; u++) {
    for (let j = 0; j < d; j++) {
      for (let k = j; k < d; k++) {
        const t = w[u]! * data[u * d + j]! * data[u * d + k]!;
        G[j * d + k]! += t;
        S[j * d + k]! += Math.abs(t);
      }
    }
  }
  return { G, S };
}

/** Σ_u |w_u|·‖z_u‖² over rows [first, first + m): what the kernel's bound multiplies. */
function boundSum(data: Float64Array, w: Float64Array, d: number, first: number, m: number): number {
  let s = 0;
  for (let u = first; u < first + m; u++) {
    let norm = 0;
    for (let j = 0; j < d; j++) norm += data[u * d + j]! ** 2;
    s += Math.abs(w[u]!) * norm;
  }
  return s;
}

type Kernel = ReturnType<typeof createGramKernel>;

/** Loads rows [first, first + m) and their weights into the block buffer. */
function load(kernel: Kernel, data: Float64Array, w: Float64Array, d: number, first: number, m: number): void {
  for (let u = 0; u < m; u++) kernel.rows.set(data.subarray((first + u) * d, (first + u + 1) * d), u * kernel.stride);
  kernel.weights.set(w.subarray(first, first + m));
}

describe('the single-precision Gram of a binary Hessian', () => {
  it('stays within γ_67·Σ|w||z_j||z_k| of the exact sum in every entry, for every tile shape and block length', () => {
    for (const d of [1, 3, 4, 8, 12, 33, 129]) {
      for (const n of [1, 63, 64, 65, 300]) {
        const data = spreadRows(n, d, d * 100 + n);
        const w = randoms(n, d + n).map((v) => 0.25 * Math.abs(v));
        const kernel = createGramKernel(d, 256);
        kernel.reset();
        for (let r = 0; r < n; r += kernel.capacity) {
          const m = Math.min(kernel.capacity, n - r);
          load(kernel, data, w, d, r, m);
          expect(kernel.addWeightedSingle(m, Number.POSITIVE_INFINITY)).toBe(true);
        }
        const got = new Float64Array(d * d);
        kernel.readInto(got);
        const { G, S } = gramAndScale(data, w, n, d);
        for (let j = 0; j < d; j++) {
          for (let k = j; k < d; k++) {
            const error = Math.abs(got[j * d + k]! - G[j * d + k]!);
            expect(error, `d=${d} n=${n} (${j}, ${k})`).toBeLessThanOrEqual((SINGLE_GRAM_ERROR + 1e-14) * S[j * d + k]!);
          }
        }
      }
    }
  });

  it('rounds: the single-precision sum differs from the double one where it is used', () => {
    const d = 33;
    const n = 64;
    const data = spreadRows(n, d, 5);
    const w = randoms(n, 6).map(Math.abs);
    const single = createGramKernel(d, 64);
    const double = createGramKernel(d, 64);
    load(single, data, w, d, 0, n);
    load(double, data, w, d, 0, n);
    single.addWeightedSingle(n, Number.POSITIVE_INFINITY);
    double.addWeighted(n);
    const a = new Float64Array(d * d);
    const b = new Float64Array(d * d);
    single.readInto(a);
    double.readInto(b);
    const differing = a.filter((v, i) => v !== b[i]).length;
    expect(differing).toBeGreaterThan(d);
  });

  it('is the double-precision product, bit for bit, when the block\'s bound passes the limit, and says which it used', () => {
    const d = 21;
    const n = 100;
    const data = spreadRows(n, d, 9);
    const w = randoms(n, 10).map(Math.abs);
    const bound = SINGLE_GRAM_ERROR * boundSum(data, w, d, 0, n);
    const reference = createGramKernel(d, 128);
    load(reference, data, w, d, 0, n);
    reference.addWeighted(n);
    const expected = new Float64Array(d * d);
    reference.readInto(expected);
    for (const [limit, single] of [[bound * 0.999, false], [bound * 1.001, true]] as const) {
      const kernel = createGramKernel(d, 128);
      load(kernel, data, w, d, 0, n);
      expect(kernel.addWeightedSingle(n, limit)).toBe(single);
      const got = new Float64Array(d * d);
      kernel.readInto(got);
      if (single) expect(Array.from(got)).not.toEqual(Array.from(expected));
      else expect(Array.from(got)).toEqual(Array.from(expected));
    }
  });

  it('reads kept rows as it reads the block buffer', () => {
    const d = 13;
    const n = 64;
    const data = spreadRows(n, d, 12);
    const w = randoms(n, 13).map(Math.abs);
    const kernel = createGramKernel(d, 64, 1, 1, 200);
    const viaBlock = new Float64Array(d * d);
    const viaKept = new Float64Array(d * d);
    load(kernel, data, w, d, 0, n);
    kernel.addWeightedSingle(n, Number.POSITIVE_INFINITY);
    kernel.readInto(viaBlock);
    kernel.reset();
    for (let u = 0; u < n; u++) kernel.keptRows.set(kernel.rows.subarray(u * kernel.stride, (u + 1) * kernel.stride), (70 + u) * kernel.stride);
    kernel.addWeightedSingle(n, Number.POSITIVE_INFINITY, 70);
    kernel.readInto(viaKept);
    expect(Array.from(viaKept)).toEqual(Array.from(viaBlock));
  });
});

describe('a binary Newton sweep with a rounding budget', () => {
  const n = 3000;
  const d = 40;
  const D = d + 1;
  const data = spreadRows(n, d, 31);
  const X: DenseView = { data, nRows: n, nCols: d, order: 'C' };
  const target = randoms(n, 32).map((v) => (v > 0 ? 1 : 0));
  const coef = randoms(D, 33).map((v) => 0.01 * v);

  function sweep(roundingPerRow: number): { loss: number; grad: Float64Array; hess: Float64Array } {
    const grad = new Float64Array(D);
    const hess = new Float64Array(D * D);
    const loss = withBackend('wasm', () => logisticNewtonSweep({ X }, target, coef, grad, hess, new Float64Array(newtonScratchLength(d, 1)), roundingPerRow));
    return { loss, grad, hess };
  }

  it('keeps the Hessian within roundingPerRow × rows of the double-precision one (Frobenius norm), loss and gradient unchanged', () => {
    const exact = sweep(0);
    // Every row's share of the bound, σ(1 − σ) ≤ 1/4 times ‖[x, 1]‖², fits: every block sums in single precision.
    let perRow = 0;
    for (let u = 0; u < n; u++) perRow = Math.max(perRow, 0.25 * SINGLE_GRAM_ERROR * (1 + boundSum(data, new Float64Array(n).fill(1), d, u, 1)));
    const rounded = sweep(perRow);
    expect(rounded.loss).toBe(exact.loss);
    expect(Array.from(rounded.grad)).toEqual(Array.from(exact.grad));
    let frobenius = 0;
    for (let j = 0; j < D; j++) for (let k = j; k < D; k++) frobenius += (rounded.hess[j * D + k]! - exact.hess[j * D + k]!) ** 2;
    expect(Math.sqrt(frobenius)).toBeGreaterThan(0);
    expect(Math.sqrt(frobenius)).toBeLessThanOrEqual(perRow * n);
  });

  it('sums in double precision, bit for bit, where the budget is too small for any block', () => {
    const exact = sweep(0);
    const tight = sweep(1e-300);
    expect(Array.from(tight.hess)).toEqual(Array.from(exact.hess));
  });
});

describe('a multinomial Newton sweep with a rounding budget', () => {
  const n = 2000;
  const d = 10;
  const k = 4;
  const K = k * (d + 1);
  const X: DenseView = { data: spreadRows(n, d, 41).map((v) => v / 10), nRows: n, nCols: d, order: 'C' };
  const label = Int32Array.from(randoms(n, 42), (v) => Math.min(k - 1, Math.floor((v + 1) * 2)));
  const coef = randoms(K, 43).map((v) => 0.1 * v);

  function sweep(roundingPerRow: number): { loss: number; grad: Float64Array; hess: Float64Array } {
    const grad = new Float64Array(K);
    const hess = new Float64Array(K * K);
    const loss = withBackend('wasm', () => softmaxNewtonSweep({ X }, label, k, coef, grad, hess, new Float64Array(newtonScratchLength(d, k)), 0, roundingPerRow));
    symmetrizeUpper(hess, K);
    return { loss, grad, hess };
  }

  it('keeps the whole Hessian within roundingPerRow × rows of the double-precision one (Frobenius norm), loss and gradient unchanged', () => {
    const exact = sweep(0);
    // Every row's share of the pairs' bound, γ·(1 − Σ p²)·‖[x, 1]‖² ≤ γ·‖[x, 1]‖², fits: every block rounds.
    let perRow = 0;
    for (let u = 0; u < n; u++) perRow = Math.max(perRow, SINGLE_GRAM_ERROR * (1 + boundSum(X.data, new Float64Array(n).fill(1), d, u, 1)));
    const rounded = sweep(perRow);
    expect(rounded.loss).toBe(exact.loss);
    expect(Array.from(rounded.grad)).toEqual(Array.from(exact.grad));
    let frobenius = 0;
    for (let i = 0; i < K * K; i++) frobenius += (rounded.hess[i]! - exact.hess[i]!) ** 2;
    expect(Math.sqrt(frobenius)).toBeGreaterThan(0);
    expect(Math.sqrt(frobenius)).toBeLessThanOrEqual(perRow * n);
  });

  it('sums in double precision, bit for bit, where the budget is too small for any pair', () => {
    expect(Array.from(sweep(1e-300).hess)).toEqual(Array.from(sweep(0).hess));
  });
});
