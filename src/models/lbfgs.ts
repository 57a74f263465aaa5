/**
 * Unconstrained L-BFGS that follows scipy's L-BFGS-B (v3.0, as scikit-learn 1.2 calls
 * it) step for step: the same first step (1/‖g‖), Moré–Thuente line search with
 * ftol=1e-3, gtol=0.9, xtol=0.1 and at most 20 evaluations, the same memory update and
 * skip rule, restart on a failed search, and the same stopping tests — max |gradient|
 * ≤ pgtol, or relative decrease of f ≤ ftol (scipy's default 2.22e-9, which is what
 * actually stops scikit-learn's LogisticRegression most of the time).
 */
import { MoreThuente } from './line-search.js';
import { dot, maxAbs } from './vectors.js';

/** f(x); writes ∇f(x) into `grad`. Called once per evaluation; must not keep `x`. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

/** Solver settings; defaults are scipy's `fmin_l_bfgs_b` / `minimize(method='L-BFGS-B')`. */
export interface LbfgsOptions {
  /** Iterations (scipy's `maxiter`). */
  readonly maxIter: number;
  /** Stop when max |g_i| ≤ pgtol (scipy's `gtol`/`pgtol`). */
  readonly pgtol: number;
  /** Stop when (f_old − f)/max(|f_old|, |f|, 1) ≤ ftol; 0 disables. Default 2.220446049250313e-9. */
  readonly ftol?: number;
  /** Correction pairs kept (scipy's `maxcor`). Default 10. */
  readonly memory?: number;
  /** Evaluations per line search (scipy's `maxls`). Default 20. */
  readonly maxLineSearch?: number;
  /** Objective evaluations in all (scipy's `maxfun`). Default 15000. */
  readonly maxEval?: number;
}

/** Why the solver stopped. */
export type LbfgsStop = 'pgtol' | 'ftol' | 'maxIter' | 'maxEval' | 'lineSearch';

/** The solution and how it was reached. */
export interface LbfgsResult {
  readonly x: Float64Array;
  readonly f: number;
  /** Iterations, counted as scipy counts `nit` (scikit-learn's `n_iter_`). */
  readonly nIter: number;
  readonly nEval: number;
  readonly stop: LbfgsStop;
  /** True for `pgtol` and `ftol`. */
  readonly converged: boolean;
}

/** scipy's default ftol: factr=1e7 times machine epsilon. */
export const SCIPY_FTOL = 1e7 * Number.EPSILON;
const LS_FTOL = 1e-3;
const LS_GTOL = 0.9;
const LS_XTOL = 0.1;
const STEP_MAX = 1e10;

/**
 * Minimise `fg` from `x0` (a warm start: any starting vector; it is not modified).
 * @example
 * ```ts
 * const r = minimizeLbfgs((x, g) => { g[0] = 2 * (x[0]! - 3); return (x[0]! - 3) ** 2; },
 *   new Float64Array(1), { maxIter: 100, pgtol: 1e-8 });
 * r.x[0]; // ≈ 3
 * ```
 */
export function minimizeLbfgs(fg: Objective, x0: Float64Array, options: LbfgsOptions): LbfgsResult {
  const s = new SolverState(fg, x0, options);
  return s.run();
}

/** Working storage for one solve, allocated once up front. */
class SolverState {
  private readonly n: number;
  private readonly m: number;
  private readonly ftol: number;
  private readonly maxLs: number;
  private readonly maxEval: number;
  private readonly x: Float64Array;
  private readonly g: Float64Array;
  private readonly d: Float64Array;
  private readonly xOld: Float64Array;
  private readonly gOld: Float64Array;
  /** Ring buffers of the last m steps s and gradient changes y, and ρ = 1/sᵀy. */
  private readonly S: Float64Array;
  private readonly Y: Float64Array;
  private readonly rho: Float64Array;
  private readonly alpha: Float64Array;
  private col = 0;
  private head = 0;
  private theta = 1;
  private f = 0;
  private nEval = 0;

  constructor(private readonly fg: Objective, x0: Float64Array, private readonly opts: LbfgsOptions) {
    this.n = x0.length;
    this.m = opts.memory ?? 10;
    this.ftol = opts.ftol ?? SCIPY_FTOL;
    this.maxLs = opts.maxLineSearch ?? 20;
    this.maxEval = opts.maxEval ?? 15000;
    this.x = new Float64Array(x0);
    this.g = new Float64Array(this.n);
    this.d = new Float64Array(this.n);
    this.xOld = new Float64Array(this.n);
    this.gOld = new Float64Array(this.n);
    this.S = new Float64Array(this.m * this.n);
    this.Y = new Float64Array(this.m * this.n);
    this.rho = new Float64Array(this.m);
    this.alpha = new Float64Array(this.m);
  }

