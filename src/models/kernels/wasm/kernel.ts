/**
 * The wasm Gram kernel's runtime side: compiles wasm/module.ts's bytes once per thread,
 * instantiates one kernel per feature count with its own memory (G, a block of rows, per-row
 * weights), and keeps a few of them.
 *
 * The caller copies rows into the block buffer `rows` (`capacity` rows × `stride` columns,
 * row-major, stride = d rounded up to 4, padding columns zero), then `add(n)` folds the first n
 * rows into G, which stays in wasm memory until `readInto` adds it to a caller's matrix.
 * Tiles on the diagonal are computed whole, so the 4×4 blocks straddling the diagonal also
 * hold (correct) lower entries; only k ≥ j is read back unless `full`.
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
import { LOG_NODES, NODE_INVERSES } from '../fast-math.js';
import { EXP_TABLE } from './fast-math-module.js';
import { gramModuleBytes } from './module.js';
import { keptCapacityFor, keptRowsWithin } from './kept-rows.js';
import { SINGLE_GRAM_ERROR, SINGLE_GRAM_ROWS } from './single-gram-module.js';
import { prepareFreshMemory } from '../../../data/native-mmap.js';

/** Bytes per WebAssembly memory page. */
export const WASM_PAGE_BYTES = 65536;

/** The few WebAssembly API pieces used (the project's lib has no DOM types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (d: { initial: number }) => { buffer: ArrayBuffer };
}
/** WebAssembly's constructors, typed as memgrid uses them. */
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let cachedModule: object | undefined;

/**
 * The module's bytes in base64 as the pool threads' bundle carries them: scripts/bundle-worker.mjs
 * writes in what gramModuleBytes() returns, at build time, from the compiled modules the bundle is
 * made of. Undefined outside the bundle, where the bytes are emitted at run time.
 *
 * Why: emitting them runs asm.ts's emitters once per thread, cold, at the thread's first task:
 * 18-24 ms of each thread's first fit (decoding the bundle's copy: well under 1 ms).
 */
declare const __MEMGRID_GRAM_MODULE__: string | undefined;

/** The kernel module's bytes: the bundle's, else emitted. */
function kernelModuleBytes(): Uint8Array {
  return typeof __MEMGRID_GRAM_MODULE__ === 'string' ? Buffer.from(__MEMGRID_GRAM_MODULE__, 'base64') : gramModuleBytes();
}

/** The kernel module, compiled once per process (or per worker). */
export function wasmModule(): object {
  return (cachedModule ??= new wasm.Module(kernelModuleBytes()));
}
const gramModule = wasmModule;

/**
 * The kernel module instantiated on a memory of its own, of at least `words` f64 words (one 64 KiB
 * page at least): what each of the small wasm workspaces (Cholesky, tridiagonal, linear outputs,
 * binary scores) is made of.
 * @example
 * ```ts
 * const { buffer, exports } = kernelInstance(1024);
 * ```
 */
export function kernelInstance(words: number): { buffer: ArrayBuffer; exports: Record<string, unknown> } {
  const memory = new wasm.Memory({ initial: Math.max(1, Math.ceil((words * 8) / WASM_PAGE_BYTES)) });
  return { buffer: memory.buffer, exports: new wasm.Instance(gramModule(), { env: { mem: memory } }).exports };
}

/** Is WebAssembly SIMD available here? (Validates the module; false on engines without SIMD.) */
export function wasmGramSupported(): boolean {
  try { gramModule(); return true; } catch { return false; }
}

/**
 * Rows whose length in bytes is a multiple of this many columns' (2 KiB) are padded by
 * {@link ALIASING_PAD}: see {@link paddedColumns}.
 */
const ALIASING_COLUMNS = 256;
/** Extra zero columns of such rows: 64 bytes, one cache line, so consecutive rows start in different L1 sets. */
const ALIASING_PAD = 8;

