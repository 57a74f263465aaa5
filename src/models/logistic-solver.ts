/**
 * The one solver behind every logistic fit memgrid makes (a single fit, a path along C, a
 * learning-curve point, a refit; in a thread, inline or on a queue worker): a Newton-type
 * method on scikit-learn's objective with exact gradients, converging to the optimum.
 *
 * Steps. Each step solves with the factored Hessian, taken at the current point or at an
 * earlier one, plus quasi-Newton corrections (quasi-newton.ts) that learn from each step what
 * an older Hessian misses. A fresh Hessian costs a Newton sweep (gradient
 * and Hessian in one read of each row) and gives an exact Newton step; reusing the factor costs
 * one gradient pass. The solver takes a fresh one when finishing with exact steps is predicted
 * cheaper than finishing at the rate the current factor shows, and at the start of a path's fit
 * when the fits after it gain from one too (pathRefreshPays). Costs come from the problem's
 * shape, never from clocks, so the same problem always takes the same steps (a resumed search,
 * a thread and an inline run give the same numbers bit for bit).
 *
 * Stopping rule (`tol`): Newton's decrement of the mean objective, δ = √(gᵀHg / Σω) with H the
 * step's inverse curvature, is the objective's distance to its optimum in its own metric (½δ²
 * estimates how far the mean objective is above its minimum) and is invariant to rescaling
 * features, so it means the same on unscaled and scaled data (a gradient threshold does not). A
 * fit stops once δ ≤ tol and the δ predicted after the step it has just computed (c·δ² for an
 * exact Newton step, c learnt from the steps so far; δ times the observed rate otherwise) is
 * ≤ max(tol², 1e-9), and takes that step. At the default tol (1e-4) every fit ends within
 * ~1e-8 of the optimum, so a candidate's scores do not depend on the path, the grid or the API
 * that fitted it; no tol goes past 1e-9 (see PRECISION_FLOOR). Below δ's rounding floor nothing
 * more can be gained: an exact step that fails to halve δ ends the fit.
 *
 * `maxIter` bounds the steps of one fit (of one C on a path); a fit that reaches it without
 * meeting the rule is reported as not converged.
 */
import { dot } from './vectors.js';
import { NewtonFactor } from './newton-factor.js';
import type { LogisticProblem } from './logistic-problem.js';
import { QuasiNewtonMemory } from './quasi-newton.js';

/** Settings of every fit on a path. */
export interface SolveSettings {
  /** Newton's decrement (mean objective) at which the last step is taken; the fit ends within ~tol² of the optimum. */
  readonly tol: number;
  /** Steps per fit at most. */
  readonly maxIter: number;
}

