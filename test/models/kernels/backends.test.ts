/**
 * Every kernel that has a JavaScript and a WebAssembly backend, run once per backend against a
 * textbook implementation (plain double loops written here): 23 rows (a partial last block of
 * four, padding slots in play) and 24 (whole blocks), C and F order, all rows and a subset with
 * a repeated row. Each test asserts the backend that actually ran (`lastBackend()`), so a
 * backend that is silently unavailable cannot turn a wasm test into a second JavaScript one.
 *
 * Tolerance: 1e-13 of the reference's scale per entry (sums are reordered between backends and
 * against the plain loops; nothing else may differ).
 */
import { describe, expect, test } from 'vitest';
import {
  accumulateGram, choleskyInPlace, choleskyStore, firstNonFiniteRow, gramStats, lastBackend, linearMargins, logisticLossGrad, logisticNewtonSweep,
  newtonScratchLength, softmaxLossGrad, softmaxNewtonSweep, symmetrizeUpper, withBackend, type BackendName, type DenseView,
  type SweepRows,
} from '../../../src/models/kernels/index.js';
import { randoms } from '../../helpers/random.js';

const TOL = 1e-13;
const BACKENDS: readonly BackendName[] = ['js', 'wasm'];
const d = 5;
const D = d + 1;
const k = 3;
const K = k * D;

/** X as a C- or F-order view of the same n×d values. */
function viewOf(values: Float64Array, n: number, order: 'C' | 'F'): DenseView {
  if (order === 'C') return { data: values, nRows: n, nCols: d, order };
  const f = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) f[j * n + i] = values[i * d + j]!;
  return { data: f, nRows: n, nCols: d, order };
}

const at = (values: Float64Array, i: number, j: number): number => values[i * d + j]!;
/** Row i as [x, 1]. */
const aug = (values: Float64Array, i: number): number[] => [...values.subarray(i * d, (i + 1) * d), 1];

/** max |a − b| / max(1, max |b|). */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 1;
  let worst = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst / scale;
}

/** Runs `fn` on `backend` and checks that its O(d²) kernel really ran there. */
function on<T>(backend: BackendName, fn: () => T): T {
  const out = withBackend(backend, fn);
  expect(lastBackend()).toBe(backend);
  return out;
}

