/**
 * A tiny WebAssembly assembler: just the opcodes memgrid's SIMD kernels use (see
 * wasm-gram.ts), so the module's bytes are produced by code in this repository at run time,
 * with no tool at build or run time. Reference: the WebAssembly core spec, binary format,
 * and the fixed-width SIMD proposal's opcode table.
 */

/** Value types. */
export const I32 = 0x7f;
export const V128 = 0x7b;

/** Unsigned LEB128. */
export function uleb(out: number[], v: number): void {
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
}

/** signed LEB128 (i32 range) */
function sleb(out: number[], v: number): void {
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) { out.push(b); return; }
    out.push(b | 0x80);
  }
}

/** A name: its length, then its (ASCII) bytes. */
export function str(out: number[], s: string): void {
  uleb(out, s.length);
  for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i));
}

/** A function body under construction: locals are declared up front, code appended. */
export class Fn {
  readonly code: number[] = [];
  private readonly extra: number[] = [];
  constructor(readonly nParams: number) {}
  /** A new local of type t; returns its index. */
  local(t: number): number { this.extra.push(t); return this.nParams + this.extra.length - 1; }
  get(i: number): this { this.code.push(0x20); uleb(this.code, i); return this; }
  set(i: number): this { this.code.push(0x21); uleb(this.code, i); return this; }
  tee(i: number): this { this.code.push(0x22); uleb(this.code, i); return this; }
  i32(v: number): this { this.code.push(0x41); sleb(this.code, v); return this; }
  op(...b: number[]): this { this.code.push(...b); return this; }
  add(): this { return this.op(0x6a); }
  sub(): this { return this.op(0x6b); }
  mul(): this { return this.op(0x6c); }
  ltU(): this { return this.op(0x49); }
  eqz(): this { return this.op(0x45); }
  loop(): this { return this.op(0x03, 0x40); }
  block(): this { return this.op(0x02, 0x40); }
  end(): this { return this.op(0x0b); }
  br(depth: number): this { return this.op(0x0c, depth); }
  brIf(depth: number): this { return this.op(0x0d, depth); }
  private simd(op: number): this { this.code.push(0xfd); uleb(this.code, op); return this; }
  private mem(op: number, align: number, offset: number): this {
    this.simd(op); uleb(this.code, align); uleb(this.code, offset); return this;
  }
  /** v128.load (alignment hint 2^3: rows are 8-byte aligned, 16 only when k is even) */
  vload(offset: number): this { return this.mem(0x00, 3, offset); }
  vstore(offset: number): this { return this.mem(0x0b, 3, offset); }
  splat64(offset: number): this { return this.mem(0x0a, 3, offset); }
  fadd(): this { return this.simd(0xf0); }
  fsub(): this { return this.simd(0xf1); }
  fmul(): this { return this.simd(0xf2); }
  /** local[i] += 8-or-whatever: i = i + c */
  inc(i: number, c: number): this { return this.get(i).i32(c).add().set(i); }
  incBy(i: number, by: number): this { return this.get(i).get(by).add().set(i); }
  bytes(): number[] {
    const out: number[] = [];
    // compress locals into runs of one type
    const runs: [number, number][] = [];
    for (const t of this.extra) {
      const last = runs[runs.length - 1];
      if (last !== undefined && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    uleb(out, runs.length);
    for (const [n, t] of runs) { uleb(out, n); out.push(t); }
    out.push(...this.code, 0x0b);
    const body: number[] = [];
    uleb(body, out.length);
    body.push(...out);
    return body;
  }
}

/** Appends a module section: its id, byte length and content. */
export function section(out: number[], id: number, content: number[]): void {
  out.push(id);
  uleb(out, content.length);
  out.push(...content);
}