/** How one fit went. */
export interface FitReport {
  /** Steps taken (scikit-learn's `n_iter_`). */
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

/** Gradient passes a fit of a path takes on a Hessian taken at its start (see {@link pathRefreshPays}). */
const FRESH_FIT_PASSES = 2;
/** How many times its cost a fresh Hessian must be expected to save along a path (see {@link pathRefreshPays}). */
const PATH_REFRESH_MARGIN = 2;
/**
 * The most fits (this one and the later ones) a fresh Hessian is counted as saving passes in
 * (see {@link pathRefreshPays}). On LW's 12-C path one served the 9 fits after it. On a grid of
 * 60 C over the same range the fits right after a fresh Hessian took as many passes as before
 * (4: their starts, ~5e-4 off in Newton's decrement, cost more than the curvature's age), and
 * counting every later fit bought a Hessian every other fit: 117 gradient passes and 11
 * Hessians against 210 and 1 without the rule, 2.66 against 2.58 s; 30 C: 72 and 5 against
 * 113 and 1. Counting at most 8: 60 C as without the rule, 30 C 84 and 2 (1.34 s against 1.47
 * and 1.64), 12 C as counting all.
 */
const PATH_REFRESH_HORIZON = 8;
/** Armijo constant of the backtracking line search. */
const ARMIJO = 1e-4;
/** Backtracking stops below this step length: the direction cannot decrease f in floating point. */
const MIN_STEP = 1e-10;
/** A predicted decrease below this fraction of |f| is inside f's rounding: the step is taken untested. */
const FLAT_DECREASE = 1e-12;
/** δ below which nothing is left to gain in double precision (mean objective). */
const DECREMENT_FLOOR = 1e-15;
/**
 * The tightest error after the last step a fit aims for, whatever tol: at 1e-9 (δ of the mean
 * objective) probabilities agree with the exact optimum to ~1e-9, and held-out scores with
 * newton-cg's at tol 1e-10 to ~1e-12 on the benchmark's grids and 3e-10 on unscaled wine (the
 * worst case the tests hold), far inside any difference a search can rank on and the 1e-8 its
 * scores must agree to across APIs. Going further costs passes where the last steps converge
 * linearly (quasi-Newton steps, sampled multinomial Hessians): at 1e-12 the multinomial 100,000 × 32 × 10 grid took 609 Newton steps and 198
 * Hessian sweeps for its 60 fits, at 1e-10 446 and 88 (16.1 → 10.1 s); from 1e-10 to 1e-9, 60
 * fits on 100,000 × 128 took 208 steps instead of 260, 100,000 × 32 × 10 classes 367 instead of
 * 395, and four sets the benchmark never uses 3-13% fewer (their best scores moved by ≤ 3e-12,
 * relative). So any tol ≤ 3e-5 gives the same fits.
 */
const PRECISION_FLOOR = 1e-9;
/** Further than this from the optimum (δ), the quadratic model is not trusted: take fresh Hessians. */
const FAR = 0.25;
/** Below this δ, an exact step that fails to halve δ means the rounding floor is reached. */
const STALL_BELOW = 1e-7;
/** A rate this poor buys a fresh Hessian (at once where it is cheap: see {@link FRESH_CURVATURE_BUDGET}). */
const POOR_RATE = 0.5;
/**
 * A full Hessian modelled to cost at least this many gradient passes is expensive: far from the
 * optimum or at a poor rate, it is bought only once the gradient passes made since the last
 * fresh curvature add up to {@link FRESH_CURVATURE_BUDGET} of its cost and its factorisation's.
 * Binary fits up to 161 features (D = 162: LB, LW, breast cancer) and sampled multinomial Hessians (LM)
 * are below it or have their own rate model, and keep buying at once.
 */
const EXPENSIVE_HESSIAN = 16;
/**
 * The share of a fresh curvature's modelled cost (Hessian and factorisation, in gradient passes)
 * spent on gradient passes with the curvature held before buying one: ski rental, buying early.
 * The models overstate the cost where it is large (measured on one thread: 2,400 × 1,000
 * binary, Hessian 103 gradient passes against 262 modelled, factorisation 22 against 70), and
 * a fresh curvature also serves the fits after this one. Buying at once took a Hessian in
 * almost every fit where the cost is large: 3,000 × 1,000 binary, 60 fits, 55 Hessians and 441
 * gradient passes, 7.58 s; at 0.15 / 0.2 / 0.25 / 0.3 of the cost 26 / 27 / 21 / 21 Hessians,
 * 1126 / 1566 / 1557 / 1673 passes, 5.50 / 6.0-6.2 / 5.29 / 5.4-5.6 s. Digits (LD, 650 unknowns
 * on 1,437 rows): 74 Hessians and 294 passes, 1.37-1.42 s; at 0.25 43 and 739, 1.27-1.28 s.
 */
const FRESH_CURVATURE_BUDGET = 0.25;
/** The most of a fit's maxIter the passes before an expensive Hessian may take. */
const BUDGET_SHARE_OF_MAX_ITER = 0.25;
/**
 * What a fresh sampled Hessian's step is taken to shrink δ by until one is seen near the optimum
 * (δ ≤ SAMPLED_RATE_NEAR): 60 rows per unknown gave 0.05-0.14 (80,000 × 32 × 10 classes,
 * 64,000 × 20 × 5).
 */
const SAMPLED_RATE_PRIOR = 0.1;
const SAMPLED_RATE_NEAR = 1e-2;

type Counts = { gradientPasses: number; hessianPasses: number };

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
  problem: LogisticProblem, Cs: readonly number[], settings: SolveSettings, start?: Float64Array, options: PathCurvature = {},
): PathSolution[] {
  const solver = new NewtonSolver(problem, settings);
  if (start !== undefined) solver.start(start);
  if (options.seed !== undefined) solver.seedCurvature(options.seed);
  let held: { generation: number; hess: Float64Array | undefined } = { generation: -1, hess: undefined };
  return Cs.map((C, at) => {
    const report = solver.solve(1 / C, Cs.length - 1 - at);
    if (options.keep !== true) return { beta: solver.solution(), report };
    // Fits that ended on the same Hessian share one copy of it.
    if (solver.curvatureGeneration !== held.generation) held = { generation: solver.curvatureGeneration, hess: solver.curvatureCopy() };
    return { beta: solver.solution(), report, ...(held.hess ? { curvature: held.hess } : {}) };
  });
}

/** What a path does with curvatures from elsewhere, and with its own. */
export interface PathCurvature {
  /** A loss Hessian to start from instead of taking one at the first point (see NewtonSolver.seedCurvature). */
  readonly seed?: Float64Array;
  /** Hand back, with each fit, the curvature it ended with ({@link PathSolution.curvature}). */
  readonly keep?: boolean;
}

/** One fit of a path: its solution, how it went, and the curvature the solver held at its end. */
export interface PathSolution {
  readonly beta: Float64Array;
  readonly report: FitReport;
  /**
   * With `keep`: the loss Hessian (solver coordinates, K×K, without the penalty) the fit's last
   * steps used, taken at this or an earlier point of the path; the same array for fits that
   * shared it. A fit of the same data on other rows may start from it (`seed`) instead of taking one.
   */
  readonly curvature?: Float64Array;
}

