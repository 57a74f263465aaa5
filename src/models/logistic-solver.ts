/**
 * The one solver behind every logistic fit memgrid makes (a single fit, a path along C, a
 * learning-curve point, a refit; in a thread, inline or on a queue worker): Newton's method on
 * scikit-learn's objective with exact gradients, converging to the optimum.
 *
 * Stopping rule (`tol`): Newton's decrement of the mean objective, δ = √(gᵀA⁻¹g / Σω) with A
 * the Hessian of the penalised objective, is the objective's distance to its optimum in its own
 * metric: ½δ² estimates how far the mean objective is above its minimum, and δ is invariant to
 * rescaling features, so it means the same on unscaled and scaled data (a gradient threshold
 * does not). A fit stops when the step it has just computed will leave it within τ = tol² of
 * the optimum, and takes that step: with a Hessian from the current point (an exact Newton
 * step, which squares δ) as soon as δ ≤ tol; with an older Hessian (a chord step, which shrinks
 * δ by the rate ρ its last steps showed) once δ·ρ ≤ tol². At the default tol (1e-4) every fit
 * ends within ~1e-8 of the optimum, so a candidate's scores do not depend on the path, the grid
 * or the API that fitted it. Below δ's rounding floor nothing more can be gained: a step with an
 * exact Hessian that fails to halve δ ends the fit as converged.
 *
 * `maxIter` bounds the Newton steps of one fit (of one C on a path); a fit that reaches it
 * without meeting the rule is reported as not converged.
 *
 * Work: a step costs one pass over the rows (the gradient at the new point), or one Newton sweep
 * (gradient and Hessian in one read of each row) when the solver decides a fresh Hessian pays:
 * it compares the cost of finishing with chord steps at the rate observed against taking a new
 * Hessian and finishing with exact steps. Costs come from the problem's shape, never from
 * clocks, so the same problem always takes the same steps (a resumed search, a thread and an
 * inline run give the same numbers bit for bit).
 */
import { dot } from './vectors.js';
import { NewtonFactor } from './newton-factor.js';
import type { LogisticProblem } from './logistic-problem.js';

/** Settings of every fit on a path. */
export interface SolveSettings {
  /** Newton's decrement (mean objective) at which the last step is taken; the fit ends within ~tol² of the optimum. */
  readonly tol: number;
  /** Newton steps per fit at most. */
  readonly maxIter: number;
}

/** How one fit went. */
export interface FitReport {
  /** Newton steps taken (scikit-learn's `n_iter_`). */
  readonly nIter: number;
  /** False when `maxIter` ran out before the stopping rule was met. */
  readonly converged: boolean;
  /** Passes over the rows that computed a gradient only, and that computed a Hessian too. */
  readonly gradientPasses: number;
  readonly hessianPasses: number;
  /** Newton's decrement when the fit stopped (before its last step). */
  readonly decrement: number;
  /** Seconds spent on this fit (a path's later fits start from the earlier ones' solutions). */
  readonly seconds: number;
}

/** Armijo constant of the backtracking line search. */
const ARMIJO = 1e-4;
/** Backtracking stops below this step length: the direction cannot decrease f in floating point. */
const MIN_STEP = 1e-10;
/** A predicted decrease below this fraction of |f| is inside f's rounding: the step is taken untested. */
const FLAT_DECREASE = 1e-12;
/** δ below which nothing is left to gain in double precision (mean objective). */
const DECREMENT_FLOOR = 1e-15;
/** Further than this from the optimum (δ), Newton's quadratic model is not trusted: take fresh Hessians. */
const FAR = 0.25;
/** Below this δ, an exact step that fails to halve δ means the rounding floor is reached. */
const STALL_BELOW = 1e-7;
/** A chord rate this poor always buys a fresh Hessian. */
const POOR_RATE = 0.5;

/**
 * Minimises the penalised objective for each λ = 1/C in the given order, warm-starting each
 * fit from the previous solution moved along the path's tangent. `start` (solver coordinates)
 * starts the first fit there instead of at 0. Returns, per C in the given order, the solution β
 * (solver coordinates: see {@link LogisticProblem.packed}) and how the fit went.
 * @example
 * ```ts
 * const fits = solveLogisticPath(problem, [0.01, 0.1, 1], { tol: 1e-4, maxIter: 100 });
 * problem.packed(fits[2]!.beta, 'raw');
 * ```
 */
