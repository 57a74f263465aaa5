/**
 * exp, log1p and log for the logistic kernels' per-row work, in plain arithmetic V8 inlines
 * and the wasm sweeps repeat. `Math.exp`, `Math.log1p` and `Math.log` are calls out of compiled
 * code (about 10 ns each on this machine); a binary gradient pass makes one exp and one log1p
 * per row and a softmax pass one exp per class and one log per row, so they were a third of
 * those passes. These are table-driven, accurate to about one ulp (exp: relative error ≤ 2⁻⁵¹;
 * log1p on [0, 1]: absolute error ≤ 2⁻⁵²; log from 1 up: within 2 ulp), which is far inside
 * what a log-loss sum or a line search can see.
 */

/** Sub-intervals per octave of the exp table: e^x = 2^k · 2^(j/32) · e^r, |r| ≤ ln2/64. */
const EXP_STEPS = 32;
/** ln2/32 split as fdlibm splits ln2: m·LN2_32_HI is exact for |m| < 2²¹ (|x| < 745·32/ln2 fits). */
export const LN2_32_HI = 6.93147180369123816490e-1 / EXP_STEPS;
export const LN2_32_LO = 1.90821492927058770002e-10 / EXP_STEPS;
export const INV_LN2_32 = EXP_STEPS / Math.LN2;
/** Below this, fastExp defers to Math.exp (subnormal results); the wasm sweeps (wasm/fast-math-module.ts) give 0. */
export const EXP_TABLE_LOW = -708;
/** Adding then subtracting 1.5·2⁵² rounds a double of magnitude < 2⁵¹ to the nearest integer. */
const ROUNDER = 6755399441055744;
/** Smallest and largest power of two the table holds (|x| < 709 needs k from −1022 to 1023). */
const MIN_EXPONENT = -1023;
const MAX_EXPONENT = 1023;

/** 2^(j/32), j < 32, each the double nearest (from Math.pow: within an ulp); the wasm softmax copies it into its memory. */
export const STEP_POWERS = Float64Array.from({ length: EXP_STEPS }, (_, j) => Math.pow(2, j / EXP_STEPS));
/** 2^k for k from MIN_EXPONENT to MAX_EXPONENT, exact. */
const TWO_POWERS = Float64Array.from({ length: MAX_EXPONENT - MIN_EXPONENT + 1 }, (_, i) => Math.pow(2, i + MIN_EXPONENT));

/**
 * e^x for any double, within about one ulp of `Math.exp` (which it defers to outside
 * −708 < x < 709, where results are subnormal or overflow, and for NaN).
 * @example
 * ```ts
 * fastExp(-1); // 0.36787944117144233
 * ```
 */
export function fastExp(x: number): number {
  // Near the ends of the range (subnormal results, overflow) and for NaN, ±Infinity: the library's.
  if (!(x > EXP_TABLE_LOW && x < 709)) return Math.exp(x);
  const m = x * INV_LN2_32 + ROUNDER - ROUNDER;
  const r = x - m * LN2_32_HI - m * LN2_32_LO;
  const mi = m | 0;
  // Taylor to r⁶: |r| ≤ ln2/64 leaves r⁷/7! < 4e-18.
  const p = 1 + r * (1 + r * (1 / 2 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720))))));
  return TWO_POWERS[(mi >> 5) - MIN_EXPONENT]! * (STEP_POWERS[mi & 31]! * p);
}

/** Sub-intervals of [0, 1] for log1p: log(1 + e) = log(1 + i/256) + log(1 + f), 0 ≤ f < 1/256. */
export const LOG_STEPS = 256;
/** log1p(i/256) and 1/(1 + i/256), i ≤ 256: log1pUnit's tables (the wasm sweeps copy them into their memory). */
export const LOG_NODES = Float64Array.from({ length: LOG_STEPS + 1 }, (_, i) => Math.log1p(i / LOG_STEPS));
export const NODE_INVERSES = Float64Array.from({ length: LOG_STEPS + 1 }, (_, i) => 1 / (1 + i / LOG_STEPS));

/**
 * log(1 + e) for e in [0, 1] (the log-loss's log1p(e^−|z|)), within 2⁻⁵² of `Math.log1p`.
 * Outside [0, 1] it defers to `Math.log1p`.
 * @example
 * ```ts
 * log1pUnit(1); // 0.6931471805599453
 * ```
 */
export function log1pUnit(e: number): number {
  if (!(e >= 0 && e <= 1)) return Math.log1p(e);
  const i = (e * LOG_STEPS) | 0;
  // e − i/256 is exact (Sterbenz for i ≥ 1), so f carries only the rounding of one product.
  const f = (e - i / LOG_STEPS) * NODE_INVERSES[i]!;
  // log1p(f) to f⁶ in two short chains (Estrin): f < 1/256 leaves f⁷/7 < 2e-18.
  const f2 = f * f;
  const s = f - f2 * (1 / 2 - f * (1 / 3)) - f2 * f2 * (1 / 4 - f * (1 / 5) + f2 * (1 / 6));
  return LOG_NODES[i]! + s;
}

/** ln 2 split as fdlibm splits it: e·LN2_HI is exact for the exponents fastLog meets. */
export const LN2_HI = 6.93147180369123816490e-1;
export const LN2_LO = 1.90821492927058770002e-10;

/**
 * log(x) for x ≥ 1 (a softmax row's Σ e^(z − max), between 1 and the number of classes), within
 * about 2⁻⁵¹ of `Math.log`: x = m·2^e with m in [1, 2) by halving (exact, a few halvings for
 * sums up to a few hundred), then e·ln2 + log1pUnit(m − 1). The wasm softmax
 * (wasm/softmax-module.ts) repeats these operations in order. Below 1, at +∞ and for NaN it
 * defers to `Math.log`.
 * @example
 * ```ts
 * fastLog(10); // 2.302585092994046
 * ```
 */
export function fastLog(x: number): number {
  if (!(x >= 1 && x < Infinity)) return Math.log(x);
  let m = x;
  let e = 0;
  while (m >= 2) {
    m *= 0.5;
    e += 1;
  }
  return e * LN2_HI + (log1pUnit(m - 1) + e * LN2_LO);
}