/**
 * Columns a kernel for d features keeps per row: d rounded up to a multiple of 4 (its tiles'
 * width), and 8 more when that is a multiple of 256. Why: a Gram tile reads four columns of
 * each of a block's 64 rows; rows 2 or 4 KiB apart fall in the same one or two sets of the L1
 * cache (its set index repeats every 4 KiB), which holds only 8 lines a set, so a tile's rows
 * evicted each other and every load went to L2. With the rows one cache line off each other they
 * spread over the sets. 50,000 × 512 (RW), two threads: the statistics tasks 1.6-1.8 → 1.0-1.1 s;
 * one thread, 2,000 × 512: 99-110 → 43-50 ms, 7,629 × 256: 54-64 → 36-41 ms. The padding columns
 * are zero, so every entry of G is the same sum in the same order as without them.
 */
export function paddedColumns(d: number): number {
  const dp = Math.ceil(d / 4) * 4;
  return dp % ALIASING_COLUMNS === 0 ? dp + ALIASING_PAD : dp;
}

/** Rows per block by default: 64 rows × 64 columns = 32 KiB, about one L1. */
export const GRAM_BLOCK_ROWS = 64;

/** The most rows a thread's kernel takes per block (see {@link blockRowsFor}). */
export const MAX_BLOCK_ROWS = 1024;

/** Bytes of rows a thread's kernel takes per block, at most (see {@link blockRowsFor}). */
const BLOCK_BYTES = 96 * 1024;

/**
 * Rows per block of a thread's kernel for rows of `dp` padded columns: as many multiples of 64
 * as fit in 96 KiB (at least 64, at most 1024). Every block costs a few calls into wasm and
 * each kernel's set-up (the Gram kernel loads and stores every 4×4 tile of G once per block),
 * which narrow rows do not amortise: 33 columns in 64-row blocks spent ~12% of a binary search
 * there (200,000 × 32: 1.77 → 1.55-1.61 s single-threaded with 256-1024 rows a block). Wide rows
 * keep 64 (128 columns: 64 and 256 rows a block time the same, 1024 rows, past the L2, lose 10%).
 */