/** Newton-type steps along a path of λ, keeping x, the data term, a factored curvature and quasi-Newton pairs between fits. */
class NewtonSolver {
  private readonly n: number;
  private readonly x: Float64Array;
  /** Data term at x: L, ∇L; `evaluated` is false when x moved by a final, untested step. */
  private loss = 0;
  private readonly gradL: Float64Array;
  private evaluated = false;
  /** The point and loss gradient of the last evaluation kept: the far end of the next quasi-Newton pair. */
  private readonly xKept: Float64Array;
  private readonly gradKept: Float64Array;
  private hasKept = false;
  /** The last Hessian taken, where (`curvatureAtX`: at the current x), and its factor with the penalty of `factorLambda`. */
  private readonly hess: Float64Array;
  private readonly curvature: NewtonFactor;
  private hasCurvature = false;
  private curvatureAtX = false;
  private factorLambda = Number.NaN;
  private readonly memory: QuasiNewtonMemory;
  /** δ after a step over δ before it, as last observed with the current curvature (NaN: not yet). */
  private rate = Number.NaN;
  /** c in δ' ≈ c·δ² after an exact Newton step, as observed (at least 1); kept along the path. */
  private quadratic = 1;
  /**
   * δ after the step taken from a fresh sampled Hessian over δ before it, as last observed (NaN:
   * not yet); kept along the path. A sampled Hessian's steps converge linearly, at about this rate.
   */
  private sampledRate = Number.NaN;
  /** δ where the current curvature was taken: a step with it shrinks δ by about c times that, until seen. */
  private curvatureDistance = Number.NaN;
  /** What a Hessian pass costs in gradient passes (see {@link hessianCostRatio}); more once the sample is dropped. */
  private hessianRatio: number;
  /** What factoring the curvature costs in gradient passes (see {@link factorCostRatio}). */
  private readonly factorRatio: number;
  /** Gradient passes made since the last fresh curvature, and how many are spent before buying one far out (see {@link EXPENSIVE_HESSIAN}). */
  private passesOnCurvature = 0;
  private freshCurvatureBudget: number;
  private lambda = Number.NaN;
  /** The last fit's λ, solution and tangent dx/dλ (0: none yet): they tell how the path bends (see predict). */
  private previousLambda = 0;
  private readonly previousX: Float64Array;
  private readonly previousStep: Float64Array;
  /** The power of λ the path is taken as linear in when predicting (tangentLength). */
  private pathPower = 0;
  /** Whether the last fit took a fresh Hessian within its first two steps (see {@link solve}). */
  private lastFitEarlyHessian = false;
  /** Gradient passes the last fit made on a curvature from an earlier fit (NaN: it took a fresh one, or none yet). */
  private lastFitStalePasses = Number.NaN;
  /** The smallest π_i of a penalised coordinate (0 when none is): λ times it bounds the penalised Hessian's eigenvalues from below. */
  private readonly weakestPenalty: number;
  /** How much slower, at most, a Hessian's single-precision rounding may make an exact step converge (see {@link singlePrecisionRate}). */
  private readonly roundingRate: number;
  /** Counts the curvatures held: changes whenever a fresh Hessian (or a seed) replaces the last. */
  curvatureGeneration = 0;
  private readonly ws: Workspace;

  constructor(private readonly problem: LogisticProblem, private readonly settings: SolveSettings) {
    const n = problem.size;
    this.n = n;
    this.x = new Float64Array(n);
    this.previousX = new Float64Array(n);
    this.previousStep = new Float64Array(n);
    this.gradL = new Float64Array(n);
    this.xKept = new Float64Array(n);
    this.gradKept = new Float64Array(n);
    this.hess = new Float64Array(n * n);
    this.curvature = new NewtonFactor(n);
    this.memory = new QuasiNewtonMemory(n);
    this.ws = workspace(n);
    this.factorRatio = factorCostRatio(problem.size, problem.nRows);
    this.hessianRatio = hessianPassCost(problem);
    this.freshCurvatureBudget = this.curvatureBudget();
    this.weakestPenalty = weakestPenalty(problem);
    this.roundingRate = singlePrecisionRate(settings.tol);
  }

  /** Gradient passes to spend before buying an expensive Hessian far out (see {@link EXPENSIVE_HESSIAN}); 0 where Hessians are cheap or sampled. */
  private curvatureBudget(): number {
    const cheap = this.hessianRatio < EXPENSIVE_HESSIAN || this.problem.hessianFraction < 1;
    // Never so many that a fit would reach maxIter before buying one (on data wider still).
    return cheap ? 0 : Math.min(FRESH_CURVATURE_BUDGET * (this.hessianRatio + this.factorRatio), this.settings.maxIter * BUDGET_SHARE_OF_MAX_ITER);
  }

  /**
   * Takes every later Hessian over all rows (LogisticProblem.wholeHessian), at its cost, when a
   * sampled one's steps show that the sample misses the curvature: near the optimum (δ ≤ FAR),
   * where a step with the true Hessian is taken whole, a sampled one's step was cut back by the
   * line search, or shrank δ by less than half. Where the curvature sits in a few rows (classes
   * almost separated, large C) every other row misses much of it: 48,000 rows of digits with
   * noise, 10 classes, C = 0.19 on a fold's path, took 100 steps with 81 sampled Hessians, nearly
   * every step cut to a half or a quarter, without converging (44 s); on all rows 8 steps, 1 Hessian.
   */
  private dropHessianSample(): void {
    if (this.problem.hessianFraction === 1) return; // no sample, or dropped already
    this.problem.wholeHessian();
    this.hessianRatio = hessianPassCost(this.problem);
    this.freshCurvatureBudget = this.curvatureBudget();
    this.sampledRate = Number.NaN;
  }

