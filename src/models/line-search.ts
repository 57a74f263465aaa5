/**
 * The Moré–Thuente line search (MINPACK-2 `dcsrch` / `dcstep`), the one inside scipy's
 * L-BFGS-B. Reproducing it step for step is what lets memgrid's L-BFGS walk the same
 * iterates as scikit-learn's lbfgs solver and stop where it stops.
 *
 * Algorithm: J. J. Moré and D. J. Thuente, "Line search algorithms with guaranteed
 * sufficient decrease", ACM TOMS 20 (1994); MINPACK-2 (Argonne, 1993).
 */

/** What the caller must do next. */
export type SearchTask = 'FG' | 'CONVERGENCE' | 'WARNING' | 'ERROR';

const P5 = 0.5;
const P66 = 0.66;
const XTRAPL = 1.1;
const XTRAPU = 4.0;

/**
 * A reverse-communication line search on φ(stp) = f(x + stp·d): call {@link start}
 * with φ(0), φ'(0) and a first step, then evaluate φ and φ' at `stp` and call
 * {@link next} until the task is not `'FG'`.
 * @example
 * ```ts
 * const ls = new MoreThuente(1e-3, 0.9, 0.1, 0, 1e10);
 * let task = ls.start(f0, g0, 1);
 * while (task === 'FG') { const [f, g] = phi(ls.stp); task = ls.next(f, g); }
 * ```
 */
export class MoreThuente {
  /** The current trial step (read after every call). */
  stp = 0;
  private brackt = false;
  private stage = 1;
  private finit = 0;
  private ginit = 0;
  private gtest = 0;
  private stx = 0;
  private fx = 0;
  private gx = 0;
  private sty = 0;
  private fy = 0;
  private gy = 0;
  private stmin = 0;
  private stmax = 0;
  private width = 0;
  private width1 = 0;

  constructor(
    private readonly ftol: number, private readonly gtol: number, private readonly xtol: number,
    private readonly stpmin: number, private readonly stpmax: number,
  ) {}

  /** Begin a search from φ(0) = f, φ'(0) = g < 0 with first trial step `stp`. */
  start(f: number, g: number, stp: number): SearchTask {
    this.stp = stp;
    if (stp < this.stpmin || stp > this.stpmax || g >= 0) return 'ERROR';
    this.brackt = false;
    this.stage = 1;
    this.finit = f;
    this.ginit = g;
    this.gtest = this.ftol * g;
    this.width = this.stpmax - this.stpmin;
    this.width1 = this.width / P5;
    this.stx = 0; this.fx = f; this.gx = g;
    this.sty = 0; this.fy = f; this.gy = g;
    this.stmin = 0;
    this.stmax = stp + XTRAPU * stp;
    return 'FG';
  }

  /** Report φ(stp) = f and φ'(stp) = g; returns the next task (and updates `stp`). */
  next(f: number, g: number): SearchTask {
    const stp = this.stp;
    const ftest = this.finit + stp * this.gtest;
    if (this.stage === 1 && f <= ftest && g >= 0) this.stage = 2;
    if (f <= ftest && Math.abs(g) <= this.gtol * -this.ginit) return 'CONVERGENCE';
    if (this.warning(stp, f, g, ftest)) return 'WARNING';

    if (this.stage === 1 && f <= this.fx && f > ftest) {
      // Stage 1 with a lower but insufficient value: step on the modified function ψ.
      const gt = this.gtest;
      const s = dcstep(this.stx, this.fx - this.stx * gt, this.gx - gt, this.sty, this.fy - this.sty * gt,
        this.gy - gt, stp, f - stp * gt, g - gt, this.brackt, this.stmin, this.stmax);
      this.take(s);
      this.fx = s.fx + this.stx * gt; this.fy = s.fy + this.sty * gt;
      this.gx = s.dx + gt; this.gy = s.dy + gt;
    } else {
      const s = dcstep(this.stx, this.fx, this.gx, this.sty, this.fy, this.gy, stp, f, g,
        this.brackt, this.stmin, this.stmax);
      this.take(s);
      this.fx = s.fx; this.fy = s.fy; this.gx = s.dx; this.gy = s.dy;
    }
    this.narrow();
    return 'FG';
  }

  /** dcsrch's warning tests, in its order (the last one that applies wins; all stop). */
  private warning(stp: number, f: number, g: number, ftest: number): boolean {
    if (this.brackt && (stp <= this.stmin || stp >= this.stmax)) return true;
    if (this.brackt && this.stmax - this.stmin <= this.xtol * this.stmax) return true;
    if (stp === this.stpmax && f <= ftest && g <= this.gtest) return true;
    return stp === this.stpmin && (f > ftest || g >= this.gtest);
  }

  private take(s: StepResult): void {
    this.stx = s.stx; this.sty = s.sty; this.stp = s.stp; this.brackt = s.brackt;
  }