export function blockRowsFor(dp: number): number {
  return GRAM_BLOCK_ROWS * Math.max(1, Math.min(MAX_BLOCK_ROWS / GRAM_BLOCK_ROWS, Math.floor(BLOCK_BYTES / (dp * 8 * GRAM_BLOCK_ROWS))));
}

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
  /** How many G matrices the kernel keeps (one per output: the softmax Hessian's class pairs). */
  readonly outputs: number;
  /** Linear outputs of the logistic sweeps' margins and gradient: 1 (binary) or the number of classes. */
  readonly classes: number;
  /** Coefficients, one row of `stride` per class (padding columns 0): what {@link GramKernel.affine} multiplies. */
  readonly coef: Float64Array;
  /** margins[u·classes + c]: row u's output c, written by {@link GramKernel.affine}. */
  readonly margins: Float64Array;
  /** residuals[u·classes + c]: what {@link GramKernel.addGradient} weights row u by for output c. */
  readonly residuals: Float64Array;
  /** labels[u]: row u's class index, for {@link GramKernel.softmax}. */
  readonly labels: Int32Array;
  /** rowStats[3u..3u+2]: row u's largest margin, its label's margin and Σ e^(z − max), from {@link GramKernel.softmax}. */
  readonly rowStats: Float64Array;
  /**
   * The first n rows' margins become probabilities, residuals[u·classes + c] = perRow[u]·(p − [c = labels[u]]),
   * and rowStats their loss terms; returns Σ perRow[u]·loss_u in row order (wasm/softmax-module.ts).
   */
  softmax(n: number, from?: number): number;
  /**
   * Raw rows, back to back, for the expansions below: d − 1 values a row for
   * {@link GramKernel.expandRows} (the logistic sweeps' layout), d for
   * {@link GramKernel.expandMoments} (the Gram pass's).
   */
  readonly stage: Float64Array;
  /** The shift the expansions subtract (their first d − 1 or d values; zeros for none). */
  readonly shift: Float64Array;
  /** rows[u] = [stage[u] − shift, 1] for u < n (wasm/expand-module.ts); into kept rows `to` + u when given `to`. */
  expandRows(n: number, to?: number): void;
  /** Σ weights[u]·z (d values at 0) and Σ z·perRow[u] (d values at stride): what expandMoments adds to. */
  readonly moments: Float64Array;
  /**
   * rows[u] = stage[u] − shift for u < n (d values, no constant column), adding each row's
   * weights[u]·z into the first half of `moments` and z·perRow[u] into the second, in row order
   * (wasm/expand-module.ts).
   */
  expandMoments(n: number): void;
  /**
   * Binary rows u < n with margins[u], target labels[u] (0 or 1) and weight perRow[u]:
   * residuals[u] = ω(σ − t), weights[u] = ω·σ(1 − σ) when `curvature`; returns Σ ω·loss in row
   * order (wasm/logit-module.ts).
   */
  logit(n: number, curvature: boolean, from?: number): number;
  /** margins = rows · coefᵀ for the first n rows. */
  affine(n: number, from?: number): void;
  /** The kernel's gradient += residualsᵀ · rows over the first n rows (one row of `stride` per class). */
  addGradient(n: number, from?: number): void;
  /** out[c·d + j] += gradient[c][j] for j < d, c < classes. */
  readGradient(out: Float64Array): void;
  /** G += Σ_{u<n} z_u z_uᵀ over the first n rows of `rows` (upper triangle). */
  add(n: number): void;
  /** G[output] += Σ_{u<n} weights[u] z_u z_uᵀ (upper triangle, or every entry when `full`). */
  addWeighted(n: number, full?: boolean, output?: number, from?: number): void;
  /**
   * As {@link GramKernel.addWeighted} into G[output] (upper triangle), the products summed in single
   * precision when the block's rounding bound (wasm/single-gram-module.ts: γ_67·Σ_u |weights[u]|·‖z_u‖²,
   * in spectral norm) is at most `limit`, else in double precision as addWeighted. Returns whether
   * single precision was used. Rounding that provably stays under `limit` is the solver's to allow.
   */
  addWeightedSingle(n: number, limit: number, from?: number, output?: number): boolean;
  /**
   * As {@link GramKernel.addWeighted} (upper triangle) over n of the block's m rows (or of the
   * kept rows from `from`), rows `index[0..n)` (each < m), weighted by weights[0..n) in that
   * order: the rows are gathered into the stage first, so a sweep sums only the rows whose
   * weight matters. `limit` > 0: in single precision where the rounding bound allows, as
   * {@link GramKernel.addWeightedSingle}.
   */
  addWeightedGathered(index: Int32Array, n: number, m: number, output?: number, from?: number, limit?: number): void;
  /** out[base + j*ld + k] += sign·G[output][j][k] for k ≥ j (every k when `full`). */
  readInto(out: Float64Array, ld?: number, base?: number, full?: boolean, output?: number, sign?: 1 | -1): void;
  /**
   * The whole symmetric d×d block from G[output]'s upper triangle: out[base + j*ld + k] and
   * out[base + k*ld + j] += G[output][j][k] for k ≥ j (the diagonal once). A G built from upper
   * tiles only (half the work of `full`) fills a block that is not on the matrix's diagonal.
   */
  readSymmetricInto(out: Float64Array, ld: number, base: number, output: number): void;
  /** Every G and the gradient = 0. */
  reset(): void;
  /**
   * The gradient = 0, the G matrices left as they are: a pass that sums no Hessian needs no
   * more (digits' 55 class-pair G matrices are 2 MB to zero, at every gradient pass).
   */
  resetGradient(): void;
  /**
   * Rows a sweep may keep in this kernel's memory between passes (kept-rows.ts): 0 when the
   * kernel was made without room. Kept row r is at `keptRows[r*stride ..]`, its label at
   * `keptLabels[r]`, its weight at `keptWeights[r]`; the block operations below read kept rows
   * r = from .. from + n − 1 instead of the block buffer when given `from`.
   */
  readonly keptCapacity: number;
  readonly keptRows: Float64Array;
  readonly keptLabels: Int32Array;
  readonly keptWeights: Float64Array;
}

/**
 * A Gram kernel for d features with a block buffer of `capacity` rows, `outputs` G matrices,
 * `classes` linear outputs and room for `keptRows` kept rows. Throws if WebAssembly SIMD is
 * unavailable (see {@link wasmGramSupported}) or the memory cannot be had.
 */
