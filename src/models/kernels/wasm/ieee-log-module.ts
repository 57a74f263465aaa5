/**
 * `Math.log` in wasm, to the bit: V8 computes Math.log with fdlibm's `__ieee754_log` (its
 * src/base/ieee754.cc), and this emits the same algorithm, the same constants and the same
 * operations in the same order, so a wasm loop can take logs that equal JavaScript's (a test
 * holds them bit for bit over millions of values and the special cases). Why: the binary scores'
 * loop (binary-scores-module.ts) spends half its time in `Math.log`, a call out of compiled code
 * per row and model, and its scores must stay those of the plain route, which takes Math.log.
 */
import { F64, I32, type Fn } from './asm.js';

const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const TWO54 = 1.80143985094819840000e16;
/** fdlibm's Lg1 .. Lg7: log(1+f) = f − s·(f − R(s²)) with R's minimax polynomial. */
const LG = [
  6.666666666666735130e-1, 3.999999999940941908e-1, 2.857142874366239149e-1, 2.222219843214978396e-1,
  1.818357216161805012e-1, 1.531383769920937332e-1, 1.479819860511658591e-1,
] as const;

/** The locals {@link emitIeeeLog} works in. */
export interface LogScratch {
  readonly hx: number; readonly k: number; readonly i: number; readonly j: number; readonly delta: number;
  readonly f: number; readonly s: number; readonly z: number; readonly w: number; readonly r: number;
  readonly dk: number; readonly hfsq: number;
}

/** Declares the locals of {@link emitIeeeLog} in `fn`. */
export function logScratch(fn: Fn): LogScratch {
  const [hx, k, i, j, delta] = [fn.local(I32), fn.local(I32), fn.local(I32), fn.local(I32), fn.local(I32)];
  const [f, s, z, w, r, dk, hfsq] = [fn.local(F64), fn.local(F64), fn.local(F64), fn.local(F64), fn.local(F64), fn.local(F64), fn.local(F64)];
  return { hx, k, i, j, delta, f, s, z, w, r, dk, hfsq };
}

/**
 * Sets the f64 local `out` to log(x) for the f64 local `x` (which it overwrites), as
 * `Math.log(x)` gives it: −∞ at ±0, NaN below 0 and for NaN, x + x for +∞.
 */
export function emitIeeeLog(fn: Fn, x: number, out: number, t: LogScratch): void {
  const { hx, k, i, j, delta, f, s, z, w, r, dk, hfsq } = t;
  fn.block(); // $done: every branch below sets out, then leaves here
  fn.get(x).highWord().set(hx);
  fn.i32(0).set(k);
  fn.get(hx).i32(0x00100000).ltS().if(); // x < 2^-1022: zero, negative or subnormal
  {
    fn.get(hx).i32(0x7fffffff).and().get(x).lowWord().or().eqz().if();
    fn.f64(Number.NEGATIVE_INFINITY).set(out).br(2);
    fn.end();
    fn.get(hx).i32(0).ltS().if();
    fn.f64(Number.NaN).set(out).br(2);
    fn.end();
    fn.i32(-54).set(k);
    fn.get(x).f64(TWO54).mul64().set(x); // a subnormal, scaled up
    fn.get(x).highWord().set(hx);
  }
  fn.end();
  fn.get(hx).i32(0x7fefffff).gtS().if(); // +∞ or NaN
  fn.get(x).get(x).add64().set(out).br(1);
  fn.end();
  fn.get(k).get(hx).i32(20).shrS().i32(1023).sub().add().set(k);
  fn.get(hx).i32(0x000fffff).and().set(hx);
  fn.get(hx).i32(0x95f64).add().i32(0x100000).and().set(i);
  // x's high word becomes hx | (i ^ 0x3ff00000): x or x/2 normalised into [√2/2, √2).
  fn.get(hx).get(i).i32(0x3ff00000).xor().or().get(x).highWord().sub().set(delta);
  fn.addToHighWord(x, delta).set(x);
  fn.get(k).get(i).i32(20).shrS().add().set(k);
  fn.get(x).f64(1).sub64().set(f);
  fn.i32(0x000fffff).i32(2).get(hx).add().and().i32(3).ltS().if(); // |f| < 2^-20
  {
    fn.get(f).f64(0).eq64().if();
    fn.get(k).eqz().if();
    fn.f64(0).set(out);
    fn.else();
    fn.get(k).fromS32().set(dk);
    fn.get(dk).f64(LN2_HI).mul64().get(dk).f64(LN2_LO).mul64().add64().set(out);
    fn.end();
    fn.br(2);
    fn.end();
    fn.get(f).get(f).mul64().f64(0.5).f64(0.33333333333333333).get(f).mul64().sub64().mul64().set(r);
    fn.get(k).eqz().if();
    fn.get(f).get(r).sub64().set(out);
    fn.else();
    fn.get(k).fromS32().set(dk);
    fn.get(dk).f64(LN2_HI).mul64().get(r).get(dk).f64(LN2_LO).mul64().sub64().get(f).sub64().sub64().set(out);
    fn.end();
    fn.br(1);
  }
  fn.end();
  fn.get(f).f64(2).get(f).add64().div64().set(s);
  fn.get(k).fromS32().set(dk);
  fn.get(s).get(s).mul64().set(z);
  fn.get(hx).i32(0x6147a).sub().set(i);
  fn.get(z).get(z).mul64().set(w);
  fn.i32(0x6b851).get(hx).sub().set(j);
  // R = t2 + t1, t2 = z·(Lg1 + w·(Lg3 + w·(Lg5 + w·Lg7))), t1 = w·(Lg2 + w·(Lg4 + w·Lg6))
  fn.get(z).f64(LG[0]).get(w).f64(LG[2]).get(w).f64(LG[4]).get(w).f64(LG[6]).mul64().add64().mul64().add64().mul64().add64().mul64();
  fn.get(w).f64(LG[1]).get(w).f64(LG[3]).get(w).f64(LG[5]).mul64().add64().mul64().add64().mul64();
  fn.add64().set(r);
  fn.get(i).get(j).or().i32(0).gtS().if();
  {
    fn.f64(0.5).get(f).mul64().get(f).mul64().set(hfsq);
    fn.get(k).eqz().if();
    fn.get(f).get(hfsq).get(s).get(hfsq).get(r).add64().mul64().sub64().sub64().set(out);
    fn.else();
    fn.get(dk).f64(LN2_HI).mul64()
      .get(hfsq).get(s).get(hfsq).get(r).add64().mul64().get(dk).f64(LN2_LO).mul64().add64().sub64().get(f).sub64()
      .sub64().set(out);
    fn.end();
  }
  fn.else();
  {
    fn.get(k).eqz().if();
    fn.get(f).get(s).get(f).get(r).sub64().mul64().sub64().set(out);
    fn.else();
    fn.get(dk).f64(LN2_HI).mul64().get(s).get(f).get(r).sub64().mul64().get(dk).f64(LN2_LO).mul64().sub64().get(f).sub64().sub64().set(out);
    fn.end();
  }
  fn.end();
  fn.end(); // $done
}
