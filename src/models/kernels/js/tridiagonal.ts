/**
 * Householder reduction of a symmetric matrix to tridiagonal form, A = Q T Qᵀ, in JavaScript:
 * the wasm reduction's fallback (wasm/tridiagonal.ts) and the one small matrices take. Both
 * keep the same {@link Tridiagonal} and share {@link householder} for each step's reflector.
 */

/** T's diagonal and sub-diagonal, and Q as Householder reflectors (row k of `vectors` acts on coordinates k+1..d−1, with τ_k). */
export interface Tridiagonal {
  readonly diag: Float64Array;
  readonly off: Float64Array;
  readonly vectors: Float64Array;
  readonly tau: Float64Array;
}

/**
 * The reflector H = I − τvvᵀ (v[k+1] = 1) that maps column k of `A` below the diagonal onto a
 * multiple of its first entry: writes v into `v` (coordinates k+1..d−1), returns [τ, β] with β
 * the new sub-diagonal entry. τ = 0 when the column is already zero below the sub-diagonal.
 * `at(i)` reads A[i][k].
 */
export function householder(at: (i: number) => number, k: number, d: number, v: Float64Array): [number, number] {
  const start = k + 1;
  let norm2 = 0;
  for (let i = start; i < d; i++) norm2 += at(i) * at(i);
  const x0 = at(start);
  if (norm2 === 0 || norm2 === x0 * x0) return [0, x0];
  const norm = Math.sqrt(norm2);
  const beta = x0 >= 0 ? -norm : norm;
  const v0 = x0 - beta;
  for (let i = start; i < d; i++) v[i] = at(i) / v0;
  v[start] = 1;
  return [(beta - x0) / beta, beta];
}

/**
 * Reduces the row-major symmetric d×d `A` (overwritten) into `out`: for each k, the reflector
 * of column k, then A ← H A H as the rank-two update A − v wᵀ − w vᵀ with
 * w = τAv − (τ²/2)(vᵀAv)v over the trailing block (both triangles kept in step).
 */
export function tridiagonalizeJs(A: Float64Array, d: number, out: Tridiagonal): void {
  const { diag, off, vectors, tau } = out;
  const p = new Float64Array(d);
  for (let k = 0; k + 2 < d; k++) {
    const start = k + 1;
    const v = vectors.subarray(k * d, (k + 1) * d);
    diag[k] = A[k * d + k]!;
    const [t, beta] = householder((i) => A[i * d + k]!, k, d, v);
    tau[k] = t;
    off[k] = beta;
    if (t === 0) continue;
    let pv = 0;
    for (let i = start; i < d; i++) {
      let s = 0;
      const row = i * d;
      for (let j = start; j < d; j++) s += A[row + j]! * v[j]!;
      p[i] = t * s;
      pv += p[i]! * v[i]!;
    }
    const half = 0.5 * t * pv;
    for (let i = start; i < d; i++) p[i]! -= half * v[i]!;
    for (let i = start; i < d; i++) {
      const row = i * d;
      const vi = v[i]!, pi = p[i]!;
      for (let j = start; j < d; j++) A[row + j]! -= vi * p[j]! + pi * v[j]!;
    }
  }
  finish(A, d, out);
}

/** T's last 2×2 block, which no reflector touches. */
export function finish(A: Float64Array | ((i: number, j: number) => number), d: number, out: Tridiagonal): void {
  const at = typeof A === 'function' ? A : (i: number, j: number): number => A[i * d + j]!;
  if (d >= 2) {
    out.diag[d - 2] = at(d - 2, d - 2);
    out.off[d - 2] = at(d - 1, d - 2);
  }
  if (d >= 1) out.diag[d - 1] = at(d - 1, d - 1);
}

/**
 * x ← H_{d−3}⋯H_0 x (Qᵀx), or H_0⋯H_{d−3} x (Qx) when `backward`, with the reflectors of a
 * reduction (`out.vectors`, `out.tau`). The wasm `reflect` repeats these operations in this
 * order, so both give the same bits.
 */
export function applyReflectorsJs(out: Tridiagonal, d: number, x: Float64Array, backward: boolean): void {
  if (backward) for (let k = d - 3; k >= 0; k--) reflect(out, d, k, x);
  else for (let k = 0; k + 2 < d; k++) reflect(out, d, k, x);
}

/** x ← (I − τ_k v_k v_kᵀ) x. */
function reflect({ vectors, tau }: Tridiagonal, d: number, k: number, x: Float64Array): void {
  const t = tau[k]!;
  if (t === 0) return;
  const base = k * d;
  // Four partial sums: one chain of additions waits on each (the 25 alphas × 5 folds of a
  // 512-wide grid apply 2.6 million of these products per fold).
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = k + 1;
  for (; i + 4 <= d; i += 4) {
    s0 += vectors[base + i]! * x[i]!;
    s1 += vectors[base + i + 1]! * x[i + 1]!;
    s2 += vectors[base + i + 2]! * x[i + 2]!;
    s3 += vectors[base + i + 3]! * x[i + 3]!;
  }
  for (; i < d; i++) s0 += vectors[base + i]! * x[i]!;
  let s = (s0 + s1) + (s2 + s3);
  s *= t;
  for (let i = k + 1; i < d; i++) x[i]! -= s * vectors[base + i]!;
}