  /** Starts the next fit from β (intercepts of a multinomial start re-centred to sum 0, scikit-learn's gauge). */
  start(beta: Float64Array): void {
    if (beta.length !== this.n) return;
    this.x.set(beta);
    const { k, d } = this.problem;
    if (k > 1) {
      let mean = 0;
      for (let c = 0; c < k; c++) mean += this.x[c * (d + 1) + d]! / k;
      for (let c = 0; c < k; c++) this.x[c * (d + 1) + d]! -= mean;
    }
    this.evaluated = false;
    this.curvatureAtX = false;
    this.curvatureDistance = Number.NaN;
  }

  /**
   * Starts with `hess` (a loss Hessian from elsewhere: another set of rows of the same data,
   * scaled to these rows' weight) as the curvature instead of taking one at the first point:
   * the first fit begins with a gradient pass, and takes a fresh Hessian only when the rate
   * its steps show is poor. Ignored unless K×K and finite.
   */
  seedCurvature(hess: Float64Array): void {
    if (hess.length !== this.n * this.n || !hess.every(Number.isFinite)) return;
    this.hess.set(hess);
    this.hasCurvature = true;
    this.passesOnCurvature = 0;
    this.curvatureAtX = false;
    this.factorLambda = Number.NaN;
    this.rate = Number.NaN;
    this.curvatureDistance = Number.NaN;
    this.curvatureGeneration++;
  }

  /** A copy of the curvature held, or undefined before the first. */
  curvatureCopy(): Float64Array | undefined {
    return this.hasCurvature ? this.hess.slice() : undefined;
  }

  solution(): Float64Array {
    return this.x.slice();
  }

  /**
   * One fit at penalty λ from the current x (moved along the path's tangent when λ changed);
   * `laterFits` more fits follow it on the same path (0 for a single fit).
   */
  solve(lambda: number, laterFits = 0): FitReport {
    const t0 = performance.now();
    const counts: Counts = { gradientPasses: 0, hessianPasses: 0 };
    if (Number.isFinite(this.lambda) && this.hasCurvature && lambda !== this.lambda) this.predict(lambda);
    // When the last fit along the path needed a fresh Hessian at once, this one will too: its
    // first step goes with the factor already held (made for the previous λ; the pairs add the
    // new penalty exactly) straight to a point where a Hessian is taken, instead of factoring
    // the old Hessian again for the new λ and spending a gradient pass on a step that would only
    // show the rate to be poor.
    // Only where factoring costs at least half a Hessian pass (many unknowns for few rows, as
    // digits' 650 over 1,437): the early Hessian then costs little more than the factorisation it
    // saves. Where the Hessian pass costs far more (60,000 × 64 × 10 classes: 25 gradient passes,
    // a factorisation 1.5), every fit along the path took one this way, each rule's Hessian
    // setting it off for the next (68 Hessians for 60 fits, 22.8 s; without it 18, 10.4 s).
    const early = this.lastFitEarlyHessian && this.factorRatio >= Math.max(1, this.hessianRatio / 2)
      && Number.isFinite(this.factorLambda) && this.factorLambda !== lambda;
    this.lastFitEarlyHessian = false;
    const refresh = !early && this.refreshForPath(laterFits);
    this.lambda = lambda;
    const { tol, maxIter } = this.settings;
    const target = Math.max(tol * tol, PRECISION_FLOOR);
    // The first fit takes a Hessian at its start; later ones start with a gradient pass and the
    // curvature the path has so far, or with a Hessian when the path's later fits gain from it
    // (refreshForPath).
    if (!this.evaluated) this.evaluateIntoState(this.x, !this.hasCurvature || refresh, counts);
    let f = this.objective(this.ws.g);
    let last = { delta: Number.POSITIVE_INFINITY, exact: false, full: false, fresh: false };
    for (let it = 0; ; it++) {
      let stale = early && it === 0;
      if (stale) this.staleDirection(this.ws.g, this.ws.step);
      else this.direction(this.ws.g, this.ws.step);
      let dec2 = Math.max(0, -dot(this.ws.g, this.ws.step));
      // A stale metric cannot tell convergence: near the optimum, take the exact one.
      if (stale && Math.sqrt(dec2 / this.problem.weightSum) <= tol) {
        stale = false;
        this.direction(this.ws.g, this.ws.step);
        dec2 = Math.max(0, -dot(this.ws.g, this.ws.step));
      }
      const delta = Math.sqrt(dec2 / this.problem.weightSum);
      const exact = this.curvatureAtX && this.memory.empty && this.problem.hessianFraction === 1;
      if (this.curvatureAtX || !Number.isFinite(this.curvatureDistance)) this.curvatureDistance = delta;
      // An exact step squares δ (times c); one that did not even halve it, this close, hit the rounding floor.
      const stalled = last.exact && delta > 0.5 * last.delta && delta < STALL_BELOW;
      if (last.exact && last.full && delta < last.delta) this.quadratic = Math.max(1, delta / (last.delta * last.delta));
      if (!exact && !last.exact && Number.isFinite(last.delta)) this.rate = delta / last.delta;
      // Learnt near the optimum only: further out a step's shrink says more about the nonlinearity
      // than about the sample (a 0.5 seen there once kept every later fit off Hessians).
      if (last.fresh && last.full && last.delta <= SAMPLED_RATE_NEAR && this.problem.hessianFraction < 1) {
        this.sampledRate = delta / last.delta;
        if (this.sampledRate >= POOR_RATE) this.dropHessianSample();
      }
      const after = exact ? this.quadratic * delta * delta : delta * this.rateEstimate();
      const converged = delta <= DECREMENT_FLOOR || stalled || (delta <= tol && after <= target);
      if (converged || it >= maxIter) {
        const done = converged && !stalled && delta > DECREMENT_FLOOR;
        if (done) this.takeFinalStep();
        return this.report(converged ? it + (done ? 1 : 0) : it, converged, counts, delta, t0);
      }
      const wantHess = stale || this.wantFreshCurvature(delta, exact, target);
      const length = this.lineSearch(f, dec2, wantHess, counts);
      if (length === 0) return this.report(it, true, counts, delta, t0);
      if (length < 1 && delta <= FAR) this.dropHessianSample();
      // The curvature wanted at the full step is taken where the search landed instead: kept
      // from further back, it keeps proposing steps the search cuts (classes almost separated,
      // where curvature falls fast as the weights grow). Unscaled digits, a single fit at C = 100:
      // 100 steps without converging (262 gradient passes, 12 Hessians); with this, 65 steps.
      if (wantHess && length < 1) this.evaluateIntoState(this.x, true, counts);
      if (wantHess && length === 1 && it <= 1) this.lastFitEarlyHessian = true;
      last = { delta, exact, full: length === 1, fresh: wantHess && length === 1 };
      if (wantHess && length === 1) this.rate = Number.NaN;
      f = this.objective(this.ws.g);
    }
  }

