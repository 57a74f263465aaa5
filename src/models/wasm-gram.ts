/**
 * A WebAssembly SIMD (f64x2) kernel for G += Σ_rows z zᵀ (upper triangle, or full), with the
 * wasm bytes emitted by wasm-asm.ts at run time (no tool at build or run time).
 *
 * The caller copies rows into a block buffer in the module's memory, `rows` (`capacity`
 * rows × `stride` columns, row-major, stride = d rounded up to 4, padding columns zero),
 * then `add(n)` folds the first n rows into G, which stays in wasm memory until `readInto`
 * adds it to a caller's matrix. gram-blocks.ts does this for memgrid's kernels.
 *
 * The kernel is a register-blocked GEMM micro-kernel: a 4×4 tile of G (eight f64x2
 * accumulators) stays in registers over all n rows of the block; per row it does two
 * vector loads (z_k..z_k+3), four splat loads (z_j..z_j+3), 8 f64x2 mul + 8 f64x2 add.
 * Tiles on the diagonal are computed whole, so the 4×4 blocks straddling the diagonal
 * also hold (correct) lower entries; only k ≥ j is read back unless `full`.
 *
 * One wasm module serves every d (d, n and pointers are arguments), so it is compiled once
 * per process and instantiated per kernel.
 * @example
 * ```ts
 * const k = createGramKernel(64);
 * for (let r0 = 0; r0 < n; r0 += k.capacity) {
 *   const m = Math.min(k.capacity, n - r0);
 *   for (let u = 0; u < m; u++) k.rows.set(row(r0 + u), u * k.stride);
 *   k.add(m);
 * }
 * k.readInto(stats.xtx);             // adds the upper triangle into row-major d×d
 * ```
 */

import { Fn, I32, section, str, uleb, V128 } from './wasm-asm.js';

/**
 * gram(g, l, z, n, dp, full): for 4×4 tiles (j, k) with k ≥ j (every k when full ≠ 0),
 * G[j+r][k+c] += Σ_{u<n} L[u][j+r] · Z[u][k+c]. G is dp×dp row-major at byte g; L and Z
 * are n×dp row-major at bytes l and z; dp is a multiple of 4. L = Z gives G += ZᵀZ.
 */
function emitGram(): Fn {
  const f = new Fn(6);
  const [g, l, z, n, dp, full] = [0, 1, 2, 3, 4, 5];
  const stride = f.local(I32), j = f.local(I32), k = f.local(I32), pa = f.local(I32);
  const pb = f.local(I32), u = f.local(I32);
  const gr = [f.local(I32), f.local(I32), f.local(I32), f.local(I32)];
  const acc: number[] = [];
  for (let i = 0; i < 8; i++) acc.push(f.local(V128));
  const b0 = f.local(V128), b1 = f.local(V128), s = f.local(V128);

  f.get(n).eqz().op(0x04, 0x40).op(0x0f).end(); // if (n == 0) return
  f.get(dp).i32(3).op(0x74).set(stride); // stride = dp << 3 (bytes per row)
  f.i32(0).set(j);
  f.loop(); // j loop
  {
    f.get(full).op(0x04, I32).i32(0).op(0x05).get(j).end().set(k); // k = full ? 0 : j
    f.loop(); // k loop
    {
      // gr[0] = g + (j*dp + k)*8, gr[r] = gr[r-1] + stride
      f.get(g).get(j).get(dp).mul().get(k).add().i32(3).op(0x74).add().set(gr[0]!);
      for (let r = 1; r < 4; r++) f.get(gr[r - 1]!).get(stride).add().set(gr[r]!);
      // Accumulators start at 0 and are added to G after the block: each entry's rounding
      // chain is n/B + B long instead of n (more accurate than one running sum).
      for (let i = 0; i < 8; i++) f.op(0xfd, 0x0c, ...new Array(16).fill(0)).set(acc[i]!); // v128.const 0
      f.get(l).get(j).i32(3).op(0x74).add().set(pa);
      f.get(z).get(k).i32(3).op(0x74).add().set(pb);
      f.get(n).set(u);
      f.loop(); // u loop (n ≥ 1)
      {
        f.get(pb).vload(0).set(b0);
        f.get(pb).vload(16).set(b1);
        for (let r = 0; r < 4; r++) {
          f.get(pa).splat64(8 * r).set(s);
          f.get(acc[2 * r]!).get(s).get(b0).fmul().fadd().set(acc[2 * r]!);
          f.get(acc[2 * r + 1]!).get(s).get(b1).fmul().fadd().set(acc[2 * r + 1]!);
        }
        f.incBy(pa, stride).incBy(pb, stride);
        f.get(u).i32(1).sub().tee(u).brIf(0);
      }
      f.end();
      for (let r = 0; r < 4; r++) {
        for (let c = 0; c < 2; c++) {
          f.get(gr[r]!).get(gr[r]!).vload(16 * c).get(acc[2 * r + c]!).fadd().vstore(16 * c);
        }
      }
      f.inc(k, 4).get(k).get(dp).ltU().brIf(0);
    }
    f.end();
    f.inc(j, 4).get(j).get(dp).ltU().brIf(0);
  }
  f.end();
  return f;
}

