/**
 * The wasm Cholesky factorisation's runtime side: one wasm memory per thread, grown as matrices
 * grow, into which a matrix is copied (rows padded to an even length, so the f64x2 loads of a
 * row start 16-byte aligned), factored by wasm/module.ts's `chol`, and copied back.
 */
import { kernelInstance } from './kernel.js';

interface Workspace {
  readonly words: number;
  readonly f64: Float64Array;
  readonly chol: (a: number, n: number, np: number) => number;
}

let workspace: Workspace | undefined;

function workspaceFor(words: number): Workspace {
  if (workspace !== undefined && workspace.words >= words) return workspace;
  const { buffer, exports } = kernelInstance(words);
  workspace = { words, f64: new Float64Array(buffer), chol: exports['chol'] as Workspace['chol'] };
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

/**
 * A Cholesky factor kept in a wasm memory of its own: the caller writes the lower triangle of
 * A into `matrix` (row i at i·stride), `factor()` factors it in place, and `solve(b)` solves
 * L Lᵀ x = b there as often as needed, so the factor is never copied out (the Newton solver
 * solves several times per factorisation).
 */
export class WasmCholesky {
  /** Row-major, rows of `stride` doubles: the lower triangle is A's on entry to factor(), L's after. */
  readonly matrix: Float64Array;
  readonly stride: number;
  private readonly rhs: Float64Array;
  private readonly chol: (a: number, n: number, np: number) => number;
  private readonly trsv: (a: number, n: number, np: number, b: number) => void;

  constructor(readonly n: number) {
    this.stride = n + (n & 1);
    const words = n * this.stride + this.stride;
    const { buffer, exports } = kernelInstance(words);
    this.chol = exports['chol'] as WasmCholesky['chol'];
    this.trsv = exports['trsv'] as WasmCholesky['trsv'];
    this.matrix = new Float64Array(buffer, 0, n * this.stride);
    this.rhs = new Float64Array(buffer, n * this.stride * 8, n);
  }

  /** Factors `matrix` in place; false when it is not positive definite. */
  factor(): boolean {
    return this.chol(0, this.n, this.stride) === 1;
  }

  /** b ← (L Lᵀ)⁻¹ b. */
  solve(b: Float64Array): void {
    this.rhs.set(b.subarray(0, this.n));
    this.trsv(0, this.n, this.stride, this.matrix.length * 8);
    b.set(this.rhs);
  }
}