export function createGramKernel(d: number, capacity: number = GRAM_BLOCK_ROWS, outputs = 1, classes = 1, keptRows = 0): GramKernel {
  const positive = (v: number): boolean => Number.isInteger(v) && v >= 1;
  if (!positive(d) || !positive(capacity) || !positive(outputs) || !positive(classes) || !(Number.isInteger(keptRows) && keptRows >= 0)) {
    throw new RangeError(`bad d=${d}, capacity=${capacity}, outputs=${outputs}, classes=${classes} or keptRows=${keptRows}`);
  }
  const dp = paddedColumns(d);
  const layout = gramLayout(dp, capacity, outputs, classes, keptRows);
  const { gW, wW, pW, zW, lW, cW, mW, rW, vW, yW, sW, tW, qW, hW, nW, iW, oW, kW, kyW, kpW } = layout;
  const memory = new wasm.Memory({ initial: Math.ceil((layout.words * 8) / WASM_PAGE_BYTES) });
  // Kept rows are tens of MiB of fresh memory, all written by the first pass: on huge pages, or faulted in at once.
  if (keptRows > 0) prepareFreshMemory(memory.buffer, 0, memory.buffer.byteLength);
  const inst = new wasm.Instance(gramModule(), { env: { mem: memory } });
  const gram = inst.exports['gram'] as (g: number, l: number, z: number, n: number, dp: number, full: number) => void;
  const scale = inst.exports['scale'] as (l: number, z: number, w: number, n: number, dp: number) => void;
  const affine = inst.exports['affine'] as (z: number, w: number, out: number, n: number, dp: number, k: number) => void;
  const rank = inst.exports['rank'] as (z: number, r: number, g: number, n: number, dp: number, k: number) => void;
  const softmax = inst.exports['softmax'] as (
    p: number, lab: number, w: number, r: number, st: number, tab: number, tlog: number, tinv: number, m: number, k: number,
  ) => number;
  const expand = inst.exports['expand'] as (q: number, z: number, h: number, m: number, draw: number, dp: number) => void;
  const expandMoments = inst.exports['expandMoments'] as (
    q: number, z: number, h: number, m: number, d: number, dp: number, w: number, wt: number, xs: number, xt: number,
  ) => void;
  const narrow = inst.exports['narrow'] as (z: number, w: number, z32: number, l32: number, n: number, dp: number) => number;
  const gramSingle = inst.exports['gramSingle'] as (g: number, l32: number, z32: number, n: number, dp: number) => void;
  const logit = inst.exports['logit'] as (
    mg: number, lab: number, w: number, r: number, cw: number, texp: number, tlog: number, tinv: number, m: number, curv: number,
  ) => number;
  const f64 = new Float64Array(memory.buffer);
  const view = (w: number, len: number): Float64Array => f64.subarray(w, w + len);
  const G = view(gW, outputs * dp * dp);
  view(tW, EXP_TABLE.length).set(EXP_TABLE);
  view(nW, LOG_NODES.length).set(LOG_NODES);
  view(iW, NODE_INVERSES.length).set(NODE_INVERSES);
  const gradient = view(vW, classes * dp);
  const check = (n: number, output: number, from?: number): void => {
    if (from === undefined) {
      if (!(Number.isInteger(n) && n >= 0 && n <= capacity)) throw new RangeError(`n=${n} outside 0..${capacity}`);
    } else if (!(Number.isInteger(n) && n >= 0 && n <= capacity && Number.isInteger(from) && from >= 0 && from + n <= keptRows)) {
      throw new RangeError(`kept rows ${from}..${from + n - 1} outside 0..${keptRows - 1} or n=${n} over ${capacity}`);
    }
    if (!(Number.isInteger(output) && output >= 0 && output < outputs)) throw new RangeError(`output=${output} outside 0..${outputs - 1}`);
  };
  /**
   * G[output] += Σ_{u<n} weights[u]·z_u z_uᵀ (upper tiles) over the n rows at byte `rows`: in single
   * precision when its rounding bound (single-gram-module.ts) is at most `limit`, else in double.
   */
  const weightedProduct = (rows: number, n: number, output: number, limit: number): boolean => {
    const g = (gW + output * dp * dp) * 8;
    // The weighted-rows buffer holds both f32 copies: L32 in its first half, Z32 in its second.
    const l32 = lW * 8, z32 = l32 + capacity * dp * 4;
    if (!(limit > 0 && SINGLE_GRAM_ERROR * narrow(rows, wW * 8, z32, l32, n, dp) <= limit)) {
      scale(lW * 8, rows, wW * 8, n, dp);
      gram(g, lW * 8, rows, n, dp, 0);
      return false;
    }
    for (let first = 0; first < n; first += SINGLE_GRAM_ROWS) {
      const offset = first * dp * 4;
      gramSingle(g, l32 + offset, z32 + offset, Math.min(SINGLE_GRAM_ROWS, n - first), dp);
    }
    return true;
  };
  /** Byte address of the block's first row: the block buffer, or kept row `from`. */
  const rowsAt = (from: number | undefined): number => (from === undefined ? zW : kW + from * dp) * 8;
  const labelsAt = (from: number | undefined): number => (from === undefined ? yW * 8 : kyW * 8 + from * 4);
  const weightsAt = (from: number | undefined): number => (from === undefined ? pW : kpW + from) * 8;
  return {
    d, stride: dp, capacity, outputs, classes, rows: view(zW, capacity * dp), weights: view(wW, capacity), perRow: view(pW, capacity),
    coef: view(cW, classes * dp), margins: view(mW, capacity * classes), residuals: view(rW, capacity * classes),
    labels: new Int32Array(memory.buffer, yW * 8, capacity), rowStats: view(sW, 3 * capacity),
    softmax(n, from) {
      check(n, 0, from);
      return softmax(mW * 8, labelsAt(from), weightsAt(from), rW * 8, sW * 8, tW * 8, nW * 8, iW * 8, n, classes);
    },
    stage: view(qW, capacity * d), shift: view(hW, d),
    expandRows(n, to) {
      check(n, 0, to);
      expand(qW * 8, rowsAt(to), hW * 8, n, d - 1, dp);
    },
    moments: view(oW, 2 * dp),
    expandMoments(n) {
      check(n, 0);
      expandMoments(qW * 8, zW * 8, hW * 8, n, d, dp, wW * 8, pW * 8, oW * 8, (oW + dp) * 8);
    },
    logit(n, curvature, from) {
      check(n, 0, from);
      return logit(mW * 8, labelsAt(from), weightsAt(from), rW * 8, wW * 8, tW * 8, nW * 8, iW * 8, n, curvature ? 1 : 0);
    },
    affine(n, from) {
      check(n, 0, from);
      affine(rowsAt(from), cW * 8, mW * 8, n, dp, classes);
    },
    addGradient(n, from) {
      check(n, 0, from);
      rank(rowsAt(from), rW * 8, vW * 8, n, dp, classes);
    },
    readGradient(out) {
      for (let c = 0; c < classes; c++) for (let j = 0; j < d; j++) out[c * d + j]! += gradient[c * dp + j]!;
    },
    add(n) {
      check(n, 0);
      gram(gW * 8, zW * 8, zW * 8, n, dp, 0);
    },
    addWeighted(n, full = false, output = 0, from = undefined) {
      check(n, output, from);
      scale(lW * 8, rowsAt(from), wW * 8, n, dp);
      gram((gW + output * dp * dp) * 8, lW * 8, rowsAt(from), n, dp, full ? 1 : 0);
    },
    addWeightedSingle(n, limit, from = undefined, output = 0) {
      check(n, output, from);
      return weightedProduct(rowsAt(from), n, output, limit);
    },
    addWeightedGathered(index, n, m, output = 0, from = undefined, limit = 0) {
      check(m, output, from);
      if (!(Number.isInteger(n) && n >= 0 && n <= m && index.length >= n)) throw new RangeError(`n=${n} outside 0..${m} or past the index`);
      const src = rowsAt(from) / 8;
      for (let j = 0; j < n; j++) {
        const u = index[j]!;
        if (!(u >= 0 && u < m)) throw new RangeError(`gathered row ${u} outside 0..${m - 1}`);
        f64.copyWithin(qW + j * dp, src + u * dp, src + (u + 1) * dp);
      }
      weightedProduct(qW * 8, n, output, limit);
    },
    readInto(out, ld = d, base = 0, full = false, output = 0, sign = 1) {
      const at = output * dp * dp;
      for (let j = 0; j < d; j++) {
        for (let k = full ? 0 : j; k < d; k++) out[base + j * ld + k]! += sign * G[at + j * dp + k]!;
      }
    },
    readSymmetricInto(out, ld, base, output) {
      const at = output * dp * dp;
      for (let j = 0; j < d; j++) {
        out[base + j * ld + j]! += G[at + j * dp + j]!;
        for (let k = j + 1; k < d; k++) {
          const v = G[at + j * dp + k]!;
          out[base + j * ld + k]! += v;
          out[base + k * ld + j]! += v;
        }
      }
    },
    reset() {
      G.fill(0);
      gradient.fill(0);
    },
    resetGradient() {
      gradient.fill(0);
    },
    keptCapacity: keptRows, keptRows: view(kW, keptRows * dp),
    keptLabels: new Int32Array(memory.buffer, kyW * 8, keptRows), keptWeights: view(kpW, keptRows),
  };
}