export function solveLogisticPath(
  problem: LogisticProblem, Cs: readonly number[], settings: SolveSettings, start?: Float64Array,
): { beta: Float64Array; report: FitReport }[] {
  const solver = new NewtonSolver(problem, settings);
  if (start !== undefined) solver.start(start);
  return Cs.map((C) => {
    const report = solver.solve(1 / C);
    return { beta: solver.solution(), report };
  });
}

/** Newton's method along a path of λ, keeping x, the data term and a factorised Hessian between fits. */
class NewtonSolver {
  private readonly n: number;
  private readonly x: Float64Array;
  /** Data term at x: L, ∇L; `evaluated` is false when x moved by a final, untested step. */
  private loss = 0;
  private readonly gradL: Float64Array;
  private evaluated = false;
  /** The last Hessian taken, where (`hessAtX`: at the current x) and the λ its factor is for. */
  private readonly hess: Float64Array;
  private hasHess = false;
  private hessAtX = false;
  private readonly factor: NewtonFactor;
  private factorLambda = Number.NaN;
  /** The chord rate the current Hessian showed (δ after a step / δ before it), or NaN when unknown. */
  private rate = Number.NaN;
  /** c in δ' ≈ c·δ² after an exact Newton step, as observed (at least 1); kept along the path. */
  private quadratic = 1;
  /**
   * How far from the optimum the current Hessian was taken (δ there): a chord step with it
   * shrinks δ by about c times that, until its own rate has been seen.
   */
  private hessDistance = Number.NaN;
  /** What a Hessian pass costs in gradient passes (see {@link hessianCostRatio}). */
  private readonly hessianRatio: number;
  private lambda = Number.NaN;
  private readonly ws: Workspace;

  constructor(private readonly problem: LogisticProblem, private readonly settings: SolveSettings) {
    const n = problem.size;
    this.n = n;
    this.x = new Float64Array(n);
    this.gradL = new Float64Array(n);
    this.hess = new Float64Array(n * n);
    this.factor = new NewtonFactor(n);
    this.ws = workspace(n);
    this.hessianRatio = hessianCostRatio(problem.k, problem.d + 1);
  }

  /** Starts the next fit from β (intercepts of a multinomial start re-centred to sum 0, scikit-learn's gauge). */
  start(beta: Float64Array): void {
    if (beta.length !== this.n) return;
    this.x.set(beta);
    this.hessDistance = Number.NaN;
    const { k, d } = this.problem;
    if (k > 1) {
      let mean = 0;
      for (let c = 0; c < k; c++) mean += this.x[c * (d + 1) + d]! / k;
      for (let c = 0; c < k; c++) this.x[c * (d + 1) + d]! -= mean;
    }
    this.evaluated = false;
    this.hessAtX = false;
  }

  solution(): Float64Array {
    return this.x.slice();
  }

  /** One fit at penalty λ from the current x (moved along the path's tangent when λ changed). */
  solve(lambda: number): FitReport {
    const t0 = performance.now();
    const counts = { gradientPasses: 0, hessianPasses: 0 };
    if (Number.isFinite(this.lambda) && this.hasHess && lambda !== this.lambda) this.predict(lambda);
    this.lambda = lambda;
    const { tol, maxIter } = this.settings;
    const target = Math.max(tol * tol, DECREMENT_FLOOR);
    // A fit that has a Hessian from the path so far starts with a gradient pass and a chord
    // step; the first fit takes one at its start.
    if (!this.evaluated) this.evaluate(this.x, !this.hasHess, counts, true);
    let f = this.objective(this.ws.g);
    let lastDecrement = Number.POSITIVE_INFINITY;
    let lastWasExact = false;
    let lastFull = false;
    for (let it = 0; ; it++) {
      this.ensureFactor();
      this.factor.solve(this.ws.g, this.ws.step);
      const dec2 = Math.max(0, -dot(this.ws.g, this.ws.step));
      const delta = Math.sqrt(dec2 / this.problem.weightSum);
      const exact = this.hessAtX;
      if (exact || !Number.isFinite(this.hessDistance)) this.hessDistance = delta;
      // An exact step squares δ (times a constant c learnt from the steps so far); one that did
      // not even halve it, this close, hit the rounding floor.
      const stalled = lastWasExact && delta > 0.5 * lastDecrement && delta < STALL_BELOW;
      if (lastWasExact && lastFull && delta < lastDecrement) this.quadratic = Math.max(1, delta / (lastDecrement * lastDecrement));
      if (!exact && Number.isFinite(lastDecrement) && !lastWasExact) this.rate = delta / lastDecrement;
      const chordRate = Number.isFinite(this.rate) ? this.rate : Math.min(POOR_RATE, this.quadratic * this.hessDistance);
      const after = exact ? this.quadratic * delta * delta : delta * chordRate;
      const converged = delta <= DECREMENT_FLOOR || stalled || (delta <= tol && after <= target);
      if (converged || it >= maxIter) {
        const done = converged && !stalled && delta > DECREMENT_FLOOR;
        if (done) this.takeFinalStep();
        return this.report(converged ? it + (done ? 1 : 0) : it, converged, counts, delta, t0);
      }
      const wantHess = this.wantFreshHessian(delta, exact, target);
      const length = this.lineSearch(f, dec2, wantHess, counts);
      if (length === 0) return this.report(it, true, counts, delta, t0);
      lastWasExact = exact;
      lastFull = length === 1;
      lastDecrement = delta;
      if (wantHess) this.rate = Number.NaN;
      f = this.objective(this.ws.g);
    }
  }

