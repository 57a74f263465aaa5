/**
 * fast-math.ts's exp, log1pUnit and fastLog in wasm: the same constants, the same operations in
 * the same order, so the wasm sweeps (softmax-module.ts, logit-module.ts) give their bits; exp
 * on one lane or two (f64x2).
 */
import type { Fn } from './asm.js';
import { EXP_TABLE_LOW, INV_LN2_32, LN2_32_HI, LN2_32_LO, LN2_HI, LN2_LO, LOG_STEPS } from '../fast-math.js';

/** The Taylor coefficients of fastExp's e^r, innermost first: 1/720, then these in turn. */
const EXP_HORNER = [1 / 120, 1 / 24, 1 / 6, 1 / 2, 1, 1] as const;

/**
 * Pushes fastExp(x) for the f64 local x, the same operations in the same order (0 below
 * EXP_TABLE_LOW, where fastExp defers to Math.exp's subnormals); `tab` holds the byte address of
 * the 32-entry table 2^(j/32); mf, rr (f64) and mi (i32) are scratch locals.
 */
export function pushFastExp(f: Fn, x: number, tab: number, scratch: { mf: number; rr: number; mi: number }): void {
  const { mf, rr, mi } = scratch;
  f.get(x).f64(INV_LN2_32).mul64().nearest64().set(mf);
  f.get(x).get(mf).f64(LN2_32_HI).mul64().sub64().get(mf).f64(LN2_32_LO).mul64().sub64().set(rr);
  f.get(mf).truncSat().set(mi);
  f.f64(1 / 720);
  for (const coefficient of EXP_HORNER) f.get(rr).mul64().f64(coefficient).add64();
  f.get(tab).get(mi).i32(31).and().i32(3).shl().add().load64(0).mul64();
  f.get(mi).i32(5).shrS().pow2().mul64();
  f.f64(0).get(x).f64(EXP_TABLE_LOW).lt64().eqz().select();
}

/**
 * Pushes fastExp of both lanes of the v128 local x (f64x2), each lane by the operations of
 * {@link pushFastExp} in the same order; the table is read lane by lane. mf, rr, mi, e are
 * scratch v128 locals.
 */
export function pushFastExpPair(f: Fn, x: number, tab: number, scratch: { mf: number; rr: number; mi: number; e: number }): void {
  const { mf, rr, mi, e } = scratch;
  f.get(x).f64(INV_LN2_32).splatF().fmul().fnearest().set(mf);
  f.get(x).get(mf).f64(LN2_32_HI).splatF().fmul().fsub().get(mf).f64(LN2_32_LO).splatF().fmul().fsub().set(rr);
  f.get(mf).truncSatPair().set(mi);
  f.f64(1 / 720).splatF();
  for (const coefficient of EXP_HORNER) f.get(rr).fmul().f64(coefficient).splatF().fadd();
  f.get(tab).get(mi).laneI32(0).i32(31).and().i32(3).shl().add().load64(0).splatF();
  f.get(tab).get(mi).laneI32(1).i32(31).and().i32(3).shl().add().load64(0).replaceLane(1);
  f.fmul();
  // 2^k per lane: (k + 1023) << 52 as an f64's bits.
  f.get(mi).i32(5).shrSI32x4().i32(1023).splatI32().addI32x4().extendLowI64x2().i32(52).shlI64x2();
  f.fmul().set(e);
  f.vzero().get(e).get(x).f64(EXP_TABLE_LOW).splatF().fltMask().bitselect();
}

/**
 * Pushes log1pUnit(x) for the f64 local x in [0, 1], its operations in order: i = ⌊256x⌋,
 * f = (x − i/256)·inv[i], nodes[i] + (f − f²(1/2 − f/3) − f⁴(1/4 − f/5 + f²/6)); `tlog` and `tinv`
 * hold the byte addresses of the tables log1p(i/256) and 1/(1 + i/256); li (i32), lf and f2
 * (f64) are scratch locals.
 */
export function pushLog1pUnit(f: Fn, x: number, tlog: number, tinv: number, scratch: { li: number; lf: number; f2: number }): void {
  const { li, lf, f2 } = scratch;
  f.get(x).f64(LOG_STEPS).mul64().truncSat().set(li);
  // i/256 as i·(1/256): a power of two, so the same bits as fast-math.ts's division.
  f.get(x).get(li).fromU32().f64(1 / LOG_STEPS).mul64().sub64();
  f.get(tinv).get(li).i32(3).shl().add().load64(0).mul64().set(lf);
  f.get(lf).get(lf).mul64().set(f2);
  f.get(tlog).get(li).i32(3).shl().add().load64(0); // nodes[i], added last
  f.get(lf).get(f2).f64(1 / 2).get(lf).f64(1 / 3).mul64().sub64().mul64().sub64();
  f.get(f2).get(f2).mul64().f64(1 / 4).get(lf).f64(1 / 5).mul64().sub64().get(f2).f64(1 / 6).mul64().add64().mul64().sub64();
  f.add64();
}

/**
 * Pushes fastLog(x) for the f64 local x ≥ 1 (or NaN, which gives NaN), its operations in order:
 * x = m·2^e with m in [1, 2) (e from x's exponent field and m = x·2^−e, both exact: the m and e
 * fastLog's halvings reach, without their data-dependent branches), then
 * e·LN2_HI + (log1pUnit(m − 1) + e·LN2_LO). ei (i32), e, mx (f64), li (i32), lf and f2 (f64)
 * are scratch locals.
 */
export function pushFastLog(
  f: Fn, x: number, tlog: number, tinv: number,
  scratch: { ei: number; e: number; mx: number; li: number; lf: number; f2: number },
): void {
  const { ei, e, mx } = scratch;
  f.get(x).exponent64().set(ei);
  f.get(ei).fromU32().set(e);
  f.get(x).i32(0).get(ei).sub().pow2().mul64().f64(1).sub64().set(mx);
  f.get(e).f64(LN2_HI).mul64();
  pushLog1pUnit(f, mx, tlog, tinv, scratch);
  f.get(e).f64(LN2_LO).mul64().add64();
  f.add64();
}