/**
 * Where each region of a kernel's memory starts, in f64 words: the G matrices (outputs·dp²),
 * weights and perRow (capacity each, rounded up to even), Z (the rows) and L (the weighted
 * rows), capacity·dp each, the coefficients (classes·dp), margins and residuals
 * (capacity·classes each, rounded up to even) and the gradient (classes·dp).
 * The SIMD loads and stores move two f64 at a time, so every region must start on a 16-byte
 * boundary (an even word) and no two may overlap: {@link checkGramLayout} asserts both.
 */
export interface GramLayout {
  readonly gW: number;
  readonly wW: number;
  readonly pW: number;
  readonly zW: number;
  readonly lW: number;
  readonly cW: number;
  readonly mW: number;
  readonly rW: number;
  readonly vW: number;
  /** Labels (i32, capacity of them), per-row softmax statistics (3·capacity), the exp table (32). */
  readonly yW: number;
  readonly sW: number;
  readonly tW: number;
  /** The raw-row stage (capacity·dp) and the shift (dp) of the block loads. */
  readonly qW: number;
  readonly hW: number;
  /** log1pUnit's tables: log1p(i/256) and 1/(1 + i/256), 257 each. */
  readonly nW: number;
  readonly iW: number;
  /** The Gram pass's moments: Σ w·z then Σ z·w·t (dp each). */
  readonly oW: number;
  /** Kept rows (keptRows·dp), their labels (i32, keptRows of them) and weights (keptRows): kept-rows.ts. */
  readonly kW: number;
  readonly kyW: number;
  readonly kpW: number;
  readonly words: number;
}