/** scale(l, z, w, n, dp): L[u][·] = w[u] · Z[u][·] for u < n (dp even). */
function emitScale(): Fn {
  const f = new Fn(5);
  const [l, z, w, n, dp] = [0, 1, 2, 3, 4];
  const end = f.local(I32), s = f.local(V128);
  f.get(n).eqz().op(0x04, 0x40).op(0x0f).end();
  f.loop();
  {
    f.get(w).splat64(0).set(s);
    f.get(z).get(dp).i32(3).op(0x74).add().set(end);
    f.loop();
    {
      f.get(l).get(z).vload(0).get(s).fmul().vstore(0);
      f.inc(l, 16).inc(z, 16);
      f.get(z).get(end).ltU().brIf(0);
    }
    f.end();
    f.inc(w, 8);
    f.get(n).i32(1).sub().tee(n).brIf(0);
  }
  f.end();
  return f;
}

/** The whole module: imports env.mem, exports gram and scale. */
export function gramModuleBytes(): Uint8Array {
  const fns: [string, Fn, number][] = [['gram', emitGram(), 6], ['scale', emitScale(), 5]];
  const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const types: number[] = [];
  uleb(types, fns.length);
  for (const [, , np] of fns) {
    types.push(0x60);
    uleb(types, np);
    for (let i = 0; i < np; i++) types.push(I32);
    types.push(0x00);
  }
  section(out, 1, types);
  const imports: number[] = [1];
  str(imports, 'env'); str(imports, 'mem'); imports.push(0x02, 0x00, 0x01); // memory, min 1 page
  section(out, 2, imports);
  const funcs: number[] = [];
  uleb(funcs, fns.length);
  fns.forEach((_, i) => uleb(funcs, i));
  section(out, 3, funcs);
  const exports: number[] = [];
  uleb(exports, fns.length);
  fns.forEach(([name], i) => { str(exports, name); exports.push(0x00); uleb(exports, i); });
  section(out, 7, exports);
  const code: number[] = [];
  uleb(code, fns.length);
  for (const [, fn] of fns) code.push(...fn.bytes());
  section(out, 10, code);
  return Uint8Array.from(out);
}

/** The few WebAssembly API pieces used (the project's lib has no DOM types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (d: { initial: number }) => { buffer: ArrayBuffer };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let cachedModule: object | undefined;

/** Compiled once per process (or per worker). */
function gramModule(): object {
  return (cachedModule ??= new wasm.Module(gramModuleBytes()));
}

/** Is WebAssembly SIMD available here? (Validates the module; false on engines without SIMD.) */
export function wasmGramSupported(): boolean {
  try { gramModule(); return true; } catch { return false; }
}

/** Rows per block by default: 64 rows × 64 columns = 32 KiB, about one L1. */
export const GRAM_BLOCK_ROWS = 64;

/** A Gram kernel and its block buffers, all in one wasm memory of its own. */
export interface GramKernel {
  /** Number of features. */
  readonly d: number;
  /** Columns per row in `rows`/G: d rounded up to a multiple of 4 (padding columns stay 0). */
  readonly stride: number;
  /** Rows the block buffer holds. */
  readonly capacity: number;
  /** The block buffer: row u, column j at rows[u*stride + j]. Callers fill it, keeping padding columns 0. */
  readonly rows: Float64Array;
  /** Per-row weights w_u for {@link GramKernel.addWeighted}. */
  readonly weights: Float64Array;
  /** One more per-row value the caller may keep beside the block (the Newton sweep keeps residuals). */
  readonly perRow: Float64Array;
  /** G += Σ_{u<n} z_u z_uᵀ over the first n rows of `rows` (upper triangle). */
  add(n: number): void;
  /** G += Σ_{u<n} weights[u] z_u z_uᵀ (upper triangle, or every entry when `full`). */
  addWeighted(n: number, full?: boolean): void;
  /** out[base + j*ld + k] += G[j][k] for k ≥ j (every k when `full`). */
  readInto(out: Float64Array, ld?: number, base?: number, full?: boolean): void;
  /** G = 0. */
  reset(): void;
}