  run(): LbfgsResult {
    this.f = this.evaluate();
    if (maxAbs(this.g) <= this.opts.pgtol) return this.result(0, 'pgtol');
    let nIter = 0;
    for (;;) {
      this.direction();
      const fOld = this.f;
      const ls = this.lineSearch(nIter === 0);
      if (ls === undefined) {
        // Restore the last iterate; with memory, forget it and retry along -g (as L-BFGS-B).
        this.x.set(this.xOld); this.g.set(this.gOld); this.f = fOld;
        if (this.col === 0) return this.result(nIter + 1, 'lineSearch');
        this.col = 0; this.head = 0; this.theta = 1;
        continue;
      }
      nIter++;
      // scipy checks its iteration and evaluation limits before the convergence tests.
      if (nIter >= this.opts.maxIter) return this.result(nIter, 'maxIter');
      if (this.nEval > this.maxEval) return this.result(nIter, 'maxEval');
      if (maxAbs(this.g) <= this.opts.pgtol) return this.result(nIter, 'pgtol');
      if (fOld - this.f <= this.ftol * Math.max(Math.abs(fOld), Math.abs(this.f), 1)) return this.result(nIter, 'ftol');
      this.update(ls.stp, ls.gd, ls.gdOld);
    }
  }

  private evaluate(): number {
    this.nEval++;
    return this.fg(this.x, this.g);
  }

  private result(nIter: number, stop: LbfgsStop): LbfgsResult {
    return { x: this.x, f: this.f, nIter, nEval: this.nEval, stop, converged: stop === 'pgtol' || stop === 'ftol' };
  }

  /** d = −H g by the two-loop recursion with H₀ = I/θ (−g when memory is empty). */
  private direction(): void {
    const { n, m, d, S, Y, rho, alpha } = this;
    for (let i = 0; i < n; i++) d[i] = -this.g[i]!;
    if (this.col === 0) return;
    for (let t = 0; t < this.col; t++) {
      const slot = (this.head + this.col - 1 - t) % m;
      const a = rho[slot]! * dotAt(S, slot * n, d, n);
      alpha[slot] = a;
      axpyAt(-a, Y, slot * n, d, n);
    }
    const h0 = 1 / this.theta;
    for (let i = 0; i < n; i++) d[i]! *= h0;
    for (let t = this.col - 1; t >= 0; t--) {
      const slot = (this.head + this.col - 1 - t) % m;
      const b = rho[slot]! * dotAt(Y, slot * n, d, n);
      axpyAt(alpha[slot]! - b, S, slot * n, d, n);
    }
  }

  /**
   * L-BFGS-B's `lnsrlb`: search along d from the current point; on success x, g, f hold
   * the new point. Returns undefined when the search fails (ascent direction, error,
   * or too many evaluations).
   */
  private lineSearch(first: boolean): { stp: number; gd: number; gdOld: number } | undefined {
    const { n, x, g, d, xOld, gOld } = this;
    const dnorm = Math.sqrt(dot(d, d));
    const stp0 = first ? Math.min(1 / dnorm, STEP_MAX) : 1;
    xOld.set(x); gOld.set(g);
    const gdOld = dot(g, d);
    if (!(gdOld < 0)) return undefined;
    const search = new MoreThuente(LS_FTOL, LS_GTOL, LS_XTOL, 0, STEP_MAX);
    let task = search.start(this.f, gdOld, stp0);
    let gd = gdOld;
    let evals = 0;
    while (task === 'FG') {
      if (evals >= this.maxLs) return undefined;
      const stp = search.stp;
      for (let i = 0; i < n; i++) x[i] = stp === 1 ? xOld[i]! + d[i]! : stp * d[i]! + xOld[i]!;
      this.f = this.evaluate();
      evals++;
      gd = dot(g, d);
      task = search.next(this.f, gd);
    }
    if (task === 'ERROR') return undefined;
    return { stp: search.stp, gd, gdOld };
  }

  /** Store the new pair (s, y) unless its curvature sᵀy is not safely positive. */
  private update(stp: number, gd: number, gdOld: number): void {
    const { n, m, d, g, gOld, S, Y } = this;
    const dr = (gd - gdOld) * stp;
    if (dr <= Number.EPSILON * (-gdOld * stp)) return;
    const slot = (this.head + this.col) % m;
    const off = slot * n;
    let rr = 0;
    for (let i = 0; i < n; i++) {
      const yi = g[i]! - gOld[i]!;
      Y[off + i] = yi;
      S[off + i] = stp * d[i]!;
      rr += yi * yi;
    }
    this.rho[slot] = 1 / dr;
    this.theta = rr / dr;
    if (this.col < m) this.col++;
    else this.head = (this.head + 1) % m;
  }
}

function dotAt(a: Float64Array, off: number, b: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[off + i]! * b[i]!;
  return s;
}

function axpyAt(alpha: number, a: Float64Array, off: number, y: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) y[i]! += alpha * a[off + i]!;
}