/**
 * The memory layout of a kernel for dp padded columns, a block of `capacity` rows, `outputs` G
 * matrices, `classes` outputs and `keptRows` kept rows.
 */
export function gramLayout(dp: number, capacity: number, outputs = 1, classes = 1, keptRows = 0): GramLayout {
  const even = (x: number): number => x + (x & 1);
  const gW = 0, wW = gW + outputs * dp * dp, pW = wW + even(capacity), zW = pW + even(capacity);
  const lW = zW + capacity * dp, cW = lW + capacity * dp, mW = cW + classes * dp;
  const rW = mW + even(capacity * classes), vW = rW + even(capacity * classes);
  const yW = vW + classes * dp, sW = yW + even(Math.ceil(capacity / 2)), tW = sW + even(3 * capacity);
  const qW = tW + even(EXP_TABLE.length), hW = qW + even(capacity * dp);
  const nW = hW + dp, iW = nW + even(LOG_NODES.length);
  const oW = iW + even(NODE_INVERSES.length);
  const kW = oW + 2 * dp, kyW = kW + keptRows * dp, kpW = kyW + even(Math.ceil(keptRows / 2));
  return checkGramLayout(
    { gW, wW, pW, zW, lW, cW, mW, rW, vW, yW, sW, tW, qW, hW, nW, iW, oW, kW, kyW, kpW, words: kpW + keptRows },
    dp, capacity, outputs, classes, keptRows,
  );
}

