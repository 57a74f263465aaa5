/**
 * memgrid's own mapping addon (native/mmap.c, built by `npm install` through node-gyp):
 * mmap, msync, madvise and mincore with 64-bit sizes and offsets. Loaded on first use, so
 * code that never maps a file runs without it.
 *
 * A mapping is an ArrayBuffer the addon made; the garbage collector unmaps it once no view
 * of it is left, so a typed array can never outlive the memory it reads.
 * @example
 * ```ts
 * const buffer = nativeMmap().map(fd, 0, 4096, false); // private, copy-on-write
 * ```
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MemgridError } from '../errors.js';

/** The addon's exports (see native/mmap.c). */
export interface NativeMmap {
  /**
   * Maps `length` bytes of `fd` from `offset` (a multiple of pageSize), read/write; shared or
   * private (copy-on-write). With `reuse` (private only), every call for the same file, offset
   * and length in this process, from any thread, views one mapping, unmapped when the last view
   * goes: for read-only arrays, whose page-table faults are then paid once, not per thread.
   */
  map(fd: number, offset: number, length: number, shared: boolean, reuse?: boolean): ArrayBuffer;
  /** msync(MS_SYNC) of the pages covering `[offset, offset + length)` of a mapping. */
  sync(buffer: ArrayBuffer, offset: number, length: number): void;
  /** madvise of the pages covering `[offset, offset + length)` of a mapping. */
  advise(buffer: ArrayBuffer, offset: number, length: number, advice: number): void;
  /** Bytes of `[from, to)` of a mapping that lie on pages resident in memory (mincore). */
  residentBytes(buffer: ArrayBuffer, from: number, to: number): number;
  /**
   * Index of the first NaN or ±Infinity among `count` values of `itemBytes` (8: float64, 4:
   * float32) from `byteOffset` of any ArrayBuffer, or -1; undefined from an addon built before it
   * was exported.
   */
  firstNonFinite?(buffer: ArrayBuffer, byteOffset: number, count: number, itemBytes: 8 | 4): number;
  readonly pageSize: number;
  readonly MADV_NORMAL: number;
  readonly MADV_RANDOM: number;
  readonly MADV_SEQUENTIAL: number;
  readonly MADV_WILLNEED: number;
  readonly MADV_DONTNEED: number;
  /** Linux 5.14+: fault the pages in writable now (contents unchanged); undefined from an addon built before it was exported. */
  readonly MADV_POPULATE_WRITE?: number;
  /** Linux: back the range with transparent huge pages where the system allows (THP `madvise` or `always`); undefined elsewhere. */
  readonly MADV_HUGEPAGE?: number;
}

/** Where node-gyp puts the addon, relative to the package root. */
const ADDON = path.join('build', 'Release', 'memgrid_mmap.node');

let addon: NativeMmap | undefined;

/**
 * The addon, loaded once. The package root is found by walking up from this module
 * (dist/src/data or src/data) to the folder holding `binding.gyp`.
 * @throws MemgridError naming the missing file and how to build it.
 */
export function nativeMmap(): NativeMmap {
  if (addon) return addon;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates: string[] = [];
  for (let dir = here, up = 0; up < 5; up++, dir = path.dirname(dir)) candidates.push(path.join(dir, ADDON));
  const file = candidates.find((f) => fs.existsSync(f));
  if (!file) {
    throw new MemgridError(
      `memgrid's mapping addon is not built (looked for ${ADDON} above ${here}): run \`npm rebuild memgrid\` `
      + '(it needs node-gyp, a C compiler and Node headers, and npm must be allowed to run memgrid\'s install script)',
    );
  }
  addon = createRequire(import.meta.url)(file) as NativeMmap;
  return addon;
}

/**
 * The addon, typed as T, when it is built and exports every function in `names`; else null
 * (no addon, or one built before those exports): the caller then runs its JavaScript loop.
 * @example
 * ```ts
 * const scan = addonWith<{ firstNonFinite: Scan }>(['firstNonFinite']);
 * ```
 */
export function addonWith<T>(names: readonly (keyof T & string)[]): T | null {
  try {
    const exports = nativeMmap() as unknown as Record<string, unknown>;
    return names.every((name) => typeof exports[name] === 'function') ? (exports as unknown as T) : null;
  } catch {
    return null;
  }
}

/**
 * Readies fresh memory under `[offset, offset + length)` of `buffer` (any ArrayBuffer, wasm
 * memory too) for its first writes, which on this project's 2-core VMs are dear page by page
 * (85 MB took 260 ms to touch 4 KiB page by page). Where the system has transparent huge pages
 * (and `hugePages`), the range is advised onto them (MADV_HUGEPAGE) and left to fault in 2 MiB at
 * a time as it is written; elsewhere it is faulted in at once (MADV_POPULATE_WRITE). Returns
 * which was done: 'huge', 'populated' or 'none' (no addon, a kernel before 5.14: the pages fault
 * in as they are written).
 *
 * Why not both: populating huge pages up front made each thread wait for all of its kept rows
 * before its first pass, both threads at once, and some calls took 60-180 ms (the kernel
 * compacting memory for them); faulted in by the first pass's writes they cost less and overlap
 * the other thread's work. Two-worker searches, the data read just before each (as the benchmark
 * does), nine interleaved pairs: LB 1.22-1.30 → 1.19-1.27 s (median 1.247 → 1.222), LW 2.06-2.43
 * → 2.01-2.14 s (2.097 → 2.060), faster in seven pairs of nine each.
 * @example
 * ```ts
 * prepareFreshMemory(memory.buffer, 0, memory.buffer.byteLength); // 'huge'
 * ```
 */
export function prepareFreshMemory(buffer: ArrayBuffer, offset: number, length: number, hugePages = true): 'huge' | 'populated' | 'none' {
  try {
    const native = nativeMmap();
    if (length <= 0) return 'none';
    if (hugePages && native.MADV_HUGEPAGE !== undefined && hugePagesOn() && tryAdvise(native, buffer, offset, length, native.MADV_HUGEPAGE)) return 'huge';
    if (native.MADV_POPULATE_WRITE === undefined) return 'none';
    native.advise(buffer, offset, length, native.MADV_POPULATE_WRITE);
    return 'populated';
  } catch {
    // Only a speed-up: the writes that follow fault the pages in anyway.
    return 'none';
  }
}

/** Where the system says whether madvised memory may get transparent huge pages. */
const THP_MODE = '/sys/kernel/mm/transparent_hugepage/enabled';
let thpOn: boolean | undefined;

/**
 * Whether transparent huge pages serve madvised memory ('[always]' or '[madvise]' in THP_MODE,
 * read once). With '[never]' the advice is accepted and changes nothing, so the range is populated.
 */
function hugePagesOn(): boolean {
  if (thpOn === undefined) {
    try {
      thpOn = /\[(always|madvise)\]/.test(fs.readFileSync(THP_MODE, 'utf8'));
    } catch {
      thpOn = false;
    }
  }
  return thpOn;
}

/** madvise that answers a refusal (THP compiled out of the kernel answers EINVAL) with false: the advice is only a hint. */
function tryAdvise(native: NativeMmap, buffer: ArrayBuffer, offset: number, length: number, advice: number): boolean {
  try {
    native.advise(buffer, offset, length, advice);
    return true;
  } catch {
    return false;
  }
}
