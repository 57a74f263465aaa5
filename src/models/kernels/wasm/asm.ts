/**
 * A tiny WebAssembly assembler: just the instructions memgrid's SIMD kernels use
 * (wasm/module.ts), so the module's bytes are produced by code in this repository at run
 * time, with no tool at build or run time. Every opcode, section id and type code is a named
 * constant below, spelled as the WebAssembly core specification (binary format, §5) and the
 * fixed-width SIMD proposal's opcode table spell it.
 */

/** Value types (§5.3.1). */
export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;
/** The empty block type: a block, loop or if that takes and leaves nothing (§5.4.1). */
const BLOCK_EMPTY = 0x40;
/** The function type constructor (§5.3.6). */
const FUNC_TYPE = 0x60;

/** Section ids (§5.5.2). */
const SECTION = { type: 1, import: 2, function: 3, export: 7, code: 10 } as const;
/** Import and export descriptor kinds (§5.5.5, §5.5.10). */
const EXTERNAL = { func: 0x00, memory: 0x02 } as const;
/** Limits with a minimum only (§5.3.7). */
const LIMITS_MIN_ONLY = 0x00;
/** `\0asm` and version 1 (§5.5.16). */
const MODULE_HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00] as const;

/** Core instruction opcodes (§5.4). */
const OP = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, br_if: 0x0d, return: 0x0f,
  local_get: 0x20, local_set: 0x21, local_tee: 0x22,
  i32_const: 0x41, f64_const: 0x44, i32_eqz: 0x45, i32_lt_s: 0x48, i32_lt_u: 0x49, i32_gt_u: 0x4b, i32_ge_u: 0x4f,
  i32_add: 0x6a, i32_sub: 0x6b, i32_mul: 0x6c, i32_shl: 0x74,
  f64_load: 0x2b, f64_store: 0x39, f64_gt: 0x64, f64_sqrt: 0x9f, f64_add: 0xa0, f64_sub: 0xa1, f64_mul: 0xa2, f64_div: 0xa3,
  i32_load: 0x28, i32_eq: 0x46, i32_and: 0x71, i32_shr_s: 0x75, select: 0x1b,
  f64_lt: 0x63, f64_nearest: 0x9e, f64_max: 0xa5, f64_convert_i32_u: 0xb8, f64_reinterpret_i64: 0xbf,
  f64_ne: 0x62, f64_ge: 0x66, f64_abs: 0x99, f64_neg: 0x9a,
  i64_const: 0x42, i64_shl: 0x86, i64_extend_i32_s: 0xac, i64_shr_u: 0x88, i32_wrap_i64: 0xa7, i64_reinterpret_f64: 0xbd,
  i64_add: 0x7c, f64_eq: 0x61, f64_convert_i32_s: 0xb7, i32_or: 0x72, i32_xor: 0x73, i32_gt_s: 0x4a,
  /** Prefix of the saturating float-to-int conversions (non-trapping float-to-int proposal). */
  sat: 0xfc,
  /** Prefix of every SIMD instruction; the SIMD opcode follows as a LEB128. */
  simd: 0xfd,
} as const;

/** i32.trunc_sat_f64_s after the 0xfc prefix: NaN gives 0 and out-of-range values saturate, never trap. */
const SAT_I32_TRUNC_F64_S = 0x02;

/** SIMD opcodes after the 0xfd prefix (fixed-width SIMD proposal). */
const SIMD = {
  v128_load: 0x00, v128_load64_splat: 0x0a, v128_store: 0x0b, v128_const: 0x0c,
  f64x2_extract_lane: 0x21, f64x2_add: 0xf0, f64x2_sub: 0xf1, f64x2_mul: 0xf2,
  i32x4_extract_lane: 0x1b, f64x2_splat: 0x14, f64x2_replace_lane: 0x22, f64x2_lt: 0x49, v128_bitselect: 0x52,
  f64x2_nearest: 0x94, f64x2_trunc: 0x7a, i32x4_shr_s: 0xac, i64x2_shl: 0xcb,
  f64x2_max: 0xf5, f64x2_pmax: 0xf7,
  f64x2_gt: 0x4a, f64x2_ge: 0x4c, f64x2_abs: 0xec, f64x2_neg: 0xed, f64x2_div: 0xf3,
  v128_load32_splat: 0x09, i8x16_shuffle: 0x0d, f32x4_add: 0xe4, f32x4_mul: 0xe6,
  f32x4_demote_f64x2_zero: 0x5e, f64x2_promote_low_f32x4: 0x5f,
} as const;