/** Throws when a region is not 16-byte aligned or runs into the next one. */
function checkGramLayout(layout: GramLayout, dp: number, capacity: number, outputs: number, classes: number, keptRows: number): GramLayout {
  const regions: [string, number, number][] = [
    ['G', layout.gW, outputs * dp * dp], ['weights', layout.wW, capacity], ['perRow', layout.pW, capacity],
    ['rows', layout.zW, capacity * dp], ['weighted rows', layout.lW, capacity * dp], ['coefficients', layout.cW, classes * dp],
    ['margins', layout.mW, capacity * classes], ['residuals', layout.rW, capacity * classes], ['gradient', layout.vW, classes * dp],
    ['labels', layout.yW, Math.ceil(capacity / 2)], ['softmax statistics', layout.sW, 3 * capacity], ['exp table', layout.tW, EXP_TABLE.length],
    ['stage', layout.qW, capacity * dp], ['shift', layout.hW, dp],
    ['log1p nodes', layout.nW, LOG_NODES.length], ['log1p inverses', layout.iW, NODE_INVERSES.length],
    ['moments', layout.oW, 2 * dp], ['kept rows', layout.kW, keptRows * dp], ['kept labels', layout.kyW, Math.ceil(keptRows / 2)], ['kept weights', layout.kpW, keptRows],
  ];
  let end = 0;
  for (const [name, at, size] of regions) {
    if (at % 2 !== 0 || at < end) throw new RangeError(`wasm Gram layout: ${name} at word ${at} is misaligned or overlaps (previous region ends at ${end})`);
    end = at + size;
  }
  if (end > layout.words) throw new RangeError(`wasm Gram layout: regions end at word ${end}, past the ${layout.words} words allocated`);
  return layout;
}

/** Kernels by (d, outputs, classes), oldest first; a few stay (each holds its own ~(3·blockRowsFor(d) + outputs·d)·d·8-byte memory, plus its kept rows). */
const kernels = new Map<string, GramKernel>();
const MAX_KERNELS = 8;

/**
 * This thread's kernel for d features, `outputs` G matrices and `classes` linear outputs, with
 * room for at least `keptRows` kept rows when asked (within the budget, and when the memory can
 * be had; else without),
 * or undefined when WebAssembly SIMD is unavailable or its memory cannot be had: the dispatch
 * (kernels/index.ts) then takes the JavaScript kernels. One kernel per thread at most has kept
 * rows: making one drops the others', so a thread holds one problem's rows at a time.
 */
export function wasmGramKernel(d: number, outputs = 1, classes = 1, keptRows = 0): GramKernel | undefined {
  if (!(Number.isInteger(d) && d >= 1)) return undefined;
  const key = `${d}/${outputs}/${classes}`;
  let kernel = kernels.get(key);
  const dp = paddedColumns(d);
  const wanted = keptRowsWithin(keptRows, dp); // 0 past the budget: the rows stream
  if (kernel !== undefined && kernel.keptCapacity >= wanted) return kernel;
  if (!wasmGramSupported()) return undefined;
  // No memory for the kept rows: a kernel without them still serves.
  const room = wanted > 0 ? keptCapacityFor(wanted, dp) : 0;
  const made = makeKernel(d, outputs, classes, room) ?? (kernel === undefined && room > 0 ? makeKernel(d, outputs, classes, 0) : undefined);
  if (made === undefined) return kernel;
  kernel = made;
  kernels.delete(key);
  if (kernel.keptCapacity > 0) for (const [other, k] of kernels) if (k.keptCapacity > 0) kernels.delete(other);
  if (kernels.size >= MAX_KERNELS) kernels.delete(kernels.keys().next().value!);
  kernels.set(key, kernel);
  return kernel;
}

function makeKernel(d: number, outputs: number, classes: number, keptRows: number): GramKernel | undefined {
  try {
    return createGramKernel(d, blockRowsFor(paddedColumns(d)), outputs, classes, keptRows);
  } catch {
    // A wasm memory this large could not be had (d in the tens of thousands, or the kept rows): JavaScript's G is one typed array.
    return undefined;
  }
}

/** Drops this thread's kernels that hold kept rows: their memory goes with them (the next sweep makes a kernel anew). */
export function dropKeptRowKernels(): void {
  for (const [key, kernel] of kernels) if (kernel.keptCapacity > 0) kernels.delete(key);
}