  /**
   * Moves x along the tangent of the solution path from the last λ to the new one: at the
   * optimum ∇L(x) + λΠx = 0, so dx/dλ = −(H + λΠ)⁻¹Πx, one solve with the factor already held
   * (no pass over the data). The step is taken in log λ, where paths over a logspace grid bend
   * least.
   */
  private predict(lambda: number): void {
    const { ws, x, problem } = this;
    this.ensureFactor();
    for (let i = 0; i < this.n; i++) ws.g[i] = problem.fixed[i] === 1 ? 0 : problem.penaltyWeight[i]! * x[i]!;
    this.factor.solve(ws.g, ws.step); // step = −A⁻¹Πx = dx/dλ
    const h = this.lambda * Math.log(lambda / this.lambda);
    for (let i = 0; i < this.n; i++) x[i]! += h * ws.step[i]!;
    this.evaluated = false;
    this.hessAtX = false;
    this.hessDistance = Number.NaN; // measured again at the new start
    this.rate = Number.NaN;
  }

  /** Evaluates the data term at `point` (a Hessian too when asked) into the trial slots, or into the state when `intoState`. */
  private evaluate(point: Float64Array, withHess: boolean, counts: { gradientPasses: number; hessianPasses: number }, intoState: boolean): number {
    const grad = intoState ? this.gradL : this.ws.gradTrial;
    const hess = withHess ? (intoState ? this.hess : this.ws.hessTrial) : undefined;
    const loss = this.problem.evaluate(point, grad, hess);
    if (withHess) counts.hessianPasses++;
    else counts.gradientPasses++;
    if (intoState) {
      this.loss = loss;
      this.evaluated = true;
      if (withHess) this.tookHessianAtX();
    } else {
      this.ws.lossTrial = loss;
    }
    return loss;
  }

  private tookHessianAtX(): void {
    this.hasHess = true;
    this.hessAtX = true;
    this.factorLambda = Number.NaN;
    this.rate = Number.NaN;
  }

  /** f = L + penalty at x; writes the penalised gradient (0 on fixed coordinates) into g. */
  private objective(g: Float64Array): number {
    const { x, gradL, lambda, problem } = this;
    let pen = 0;
    for (let i = 0; i < this.n; i++) {
      const p = problem.penaltyWeight[i]!;
      g[i] = problem.fixed[i] === 1 ? 0 : gradL[i]! + lambda * p * x[i]!;
      pen += p * x[i]! * x[i]!;
    }
    return this.loss + 0.5 * lambda * pen;
  }

  private penaltyAt(point: Float64Array): number {
    let pen = 0;
    for (let i = 0; i < this.n; i++) pen += this.problem.penaltyWeight[i]! * point[i]! * point[i]!;
    return 0.5 * this.lambda * pen;
  }

  private ensureFactor(): void {
    if (this.factorLambda === this.lambda) return;
    const { ws, problem } = this;
    for (let i = 0; i < this.n; i++) ws.penalty[i] = this.lambda * problem.penaltyWeight[i]!;
    this.factor.factor(this.hess, ws.penalty, problem.fixed);
    this.factorLambda = this.lambda;
  }

