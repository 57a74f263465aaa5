/**
 * The WebAssembly SIMD Gram kernel itself (module bytes, block buffer, memory layout), and the
 * wasm-backed kernels against the JavaScript backend bit for bit where they promise it
 * (backends.test.ts compares each backend with textbook loops). Tolerance: 1e-13 of √(G_jj·G_kk) per entry (the summation
 * order differs; entries that cancel to ~0 cannot be held to a relative bound, see
 * maxScaledDiff). The O(d) moments must be bit for bit the JavaScript kernel's.
 */
import { describe, expect, it } from 'vitest';
import {
  accumulateGram, gramStats, lastBackend, logisticNewtonSweep, newtonScratchLength, softmaxNewtonSweep, withBackend,
  type DenseView, type GramStats,
} from '../../../src/models/kernels/index.js';
import { blockRowsFor, createGramKernel, gramLayout, paddedColumns, wasmGramKernel } from '../../../src/models/kernels/wasm/kernel.js';
import { gramModuleBytes } from '../../../src/models/kernels/wasm/module.js';
import { logisticPointLoss, logisticResidual, softmaxRow } from '../../../src/models/kernels/logistic-math.js';
import { fastExp, fastLog } from '../../../src/models/kernels/fast-math.js';
import { randoms } from '../../helpers/random.js';

const TOL = 1e-13;

/** max |A_jk − B_jk| / √(B_jj·B_kk) over the upper triangle (B's diagonal is a sum of squares). */
function maxScaledDiff(A: Float64Array, B: Float64Array, d: number): number {
  let worst = 0;
  for (let j = 0; j < d; j++) {
    for (let k = j; k < d; k++) worst = Math.max(worst, Math.abs(A[j * d + k]! - B[j * d + k]!) / Math.sqrt(B[j * d + j]! * B[k * d + k]!));
  }
  return worst;
}

/** Copies rows [first, first + m) of a C-order n×d array into the kernel's block buffer. */
function fillBlock(kernel: ReturnType<typeof createGramKernel>, data: Float64Array, d: number, first: number, m: number): void {
  for (let u = 0; u < m; u++) kernel.rows.set(data.subarray((first + u) * d, (first + u + 1) * d), u * kernel.stride);
}

/** Σ_u w_u z_uj z_uk, the plain way. */
function naiveGram(data: Float64Array, n: number, d: number, w?: Float64Array): Float64Array {
  const G = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    for (let k = 0; k < d; k++) {
      let s = 0;
      for (let u = 0; u < n; u++) s += (w?.[u] ?? 1) * data[u * d + j]! * data[u * d + k]!;
      G[j * d + k] = s;
    }
  }
  return G;
}

function toFortranData(data: Float64Array, n: number, d: number): Float64Array {
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[j * n + i] = data[i * d + j]!;
  return out;
}

function statsOf(X: DenseView, rows: Int32Array | undefined, y: Float64Array, shift: Float64Array): GramStats {
  const s = gramStats(X.nCols);
  accumulateGram(X, rows, y, shift, 0.25, s);
  return s;
}