  /** out = −(curvature + λΠ)⁻¹ g, with the quasi-Newton corrections when there are pairs. */
  private direction(g: Float64Array, out: Float64Array): void {
    this.ensureFactor();
    if (this.memory.empty) this.curvature.solve(g, out);
    else this.memory.direction(g, this.lambda, this.problem.penaltyWeight, (v, o) => this.curvature.solve(v, o), out);
  }

  /** As {@link direction}, with the factor as it is (made for an earlier λ): no factorisation. */
  private staleDirection(g: Float64Array, out: Float64Array): void {
    if (this.memory.empty) this.curvature.solve(g, out);
    else this.memory.direction(g, this.lambda, this.problem.penaltyWeight, (v, o) => this.curvature.solve(v, o), out);
  }

  /** The rate a step with the current curvature and pairs is expected to shrink δ by. */
  private rateEstimate(): number {
    return Number.isFinite(this.rate) ? this.rate : Math.min(POOR_RATE, this.quadratic * this.curvatureDistance);
  }

  /**
   * Moves x along the tangent of the solution path from the last λ to the new one: at the
   * optimum ∇L(x) + λΠx = 0, so dx/dλ = −(H + λΠ)⁻¹Πx, one solve with the factor already held
   * (no pass over the data). How far along it depends on how the path bends: under a strong
   * penalty x shrinks like 1/λ and the tangent is followed in log λ; under a weak one x nears the
   * unpenalised optimum, linearly in λ, where a step in log λ overshoots (by 75% at C × 3.5). A
   * binary path takes, for each step, the power of λ (−1, 0 or 1) whose tangent step would have
   * best predicted the last fit's solution from the one before (no pass over the data either):
   * the fits' first δ fell 10-1000× past the first few C of LB (200,000 × 32), its gradient
   * passes 189 → 165 for 60 fits; b200x32 203 → 191, b100x128 221 → 203, LW 251 → 255, breast
   * cancer 288 → 282. A multinomial path keeps log λ: its sampled Hessians' steps did worse from
   * the closer starts (LM 351 → 448 passes).
   */
  private predict(lambda: number): void {
    const { ws, x, problem } = this;
    for (let i = 0; i < this.n; i++) ws.g[i] = problem.fixed[i] === 1 ? 0 : problem.penaltyWeight[i]! * x[i]!;
    this.direction(ws.g, ws.step); // step = −A⁻¹Πx = dx/dλ
    const binary = problem.k === 1;
    if (binary && this.previousLambda > 0) this.pathPower = bestPathPower(this.previousX, this.previousStep, this.previousLambda, x, this.lambda);
    const h = tangentLength(this.pathPower, this.lambda, lambda);
    this.previousX.set(x);
    this.previousStep.set(ws.step);
    this.previousLambda = this.lambda;
    for (let i = 0; i < this.n; i++) x[i]! += h * ws.step[i]!;
    this.evaluated = false;
    this.curvatureAtX = false;
    this.curvatureDistance = Number.NaN; // measured again at the new start
    // A binary fit starts with the rate the factor last showed: from a start this close, the
    // quadratic model (rate ∝ δ) would promise convergence a stale factor does not deliver, and
    // the solver would take no fresh Hessian where one pays (LB: 5 more passes a path).
    if (!binary) this.rate = Number.NaN;
  }

