/**
 * Solving (A + αI) x = b for one symmetric positive semi-definite A and many α: ridge's grid,
 * where each fold's Gram matrix meets every alpha. A Cholesky factorisation per α costs d³/3
 * each; reducing A once to tridiagonal form, A = Q T Qᵀ (Householder, 4d³/3), makes every α a
 * tridiagonal solve, (T + αI) y = Qᵀb, and one application of Q: O(d²) per α. Past four
 * alphas of a few dozen features that is the cheaper way, and the gap grows with both.
 *
 * Accuracy is a Cholesky solve's: Householder reflections are orthogonal, and T + αI is
 * symmetric positive definite for α > 0, so its LDLᵀ needs no pivoting.
 */
import { applyReflectors, tridiagonalize, type Tridiagonal } from './kernels/index.js';

/**
 * A once, any α after: `solve(alpha, b, out)` writes (A + αI)⁻¹ b into out.
 * @example
 * ```ts
 * const shifted = new ShiftedSolver(gram, d);    // gram is not modified
 * for (const alpha of alphas) shifted.solve(alpha, xty, coef);
 * ```
 */
export class ShiftedSolver implements Tridiagonal {
  /** T's diagonal and sub-diagonal. */
  readonly diag: Float64Array;
  readonly off: Float64Array;
  /** Householder vectors, one row each (row k acts on coordinates k+1..d−1), and their τ. */
  readonly vectors: Float64Array;
  readonly tau: Float64Array;
  private readonly work: Float64Array;
  /** LDLᵀ of T + αI: L's sub-diagonal and D. */
  private readonly lower: Float64Array;
  private readonly pivots: Float64Array;

  constructor(A: Float64Array, readonly d: number) {
    this.diag = new Float64Array(d);
    this.off = new Float64Array(Math.max(d - 1, 0));
    this.vectors = new Float64Array(d * d);
    this.tau = new Float64Array(d);
    this.work = new Float64Array(d);
    this.lower = new Float64Array(d);
    this.pivots = new Float64Array(d);
    tridiagonalize(A, d, this);
  }

  /** out = (A + αI)⁻¹ b (b is not modified; out may not be b). */
  solve(alpha: number, b: Float64Array, out: Float64Array): void {
    this.solveRotated(alpha, this.rotate(b), out);
  }

  /** Qᵀb, for {@link solveRotated}: a right-hand side shared by many alphas is rotated once. */
  rotate(b: Float64Array): Float64Array {
    const out = Float64Array.from(b);
    this.applyQt(out);
    return out;
  }

  /** out = (A + αI)⁻¹ b from Qᵀb (see {@link rotate}; not modified): a tridiagonal solve and Q, the same numbers as {@link solve}. */
  solveRotated(alpha: number, rotated: Float64Array, out: Float64Array): void {
    const { d, work } = this;
    for (let i = 0; i < d; i++) work[i] = rotated[i]!;
    this.solveTridiagonal(alpha, work);
    this.applyQ(work);
    for (let i = 0; i < d; i++) out[i] = work[i]!;
  }

  /** x ← Qᵀx = H_{last}⋯H_0 x. */
  private applyQt(x: Float64Array): void {
    applyReflectors(this, this.d, x, false);
  }

  /** x ← Qx = H_0⋯H_{last} x. */
  private applyQ(x: Float64Array): void {
    applyReflectors(this, this.d, x, true);
  }

  /** x ← (T + αI)⁻¹ x by LDLᵀ (T + αI is symmetric positive definite for α > 0). */
  private solveTridiagonal(alpha: number, x: Float64Array): void {
    const { d, diag, off, lower, pivots } = this;
    if (d === 0) return;
    // Forward: D_i = t_ii + α − l_{i−1}² D_{i−1}, l_i = t_{i+1,i} / D_i; then y = L⁻¹x.
    let D = diag[0]! + alpha;
    pivots[0] = D;
    for (let i = 1; i < d; i++) {
      const l = off[i - 1]! / D;
      lower[i - 1] = l;
      D = diag[i]! + alpha - l * off[i - 1]!;
      pivots[i] = D;
      x[i]! -= l * x[i - 1]!;
    }
    x[d - 1]! /= pivots[d - 1]!;
    for (let i = d - 2; i >= 0; i--) x[i] = x[i]! / pivots[i]! - lower[i]! * x[i + 1]!;
  }
}
