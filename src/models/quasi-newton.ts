/**
 * Quasi-Newton corrections on top of a factored curvature (L-BFGS's two-loop recursion with the
 * factor as its initial inverse Hessian): each step's change in x and in the loss gradient
 * teaches the model the curvature the factor misses (a Hessian from an earlier point, or only
 * the per-class blocks of a multinomial Hessian), so steps with an old or partial Hessian
 * converge superlinearly instead of linearly, at the cost of one gradient pass per step.
 *
 * Pairs keep the loss gradient's change y = ∇L(x') − ∇L(x) apart from the penalty, whose
 * curvature λΠ is exact and added when the pairs are used: they stay valid when λ changes
 * along a path.
 */
import { dot } from './vectors.js';

/** L-BFGS memory: pairs kept. */
const PAIRS = 8;

/**
 * The pairs of one solve and the two-loop recursion over them.
 * @example
 * ```ts
 * const memory = new QuasiNewtonMemory(K);
 * memory.push(xNew, xOld, gradLNew, gradLOld, lambda, penaltyWeight, fixed);
 * memory.direction(g, lambda, penaltyWeight, fixed, (v, out) => factor.solve(v, out), step);
 * ```
 */
export class QuasiNewtonMemory {
  private readonly s: Float64Array[];
  private readonly y: Float64Array[];
  private count = 0;
  private newest = -1;
  private readonly alpha = new Float64Array(PAIRS);
  private readonly q: Float64Array;
  private readonly yTotal: Float64Array;

  constructor(private readonly size: number) {
    this.s = Array.from({ length: PAIRS }, () => new Float64Array(size));
    this.y = Array.from({ length: PAIRS }, () => new Float64Array(size));
    this.q = new Float64Array(size);
    this.yTotal = new Float64Array(size);
  }

  /** No pairs: the factor alone gives the step. */
  get empty(): boolean {
    return this.count === 0;
  }

  clear(): void {
    this.count = 0;
    this.newest = -1;
  }

  /**
   * Adds the pair from (xOld, gOld) to (xNew, gNew) (loss gradients), unless it carries no
   * curvature the convex objective would show (sᵀy ≤ 0 in rounding).
   */
  push(xNew: Float64Array, xOld: Float64Array, gNew: Float64Array, gOld: Float64Array, fixed: Uint8Array): void {
    const slot = (this.newest + 1) % PAIRS;
    const s = this.s[slot]!;
    const y = this.y[slot]!;
    let sy = 0;
    let ss = 0;
    for (let i = 0; i < this.size; i++) {
      const free = fixed[i] !== 1;
      s[i] = free ? xNew[i]! - xOld[i]! : 0;
      y[i] = free ? gNew[i]! - gOld[i]! : 0;
      sy += s[i]! * y[i]!;
      ss += s[i]! * s[i]!;
    }
    if (!(ss > 0) || !(sy > 1e-12 * ss)) return;
    this.newest = slot;
    this.count = Math.min(this.count + 1, PAIRS);
  }

  /**
   * out = −H g, H the quasi-Newton inverse Hessian of the penalised objective: the pairs
   * (with the penalty's exact curvature λΠs added to each y) on top of `solve0`, which must
   * write −A⁻¹v (the factored curvature).
   */
  direction(
    g: Float64Array, lambda: number, penaltyWeight: Float64Array,
    solve0: (v: Float64Array, out: Float64Array) => void, out: Float64Array,
  ): void {
    const { q, alpha } = this;
    q.set(g);
    for (let back = 0; back < this.count; back++) {
      const slot = (this.newest - back + PAIRS) % PAIRS;
      const s = this.s[slot]!;
      const y = this.totalY(slot, lambda, penaltyWeight);
      const a = dot(s, q) / dot(y, s);
      alpha[slot] = a;
      for (let i = 0; i < this.size; i++) q[i]! -= a * y[i]!;
    }
    solve0(q, out); // out = −A⁻¹q
    for (let i = 0; i < this.size; i++) out[i] = -out[i]!;
    for (let fwd = this.count - 1; fwd >= 0; fwd--) {
      const slot = (this.newest - fwd + PAIRS) % PAIRS;
      const s = this.s[slot]!;
      const y = this.totalY(slot, lambda, penaltyWeight);
      const b = dot(y, out) / dot(y, s);
      const a = alpha[slot]!;
      for (let i = 0; i < this.size; i++) out[i]! += s[i]! * (a - b);
    }
    for (let i = 0; i < this.size; i++) out[i] = -out[i]!;
  }

  /** y + λΠs for the pair in `slot`, in a scratch vector. */
  private totalY(slot: number, lambda: number, penaltyWeight: Float64Array): Float64Array {
    const s = this.s[slot]!;
    const y = this.y[slot]!;
    const out = this.yTotal;
    for (let i = 0; i < this.size; i++) out[i] = y[i]! + lambda * penaltyWeight[i]! * s[i]!;
    return out;
  }
}