describe('the wasm module', () => {
  it('is valid WebAssembly (with SIMD) and available on this Node', () => {
    expect(WebAssembly.validate(gramModuleBytes())).toBe(true);
    const kernel = wasmGramKernel(7);
    expect([kernel?.d, kernel?.stride, kernel?.capacity]).toEqual([7, 8, blockRowsFor(8)]);
  });

  it('takes more rows a block the narrower the rows: 64 to 1024, within 96 KiB', () => {
    // 8 columns: 16 × 64 rows would fit 96 KiB twice over, the cap holds it at 1024.
    expect(blockRowsFor(8)).toBe(1024);
    // 33 columns (32 features and the intercept) pad to 36: 288 bytes a row, 5 × 64 rows = 90 KiB.
    expect(blockRowsFor(36)).toBe(320);
    // 129 and 513 columns: one 64-row block is already past 64 KiB.
    expect(blockRowsFor(132)).toBe(64);
    expect(blockRowsFor(516)).toBe(64);
    expect(wasmGramKernel(33)?.capacity).toBe(320);
  });

  it('pads rows to a multiple of 4 columns, and one cache line more where a row would be a multiple of 2 KiB', () => {
    expect([1, 4, 33, 129, 250, 252, 257].map(paddedColumns)).toEqual([4, 4, 36, 132, 252, 252, 260]);
    // 256 and 512 columns (2 and 4 KiB) would put a block's rows in the same L1 sets.
    expect([255, 256, 509, 512, 768, 1024].map(paddedColumns)).toEqual([264, 264, 520, 520, 776, 1032]);
    expect(wasmGramKernel(512)?.stride).toBe(520);
  });

  it('lays out its memory in 16-byte aligned regions that do not overlap', () => {
    for (const [dp, capacity, outputs, classes, kept] of [[4, 1, 1, 1, 0], [8, 3, 6, 3, 5], [36, 64, 55, 10, 1], [68, 65, 1, 1, 1000]] as const) {
      const l = gramLayout(dp, capacity, outputs, classes, kept);
      const regions: [number, number][] = [
        [l.gW, outputs * dp * dp], [l.wW, capacity], [l.pW, capacity], [l.zW, capacity * dp], [l.lW, capacity * dp],
        [l.cW, classes * dp], [l.mW, capacity * classes], [l.rW, capacity * classes], [l.vW, classes * dp],
        [l.yW, Math.ceil(capacity / 2)], [l.sW, 3 * capacity], [l.tW, 32], [l.qW, capacity * dp], [l.hW, dp], [l.nW, 257], [l.iW, 257],
        [l.oW, 2 * dp], [l.kW, kept * dp], [l.kyW, Math.ceil(kept / 2)], [l.kpW, kept],
      ];
      regions.forEach(([start, size], i) => {
        expect(start % 2).toBe(0);
        if (i > 0) expect(start).toBeGreaterThanOrEqual(regions[i - 1]![0] + regions[i - 1]![1]);
        expect(start + size).toBeLessThanOrEqual(l.words);
      });
      expect(l.words).toBe(l.kpW + kept);
    }
  });

  it('adds Σ z zᵀ for every shape of d and block, padding and lower triangle untouched', () => {
    for (const d of [1, 2, 3, 4, 5, 7, 13, 33, 64, 65, 256]) {
      for (const n of d === 256 ? [1, 65] : [0, 1, 3, 63, 64, 65, 200]) {
        const data = randoms(n * d, d * 1000 + n);
        const kernel = createGramKernel(d, 64);
        for (let r = 0; r < n; r += kernel.capacity) {
          const m = Math.min(kernel.capacity, n - r);
          fillBlock(kernel, data, d, r, m);
          kernel.add(m);
          for (let u = 0; u < kernel.capacity; u++) {
            for (let j = d; j < kernel.stride; j++) expect(kernel.rows[u * kernel.stride + j]).toBe(0);
          }
        }
        const G = new Float64Array(d * d);
        kernel.readInto(G);
        if (n > 0) expect(maxScaledDiff(G, naiveGram(data, n, d), d), `d=${d} n=${n}`).toBeLessThan(TOL);
        for (let j = 1; j < d; j++) for (let k = 0; k < j; k++) expect(G[j * d + k]).toBe(0);
      }
    }
  });

  it('adds Σ w z zᵀ, upper triangle or full', () => {
    const d = 33;
    const n = 200;
    const data = randoms(n * d, 7);
    const w = randoms(n, 8).map(Math.abs);
    const kernel = createGramKernel(d, 64);
    const expected = naiveGram(data, n, d, w);
    for (const full of [false, true]) {
      kernel.reset();
      for (let r = 0; r < n; r += 64) {
        const m = Math.min(64, n - r);
        fillBlock(kernel, data, d, r, m);
        kernel.weights.set(w.subarray(r, r + m));
        kernel.addWeighted(m, full);
      }
      const G = new Float64Array(d * d);
      kernel.readInto(G, d, 0, full);
      const upper = maxScaledDiff(G, expected, d);
      expect(upper).toBeLessThan(TOL);
      if (full) expect(maxScaledDiff(G.map((_, i) => G[(i % d) * d + Math.floor(i / d)]!), expected, d)).toBeLessThan(TOL);
    }
  });

  it('resetGradient zeroes the gradient and leaves every G as it was; reset zeroes both', () => {
    const d = 9;
    const kernel = createGramKernel(d, 64, 2, 2);
    const data = randoms(20 * d, 11);
    fillBlock(kernel, data, d, 0, 20);
    kernel.weights.fill(1);
    kernel.addWeighted(20, false, 1);
    kernel.residuals.set(randoms(40, 12));
    kernel.addGradient(20);
    const before = new Float64Array(d * d);
    kernel.readInto(before, d, 0, false, 1);
    kernel.resetGradient();
    const grad = new Float64Array(2 * d);
    kernel.readGradient(grad);
    expect(grad.every((v) => v === 0)).toBe(true);
    const after = new Float64Array(d * d);
    kernel.readInto(after, d, 0, false, 1);
    expect(before.some((v) => v !== 0)).toBe(true);
    expect(after).toEqual(before);
    kernel.reset();
    const cleared = new Float64Array(d * d);
    kernel.readInto(cleared, d, 0, false, 1);
    expect(cleared.every((v) => v === 0)).toBe(true);
  });

  it.each([63, 64])('logit over %i rows (pairs of lanes, and an odd last one) gives logistic-math.ts\'s residuals, curvature weights and summed loss bit for bit', (m) => {
    const kernel = createGramKernel(5, 64);
    // Margins near 0, of logistic size, large (e^−|s| near the table's ends) and exactly 0.
    const margins = randoms(m, 41).map((v, i) => (i === 7 ? 0 : v * [1, 8, 60, 700][i % 4]!));
    const targets = Int32Array.from({ length: m }, (_, u) => (u * 5) % 3 === 0 ? 1 : 0);
    const weights = randoms(m, 42).map((v) => 0.5 + Math.abs(v));
    kernel.margins.set(margins);
    kernel.labels.set(targets);
    kernel.perRow.set(weights);
    for (const curvature of [false, true]) {
      kernel.weights.fill(-1);
      const loss = kernel.logit(m, curvature);
      let want = 0;
      for (let u = 0; u < m; u++) {
        const s = margins[u]!, t = targets[u]!, w = weights[u]!;
        const e = fastExp(-Math.abs(s));
        const g = logisticResidual(s, e, t);
        want += w * logisticPointLoss(s, e, t);
        expect(kernel.residuals[u], `row ${u}`).toBe(w * g);
        expect(kernel.weights[u], `row ${u}`).toBe(curvature ? w * (g + t) * (1 - (g + t)) : -1);
      }
      expect(loss).toBe(want);
    }
  });

  it.each([3, 10])('softmax over %i classes (pairs of lanes, and an odd last one) gives softmaxRow\'s probabilities, loss terms and weighted loss sum bit for bit, and the weighted residuals', (k) => {
    const m = 64;
    const kernel = createGramKernel(5, 64, 1, k);
    // Margins from small to far apart (e^(z − max) down to the exp table's low end, −708, and past it).
    const margins = randoms(m * k, 21).map((v, i) => v * [1, 30, 300, 800][i % 4]!);
    const labels = Int32Array.from({ length: m }, (_, u) => (u * 7) % k);
    const weights = randoms(m, 22).map((v) => 0.5 + Math.abs(v));
    kernel.margins.set(margins);
    kernel.labels.set(labels);
    kernel.perRow.set(weights);
    const total = kernel.softmax(m);
    let want = 0;
    for (let u = 0; u < m; u++) {
      const p = margins.slice(u * k, (u + 1) * k);
      const loss = softmaxRow(p, 0, 1, k, labels[u]!);
      want += weights[u]! * loss;
      const [zMax, zLabel, sum] = kernel.rowStats.subarray(3 * u, 3 * u + 3);
      expect(fastLog(sum!) + zMax! - zLabel!, `row ${u}`).toBe(loss);
      for (let c = 0; c < k; c++) {
        // Below e^−708 the wasm exp gives 0 where fastExp defers to Math.exp (≤ 3e-308).
        expect(Math.abs(kernel.margins[u * k + c]! - p[c]!), `row ${u} class ${c}`).toBeLessThan(1e-300);
        if (p[c]! > 1e-300) expect(kernel.margins[u * k + c], `row ${u} class ${c}`).toBe(p[c]);
        expect(kernel.residuals[u * k + c]).toBe(weights[u]! * (kernel.margins[u * k + c]! - (c === labels[u] ? 1 : 0)));
      }
    }
    expect(total).toBe(want);
  });

  it('softmax gives each row\'s loss as softmaxRow does, bit for bit, where the log is most of it', () => {
    // One row a call, weight 1, margins within [−1, 1): the returned sum is the row's loss, every
    // term of order 1, so a log off by an ulp shows (a sum over many rows would round it away).
    const k = 10, rows = 300;
    const kernel = createGramKernel(5, 64, 1, k);
    const margins = randoms(rows * k, 23);
    kernel.perRow[0] = 1;
    for (let u = 0; u < rows; u++) {
      const row = margins.slice(u * k, (u + 1) * k);
      kernel.margins.set(row);
      kernel.labels[0] = (u * 3) % k;
      expect(kernel.softmax(1), `row ${u}`).toBe(softmaxRow(row.slice(), 0, 1, k, (u * 3) % k));
    }
  });
});

