/**
 * The Householder reduction with its O(d²)-per-step parts on wasm (wasm/module.ts's `symv`
 * and `syr2`): the matrix lives in one wasm memory per thread for the whole reduction; each
 * step's reflector (O(d)) is computed in JavaScript by the same {@link householder} as the
 * JavaScript reduction.
 *
 * Each step's update also gives the next step's product: once the first row of the trailing
 * block is updated, it is the next column (the update keeps A exactly symmetric: each entry and
 * its mirror are the same two products added in either order), so the next reflector is known,
 * and `syr2` dots every row it updates with it. The trailing block is read once a step instead
 * of twice (symv, then syr2); the numbers are those of symv and syr2 in turn, bit for bit.
 */
import { finish, householder, type Tridiagonal } from '../js/tridiagonal.js';
import { wasmApi, wasmModule, WASM_PAGE_BYTES } from './kernel.js';

interface Workspace {
  readonly words: number;
  readonly f64: Float64Array;
  readonly symv: (a: number, v: number, p: number, n: number, stride: number, start: number) => void;
  readonly syr2: (
    a: number, v: number, w: number, n: number, stride: number, start: number, first: number, last: number, vn: number, pn: number,
  ) => void;
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
 * beside two reflector/product pairs (d each: this step's and the next's); the same reflectors,
 * the same T.
 * @example
 * ```ts
 * tridiagonalizeWasm(gram, d, out);
 * ```
 */
export function tridiagonalizeWasm(A: Float64Array, d: number, out: Tridiagonal): void {
  const ws = workspaceFor(d * d + 4 * d);
  const m = ws.f64;
  m.set(A.subarray(0, d * d), 0);
  const { diag, off, vectors, tau } = out;
  // Two reflector/product pairs (this step's and the next's), swapped each step: [v, p] at d·d + 2d·slot.
  const slotAt = (slot: number): number => d * d + 2 * d * slot;
  const vOf = (slot: number): Float64Array => m.subarray(slotAt(slot), slotAt(slot) + d);
  const pOf = (slot: number): Float64Array => m.subarray(slotAt(slot) + d, slotAt(slot) + 2 * d);
  let slot = 0;
  /** The next step's reflector [τ, β], found from the row this step updated first, and whether its product is in its slot. */
  let next: { t: number; beta: number; product: boolean } | undefined;
  for (let k = 0; k + 2 < d; k++) {
    const start = k + 1;
    const v = vOf(slot);
    const p = pOf(slot);
    diag[k] = m[k * d + k]!;
    const [t, beta] = next === undefined ? householder((i) => m[i * d + k]!, k, d, v) : [next.t, next.beta];
    const product = next?.product ?? false;
    next = undefined;
    tau[k] = t;
    off[k] = beta;
    if (t === 0) continue;
    vectors.set(v.subarray(start, d), k * d + start);
    const vAt = slotAt(slot), pAt = vAt + d;
    if (!product) ws.symv(0, vAt * 8, pAt * 8, d, d, start); // p = A v over the trailing block
    let pv = 0;
    for (let i = start; i < d; i++) {
      p[i]! *= t;
      pv += p[i]! * v[i]!;
    }
    const half = 0.5 * t * pv;
    for (let i = start; i < d; i++) p[i]! -= half * v[i]!;
    ws.syr2(0, vAt * 8, pAt * 8, d, d, start, start, start + 1, 0, 0); // the trailing block's first row: the next column
    if (k + 3 < d) {
      const other = 1 - slot;
      const [t2, beta2] = householder((i) => m[start * d + i]!, start, d, vOf(other));
      next = { t: t2, beta: beta2, product: t2 !== 0 };
      const vn = t2 === 0 ? 0 : slotAt(other) * 8;
      ws.syr2(0, vAt * 8, pAt * 8, d, d, start, start + 1, d, vn, vn === 0 ? 0 : vn + d * 8);
      slot = other;
    } else {
      ws.syr2(0, vAt * 8, pAt * 8, d, d, start, start + 1, d, 0, 0);
    }
  }
  finish((i, j) => m[i * d + j]!, d, out);
}
