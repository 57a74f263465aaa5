/**
 * The Householder reduction with its O(d²)-per-step part on wasm (tridiagonal-module.ts's
 * `tridiagonalStep`), and its reflectors applied on wasm (`reflect`). The matrix lives in one
 * wasm memory per thread for the whole reduction, and only its upper triangle is kept: row k
 * from the diagonal on is column k, contiguous. Each step's reflector (O(d)) is computed in
 * JavaScript by the same {@link householder} as the JavaScript reduction, from row k brought up
 * to date here; the rest of the previous step's rank-two update is applied by the next step's pass.
 */
import { finish, householder, type Tridiagonal } from '../js/tridiagonal.js';
import { kernelInstance } from './kernel.js';

type StepFn = (a: number, vp: number, wp: number, v: number, p: number, n: number, stride: number, start: number) => void;
type ReflectFn = (vecs: number, tau: number, x: number, d: number, backward: number) => void;

interface Workspace {
  readonly words: number;
  readonly f64: Float64Array;
  readonly step: StepFn;
  readonly reflect: ReflectFn;
  /** The reduction whose reflectors are in memory from word 0 (see applyReflectorsWasm), and its d. */
  reflectorsOf?: Tridiagonal;
  reflectorsD?: number;
}

let workspace: Workspace | undefined;

function workspaceFor(words: number): Workspace {
  if (workspace !== undefined && workspace.words >= words) return workspace;
  const { buffer, exports } = kernelInstance(words);
  workspace = {
    words, f64: new Float64Array(buffer),
    step: exports['tridiagonalStep'] as StepFn, reflect: exports['reflect'] as ReflectFn,
  };
  return workspace;
}

/**
 * {@link tridiagonalizeJs} on the wasm kernel: A (d×d, not modified) is copied into wasm memory,
 * beside four d-vectors (this step's v and p, the previous step's v and w, which swap roles each
 * step); the same reflectors and T to rounding (the products sum in another order).
 * @example
 * ```ts
 * tridiagonalizeWasm(gram, d, out);
 * ```
 */
export function tridiagonalizeWasm(A: Float64Array, d: number, out: Tridiagonal): void {
  const ws = workspaceFor(d * d + 4 * d);
  ws.reflectorsOf = undefined; // the matrix overwrites them
  const m = ws.f64;
  m.set(A.subarray(0, d * d), 0);
  // Two pairs of vectors: [v, p] for this step, [v, w] of the previous one (zeros: no update
  // yet). They swap roles each step; the views are made once, not per step.
  const pairs = [d * d, d * d + 2 * d].map((at) => ({ at, v: m.subarray(at, at + d), p: m.subarray(at + d, at + 2 * d) }));
  let current = pairs[0]!;
  let previous = pairs[1]!;
  m.fill(0, previous.at, previous.at + 2 * d);
  const { diag, off, vectors, tau } = out;
  for (let k = 0; k + 2 < d; k++) {
    const start = k + 1;
    const { v: pv, p: pw } = previous;
    // Row k from the diagonal on (column k, by symmetry) takes the previous step's update
    // here, before its reflector is taken from it; the pass below updates the rest.
    const vk = pv[k]!, wk = pw[k]!;
    for (let j = k; j < d; j++) m[k * d + j]! -= vk * pw[j]! + wk * pv[j]!;
    diag[k] = m[k * d + k]!;
    const { v, p } = current;
    const [t, beta] = householder((j) => m[k * d + j]!, k, d, v);
    tau[k] = t;
    off[k] = beta;
    // With no reflector (t = 0) the pass still applies the pending update; v = 0 makes this
    // step's own update zero.
    if (t === 0) v.fill(0, start, d);
    else for (let j = start; j < d; j++) vectors[k * d + j] = v[j]!;
    p.fill(0, start, d);
    ws.step(0, previous.at * 8, (previous.at + d) * 8, current.at * 8, (current.at + d) * 8, d, d, start);
    let pTv = 0;
    for (let i = start; i < d; i++) {
      p[i]! *= t;
      pTv += p[i]! * v[i]!;
    }
    const half = 0.5 * t * pTv;
    for (let i = start; i < d; i++) p[i]! -= half * v[i]!; // p is now w
    const done = current;
    current = previous;
    previous = done;
  }
  // The last step's update on the 2×2 block no reflector touches.
  const { v: pv, p: pw } = previous;
  for (let i = Math.max(d - 2, 0); i < d; i++) {
    for (let j = i; j < d; j++) m[i * d + j]! -= pv[i]! * pw[j]! + pw[i]! * pv[j]!;
  }
  finish((i, j) => m[Math.min(i, j) * d + Math.max(i, j)]!, d, out);
}

/**
 * {@link applyReflectorsJs} on the wasm kernel, the same bits: x ← Qᵀx, or Qx when `backward`,
 * for the reflectors of reduction `out`. Its reflectors (d² + d values) are copied into wasm
 * memory on the first call for `out` and stay there for the next calls (a ridge fold's 25
 * alphas), until another reduction or another solver's reflectors take their place.
 * @example
 * ```ts
 * applyReflectorsWasm(solver, d, x, true); // x ← Qx
 * ```
 */
export function applyReflectorsWasm(out: Tridiagonal, d: number, x: Float64Array, backward: boolean): void {
  const ws = workspaceFor(d * d + 2 * d);
  const m = ws.f64;
  const tauAt = d * d;
  const xAt = tauAt + d;
  if (ws.reflectorsOf !== out || ws.reflectorsD !== d) {
    m.set(out.vectors.subarray(0, d * d), 0);
    m.set(out.tau.subarray(0, d), tauAt);
    ws.reflectorsOf = out;
    ws.reflectorsD = d;
  }
  m.set(x.subarray(0, d), xAt);
  ws.reflect(0, tauAt * 8, xAt * 8, d, backward ? 1 : 0);
  x.set(m.subarray(xAt, xAt + d));
}

/** Drops the reflectors kept in wasm memory: a reduction in JavaScript may have refilled the object they were copied from. */
export function forgetReflectors(): void {
  if (workspace !== undefined) workspace.reflectorsOf = undefined;
}
