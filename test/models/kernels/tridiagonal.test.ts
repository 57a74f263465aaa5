/**
 * The wasm Householder reduction fuses each step's rank-two update with the next step's product
 * (wasm/tridiagonal.ts). It must give what the plain sequence gives — symv, then syr2 over the
 * whole trailing block, each step — bit for bit: that sequence is driven here on the same module.
 * Matrices with zero columns below the diagonal (steps whose reflector is the identity) included.
 */
import { describe, expect, it } from 'vitest';
import { householder, finish, type Tridiagonal } from '../../../src/models/kernels/js/tridiagonal.js';
import { tridiagonalizeWasm } from '../../../src/models/kernels/wasm/tridiagonal.js';
import { wasmApi, wasmModule, WASM_PAGE_BYTES } from '../../../src/models/kernels/wasm/kernel.js';
import { randoms } from '../../helpers/random.js';

function empty(d: number): Tridiagonal {
  return { diag: new Float64Array(d), off: new Float64Array(Math.max(d - 1, 0)), vectors: new Float64Array(d * d), tau: new Float64Array(d) };
}

/** The reduction as symv then syr2 over every row of the trailing block, step by step (no fusion). */
function plainReduction(A: Float64Array, d: number): Tridiagonal {
  const out = empty(d);
  const memory = new wasmApi.Memory({ initial: Math.ceil(((d * d + 2 * d) * 8) / WASM_PAGE_BYTES) });
  const exports = new wasmApi.Instance(wasmModule(), { env: { mem: memory } }).exports;
  const symv = exports['symv'] as (a: number, v: number, p: number, n: number, stride: number, start: number) => void;
  const syr2 = exports['syr2'] as (a: number, v: number, w: number, n: number, stride: number, start: number, first: number, last: number, vn: number, pn: number) => void;
  const m = new Float64Array(memory.buffer);
  m.set(A);
  const vAt = d * d, pAt = vAt + d;
  const v = m.subarray(vAt, vAt + d), p = m.subarray(pAt, pAt + d);
  for (let k = 0; k + 2 < d; k++) {
    const start = k + 1;
    out.diag[k] = m[k * d + k]!;
    const [t, beta] = householder((i) => m[i * d + k]!, k, d, v);
    out.tau[k] = t;
    out.off[k] = beta;
    if (t === 0) continue;
    out.vectors.set(v.subarray(start, d), k * d + start);
    symv(0, vAt * 8, pAt * 8, d, d, start);
    let pv = 0;
    for (let i = start; i < d; i++) {
      p[i]! *= t;
      pv += p[i]! * v[i]!;
    }
    const half = 0.5 * t * pv;
    for (let i = start; i < d; i++) p[i]! -= half * v[i]!;
    syr2(0, vAt * 8, pAt * 8, d, d, start, start, d, 0, 0);
  }
  finish((i, j) => m[i * d + j]!, d, out);
  return out;
}

/** A symmetric d×d matrix: a random Gram, made block diagonal at each cut in `cuts` (a step there has nothing to reflect). */
function symmetric(d: number, seed: number, cuts: readonly number[] = []): Float64Array {
  const X = randoms(d * (d + 3), seed);
  const A = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
    let s = 0;
    for (let r = 0; r < d + 3; r++) s += X[r * d + i]! * X[r * d + j]!;
    A[i * d + j] = s;
  }
  for (const b of cuts) for (let i = 0; i < b; i++) for (let j = b; j < d; j++) A[i * d + j] = A[j * d + i] = 0;
  return A;
}

describe('the fused wasm Householder reduction', () => {
  for (const [d, cuts] of [[3, []], [4, []], [5, [1]], [24, []], [37, [3, 20]], [64, [10]], [65, []]] as const) {
    it(`equals symv then syr2 step by step, bit for bit (d = ${d}${cuts.length ? `, block diagonal at ${cuts.join(', ')}` : ''})`, () => {
      const A = symmetric(d, d, cuts);
      const fused = empty(d);
      tridiagonalizeWasm(A, d, fused);
      const plain = plainReduction(A, d);
      expect(fused.diag).toEqual(plain.diag);
      expect(fused.off).toEqual(plain.off);
      expect(fused.tau).toEqual(plain.tau);
      expect(fused.vectors).toEqual(plain.vectors);
      // Steps with nothing to reflect (τ = 0) happened, right where the blocks meet.
      for (const b of cuts) if (b + 1 < d) expect(plain.tau[b - 1]).toBe(0);
    });
  }
});