  /** Evaluates the data term at `point` into the trial slots (a curvature too when asked). */
  private evaluateTrial(point: Float64Array, withCurvature: boolean, counts: Counts): number {
    const hess = withCurvature ? this.ws.hessTrial : undefined;
    const penaltyFloor = this.lambda * this.weakestPenalty;
    const loss = this.problem.evaluate(point, this.ws.gradTrial, hess, HESSIAN_TOLERANCE * penaltyFloor, this.roundingRate * penaltyFloor);
    if (withCurvature) counts.hessianPasses++;
    else counts.gradientPasses++;
    this.passesOnCurvature = withCurvature ? 0 : this.passesOnCurvature + 1;
    this.ws.lossTrial = loss;
    return loss;
  }

  /** Evaluates at x itself (a fit's start) and keeps it as the state. */
  private evaluateIntoState(point: Float64Array, withCurvature: boolean, counts: Counts): void {
    this.evaluateTrial(point, withCurvature, counts);
    this.accept(point, withCurvature);
  }

  /**
   * Makes the trial point the state: x, L, ∇L, the curvature when one was taken there (pairs
   * cleared: the step from it is exact), else a quasi-Newton pair from the last kept point.
   */
  private accept(point: Float64Array, withCurvature: boolean): void {
    const { ws } = this;
    if (point !== this.x) this.x.set(point);
    this.gradL.set(ws.gradTrial);
    this.loss = ws.lossTrial;
    this.evaluated = true;
    if (withCurvature) {
      // A Hessian at x makes the next step an exact Newton step: the pairs are of no more use.
      this.hess.set(ws.hessTrial);
      this.curvatureGeneration++;
      this.hasCurvature = true;
      this.curvatureAtX = true;
      this.factorLambda = Number.NaN;
      this.rate = Number.NaN;
      this.memory.clear();
    } else {
      this.curvatureAtX = false;
      if (this.hasKept) this.memory.push(this.x, this.xKept, this.gradL, this.gradKept, this.problem.fixed);
    }
    this.xKept.set(this.x);
    this.gradKept.set(this.gradL);
    this.hasKept = true;
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
    this.curvature.factor(this.hess, ws.penalty, problem.fixed);
    this.factorLambda = this.lambda;
  }

  /**
   * Whether the next point should come with a fresh curvature: far from the optimum or when the
   * rate is poor, at once if it is cheap, else once enough passes were spent without one
   * (see {@link EXPENSIVE_HESSIAN}); otherwise when finishing with exact steps is predicted cheaper
   * than finishing at the rate the current curvature shows.
   */
  private wantFreshCurvature(delta: number, exact: boolean, target: number): boolean {
    const rate = this.rateEstimate();
    if (delta > FAR || rate >= POOR_RATE) return this.passesOnCurvature >= this.freshCurvatureBudget;
    const afterStep = exact ? this.quadratic * delta * delta : delta * rate;
    const reusePasses = passesUntil(afterStep, rate, target);
    // A sampled Hessian's steps shrink δ linearly, at the rate they were seen to, and its factor
    // then serves the passes after it: one Hessian, then gradient passes at that rate (counting
    // its steps as quadratic took a Hessian at every step: 5 classes × 21 on 64,000 rows, 9
    // sampled Hessians for the first C).
    if (this.problem.hessianFraction < 1) {
      const sampledRate = Number.isFinite(this.sampledRate) ? this.sampledRate : SAMPLED_RATE_PRIOR;
      return this.hessianRatio - 1 + passesUntil(afterStep, sampledRate, target) < reusePasses;
    }
    let exactPasses = 1;
    for (let e = afterStep; this.quadratic * e * e > target && exactPasses < 8; e = this.quadratic * e * e) exactPasses++;
    return this.hessianRatio * exactPasses < reusePasses;
  }

  /**
   * Whether this fit of a path starts with a fresh Hessian for the sake of the fits after it
   * too (see {@link pathRefreshPays}). Only where a Hessian is cheap and over every row: an
   * expensive one has its own budget, and a sampled one's steps stay linear (digits scaled up,
   * whose curvature changes fast along the path, took 172 gradient passes and 13 Hessians
   * instead of 145 and 11 when the rule applied there).
   */
  private refreshForPath(laterFits: number): boolean {
    if (this.problem.hessianFraction < 1 || this.hessianRatio >= EXPENSIVE_HESSIAN) return false;
    return pathRefreshPays(laterFits, this.lastFitStalePasses, this.hessianRatio + this.factorRatio);
  }

