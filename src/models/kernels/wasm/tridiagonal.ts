/**
 * The Householder reduction with its O(d²)-per-step parts on wasm (wasm/module.ts's `symv`
 * and `syr2`): the matrix lives in one wasm memory per thread for the whole reduction; each
 * step's reflector (O(d)) is computed in JavaScript by the same {@link householder} as the
 * JavaScript reduction.
 */
import { finish, householder, type Tridiagonal } from '../js/tridiagonal.js';
import { wasmApi, wasmModule, WASM_PAGE_BYTES } from './kernel.js';

interface Workspace {
  readonly words: number;
  readonly f64: Float64Array;
  readonly symv: (a: number, v: number, p: number, n: number, stride: number, start: number) => void;
  readonly syr2: (a: number, v: number, w: number, n: number, stride: number, start: number) => void;
}

let workspace: Workspace | undefined;

function workspaceFor(words: number): Workspace {
  if (workspace !== undefined && workspace.words >= words) return workspace;
  const memory = new wasmApi.Memory({ initial: Math.ceil((words * 8) / WASM_PAGE_BYTES) });
  const exports = new wasmApi.Instance(wasmModule(), { env: { mem: memory } }).exports;
  workspace = {
    words, f64: new Float64Array(memory.buffer),
    symv: exports['symv'] as Workspace['symv'], syr2: exports['syr2'] as Workspace['syr2'],
  };
  return workspace;
}

/**
 * {@link tridiagonalizeJs} on the wasm kernel: A (d×d, not modified) is copied into wasm memory,
 * beside v and p (d each); the same reflectors and T to rounding (symv's dots sum in another order).
 * @example
 * ```ts
 * tridiagonalizeWasm(gram, d, out);
 * ```
 */
export function tridiagonalizeWasm(A: Float64Array, d: number, out: Tridiagonal): void {
  const ws = workspaceFor(d * d + 2 * d);
  const m = ws.f64;
  const vAt = d * d;
  const pAt = vAt + d;
  m.set(A.subarray(0, d * d), 0);
  const { diag, off, vectors, tau } = out;
  const v = m.subarray(vAt, vAt + d);
  const p = m.subarray(pAt, pAt + d);
  for (let k = 0; k + 2 < d; k++) {
    const start = k + 1;
    diag[k] = m[k * d + k]!;
    const [t, beta] = householder((i) => m[i * d + k]!, k, d, v);
    tau[k] = t;
    off[k] = beta;
    if (t === 0) continue;
    vectors.set(v.subarray(start, d), k * d + start);
    ws.symv(0, vAt * 8, pAt * 8, d, d, start); // p = A v over the trailing block
    let pv = 0;
    for (let i = start; i < d; i++) {
      p[i]! *= t;
      pv += p[i]! * v[i]!;
    }
    const half = 0.5 * t * pv;
    for (let i = start; i < d; i++) p[i]! -= half * v[i]!;
    ws.syr2(0, vAt * 8, pAt * 8, d, d, start);
  }
  finish((i, j) => m[i * d + j]!, d, out);
}