for (const n of [23, 24]) {
  const values = randoms(n * d, n).map((v) => 2 + 3 * v);
  const y = randoms(n, 100 + n);
  const target = Float64Array.from(y, (v) => (v > 0 ? 1 : 0));
  const label = Int32Array.from(y, (v) => (v < -0.3 ? 0 : v < 0.3 ? 1 : 2));
  const shift = Float64Array.from({ length: d }, (_, j) => 2 + 0.1 * j);
  const subset = Int32Array.from([7, 3, 3, n - 1, 0, 15, 9, 20, 21]);
  const cases = [undefined, subset].map((rows) => ({ rows, ids: rows ? [...rows] : [...Array(n).keys()] }));
  // The Gram pass and the logistic sweeps also run with a shift subtracted from every row and per-row weights.
  const rowWeights = randoms(n, 200 + n).map((v) => 1.5 + v);
  const sweepExtras = [
    { name: 'unweighted', shift: undefined, weight: undefined },
    { name: 'shifted and weighted', shift, weight: rowWeights },
  ];

  for (const backend of BACKENDS) {
    for (const order of ['C', 'F'] as const) {
      const X = viewOf(values, n, order);
      describe(`${backend} backend, ${n} rows, ${order} order`, () => {
        for (const { rows, ids } of cases) {
          const which = rows ? 'a subset with a repeated row' : 'all rows';

          for (const weight of [undefined, rowWeights]) {
            test(`accumulateGram gives the textbook centred sums over ${which}, ${weight ? 'weighted' : 'unweighted'}`, () => {
              const s = gramStats(d);
              on(backend, () => accumulateGram(X, rows, y, shift, 0.25, s, undefined, weight));
              symmetrizeUpper(s.xtx, d);
              const xtx = new Float64Array(d * d);
              const xty = new Float64Array(d);
              const xSum = new Float64Array(d);
              let ySum = 0;
              let yty = 0;
              let count = 0;
              for (const i of ids) {
                const om = weight?.[i] ?? 1;
                const t = y[i]! - 0.25;
                for (let j = 0; j < d; j++) {
                  const zj = at(values, i, j) - shift[j]!;
                  xSum[j]! += om * zj;
                  xty[j]! += om * zj * t;
                  for (let m = 0; m < d; m++) xtx[j * d + m]! += om * zj * (at(values, i, m) - shift[m]!);
                }
                ySum += om * t;
                yty += om * t * t;
                count += om;
              }
              expect(Math.abs(s.count - count)).toBeLessThan(TOL * count);
              expect(relErr(s.xtx, xtx)).toBeLessThan(TOL);
              expect(relErr(s.xty, xty)).toBeLessThan(TOL);
              expect(relErr(s.xSum, xSum)).toBeLessThan(TOL);
              expect(relErr([s.ySum, s.yty], [ySum, yty])).toBeLessThan(TOL);
            });
          }

          for (const extra of sweepExtras) {
            test(`the binary Newton sweep gives the textbook loss, gradient and Hessian over ${which}, ${extra.name}`, () => {
              const data: SweepRows = { X, rows, ...(extra.shift ? { shift: extra.shift } : {}), ...(extra.weight ? { weight: extra.weight } : {}) };
              const w = randoms(D, 7).map((v) => 0.5 * v);
              const grad = new Float64Array(D);
              const hess = new Float64Array(D * D);
              const loss = on(backend, () => logisticNewtonSweep(data, target, w, grad, hess, new Float64Array(newtonScratchLength(d, 1))));
              symmetrizeUpper(hess, D);
              let refLoss = 0;
              const refGrad = new Float64Array(D);
              const refHess = new Float64Array(D * D);
              for (const i of ids) {
                const x = aug(values, i).map((v, j) => (j < d ? v - (extra.shift?.[j] ?? 0) : v));
                const om = extra.weight?.[i] ?? 1;
                const z = x.reduce((s, v, j) => s + v * w[j]!, 0);
                const p = 1 / (1 + Math.exp(-z));
                refLoss += om * (Math.log1p(Math.exp(z)) - target[i]! * z);
                for (let a = 0; a < D; a++) {
                  refGrad[a]! += om * (p - target[i]!) * x[a]!;
                  for (let b = 0; b < D; b++) refHess[a * D + b]! += om * p * (1 - p) * x[a]! * x[b]!;
                }
              }
              expect(relErr([loss], [refLoss])).toBeLessThan(TOL);
              expect(relErr(grad, refGrad)).toBeLessThan(TOL);
              expect(relErr(hess, refHess)).toBeLessThan(TOL);
              // Without a Hessian the same sweep is the plain loss + gradient kernel.
              const gOnly = new Float64Array(D);
              const lOnly = logisticNewtonSweep(data, target, w, gOnly, undefined, new Float64Array(newtonScratchLength(d, 1)));
              expect(relErr([lOnly], [refLoss])).toBeLessThan(TOL);
              expect(relErr(gOnly, refGrad)).toBeLessThan(TOL);
            });

            test(`the softmax Newton sweep gives the textbook loss, gradient and Hessian blocks over ${which}, ${extra.name}`, () => {
              const data: SweepRows = { X, rows, ...(extra.shift ? { shift: extra.shift } : {}), ...(extra.weight ? { weight: extra.weight } : {}) };
              const w = randoms(K, 8).map((v) => 0.5 * v);
              const grad = new Float64Array(K);
              const hess = new Float64Array(K * K);
              const loss = on(backend, () => softmaxNewtonSweep(data, label, k, w, grad, hess, new Float64Array(newtonScratchLength(d, k))));
              let refLoss = 0;
              const refGrad = new Float64Array(K);
              const refHess = new Float64Array(K * K);
              for (const i of ids) {
                const x = aug(values, i).map((v, j) => (j < d ? v - (extra.shift?.[j] ?? 0) : v));
                const om = extra.weight?.[i] ?? 1;
                const z = [0, 1, 2].map((c) => x.reduce((s, v, j) => s + v * w[c * D + j]!, 0));
                const zMax = Math.max(...z);
                const sum = z.reduce((s, v) => s + Math.exp(v - zMax), 0);
                const p = z.map((v) => Math.exp(v - zMax) / sum);
                refLoss += om * (Math.log(sum) + zMax - z[label[i]!]!);
                for (let c = 0; c < k; c++) {
                  for (let a = 0; a < D; a++) {
                    refGrad[c * D + a]! += om * (p[c]! - (c === label[i] ? 1 : 0)) * x[a]!;
                    for (let c2 = 0; c2 < k; c2++) {
                      for (let b = 0; b < D; b++) {
                        refHess[(c * D + a) * K + c2 * D + b]! += om * p[c]! * ((c === c2 ? 1 : 0) - p[c2]!) * x[a]! * x[b]!;
                      }
                    }
                  }
                }
              }
              expect(relErr([loss], [refLoss])).toBeLessThan(TOL);
              expect(relErr(grad, refGrad)).toBeLessThan(TOL);
              // The sweep fills the upper triangle of the diagonal blocks and the whole blocks above.
              const filled = (r: number, c: number): boolean => Math.floor(c / D) > Math.floor(r / D) || (Math.floor(c / D) === Math.floor(r / D) && c >= r);
              const got: number[] = [];
              const want: number[] = [];
              for (let r = 0; r < K; r++) {
                for (let c = 0; c < K; c++) {
                  if (filled(r, c)) { got.push(hess[r * K + c]!); want.push(refHess[r * K + c]!); } else expect(hess[r * K + c]).toBe(0);
                }
              }
              expect(relErr(got, want)).toBeLessThan(TOL);
              const gOnly = new Float64Array(K);
              const lOnly = softmaxNewtonSweep(data, label, k, w, gOnly, undefined, new Float64Array(newtonScratchLength(d, k)));
              expect(relErr([lOnly], [refLoss])).toBeLessThan(TOL);
              expect(relErr(gOnly, refGrad)).toBeLessThan(TOL);
            });
          }
        }

        test('a NaN or ±Inf in X reaches the statistics (what the ridge pass checks), and the scan finds its row', () => {
          const bad = values.slice();
          bad[4 * d + 2] = Number.NaN;
          bad[(n - 1) * d] = -Infinity;
          const B = viewOf(bad, n, order);
          const s = gramStats(d);
          on(backend, () => accumulateGram(B, Int32Array.from([0, 4]), y, shift, 0, s));
          expect(Number.isNaN(s.xSum[2]!)).toBe(true);
          expect(Number.isNaN(s.xtx[2 * d + 2]!)).toBe(true);
          expect(Number.isFinite(s.xSum[0]!)).toBe(true);
          expect(firstNonFiniteRow(B, undefined)).toBe(4);
          expect(firstNonFiniteRow(B, Int32Array.from([1, 2, n - 1]))).toBe(2);
          expect(firstNonFiniteRow(B, Int32Array.from([0, 1, n - 2]))).toBe(-1);
        });
      });
    }
  }

  test(`${n} rows: the binary and softmax loss kernels equal the Newton sweeps' (one formula per row)`, () => {
    const X = viewOf(values, n, 'C');
    const w = randoms(K, 9);
    const g1 = new Float64Array(D);
    const g2 = new Float64Array(D);
    const data: SweepRows = { X, rows: subset, shift, weight: rowWeights };
    expect(logisticLossGrad(data, target, w.subarray(0, D), g1))
      .toBeCloseTo(logisticNewtonSweep(data, target, w.subarray(0, D), g2, new Float64Array(D * D), new Float64Array(newtonScratchLength(d, 1))), 12);
    expect(relErr(g1, g2)).toBeLessThan(TOL);
    const s1 = new Float64Array(K);
    const s2 = new Float64Array(K);
    expect(softmaxLossGrad(data, label, k, w, s1, new Float64Array(2 * k)))
      .toBeCloseTo(softmaxNewtonSweep(data, label, k, w, s2, new Float64Array(K * K), new Float64Array(newtonScratchLength(d, k))), 12);
    expect(relErr(s1, s2)).toBeLessThan(TOL);
  });
}