describe('accumulateGram on the wasm kernel', () => {
  const n = 1000;
  const d = 37;
  const data = randoms(n * d, 11).map((v) => 5 + 3 * v);
  const y = randoms(n, 12);
  const shift = new Float64Array(d).fill(5);
  const rows = Int32Array.from({ length: 700 }, (_, i) => (i * 13) % n);
  const C: DenseView = { data, nRows: n, nCols: d, order: 'C' };
  const F: DenseView = { data: toFortranData(data, n, d), nRows: n, nCols: d, order: 'F' };

  it('agrees with the JavaScript kernel: moments bit for bit, xtx to rounding', () => {
    for (const subset of [undefined, rows]) {
      const wasm = withBackend('wasm', () => statsOf(C, subset, y, shift));
      expect(lastBackend()).toBe('wasm');
      const js = withBackend('js', () => statsOf(C, subset, y, shift));
      expect(lastBackend()).toBe('js');
      expect(Array.from(wasm.xSum)).toEqual(Array.from(js.xSum));
      expect(Array.from(wasm.xty)).toEqual(Array.from(js.xty));
      expect([wasm.ySum, wasm.yty, wasm.count]).toEqual([js.ySum, js.yty, js.count]);
      expect(maxScaledDiff(wasm.xtx, js.xtx, d)).toBeLessThan(TOL);
    }
  });

  it('weighted, unshifted, and summed onto earlier statistics: moments still bit for bit the JavaScript kernel\'s', () => {
    const weight = randoms(n, 13).map((v) => 1.5 + v);
    const twice = (backend: 'js' | 'wasm'): GramStats => withBackend(backend, () => {
      const s = gramStats(d);
      accumulateGram(C, rows, y, undefined, 0.5, s, undefined, weight);
      accumulateGram(C, undefined, y, undefined, 0.25, s, undefined, weight);
      return s;
    });
    const wasm = twice('wasm');
    const js = twice('js');
    expect(Array.from(wasm.xSum)).toEqual(Array.from(js.xSum));
    expect(Array.from(wasm.xty)).toEqual(Array.from(js.xty));
    expect([wasm.ySum, wasm.yty, wasm.count]).toEqual([js.ySum, js.yty, js.count]);
    expect(maxScaledDiff(wasm.xtx, js.xtx, d)).toBeLessThan(TOL);
  });

  it('gives C and F order the same numbers bit for bit', () => {
    for (const subset of [undefined, rows]) {
      const c = withBackend('wasm', () => statsOf(C, subset, y, shift));
      const f = withBackend('wasm', () => statsOf(F, subset, y, shift));
      expect(Array.from(f.xtx)).toEqual(Array.from(c.xtx));
      expect(Array.from(f.xSum)).toEqual(Array.from(c.xSum));
    }
  });
});

