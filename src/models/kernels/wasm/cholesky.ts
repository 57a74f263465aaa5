/**
 * The wasm Cholesky factorisation's runtime side: one wasm memory per thread, grown as matrices
 * grow, into which a matrix is copied (rows padded to an even length, so the f64x2 loads of a
 * row start 16-byte aligned), factored by wasm/module.ts's `chol`, and copied back.
 */
import { wasmApi, wasmModule, WASM_PAGE_BYTES } from './kernel.js';

interface Workspace {
  readonly words: number;
  readonly f64: Float64Array;
  readonly chol: (a: number, n: number, np: number) => number;
}

let workspace: Workspace | undefined;

function workspaceFor(words: number): Workspace {
  if (workspace !== undefined && workspace.words >= words) return workspace;
  const memory = new wasmApi.Memory({ initial: Math.ceil((words * 8) / WASM_PAGE_BYTES) });
  const inst = new wasmApi.Instance(wasmModule(), { env: { mem: memory } });
  workspace = { words, f64: new Float64Array(memory.buffer), chol: inst.exports['chol'] as Workspace['chol'] };
  return workspace;
}

/**
 * The lower Cholesky factor of the row-major symmetric n×n `A`, in place (the upper triangle is
 * left as it was), on the wasm kernel; false when A is not positive definite.
 * @example
 * ```ts
 * if (choleskyWasm(A, n)) choleskySolveInPlace(A, n, b);
 * ```
 */
export function choleskyWasm(A: Float64Array, n: number): boolean {
  const np = n + (n & 1);
  const ws = workspaceFor(n * np);
  const m = ws.f64;
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) m[i * np + j] = A[i * n + j]!;
  if (ws.chol(0, n, np) === 0) return false;
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) A[i * n + j] = m[i * np + j]!;
  return true;
}