  /**
   * Whether the next point should come with a Hessian: always far from the optimum or when the
   * chord rate is poor; otherwise when finishing with exact steps is predicted cheaper than
   * finishing with chord steps at the rate the current Hessian showed.
   */
  private wantFreshHessian(delta: number, exact: boolean, target: number): boolean {
    if (delta > FAR) return true;
    // Rate of a chord step with this Hessian: observed, or estimated from how far from the
    // optimum it was taken (the Hessian's error grows with that distance).
    const rate = Number.isFinite(this.rate) ? this.rate : Math.min(POOR_RATE, this.quadratic * this.hessDistance);
    if (rate >= POOR_RATE) return true;
    const afterStep = exact ? this.quadratic * delta * delta : delta * rate;
    const chordPasses = passesUntil(afterStep, rate, target);
    let exactPasses = 1;
    for (let e = afterStep; this.quadratic * e * e > target && exactPasses < 8; e = this.quadratic * e * e) exactPasses++;
    return this.hessianRatio * exactPasses < chordPasses;
  }

  /** Backtracking line search along ws.step; accepts into the state. Returns the step length taken, 0 when none decreases f. */
  private lineSearch(f: number, dec2: number, withHess: boolean, counts: { gradientPasses: number; hessianPasses: number }): number {
    const { ws, x } = this;
    const flat = 0.5 * dec2 <= FLAT_DECREASE * Math.max(1, Math.abs(f));
    let t = 1;
    for (;;) {
      for (let i = 0; i < this.n; i++) ws.xTrial[i] = x[i]! + t * ws.step[i]!;
      // A Hessian is only worth computing at a point likely to be accepted: the full step.
      const loss = this.evaluate(ws.xTrial, withHess && t === 1, counts, false);
      const fTrial = loss + this.penaltyAt(ws.xTrial);
      if (flat || fTrial <= f - ARMIJO * t * dec2) {
        x.set(ws.xTrial);
        this.gradL.set(ws.gradTrial);
        this.loss = loss;
        this.evaluated = true;
        if (withHess && t === 1) {
          this.hess.set(ws.hessTrial);
          this.tookHessianAtX();
        } else {
          this.hessAtX = false;
        }
        return t;
      }
      t *= 0.5;
      if (t < MIN_STEP) return 0;
    }
  }

  /** x += step, untested: inside the quadratic region the step only shrinks the error. */
  private takeFinalStep(): void {
    for (let i = 0; i < this.n; i++) this.x[i]! += this.ws.step[i]!;
    this.evaluated = false;
    this.hessAtX = false;
  }

  private report(
    nIter: number, converged: boolean, counts: { gradientPasses: number; hessianPasses: number }, decrement: number, t0: number,
  ): FitReport {
    return { nIter, converged, ...counts, decrement, seconds: (performance.now() - t0) / 1000 };
  }
}

/**
 * What one Newton sweep costs in gradient passes, for k outputs over D = d + 1 columns: a
 * gradient pass does O(k·D) work per row, a Hessian O(k²·D²) more, on a kernel about as fast
 * per operation. Calibrated on binary d = 32 (a Newton sweep ≈ 3.6 gradient passes).
 */
export function hessianCostRatio(k: number, D: number): number {
  return 1 + ((k + 1) * D) / 25;
}

/** Chord passes (gradient evaluations) until the error after a step is ≤ target, from `error` at rate `rate`. */
function passesUntil(error: number, rate: number, target: number): number {
  let passes = 0;
  for (let e = error; e * rate > target && passes < 50; e *= rate) passes++;
  return passes + (error > target ? 1 : 0);
}

interface Workspace {
  readonly g: Float64Array;
  readonly step: Float64Array;
  readonly penalty: Float64Array;
  readonly xTrial: Float64Array;
  readonly gradTrial: Float64Array;
  readonly hessTrial: Float64Array;
  lossTrial: number;
}

function workspace(n: number): Workspace {
  return {
    g: new Float64Array(n), step: new Float64Array(n), penalty: new Float64Array(n),
    xTrial: new Float64Array(n), gradTrial: new Float64Array(n), hessTrial: new Float64Array(n * n), lossTrial: 0,
  };
}