describe('the binary logistic Newton sweep on the wasm kernel', () => {
  const n = 900;
  const d = 12;
  const D = d + 1;
  const data = randoms(n * d, 21);
  const target = randoms(n, 22).map((v) => (v > 0 ? 1 : 0));
  const coef = randoms(D, 23);
  const rows = Int32Array.from({ length: 500 }, (_, i) => (i * 7) % n);
  const C: DenseView = { data, nRows: n, nCols: d, order: 'C' };
  const F: DenseView = { data: toFortranData(data, n, d), nRows: n, nCols: d, order: 'F' };

  function sweep(X: DenseView, subset: Int32Array | undefined): { loss: number; grad: Float64Array; hess: Float64Array } {
    const grad = new Float64Array(D);
    const hess = new Float64Array(D * D);
    const loss = logisticNewtonSweep({ X, rows: subset }, target, coef, grad, hess, new Float64Array(newtonScratchLength(d, 1)));
    return { loss, grad, hess };
  }

  it('agrees with the JavaScript sweep: loss, gradient and Hessian to rounding', () => {
    for (const subset of [undefined, rows]) {
      const wasm = withBackend('wasm', () => sweep(C, subset));
      const js = withBackend('js', () => sweep(C, subset));
      expect(Math.abs(wasm.loss - js.loss) / js.loss).toBeLessThan(1e-14);
      for (let j = 0; j < D; j++) expect(Math.abs(wasm.grad[j]! - js.grad[j]!)).toBeLessThan(TOL * (subset?.length ?? n));
      expect(maxScaledDiff(wasm.hess, js.hess, D)).toBeLessThan(TOL);
    }
  });

  it('gives C and F order the same numbers bit for bit', () => {
    const c = withBackend('wasm', () => sweep(C, rows));
    const f = withBackend('wasm', () => sweep(F, rows));
    expect(f.loss).toBe(c.loss);
    expect(Array.from(f.grad)).toEqual(Array.from(c.grad));
    expect(Array.from(f.hess)).toEqual(Array.from(c.hess));
  });
});

