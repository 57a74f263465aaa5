/**
 * fast-math.ts's exp, log1pUnit and fastLog in wasm: the same constants, the same operations in
 * the same order, so the wasm sweeps (softmax-module.ts, logit-module.ts) give their bits; exp
 * on one lane or two (f64x2).
 */
import { V128, type Fn } from './asm.js';
import { EXP_TABLE_LOW, INV_LN2_32, LN2_32_HI, LN2_32_LO, LN2_HI, LN2_LO, LOG_STEPS, STEP_POWERS } from '../fast-math.js';

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
 * The constants of {@link pushFastExpPair}, each loaded (splatted) once into a v128 local of
 * the function before its loops ({@link fastExpPairConstants}), from memory: splatted from
 * f64.const or v128.const where they are used, or held in locals set from those, V8 rebuilt each
 * on every turn of a loop (a scalar move and a shuffle: ~25 of an exp pair's ~110 instructions on
 * this machine); a value loaded from memory it cannot fold, and a spilled one is read as a
 * memory operand.
 */
export interface ExpPairConstants {
  readonly invLn2: number;
  readonly ln2Hi: number;
  readonly ln2Lo: number;
  /** 1/720, then EXP_HORNER's coefficients in turn. */
  readonly horner: readonly number[];
  /** {@link TO_INT_BIASED}. */
  readonly toInt: number;
  /** EXP_TABLE_LOW. */
  readonly low: number;
}

/**
 * 2^52 + 2^51 + 1023·32. Added to an integer-valued f64 m with −1023·32 ≤ m < 2^31 − 1023·32,
 * the sum is exact and its low 32 bits are m + 1023·32 in binary: the low five bits are m's
 * (the table index) and the rest is ⌊m/32⌋ + 1023, the biased exponent of 2^⌊m/32⌋.
 */
const TO_INT_BIASED = 2 ** 52 + 2 ** 51 + 1023 * 32;

/**
 * 2^52 + 2^51: added to an integer-valued f64 of magnitude below 2^31, the sum is exact and its
 * low 32 bits are that integer (two's complement): a table index without a saturating conversion.
 */
export const TO_INT = 2 ** 52 + 2 ** 51;

/**
 * The f64 constants the wasm sweeps' pair loops read, in the order they sit in memory after
 * the table: {@link pushFastExpPair}'s, then those of logit-module.ts's log1p pair.
 */
const PAIR_CONSTANTS = [...new Set([
  INV_LN2_32, LN2_32_HI, LN2_32_LO, 1 / 720, ...EXP_HORNER, TO_INT_BIASED, EXP_TABLE_LOW,
  LOG_STEPS, 1 / LOG_STEPS, TO_INT, 1 / 2, 1 / 3, 1 / 4, 1 / 5, 1 / 6,
])];

/**
 * fastExp's table as a wasm kernel's memory holds it (the `tab` of {@link pushFastExpPair}):
 * 2^(j/32) for j < 32, then the constants the pair loops read ({@link loadPairConstants}).
 */
export const EXP_TABLE = Float64Array.from([...STEP_POWERS, ...PAIR_CONSTANTS]);

/**
 * Declares a v128 local for each of `values` (constants {@link EXP_TABLE} holds) and loads the
 * value into both its lanes from the table at the byte address in the i32 local `tab`; call
 * where the function starts, outside its loops. Returns the local of each value. Why from
 * memory: see {@link ExpPairConstants}.
 */
export function loadPairConstants(f: Fn, tab: number, values: readonly number[]): ReadonlyMap<number, number> {
  const locals = new Map<number, number>();
  for (const v of values) {
    if (locals.has(v)) continue;
    const at = PAIR_CONSTANTS.indexOf(v);
    if (at < 0) throw new RangeError(`${v} is not among the wasm table's constants`);
    const local = f.local(V128);
    f.get(tab).splat64(8 * (STEP_POWERS.length + at)).set(local);
    locals.set(v, local);
  }
  return locals;
}

/** The values {@link ExpPairConstants} holds, for {@link loadPairConstants}. */
export const EXP_PAIR_VALUES: readonly number[] = [INV_LN2_32, LN2_32_HI, LN2_32_LO, 1 / 720, ...EXP_HORNER, TO_INT_BIASED, EXP_TABLE_LOW];

/**
 * {@link ExpPairConstants} from locals {@link loadPairConstants} loaded (with {@link EXP_PAIR_VALUES}
 * among its values, so that a loop's other constants share the locals of equal ones: 1 and 1/2).
 */
export function expPairConstants(held: ReadonlyMap<number, number>): ExpPairConstants {
  const local = (v: number): number => held.get(v)!;
  return {
    invLn2: local(INV_LN2_32), ln2Hi: local(LN2_32_HI), ln2Lo: local(LN2_32_LO),
    horner: [1 / 720, ...EXP_HORNER].map(local), toInt: local(TO_INT_BIASED), low: local(EXP_TABLE_LOW),
  };
}

/**
 * Declares the locals of {@link ExpPairConstants} and loads them from the table at the byte
 * address in the i32 local `tab` ({@link EXP_TABLE}); call where the function starts, outside its loops.
 */
export function fastExpPairConstants(f: Fn, tab: number): ExpPairConstants {
  return expPairConstants(loadPairConstants(f, tab, EXP_PAIR_VALUES));
}

/**
 * Pushes fastExp of both lanes of the v128 local x (f64x2), each lane by the floating-point
 * operations of {@link pushFastExp} in the same order, so the same bits; the table is read lane
 * by lane. The integer m = nearest(x·32/ln2) is read from the low bits of m + {@link TO_INT_BIASED}
 * rather than by a saturating conversion (five x64 instructions, against one addition): the low
 * five bits index the table, the rest shifted up is 2^(m >> 5)'s biased exponent. That holds for
 * x ≥ EXP_TABLE_LOW; below it both lanes give 0 as before, whatever those bits hold (every index
 * is inside the table). mf, rr, mi, e are scratch v128 locals; `k` holds the constants.
 */
export function pushFastExpPair(
  f: Fn, x: number, tab: number, scratch: { mf: number; rr: number; mi: number; e: number }, k: ExpPairConstants,
): void {
  const { mf, rr, mi, e } = scratch;
  f.get(x).get(k.invLn2).fmul().fnearest().set(mf);
  f.get(x).get(mf).get(k.ln2Hi).fmul().fsub().get(mf).get(k.ln2Lo).fmul().fsub().set(rr);
  f.get(mf).get(k.toInt).fadd().set(mi); // i32 lanes 0 and 2: m + 1023·32 of lanes 0 and 1
  f.get(k.horner[0]!);
  for (const coefficient of k.horner.slice(1)) f.get(rr).fmul().get(coefficient).fadd();
  f.get(tab).get(mi).laneI32(0).i32(31).and().i32(3).shl().add().load64(0).splatF();
  f.get(tab).get(mi).laneI32(2).i32(31).and().i32(3).shl().add().load64(0).replaceLane(1);
  f.fmul();
  // 2^(m >> 5) per lane: ((m >> 5) + 1023) << 52 as an f64's bits; the shift drops the high word.
  f.get(mi).i32(5).shrSI32x4().i32(52).shlI64x2();
  f.fmul().set(e);
  f.vzero().get(e).get(x).get(k.low).fltMask().bitselect();
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