/** log2 of the alignment hint memgrid's loads and stores give: 8 bytes (rows are f64-aligned). */
const ALIGN_F64 = 3;
/** log2 of the alignment hint of a 4-byte splat: its natural alignment, the most the format allows. */
const ALIGN_F32 = 2;

/** Unsigned LEB128. */
function uleb(out: number[], v: number): void {
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
}

/** Signed LEB128 (i32 range). */
function sleb(out: number[], v: number): void {
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) { out.push(b); return; }
    out.push(b | 0x80);
  }
}

/** A name: its length, then its (ASCII) bytes. */
function str(out: number[], s: string): void {
  uleb(out, s.length);
  for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i));
}

/**
 * A function body under construction: parameters are i32, locals are declared as they are
 * asked for, and each method appends one instruction (named as the WAT text format names it).
 * @example
 * ```ts
 * const f = new Fn(1);                     // (func (param i32) ...)
 * const i = f.local(I32);
 * f.get(0).i32(1).add().set(i);             // local.get 0  i32.const 1  i32.add  local.set 1
 * ```
 */
export class Fn {
  readonly code: number[] = [];
  private readonly extra: number[] = [];
  /** `result`: the value type the function returns (I32), or none. */
  constructor(readonly nParams: number, readonly result?: number) {}
  /** A new local of type t; returns its index. */
  local(t: number): number { this.extra.push(t); return this.nParams + this.extra.length - 1; }
  /** local.get i */
  get(i: number): this { this.code.push(OP.local_get); uleb(this.code, i); return this; }
  /** local.set i */
  set(i: number): this { this.code.push(OP.local_set); uleb(this.code, i); return this; }
  /** local.tee i */
  tee(i: number): this { this.code.push(OP.local_tee); uleb(this.code, i); return this; }
  /** i32.const v */
  i32(v: number): this { this.code.push(OP.i32_const); sleb(this.code, v); return this; }
  /** i32.add */
  add(): this { return this.op(OP.i32_add); }
  /** i32.sub */
  sub(): this { return this.op(OP.i32_sub); }
  /** i32.mul */
  mul(): this { return this.op(OP.i32_mul); }
  /** i32.shl */
  shl(): this { return this.op(OP.i32_shl); }
  /** i32.lt_u */
  ltU(): this { return this.op(OP.i32_lt_u); }
  /** i32.lt_s */
  ltS(): this { return this.op(OP.i32_lt_s); }
  /** i32.eqz */
  eqz(): this { return this.op(OP.i32_eqz); }
  /** loop (no params, no results) */
  loop(): this { return this.op(OP.loop, BLOCK_EMPTY); }
  /** block (no params, no results) */
  block(): this { return this.op(OP.block, BLOCK_EMPTY); }
  /** br depth */
  br(depth: number): this { this.code.push(OP.br); uleb(this.code, depth); return this; }
  /** i32.gt_u */
  gtU(): this { return this.op(OP.i32_gt_u); }
  /** i32.ge_u */
  geU(): this { return this.op(OP.i32_ge_u); }
  /** f64.const v */
  f64(v: number): this {
    this.code.push(OP.f64_const);
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, v, true); // IEEE 754 binary64, little-endian (§5.2.3)
    for (let i = 0; i < 8; i++) this.code.push(view.getUint8(i));
    return this;
  }
  /** f64.sub (scalar) */
  sub64(): this { return this.op(OP.f64_sub); }
  /** f64.mul (scalar) */
  mul64(): this { return this.op(OP.f64_mul); }
  /** f64.div (scalar) */
  div64(): this { return this.op(OP.f64_div); }
  /** f64.sqrt (scalar) */
  sqrt64(): this { return this.op(OP.f64_sqrt); }
  /** f64.gt (scalar) */
  gt64(): this { return this.op(OP.f64_gt); }
  /** if (no results) */
  if(): this { return this.op(OP.if, BLOCK_EMPTY); }
  /** if (result i32) */
  ifI32(): this { return this.op(OP.if, I32); }
  /** else */
  else(): this { return this.op(OP.else); }
  /** end */
  end(): this { return this.op(OP.end); }
  /** return */
  ret(): this { return this.op(OP.return); }
  /** br_if depth */
  brIf(depth: number): this { this.code.push(OP.br_if); uleb(this.code, depth); return this; }
  /** v128.load offset=… align=8 */
  vload(offset: number): this { return this.mem(SIMD.v128_load, offset); }
  /** v128.store offset=… align=8 */
  vstore(offset: number): this { return this.mem(SIMD.v128_store, offset); }
  /** v128.load64_splat offset=… align=8 */
  splat64(offset: number): this { return this.mem(SIMD.v128_load64_splat, offset); }
  /** v128.load32_splat offset=… align=4 */
  splat32(offset: number): this { this.simd(SIMD.v128_load32_splat); uleb(this.code, ALIGN_F32); uleb(this.code, offset); return this; }
  /** f32x4.add */
  f32add(): this { return this.simd(SIMD.f32x4_add); }
  /** f32x4.mul */
  f32mul(): this { return this.simd(SIMD.f32x4_mul); }
  /** f32x4.demote_f64x2_zero: the two f64 lanes rounded to f32 in lanes 0 and 1, lanes 2 and 3 zero */
  demote(): this { return this.simd(SIMD.f32x4_demote_f64x2_zero); }
  /** f64x2.promote_low_f32x4: f32 lanes 0 and 1, exactly, as two f64 lanes */
  promoteLow(): this { return this.simd(SIMD.f64x2_promote_low_f32x4); }
  /** i8x16.shuffle with the sixteen byte indices `lanes` (0-15: the first operand's bytes, 16-31: the second's) */
  shuffle(lanes: readonly number[]): this {
    if (lanes.length !== 16 || !lanes.every((b) => Number.isInteger(b) && b >= 0 && b < 32)) throw new RangeError(`i8x16.shuffle needs 16 byte indices 0-31, found ${lanes.join(',')}`);
    this.simd(SIMD.i8x16_shuffle);
    this.code.push(...lanes);
    return this;
  }
  /** v128.const 0 (sixteen zero bytes) */
  vzero(): this { this.simd(SIMD.v128_const); for (let i = 0; i < 16; i++) this.code.push(0); return this; }
  /** f64x2.add */
  fadd(): this { return this.simd(SIMD.f64x2_add); }
  /** f64x2.extract_lane lane */
  lane(lane: 0 | 1): this { this.simd(SIMD.f64x2_extract_lane); this.code.push(lane); return this; }
  /** f64.add (scalar) */
  add64(): this { return this.op(OP.f64_add); }
  /** f64.load offset=… align=8 (scalar) */
  load64(offset: number): this { this.code.push(OP.f64_load); uleb(this.code, ALIGN_F64); uleb(this.code, offset); return this; }
  /** f64.store offset=… align=8 (scalar) */
  store64(offset: number): this { this.code.push(OP.f64_store); uleb(this.code, ALIGN_F64); uleb(this.code, offset); return this; }
  /** f64x2.sub */
  fsub(): this { return this.simd(SIMD.f64x2_sub); }
  /** f64x2.mul */
  fmul(): this { return this.simd(SIMD.f64x2_mul); }
  /** i32.load offset=… align=4 */
  load32(offset: number): this { this.code.push(OP.i32_load); uleb(this.code, 2); uleb(this.code, offset); return this; }
  /** i32.eq */
  eq(): this { return this.op(OP.i32_eq); }
  /** i32.and */
  and(): this { return this.op(OP.i32_and); }
  /** i32.shr_s */
  shrS(): this { return this.op(OP.i32_shr_s); }
  /** select: the first operand when the i32 condition on top is non-zero, else the second */
  select(): this { return this.op(OP.select); }
  /** f64.lt (scalar) */
  lt64(): this { return this.op(OP.f64_lt); }
  /** f64.ge (scalar) */
  ge64(): this { return this.op(OP.f64_ge); }
  /** f64.ne */
  ne64(): this { return this.op(OP.f64_ne); }
  /** f64.abs */
  abs64(): this { return this.op(OP.f64_abs); }
  /** f64.neg */
  neg64(): this { return this.op(OP.f64_neg); }
  /** f64.nearest: round half to even (scalar) */
  nearest64(): this { return this.op(OP.f64_nearest); }
  /** f64.max (scalar; NaN if either is) */
  max64(): this { return this.op(OP.f64_max); }
  /** f64.convert_i32_u */
  fromU32(): this { return this.op(OP.f64_convert_i32_u); }
  /** i32.trunc_sat_f64_s: toward zero, saturating, NaN → 0 */
  truncSat(): this { this.code.push(OP.sat); uleb(this.code, SAT_I32_TRUNC_F64_S); return this; }
  /** 2^k as an f64 for the i32 k on the stack (−1022 ≤ k ≤ 1023): (k + 1023) << 52, reinterpreted. */
  pow2(): this {
    this.i32(1023).add().op(OP.i64_extend_i32_s);
    this.code.push(OP.i64_const); sleb(this.code, 52);
    return this.op(OP.i64_shl, OP.f64_reinterpret_i64);
  }
  /**
   * The exponent of the f64 on the stack as an i32: its biased exponent field − 1023 (⌊log2 x⌋
   * for a positive normal x; 1024 for NaN and ±∞). The sign bit must be 0.
   */
  exponent64(): this {
    this.op(OP.i64_reinterpret_f64);
    this.code.push(OP.i64_const); sleb(this.code, 52);
    return this.op(OP.i64_shr_u, OP.i32_wrap_i64).i32(1023).sub();
  }
  /** The high 32 bits (sign, exponent, top of the mantissa) of the f64 on the stack, as an i32: fdlibm's GET_HIGH_WORD. */
  highWord(): this {
    this.op(OP.i64_reinterpret_f64);
    this.code.push(OP.i64_const); sleb(this.code, 32);
    return this.op(OP.i64_shr_u, OP.i32_wrap_i64);
  }
  /** The low 32 bits of the f64 on the stack, as an i32: fdlibm's GET_LOW_WORD. */
  lowWord(): this { return this.op(OP.i64_reinterpret_f64, OP.i32_wrap_i64); }
  /**
   * Pushes the f64 local x with `delta` (an i32 local) added to its high word, its low word
   * kept: fdlibm's SET_HIGH_WORD(x, hi) as x's bits + ((hi − GET_HIGH_WORD(x)) << 32).
   */
  addToHighWord(x: number, delta: number): this {
    this.get(x).op(OP.i64_reinterpret_f64).get(delta).op(OP.i64_extend_i32_s);
    this.code.push(OP.i64_const); sleb(this.code, 32);
    return this.op(OP.i64_shl, OP.i64_add, OP.f64_reinterpret_i64);
  }
  /** f64.eq (scalar) */
  eq64(): this { return this.op(OP.f64_eq); }
  /** f64.convert_i32_s */
  fromS32(): this { return this.op(OP.f64_convert_i32_s); }
  /** i32.or */
  or(): this { return this.op(OP.i32_or); }
  /** i32.xor */
  xor(): this { return this.op(OP.i32_xor); }
  /** i32.gt_s */
  gtS(): this { return this.op(OP.i32_gt_s); }
  /** f64x2.splat of the f64 on the stack */
  splatF(): this { return this.simd(SIMD.f64x2_splat); }
  /** f64x2.replace_lane lane (the f64 on top replaces it) */
  replaceLane(lane: 0 | 1): this { this.simd(SIMD.f64x2_replace_lane); this.code.push(lane); return this; }
  /** i32x4.extract_lane lane */
  laneI32(lane: 0 | 1 | 2 | 3): this { this.simd(SIMD.i32x4_extract_lane); this.code.push(lane); return this; }
  /** f64x2.lt: all ones in each lane where a < b */
  fltMask(): this { return this.simd(SIMD.f64x2_lt); }
  /** f64x2.gt: all ones in each lane where a > b */
  fgtMask(): this { return this.simd(SIMD.f64x2_gt); }
  /** f64x2.ge: all ones in each lane where a ≥ b */
  fgeMask(): this { return this.simd(SIMD.f64x2_ge); }
  /** f64x2.abs */
  fabs(): this { return this.simd(SIMD.f64x2_abs); }
  /** f64x2.neg */
  fneg(): this { return this.simd(SIMD.f64x2_neg); }
  /** f64x2.div */
  fdiv(): this { return this.simd(SIMD.f64x2_div); }
  /** v128.bitselect(a, b, mask): a where the mask is 1, b elsewhere */
  bitselect(): this { return this.simd(SIMD.v128_bitselect); }
  /** f64x2.trunc: toward zero */
  ftrunc(): this { return this.simd(SIMD.f64x2_trunc); }
  /** f64x2.nearest */
  fnearest(): this { return this.simd(SIMD.f64x2_nearest); }
  /** f64x2.max */
  fmax(): this { return this.simd(SIMD.f64x2_max); }
  /** f64x2.pmax: b > a ? b : a per lane, one maxpd (f64x2.max must order NaN and signed zeros: several instructions). */
  pmax(): this { return this.simd(SIMD.f64x2_pmax); }
  /** i32x4.shr_s by the i32 on top */
  shrSI32x4(): this { return this.simd(SIMD.i32x4_shr_s); }
  /** i64x2.shl by the i32 on top */
  shlI64x2(): this { return this.simd(SIMD.i64x2_shl); }
  /** local i = local i + c */
  inc(i: number, c: number): this { return this.get(i).i32(c).add().set(i); }
  /** local i = local i + local by */
  incBy(i: number, by: number): this { return this.get(i).get(by).add().set(i); }

  /** The function's code-section entry: its byte size, local declarations, code and `end`. */
  bytes(): number[] {
    const out: number[] = [];
    // Locals are declared as runs of one type.
    const runs: [number, number][] = [];
    for (const t of this.extra) {
      const last = runs[runs.length - 1];
      if (last !== undefined && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    uleb(out, runs.length);
    for (const [n, t] of runs) { uleb(out, n); out.push(t); }
    out.push(...this.code, OP.end);
    const body: number[] = [];
    uleb(body, out.length);
    body.push(...out);
    return body;
  }

  private op(...b: number[]): this { this.code.push(...b); return this; }
  private simd(op: number): this { this.code.push(OP.simd); uleb(this.code, op); return this; }
  private mem(op: number, offset: number): this {
    this.simd(op); uleb(this.code, ALIGN_F64); uleb(this.code, offset); return this;
  }
}

/** Appends a module section: its id, byte length and content. */
function section(out: number[], id: number, content: number[]): void {
  out.push(id);
  uleb(out, content.length);
  out.push(...content);
}

/**
 * A module's bytes: header, then the type, import (one memory, `env.mem`), function, export
 * and code sections for `fns` (each exported under its name; every parameter is an i32; a
 * function returns its `result` type, or nothing).
 * @example
 * ```ts
 * const bytes = moduleBytes([['gram', emitGram()]]);
 * ```
 */
export function moduleBytes(fns: readonly (readonly [string, Fn])[]): Uint8Array {
  const out: number[] = [...MODULE_HEADER];
  const types: number[] = [];
  uleb(types, fns.length);
  for (const [, fn] of fns) {
    types.push(FUNC_TYPE);
    uleb(types, fn.nParams);
    for (let i = 0; i < fn.nParams; i++) types.push(I32);
    if (fn.result === undefined) uleb(types, 0);
    else types.push(1, fn.result);
  }
  section(out, SECTION.type, types);
  const imports: number[] = [];
  uleb(imports, 1);
  str(imports, 'env'); str(imports, 'mem');
  imports.push(EXTERNAL.memory, LIMITS_MIN_ONLY);
  uleb(imports, 1); // at least one 64 KiB page
  section(out, SECTION.import, imports);
  const funcs: number[] = [];
  uleb(funcs, fns.length);
  fns.forEach((_, i) => uleb(funcs, i)); // function i has type i
  section(out, SECTION.function, funcs);
  const exports: number[] = [];
  uleb(exports, fns.length);
  fns.forEach(([name], i) => { str(exports, name); exports.push(EXTERNAL.func); uleb(exports, i); });
  section(out, SECTION.export, exports);
  const code: number[] = [];
  uleb(code, fns.length);
  for (const [, fn] of fns) code.push(...fn.bytes());
  section(out, SECTION.code, code);
  return Uint8Array.from(out);
}