describe('the softmax Newton sweep on the wasm kernel', () => {
  const n = 300;
  const d = 6;
  const k = 3;
  const D = d + 1;
  const K = k * D;
  const data = randoms(n * d, 31);
  const label = Int32Array.from(randoms(n, 32), (v) => Math.min(k - 1, Math.floor((v + 1) * 1.5)));
  const coef = randoms(K, 33);
  const rows = Int32Array.from({ length: 200 }, (_, i) => (i * 11) % n);
  const C: DenseView = { data, nRows: n, nCols: d, order: 'C' };

  function sweep(subset: Int32Array | undefined): { loss: number; grad: Float64Array; hess: Float64Array } {
    const grad = new Float64Array(K);
    const hess = new Float64Array(K * K);
    const loss = softmaxNewtonSweep({ X: C, rows: subset }, label, k, coef, grad, hess, new Float64Array(newtonScratchLength(d, k)));
    return { loss, grad, hess };
  }

  it('agrees with the JavaScript sweep: loss, gradient and every Hessian block to rounding', () => {
    for (const subset of [undefined, rows]) {
      const wasm = withBackend('wasm', () => sweep(subset));
      const js = withBackend('js', () => sweep(subset));
      expect(Math.abs(wasm.loss - js.loss) / js.loss).toBeLessThan(1e-13);
      for (let j = 0; j < K; j++) expect(Math.abs(wasm.grad[j]! - js.grad[j]!)).toBeLessThan(1e-12);
      // Upper triangle of the diagonal blocks, whole blocks above them; the lower part stays 0.
      for (let a = 0; a < K; a++) {
        for (let b = 0; b < K; b++) expect(Math.abs(wasm.hess[a * K + b]! - js.hess[a * K + b]!), `${a},${b}`).toBeLessThan(1e-12);
      }
    }
  });
});