test('a wide binary gradient pass runs on wasm, with the JavaScript kernel\'s loss and gradient (C and F order, runs of rows and scattered ones)', () => {
  const wide = 60;
  const rowsN = 150;
  const values = randoms(rowsN * wide, 31).map((v) => 3 + 2 * v);
  const t = Float64Array.from(randoms(rowsN, 32), (v) => (v > 0 ? 1 : 0));
  const coef = randoms(wide + 1, 33).map((v) => 0.1 * v);
  const center = new Float64Array(wide).fill(3);
  const weights = randoms(rowsN, 34).map((v) => 1 + Math.abs(v));
  // Runs of consecutive rows (one memcpy each), a jump back, a repeated row, and a tail past a block of 64.
  const rows = Int32Array.from([...Array.from({ length: 70 }, (_, i) => i), 5, 5, 140, 141, 142, 3, ...Array.from({ length: 40 }, (_, i) => 100 + i)]);
  const C: DenseView = { data: values, nRows: rowsN, nCols: wide, order: 'C' };
  const Fv = new Float64Array(rowsN * wide);
  for (let i = 0; i < rowsN; i++) for (let j = 0; j < wide; j++) Fv[j * rowsN + i] = values[i * wide + j]!;
  const F: DenseView = { data: Fv, nRows: rowsN, nCols: wide, order: 'F' };
  for (const shift of [center, undefined]) {
    const want = new Float64Array(wide + 1);
    const wantLoss = logisticLossGrad({ X: C, rows, weight: weights, ...(shift ? { shift } : {}) }, t, coef, want);
    const got: Float64Array[] = [];
    for (const X of [C, F]) {
      const g = new Float64Array(wide + 1);
      const loss = logisticNewtonSweep({ X, rows, weight: weights, ...(shift ? { shift } : {}) }, t, coef, g, undefined, new Float64Array(newtonScratchLength(wide, 1)));
      expect(lastBackend()).toBe('wasm');
      expect(Math.abs(loss - wantLoss) / Math.abs(wantLoss)).toBeLessThan(TOL);
      expect(relErr(g, want)).toBeLessThan(TOL);
      got.push(g);
    }
    expect(Array.from(got[0]!)).toEqual(Array.from(got[1]!)); // C and F load the same values
  }
});