  /** Bisect if the bracket shrinks too slowly, then clamp the next trial step. */
  private narrow(): void {
    if (this.brackt) {
      if (Math.abs(this.sty - this.stx) >= P66 * this.width1) this.stp = this.stx + P5 * (this.sty - this.stx);
      this.width1 = this.width;
      this.width = Math.abs(this.sty - this.stx);
      this.stmin = Math.min(this.stx, this.sty);
      this.stmax = Math.max(this.stx, this.sty);
    } else {
      this.stmin = this.stp + XTRAPL * (this.stp - this.stx);
      this.stmax = this.stp + XTRAPU * (this.stp - this.stx);
    }
    this.stp = Math.min(Math.max(this.stp, this.stpmin), this.stpmax);
    if (this.brackt && (this.stp <= this.stmin || this.stp >= this.stmax
      || this.stmax - this.stmin <= this.xtol * this.stmax)) this.stp = this.stx;
  }
}

interface StepResult {
  stx: number; fx: number; dx: number;
  sty: number; fy: number; dy: number;
  stp: number; brackt: boolean;
}

/** MINPACK-2 `dcstep`: update the bracketing interval and choose a safeguarded new step. */
function dcstep(
  stx: number, fx: number, dx: number, sty: number, fy: number, dy: number,
  stp: number, fp: number, dp: number, brackt: boolean, stpmin: number, stpmax: number,
): StepResult {
  const sgnd = dp * (dx / Math.abs(dx));
  let stpf: number;
  if (fp > fx) {
    // A higher value: the minimum is bracketed; cubic, or halfway to the quadratic.
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const s = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = s * Math.sqrt((theta / s) ** 2 - (dx / s) * (dp / s));
    if (stp < stx) gamma = -gamma;
    const p = gamma - dx + theta;
    const q = gamma - dx + gamma + dp;
    const stpc = stx + (p / q) * (stp - stx);
    const stpq = stx + (dx / ((fx - fp) / (stp - stx) + dx) / 2) * (stp - stx);
    stpf = Math.abs(stpc - stx) < Math.abs(stpq - stx) ? stpc : stpc + (stpq - stpc) / 2;
    brackt = true;
  } else if (sgnd < 0) {
    // Lower value, derivatives of opposite sign: bracketed; cubic or secant, the farther.
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const s = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = s * Math.sqrt((theta / s) ** 2 - (dx / s) * (dp / s));
    if (stp > stx) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma - dp + gamma + dx;
    const stpc = stp + (p / q) * (stx - stp);
    const stpq = stp + (dp / (dp - dx)) * (stx - stp);
    stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
    brackt = true;
  } else if (Math.abs(dp) < Math.abs(dx)) {
    stpf = shrinkingDerivativeStep(stx, fx, dx, sty, stp, fp, dp, brackt, stpmin, stpmax);
  } else if (brackt) {
    // Derivative not shrinking, bracketed: the cubic through stp and sty.
    const theta = (3 * (fp - fy)) / (sty - stp) + dy + dp;
    const s = Math.max(Math.abs(theta), Math.abs(dy), Math.abs(dp));
    let gamma = s * Math.sqrt((theta / s) ** 2 - (dy / s) * (dp / s));
    if (stp > sty) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma - dp + gamma + dy;
    stpf = stp + (p / q) * (sty - stp);
  } else {
    stpf = stp > stx ? stpmax : stpmin;
  }

  if (fp > fx) {
    sty = stp; fy = fp; dy = dp;
  } else {
    if (sgnd < 0) { sty = stx; fy = fx; dy = dx; }
    stx = stp; fx = fp; dx = dp;
  }
  return { stx, fx, dx, sty, fy, dy, stp: stpf, brackt };
}

/** dcstep's third case: lower value, same-sign derivative of decreasing magnitude. */
function shrinkingDerivativeStep(
  stx: number, fx: number, dx: number, sty: number, stp: number, fp: number, dp: number,
  brackt: boolean, stpmin: number, stpmax: number,
): number {
  const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
  const s = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
  // gamma = 0 only when the cubic does not tend to infinity in the step's direction.
  let gamma = s * Math.sqrt(Math.max(0, (theta / s) ** 2 - (dx / s) * (dp / s)));
  if (stp > stx) gamma = -gamma;
  const p = gamma - dp + theta;
  const q = gamma + (dx - dp) + gamma;
  const r = p / q;
  let stpc: number;
  if (r < 0 && gamma !== 0) stpc = stp + r * (stx - stp);
  else stpc = stp > stx ? stpmax : stpmin;
  const stpq = stp + (dp / (dp - dx)) * (stx - stp);
  if (brackt) {
    let stpf = Math.abs(stpc - stp) < Math.abs(stpq - stp) ? stpc : stpq;
    stpf = stp > stx ? Math.min(stp + P66 * (sty - stp), stpf) : Math.max(stp + P66 * (sty - stp), stpf);
    return stpf;
  }
  const stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
  return Math.max(stpmin, Math.min(stpmax, stpf));
}
