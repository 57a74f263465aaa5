/**
 * ShiftedSolver (one Householder tridiagonalisation of A, then every α) against a Cholesky
 * solve of A + αI per α: the same answers to rounding (1e-10 relative, measured ≤ 2e-13 on
 * these matrices), including rank-deficient A (a Gram matrix of fewer rows than columns) and
 * the sizes where the reduction has nothing or little to do.
 */
import { describe, expect, it } from 'vitest';
import { applyReflectors, lastBackend, withBackend, type BackendName } from '../../src/models/kernels/index.js';
import { solveSymmetric } from '../../src/models/linalg.js';
import { ShiftedSolver } from '../../src/models/shifted-solver.js';
import { randoms } from '../helpers/random.js';

/** XᵀX for an n×d X of random values (positive semi-definite; singular when n < d). */
function gram(n: number, d: number, seed: number): Float64Array {
  const X = randoms(n * d, seed);
  const A = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
    let s = 0;
    for (let r = 0; r < n; r++) s += X[r * d + i]! * X[r * d + j]!;
    A[i * d + j] = s;
  }
  return A;
}

function relErr(a: Float64Array, b: Float64Array): number {
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) { num = Math.max(num, Math.abs(a[i]! - b[i]!)); den = Math.max(den, Math.abs(b[i]!)); }
  return num / den;
}

describe('ShiftedSolver', () => {
  // The reduction runs on wasm from d = 24 up, in JavaScript below (and wherever forced).
  const cases: [BackendName, number, number][] = [
    ['js', 50, 1], ['js', 50, 2], ['js', 50, 3], ['js', 200, 17], ['js', 30, 40], ['wasm', 30, 40], ['js', 400, 64], ['wasm', 400, 64], ['wasm', 100, 25],
  ];
  for (const [backend, n, d] of cases) {
    it(`${backend}: solves (A + αI) x = b for every α like a Cholesky solve (A = XᵀX, X ${n}×${d})`, () => {
      const A = gram(n, d, n + d);
      const before = A.slice();
      const b = randoms(d, 7);
      const shifted = withBackend(backend, () => new ShiftedSolver(A, d));
      expect(lastBackend()).toBe(backend);
      expect(A).toEqual(before);
      const out = new Float64Array(d);
      for (const alpha of [1e-3, 0.1, 1, 10, 1e4]) {
        const shiftedA = A.slice();
        for (let i = 0; i < d; i++) shiftedA[i * d + i]! += alpha;
        shifted.solve(alpha, b, out);
        expect(relErr(out, solveSymmetric(shiftedA, b, d)), `alpha=${alpha}`).toBeLessThan(1e-10);
      }
    });
  }

  it('a right-hand side rotated once (rotate, solveRotated) gives solve\'s numbers bit for bit', () => {
    for (const backend of ['js', 'wasm'] as const) {
      const d = 40;
      const A = gram(60, d, 3);
      const b = randoms(d, 8);
      const shifted = withBackend(backend, () => new ShiftedSolver(A, d));
      const rotated = shifted.rotate(b);
      const viaSolve = new Float64Array(d);
      const viaRotated = new Float64Array(d);
      for (const alpha of [1e-3, 1, 1e3]) {
        shifted.solve(alpha, b, viaSolve);
        shifted.solveRotated(alpha, rotated, viaRotated);
        expect(viaRotated).toEqual(viaSolve);
      }
      expect(shifted.rotate(b)).toEqual(rotated); // solveRotated left its input alone
    }
  });

  it('applies Q and Qᵀ on wasm with the JavaScript loop\'s bits, whichever reduction was last', () => {
    // Odd and even widths, a remainder of 0-3 after the four-wide sums; a second solver in
    // between makes the wasm side copy reflectors in again.
    for (const d of [24, 25, 26, 27, 64, 97]) {
      const one = new ShiftedSolver(gram(d + 10, d, d), d);
      const two = new ShiftedSolver(gram(d + 20, d, 2 * d), d);
      for (const solver of [one, two, one]) {
        for (const backward of [false, true]) {
          const x = randoms(d, d + (backward ? 1 : 0));
          const viaJs = x.slice();
          const viaWasm = x.slice();
          withBackend('js', () => applyReflectors(solver, d, viaJs, backward));
          withBackend('wasm', () => applyReflectors(solver, d, viaWasm, backward));
          expect(lastBackend()).toBe('wasm');
          expect(viaWasm, `d=${d} backward=${backward}`).toEqual(viaJs);
          expect(viaJs).not.toEqual(x);
        }
      }
    }
  });

  it('skips a reflector with τ = 0 (a column already reduced) on both backends alike', () => {
    // A diagonal A: every column is zero below its diagonal, so every τ is 0 and Q = I.
    const d = 30;
    const A = new Float64Array(d * d);
    for (let i = 0; i < d; i++) A[i * d + i] = i + 1;
    const solver = new ShiftedSolver(A, d);
    expect(Array.from(solver.tau.subarray(0, d - 2)).every((t) => t === 0)).toBe(true);
    // Whatever a skipped reflector's row holds must not reach x: NaN would.
    solver.vectors.fill(Number.NaN);
    const x = randoms(d, 5);
    for (const backend of ['js', 'wasm'] as const) {
      const y = x.slice();
      withBackend(backend, () => applyReflectors(solver, d, y, true));
      expect(y).toEqual(x);
    }
  });
});

