/**
 * The small dense solves shared by ridge and the Newton solver, and the packed statistics
 * ridge's fast plan moves between threads. Tolerance: 1e-12 relative (d ≤ 6, well conditioned).
 */
import { describe, expect, it } from 'vitest';
import { choleskyInPlace, choleskySolveInPlace, solveSymmetric } from '../../src/models/linalg.js';
import { accumulateGram, gramStats, type GramStats } from '../../src/models/kernels/index.js';
import { addPackedStats, packStats } from '../../src/models/ridge-stats.js';
import { randoms } from '../helpers/random.js';

const TOL = 1e-12;

/** A random symmetric positive definite n×n matrix: BᵀB + n·I. */
function spd(n: number, seed: number): Float64Array {
  const B = randoms(n * n, seed);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = i === j ? n : 0;
      for (let k = 0; k < n; k++) s += B[k * n + i]! * B[k * n + j]!;
      A[i * n + j] = s;
    }
  }
  return A;
}

function matVec(A: Float64Array, x: Float64Array, n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => x.reduce((s, xj, j) => s + A[i * n + j]! * xj, 0));
}

describe('Cholesky', () => {
  it('solves a positive definite system: A x reproduces b', () => {
    const n = 6;
    const A = spd(n, 7);
    const b = randoms(n, 8);
    const x = solveSymmetric(A, b, n);
    const back = matVec(A, x, n);
    for (let i = 0; i < n; i++) expect(Math.abs(back[i]! - b[i]!)).toBeLessThan(TOL);
    // The factor and solve used in place give the same answer.
    const L = A.slice();
    expect(choleskyInPlace(L, n)).toBe(true);
    const y = b.slice();
    choleskySolveInPlace(L, n, y);
    expect(Array.from(y)).toEqual(Array.from(x));
  });

  it('leaves its inputs alone', () => {
    const A = new Float64Array([4, 1, 1, 3]);
    const b = new Float64Array([1, 2]);
    expect(Array.from(solveSymmetric(A, b, 2)).map((v) => v * 11)).toEqual([expect.closeTo(1, 12), expect.closeTo(7, 12)]);
    expect(Array.from(A)).toEqual([4, 1, 1, 3]);
    expect(Array.from(b)).toEqual([1, 2]);
  });

  it('reports a matrix that is not positive definite, and solveSymmetric falls back to the minimum-norm solution', () => {
    expect(choleskyInPlace(new Float64Array([1, 1, 1, 1]), 2)).toBe(false);
    expect(choleskyInPlace(new Float64Array([1, 0, 0, -1]), 2)).toBe(false);
    expect(choleskyInPlace(new Float64Array([Number.NaN, 0, 0, 1]), 2)).toBe(false);
    // [[1,1],[1,1]] x = [1,1]: every x with x0 + x1 = 1 solves it; the shortest is [0.5, 0.5].
    const x = solveSymmetric(new Float64Array([1, 1, 1, 1]), new Float64Array([1, 1]), 2);
    expect(x[0]).toBeCloseTo(0.5, 12);
    expect(x[1]).toBeCloseTo(0.5, 12);
  });
});

describe('packed statistics', () => {
  const d = 3;
  function statsOf(rows: number[][], y: number[]): GramStats {
    const s = gramStats(d);
    accumulateGram({ data: Float64Array.from(rows.flat()), nRows: rows.length, nCols: d, order: 'C' }, undefined, Float64Array.from(y), undefined, 0, s);
    return s;
  }

  it('carries only the cells that have rows, and sums them into the right cells', () => {
    const a = statsOf([[1, 2, 3], [4, 5, 6]], [1, 2]);
    const b = statsOf([[0, 1, 0]], [5]);
    const flat = packStats([undefined, a, undefined, b], d);
    expect(flat.length).toBe(2 * (1 + d * d + 2 * d + 3));
    const cells: (GramStats | undefined)[] = new Array(4).fill(undefined);
    addPackedStats(cells, flat, d);
    addPackedStats(cells, flat, d);
    expect(cells[0]).toBeUndefined();
    expect(cells[2]).toBeUndefined();
    expect(Array.from(cells[1]!.xtx)).toEqual(Array.from(a.xtx).map((v) => 2 * v));
    expect(Array.from(cells[3]!.xty)).toEqual(Array.from(b.xty).map((v) => 2 * v));
    expect(cells[1]!.count).toBe(4);
    expect(cells[3]!.yty).toBe(50);
  });

  it('refuses a malformed buffer (it may come from another process) with a message', () => {
    const flat = packStats([statsOf([[1, 2, 3]], [1])], d);
    expect(() => addPackedStats([undefined], flat.subarray(1), d)).toThrow(/not a multiple of 19/);
    const wrongCell = flat.slice();
    wrongCell[0] = 5;
    expect(() => addPackedStats([undefined, undefined], wrongCell, d)).toThrow(/cell 5, outside 0\.\.1/);
  });
});
