/**
 * The linear algebra of one Newton step: factor A = H + diag(penalty) (H a loss Hessian, the
 * penalty λ·π on penalised coordinates), then solve A s = −g as often as the solver needs
 * with one factorisation. A is equilibrated first (A_ij / √(A_ii A_jj)), so features on wildly
 * different scales (unscaled data) factor as well as scaled ones; a coordinate held at 0 (an
 * absent intercept) gets a unit row; a singular H (a direction neither the loss nor the penalty
 * sees) gets a growing ridge.
 */
import { choleskyStore, type CholeskyStore } from './kernels/index.js';

/**
 * A reusable factorisation of H + diag(penalty) for K coordinates.
 * @example
 * ```ts
 * const f = new NewtonFactor(K);
 * f.factor(hess, penaltyDiag, fixed);
 * f.solve(grad, step); // step = −A⁻¹ grad
 * ```
 */
export class NewtonFactor {
  private readonly store: CholeskyStore;
  private readonly scale: Float64Array;

  constructor(readonly size: number) {
    this.store = choleskyStore(size);
    this.scale = new Float64Array(size);
  }

  /**
   * Factors H + diag(penalty) over the free coordinates (`fixed[i] === 1` holds i at 0).
   * `hess` is a full symmetric row-major K×K matrix and is not modified.
   */
  factor(hess: Float64Array, penalty: Float64Array, fixed: Uint8Array): void {
    const n = this.size;
    const { scale } = this;
    const { matrix: L, stride } = this.store;
    for (let i = 0; i < n; i++) {
      const a = fixed[i] === 1 ? 1 : hess[i * n + i]! + penalty[i]!;
      scale[i] = a > 0 && Number.isFinite(a) ? 1 / Math.sqrt(a) : 1;
    }
    for (let ridge = 0; ; ridge = ridge === 0 ? 1e-12 : ridge * 100) {
      // The lower triangle only: the factorisation reads nothing else.
      for (let i = 0; i < n; i++) {
        const si = scale[i]!;
        const row = i * stride;
        for (let j = 0; j < i; j++) {
          L[row + j] = fixed[i] === 1 || fixed[j] === 1 ? 0 : hess[i * n + j]! * si * scale[j]!;
        }
        L[row + i] = fixed[i] === 1 ? 1 : (hess[i * n + i]! + penalty[i]!) * si * si + ridge;
      }
      if (this.store.factor() || ridge > 1) return;
    }
  }

  /** out = −A⁻¹ g (g is not modified). */
  solve(g: Float64Array, out: Float64Array): void {
    const n = this.size;
    const scale = this.scale;
    for (let i = 0; i < n; i++) out[i] = -g[i]! * scale[i]!;
    this.store.solve(out);
    for (let i = 0; i < n; i++) out[i]! *= scale[i]!;
  }
}
