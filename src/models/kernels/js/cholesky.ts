/**
 * The JavaScript Cholesky factorisation: the wasm kernel's fallback (wasm/module.ts's chol) and
 * the one small matrices take. Left-looking, by dot products of rows, two rows at a time.
 */

/**
 * Lower Cholesky factor of a row-major symmetric matrix, in place (the lower triangle is
 * overwritten, the upper is left as it was); false when it is not positive definite.
 * @example
 * ```ts
 * if (choleskyJs(A, n)) choleskySolveInPlace(A, n, b);
 * ```
 */
export function choleskyJs(A: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    const s = A[rj + j]! - dotPrefix(A, rj, rj, j);
    if (!(s > 0)) return false;
    const l = Math.sqrt(s);
    A[rj + j] = l;
    // Rows below in pairs: each load of row j serves two dot products.
    let i = j + 1;
    for (; i + 1 < n; i += 2) {
      const ri = i * n;
      const ri2 = ri + n;
      let t0 = 0, t1 = 0, u0 = 0, u1 = 0;
      let k = 0;
      for (; k + 1 < j; k += 2) {
        const a = A[rj + k]!, b = A[rj + k + 1]!;
        t0 += A[ri + k]! * a; t1 += A[ri + k + 1]! * b;
        u0 += A[ri2 + k]! * a; u1 += A[ri2 + k + 1]! * b;
      }
      if (k < j) {
        t0 += A[ri + k]! * A[rj + k]!;
        u0 += A[ri2 + k]! * A[rj + k]!;
      }
      A[ri + j] = (A[ri + j]! - (t0 + t1)) / l;
      A[ri2 + j] = (A[ri2 + j]! - (u0 + u1)) / l;
    }
    if (i < n) A[i * n + j] = (A[i * n + j]! - dotPrefix(A, i * n, rj, j)) / l;
  }
  return true;
}

/** Σ_{k<len} A[a + k]·A[b + k], two accumulators. */
function dotPrefix(A: Float64Array, a: number, b: number, len: number): number {
  let s0 = 0, s1 = 0;
  let k = 0;
  for (; k + 1 < len; k += 2) {
    s0 += A[a + k]! * A[b + k]!;
    s1 += A[a + k + 1]! * A[b + k + 1]!;
  }
  if (k < len) s0 += A[a + k]! * A[b + k]!;
  return s0 + s1;
}

/** Solve L Lᵀ x = b in place, L the lower factor from choleskyJs or the wasm `chol`. */
export function choleskySolveInPlace(L: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i * n + k]! * b[k]!;
    b[i] = s / L[i * n + i]!;
  }
  // Lᵀ x = y column by column: once x_i is known, row i of L (contiguous) updates the rest.
  for (let i = n - 1; i >= 0; i--) {
    const xi = b[i]! / L[i * n + i]!;
    b[i] = xi;
    const ri = i * n;
    for (let k = 0; k < i; k++) b[k]! -= L[ri + k]! * xi;
  }
}