test('linear outputs: wasm gives the JavaScript loop\'s bits (each output summed from b in order of j), any shape, C and F order, subsets, non-finite rows', () => {
  const shapes: [number, number, number][] = [[1, 1, 1], [7, 5, 3], [64, 33, 2], [65, 2, 12], [150, 9, 7], [300, 40, 120]];
  for (const [rowsN, cols, outputs] of shapes) {
    // Mixed magnitudes, so that any other order of the additions changes the last bits.
    const values = randoms(rowsN * cols, rowsN + cols).map((v, i) => v * 10 ** ((i * 7) % 9 - 4));
    values[Math.min(2, rowsN - 1) * cols] = Number.NaN;
    if (rowsN > 5) values[5 * cols + cols - 1] = Number.POSITIVE_INFINITY;
    const coef = randoms(outputs * (cols + 1), outputs).map((v, i) => v * 10 ** ((i * 5) % 7 - 3));
    const Fv = new Float64Array(rowsN * cols);
    for (let i = 0; i < rowsN; i++) for (let j = 0; j < cols; j++) Fv[j * rowsN + i] = values[i * cols + j]!;
    const subset = Int32Array.from({ length: rowsN + 3 }, (_, i) => (i * 37 + 1) % rowsN); // repeats, out of order
    // A fold's test rows: runs of consecutive rows (copied by memcpy, then staged in wasm) and single rows between them.
    const runs = Int32Array.from({ length: rowsN }, (_, i) => i).filter((i) => i % 23 !== 0 && (i < 40 || i % 3 === 0));
    for (const X of [{ data: values, nRows: rowsN, nCols: cols, order: 'C' }, { data: Fv, nRows: rowsN, nCols: cols, order: 'F' }] as DenseView[]) {
      for (const rows of [undefined, subset, runs]) {
        const m = rows?.length ?? rowsN;
        const js = new Float64Array(m * outputs);
        const wasm = new Float64Array(m * outputs).fill(-1);
        withBackend('js', () => linearMargins(X, rows, coef, outputs, js));
        expect(lastBackend()).toBe('js');
        withBackend('wasm', () => linearMargins(X, rows, coef, outputs, wasm));
        expect(lastBackend()).toBe('wasm');
        expect(Array.from(wasm)).toEqual(Array.from(js));
      }
    }
  }
});