  /** Backtracking line search along ws.step; accepts into the state. Returns the step length taken, 0 when none decreases f. */
  private lineSearch(f: number, dec2: number, withCurvature: boolean, counts: Counts): number {
    const { ws, x } = this;
    const flat = 0.5 * dec2 <= FLAT_DECREASE * Math.max(1, Math.abs(f));
    let t = 1;
    for (;;) {
      for (let i = 0; i < this.n; i++) ws.xTrial[i] = x[i]! + t * ws.step[i]!;
      // A curvature is only worth computing at a point likely to be accepted: the full step.
      const fresh = withCurvature && t === 1;
      const loss = this.evaluateTrial(ws.xTrial, fresh, counts);
      if (flat || loss + this.penaltyAt(ws.xTrial) <= f - ARMIJO * t * dec2) {
        this.accept(ws.xTrial, fresh);
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
    this.curvatureAtX = false;
  }

  private report(nIter: number, converged: boolean, counts: Counts, decrement: number, t0: number): FitReport {
    this.lastFitStalePasses = counts.hessianPasses === 0 ? counts.gradientPasses : Number.NaN;
    return { nIter, converged, ...counts, decrement, seconds: (performance.now() - t0) / 1000 };
  }
}

/**
 * How far a Hessian may be from the exact one, in spectral norm, as a share of the penalty's
 * smallest curvature λ·min π (a Hessian pass leaves out row terms worth less: see
 * LogisticProblem's negligibleTerm). A Newton step with a Hessian this close converges as
 * an exact one does, to within a rate of ~1e-6. Where classes are almost separated most rows'
 * class-pair terms are ~0 and a multinomial Hessian sums only the others: digits scaled up to
 * 48,000 rows with noise, 10 classes, a fold's 12-C path 7.2 → 4.0 s with the same steps (so
 * did limits of up to 1e-6 a term, 10⁴ times this one's at C = 100: most terms left out are
 * far below it).
 */
const HESSIAN_TOLERANCE = 1e-6;

/** The most a Hessian's rounding may slow an exact Newton step, whatever tol (see {@link singlePrecisionRate}). */
const MAX_ROUNDING_RATE = 0.1;

/**
 * The share of the penalty's smallest curvature λ·min π that a Hessian's rounding may reach in
 * spectral norm, so that its products (binary, or a multinomial sweep's class pairs) may be
 * summed in single precision (twice the products a vector instruction: a binary Hessian pass
 * over 80,000 × 129 rows 97 → 60 ms on this machine; kernels/wasm/single-gram-module.ts). The gradient stays exact; the Hessian only sets
 * the step's metric. A Hessian off by E slows an exact step by at most ρ = ‖E‖/(λ·min π), the
 * penalised Hessian's eigenvalues being at least λ·min π: δ' ≤ c·δ² + ρ·δ. A fit takes its last
 * step untested once δ ≤ tol and c·δ² ≤ target (logistic-solver's stopping rule), so ρ ≤
 * target/tol keeps that step within twice the target; and at most 0.1, so no exact step
 * converges slower than that. At tol 1e-8 that is 0.1, at the default 1e-4 (target 1e-8)
 * 1e-4. The kernel holds the rounding under the budget by a worst-case bound (γ_67·Σ ω·c·‖x̃‖²
 * for a binary Hessian, summed over the class pairs for a multinomial one), far above what
 * rounding does: LW's Hessian at C = 1.2e-3, bound 5.4, rounding 2.3e-4.
 */
export function singlePrecisionRate(tol: number): number {
  const target = Math.max(tol * tol, PRECISION_FLOOR);
  return Math.min(MAX_ROUNDING_RATE, target / tol);
}

/** The smallest penalty weight of a coordinate the penalty acts on (not fixed, π > 0); 0 when none. */
function weakestPenalty(problem: Pick<LogisticProblem, 'penaltyWeight' | 'fixed'>): number {
  let least = Number.POSITIVE_INFINITY;
  problem.penaltyWeight.forEach((p, i) => {
    if (p > 0 && problem.fixed[i] !== 1 && p < least) least = p;
  });
  return Number.isFinite(least) ? least : 0;
}

/**
 * Whether a fit of a path should start by taking a Hessian at its (predicted) starting point,
 * though its own steps alone would not pay for one: the last fit made `stalePasses` gradient
 * passes on a curvature from an earlier fit (NaN when it took a fresh one), and a fresh
 * curvature serves this fit and the `laterFits` after it twice over: its steps converge fast
 * and the path's tangent, solved with it, predicts the next starting points far better. It pays
 * when what those fits save (each down to {@link FRESH_FIT_PASSES}, as the last one's passes
 * suggest they would take otherwise) is {@link PATH_REFRESH_MARGIN} times the curvature's cost
 * (Hessian and factorisation, in gradient passes), counting at most {@link PATH_REFRESH_HORIZON}
 * fits. A single fit (no later fits) never does.
 *
 * Measured (fold 0's 12-C path, tol 1e-8): the benchmark's LW (100,000 × 128) took 51 gradient
 * passes and 1 Hessian, its fits 5-6 passes each at a quasi-Newton rate of 0.05-0.1; the rule
 * takes a Hessian at the third C, after which the fits take 1-4 passes (38 and 2). Two-worker
 * searches (interleaved): LW 2.12-2.61 → 1.98-2.09 s; independent sets b200x32 1.25-1.33 →
 * 1.11-1.16 s, imbalanced 200,000 × 32 1.42-1.47 → 1.31-1.35 s, 100,000 × 128 collinear 2.10-2.46
 * → 2.03-2.15 s; the same best C. A margin of 1 took more Hessians for no fewer passes overall.
 * @example
 * ```ts
 * pathRefreshPays(9, 6, 12.1); // true: 8 fits (of 10) × 4 passes saved > 2 × 12.1
 * ```
 */
export function pathRefreshPays(laterFits: number, stalePasses: number, curvatureCost: number): boolean {
  if (laterFits < 1 || !Number.isFinite(stalePasses)) return false;
  return Math.min(laterFits + 1, PATH_REFRESH_HORIZON) * (stalePasses - FRESH_FIT_PASSES) > PATH_REFRESH_MARGIN * curvatureCost;
}

/**
 * What one Newton sweep costs in gradient passes, for k outputs over D = d + 1 columns.
 * Binary: the gradient pass reads each row once (bound by memory, O(D) a row) and the Hessian
 * adds a Gram product (bound by arithmetic, O(D²) a row), so the ratio grows with D; measured
 * on this machine's wasm kernels over kept rows of 5,000,000 values: 2.0 at D = 9, 3.2 at 33,
 * 5.8 at 65, 12.1 at 129, 29.9 at 257, which 1 + 0.06·D + 0.0002·D² follows (at least 3: below
 * 33 columns a row's fixed costs dominate and 3 took the fewest passes). With the constant 3 it
 * replaced, 100,000 × 128 took 189 gradient passes and 16 Hessians for 60 fits, with this 249 and
 * 5 (the factor's quasi-Newton corrections do the rest): 5 × 12 fits on sets the benchmark
 * never uses, 40,000-100,000 rows × 64-256 columns, 3-23% faster, 32 columns and fewer unchanged.
 * A multinomial gradient pass is O(k·D) per row and the Hessian O(k²·D²) more.
 * The multinomial ratio overstates today's sweeps (about 12× on 80,000 × 32 with 10 classes and
 * 15× on digits since the Hessian reads upper tiles only) on purpose: set to the measured ratio,
 * the sampled-Hessian path took a Hessian at almost every step, whose steps are not quadratic
 * (80,000 × 32: 198 → 533 Hessian passes, 16 → 26 s); digits' steps did not change. That was
 * with a sampled Hessian's steps counted as quadratic; they are now counted as linear (see
 * wantFreshCurvature), and with 60 rows per unknown a sampled sweep of 80,000 × 32 × 10 costs
 * ~6.5 gradient passes, close to what this ratio says (1 + 24.2 / 4); it was not tuned again.
 */
export function hessianCostRatio(k: number, D: number): number {
  if (k > 1) return 1 + ((k + 1) * D) / 15;
  return Math.max(BINARY_HESSIAN_MIN_RATIO, 1 + BINARY_HESSIAN_PER_COLUMN * D + BINARY_HESSIAN_PER_PAIR * D * D);
}

/** The binary ratio's fit (see {@link hessianCostRatio}): its floor, and its terms per column and per column squared. */
const BINARY_HESSIAN_MIN_RATIO = 3;
const BINARY_HESSIAN_PER_COLUMN = 0.06;
const BINARY_HESSIAN_PER_PAIR = 2e-4;

/**
 * What a Hessian pass over `problem` costs in gradient passes, as the solver counts it: a sampled
 * Hessian costs its fraction of a full one, on top of the gradient pass.
 */
export function hessianPassCost(problem: Pick<LogisticProblem, 'k' | 'd' | 'hessianFraction'>): number {
  return 1 + (hessianCostRatio(problem.k, problem.d + 1) - 1) * problem.hessianFraction;
}

/**
 * What factoring the K×K curvature costs in gradient passes over n rows: K³/3 multiply-adds
 * against about 2·n·K for a pass (margins and gradient). Digits' 650 unknowns over 1,437 rows:
 * 49; 100,000 × 32 binary: 0.001.
 */
export function factorCostRatio(K: number, n: number): number {
  return (K * K) / (6 * Math.max(1, n));
}

/**
 * How far to move along dx/dλ (taken at `from`) to predict the solution at `to`, when the path
 * is taken as linear in λ^power: power 1 (linear in λ), 0 (in log λ), −1 (in C = 1/λ).
 */
export function tangentLength(power: number, from: number, to: number): number {
  if (power === 0) return from * Math.log(to / from);
  return (to ** power - from ** power) / (power * from ** (power - 1));
}

/**
 * The power of λ (−1, 0 or 1: see {@link tangentLength}) whose tangent step from the previous
 * solution (at `previousLambda`, tangent `previousStep` = dx/dλ there) lands nearest the current
 * one, `x` at `lambda`: the path is taken to keep bending that way for the next step.
 * @example
 * ```ts
 * bestPathPower(Float64Array.of(1), Float64Array.of(-0.01), 100, Float64Array.of(2), 50); // -1: x ∝ 1/λ
 * ```
 */
export function bestPathPower(previousX: Float64Array, previousStep: Float64Array, previousLambda: number, x: Float64Array, lambda: number): number {
  let best = 0;
  let bestError = Number.POSITIVE_INFINITY;
  for (const power of PATH_POWERS) {
    const h = tangentLength(power, previousLambda, lambda);
    let error = 0;
    for (let i = 0; i < x.length; i++) {
      const e = previousX[i]! + h * previousStep[i]! - x[i]!;
      error += e * e;
    }
    if (error < bestError) {
      best = power;
      bestError = error;
    }
  }
  return best;
}

const PATH_POWERS = [-1, 0, 1] as const;

/** Passes (gradient evaluations) until the error after a step is ≤ target, from `error` at rate `rate`. */
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