/**
 * A Gram kernel for d features with a block buffer of `capacity` rows.
 * Throws if WebAssembly SIMD is unavailable (see {@link wasmGramSupported}).
 */
export function createGramKernel(d: number, capacity: number = GRAM_BLOCK_ROWS): GramKernel {
  if (!(Number.isInteger(d) && d >= 1) || !(Number.isInteger(capacity) && capacity >= 1)) {
    throw new RangeError(`bad d=${d} or capacity=${capacity}`);
  }
  const dp = Math.ceil(d / 4) * 4;
  // Layout in f64 words, every region 16-byte aligned: G (dp²), weights and perRow (capacity
  // each, rounded up to even), Z (the rows) and L (the weighted rows), capacity·dp each.
  const even = (x: number): number => x + (x & 1);
  const gW = 0, wW = gW + dp * dp, pW = wW + even(capacity), zW = pW + even(capacity);
  const lW = zW + capacity * dp, words = lW + capacity * dp;
  const memory = new wasm.Memory({ initial: Math.ceil((words * 8) / 65536) });
  const inst = new wasm.Instance(gramModule(), { env: { mem: memory } });
  const gram = inst.exports['gram'] as (g: number, l: number, z: number, n: number, dp: number, full: number) => void;
  const scale = inst.exports['scale'] as (l: number, z: number, w: number, n: number, dp: number) => void;
  const f64 = new Float64Array(memory.buffer);
  const view = (w: number, len: number): Float64Array => f64.subarray(w, w + len);
  const G = view(gW, dp * dp);
  const check = (n: number): void => {
    if (!(Number.isInteger(n) && n >= 0 && n <= capacity)) throw new RangeError(`n=${n} outside 0..${capacity}`);
  };
  return {
    d, stride: dp, capacity, rows: view(zW, capacity * dp), weights: view(wW, capacity), perRow: view(pW, capacity),
    add(n) {
      check(n);
      gram(gW * 8, zW * 8, zW * 8, n, dp, 0);
    },
    addWeighted(n, full = false) {
      check(n);
      scale(lW * 8, zW * 8, wW * 8, n, dp);
      gram(gW * 8, lW * 8, zW * 8, n, dp, full ? 1 : 0);
    },
    readInto(out, ld = d, base = 0, full = false) {
      for (let j = 0; j < d; j++) {
        for (let k = full ? 0 : j; k < d; k++) out[base + j * ld + k]! += G[j * dp + k]!;
      }
    },
    reset() {
      G.fill(0);
    },
  };
}

/** Kernels by d, oldest first; a few stay (each holds its own ~(2·64 + d)·d·8-byte memory). */
const kernels = new Map<number, GramKernel>();
const MAX_KERNELS = 8;
let enabled = true;

/**
 * This thread's kernel for d features, or undefined when WebAssembly SIMD is unavailable or
 * {@link useWasmKernels} turned it off: callers then take the JavaScript kernels.
 */
export function wasmGramKernel(d: number): GramKernel | undefined {
  if (!enabled || !(Number.isInteger(d) && d >= 1)) return undefined;
  let kernel = kernels.get(d);
  if (kernel === undefined) {
    if (!wasmGramSupported()) return undefined;
    try {
      kernel = createGramKernel(d);
    } catch {
      // A wasm memory this large could not be had (d in the tens of thousands): the JavaScript kernel's G is one typed array.
      return undefined;
    }
    if (kernels.size >= MAX_KERNELS) kernels.delete(kernels.keys().next().value!);
    kernels.set(d, kernel);
  }
  return kernel;
}

/** Turns the wasm kernels on or off in this thread (tests compare both; default on). */
export function useWasmKernels(on: boolean): void {
  enabled = on;
}