test('linear outputs of an X wider than 8,192 columns stay in JavaScript (the wasm route stages 64 rows of it whole)', () => {
  const cols = 8193;
  const X: DenseView = { data: randoms(20 * cols, 5), nRows: 20, nCols: cols, order: 'C' };
  const coef = randoms(cols + 1, 6);
  const out = new Float64Array(20);
  withBackend('wasm', () => linearMargins(X, undefined, coef, 1, out));
  expect(lastBackend()).toBe('js');
  let z = coef[cols]!;
  for (let j = 0; j < cols; j++) z += X.data[j]! * coef[j]!;
  expect(out[0]).toBe(z);
});

test('withBackend restores the previous choice, also when the function throws', () => {
  const X = viewOf(randoms(8 * d, 1), 8, 'C');
  expect(() => withBackend('js', () => { throw new Error('boom'); })).toThrow('boom');
  withBackend('wasm', () => withBackend('js', () => accumulateGram(X, undefined, undefined, undefined, 0, gramStats(d))));
  expect(lastBackend()).toBe('js');
  withBackend('wasm', () => accumulateGram(X, undefined, undefined, undefined, 0, gramStats(d)));
  expect(lastBackend()).toBe('wasm');
});

describe('the Cholesky factorisation, on each backend', () => {
  /** A symmetric positive definite n×n matrix: BᵀB + n·I. */
  function spd(n: number): Float64Array {
    const B = randoms(n * n, 500 + n);
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let t = i === j ? n : 0;
      for (let k = 0; k < n; k++) t += B[k * n + i]! * B[k * n + j]!;
      A[i * n + j] = t;
    }
    return A;
  }
  for (const backend of BACKENDS) {
    // The wasm factorisation serves n ≥ 24 (smaller ones take JavaScript): odd and even sizes, both sides of 24.
    for (const n of backend === 'wasm' ? [24, 25, 41] : [1, 2, 23, 24, 41]) {
      test(`${backend}, n = ${n}: L·Lᵀ gives A back, the upper triangle is untouched`, () => {
        const A = spd(n);
        const L = A.slice();
        expect(on(backend, () => choleskyInPlace(L, n))).toBe(true);
        let worst = 0;
        let scale = 0;
        for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
          let t = 0;
          for (let k = 0; k <= j; k++) t += L[i * n + k]! * L[j * n + k]!;
          worst = Math.max(worst, Math.abs(t - A[i * n + j]!));
          scale = Math.max(scale, Math.abs(A[i * n + j]!));
          if (j < i) expect(L[j * n + i]).toBe(A[j * n + i]);
        }
        expect(worst / scale).toBeLessThan(TOL);
      });
    }
    test(`${backend}: a matrix that is not positive definite is refused`, () => {
      const n = 30;
      const A = spd(n);
      A[17 * n + 17] = -1;
      expect(on(backend, () => choleskyInPlace(A, n))).toBe(false);
    });

    // The Newton solver's factor: the lower triangle written in, factored, then solved with as often as needed.
    for (const n of [5, 24, 41, 64]) {
      test(`${backend}, n = ${n}: a Cholesky store solves A x = b (the factor kept where it was made)`, () => {
        const A = spd(n);
        const store = withBackend(backend, () => choleskyStore(n));
        // Wasm from n = 24 (rows padded to an even length), JavaScript below or when asked.
        const wasm = backend === 'wasm' && n >= 24;
        expect(lastBackend()).toBe(wasm ? 'wasm' : 'js');
        expect(store.stride).toBe(wasm ? n + (n & 1) : n);
        store.matrix.fill(Number.NaN); // only the lower triangle may be read
        for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) store.matrix[i * store.stride + j] = A[i * n + j]!;
        expect(store.factor()).toBe(true);
        for (const seed of [1, 2]) {
          const b = randoms(n, 600 + seed);
          const x = b.slice();
          store.solve(x);
          let worst = 0;
          let scale = 0;
          for (let i = 0; i < n; i++) {
            let t = 0;
            for (let k = 0; k < n; k++) t += A[i * n + k]! * x[k]!;
            worst = Math.max(worst, Math.abs(t - b[i]!));
            scale = Math.max(scale, Math.abs(b[i]!));
          }
          expect(worst / scale).toBeLessThan(TOL);
        }
      });
    }
  }
});

describe('the softmax Hessian with almost separated classes', () => {
  // Rows whose two unlikely classes have p ≈ 1e-155 each: their pair weight ω·p·p' ≈ 1e-310 is a
  // subnormal number, ~100× slower in every product it enters. Both backends drop pair weights
  // below 1e-200 (NEGLIGIBLE_CURVATURE_WEIGHT): the Hessian holds no subnormal entry and the
  // unlikely pair's block is exactly 0; loss and gradient are untouched.
  const n = 24;
  const values = randoms(n * d, 77).map((v) => 1 + v);
  const label = new Int32Array(n); // every row in class 0
  const logTiny = Math.log(1e-155);
  // Margins: class 0 at 0, classes 1 and 2 at log(1e-155), by the intercepts alone.
  const w = new Float64Array(K);
  w[2 * D - 1] = logTiny;
  w[3 * D - 1] = logTiny;
  for (const backend of BACKENDS) {
    test(`${backend}: no subnormal Hessian entry; the (1, 2) block is 0; the (0, 1) block is not`, () => {
      const grad = new Float64Array(K);
      const hess = new Float64Array(K * K);
      on(backend, () => softmaxNewtonSweep({ X: viewOf(values, n, 'C'), rows: undefined }, label, k, w, grad, hess, new Float64Array(newtonScratchLength(d, k))));
      for (const h of hess) expect(h === 0 || Math.abs(h) >= 2.2250738585072014e-308).toBe(true);
      for (let a = 0; a < D; a++) for (let b = 0; b < D; b++) expect(hess[(D + a) * K + 2 * D + b]).toBe(0);
      expect(Math.abs(hess[(D - 1) * K + 2 * D - 1]!)).toBeGreaterThan(1e-160); // Σ p_0·p_1 ≈ n·1e-155
    });
  }
});

describe('the wasm softmax Hessian leaves out row terms below `negligible`', () => {
  // Rows 0 .. n/2 − 1 are almost surely class 0 (classes 1 and 2 at margins near −80: pair
  // weights ~1e-34 and ~1e-69, times ‖[x, 1]‖² ≈ 6,400); the others are mixed (column 0 is 0 there).
  const n = 40;
  const values = randoms(n * d, 91).map((v) => 1 + v);
  for (let i = 0; i < n; i++) values[i * d] = i < n / 2 ? 80 : 0;
  const label = Int32Array.from({ length: n }, (_, i) => (i < n / 2 ? 0 : i % 3));
  const w = Float64Array.from(randoms(K, 5), (v) => 0.3 * v);
  w[D] = -1; // class 1, column 0
  w[2 * D] = -1; // class 2, column 0
  const negligible = 1e-15; // above every separated row's terms (< 1e-25), far below the mixed rows' (> 1e-3)
  const separated = Int32Array.from({ length: n / 2 }, (_, i) => i);
  const hessianOf = (backend: BackendName, rows: Int32Array | undefined, keep: boolean, cut: number): Float64Array => {
    const hess = new Float64Array(K * K);
    const data: SweepRows = { X: viewOf(values, n, 'C'), rows, keep };
    on(backend, () => softmaxNewtonSweep(data, label, k, w, new Float64Array(K), hess, new Float64Array(newtonScratchLength(d, k)), cut));
    symmetrizeUpper(hess, K);
    return hess;
  };
  for (const keep of [false, true]) {
    test(`${keep ? 'kept' : 'streamed'} rows: the separated rows' terms are all left out, within the bound`, () => {
      const exact = hessianOf('js', separated, false, 0);
      const cut = hessianOf('wasm', separated, keep, negligible);
      expect(Math.max(...exact.map(Math.abs))).toBeGreaterThan(1e-30); // the exact Hessian is not 0 (5.5e-25) ...
      expect(cut.every((h) => h === 0)).toBe(true); // ... every term was left out
      // Within what negligibleTerm promises: 2 · rows · pairs · negligible in spectral norm (≥ any entry).
      expect(relErr(cut, exact) * Math.max(1, ...exact.map(Math.abs))).toBeLessThanOrEqual(2 * (n / 2) * 3 * negligible);
    });
    test(`${keep ? 'kept' : 'streamed'} rows: half the rows gathered give the Hessian of all to 1e-13`, () => {
      const exact = hessianOf('js', undefined, false, 0);
      const cut = hessianOf('wasm', undefined, keep, negligible);
      expect(relErr(cut, exact)).toBeLessThan(TOL);
      expect(hessianOf('wasm', undefined, keep, 0)).not.toEqual(cut); // the sums ran over other rows
    });
  }
});
