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
 * Faults in the pages under `[offset, offset + length)` of `buffer` (any ArrayBuffer, wasm
 * memory too) writable in one madvise call (MADV_POPULATE_WRITE), backed by transparent huge
 * pages where the system allows (MADV_HUGEPAGE first), instead of one page fault per 4 KiB page
 * at first write. Fresh memory is what a thread's kept rows land in, and on this project's
 * 2-core VMs a page's first touch is dear even once populated: 85 MB took 260 ms to touch page
 * by page, and populated 4 KiB pages still ~100 ms at their first write; on huge pages,
 * populating and writing took ~25 ms (LW's search: 2.33-2.67 → 2.18-2.53 s, four interleaved
 * runs each). Best effort: without the addon, on a kernel before 5.14 or with THP off, the pages
 * fault in as they are written, as before.
 * @example
 * ```ts
 * prefaultWritable(memory.buffer, 0, memory.buffer.byteLength);
 * ```
 */
export function prefaultWritable(buffer: ArrayBuffer, offset: number, length: number): void {
  try {
    const native = nativeMmap();
    if (length <= 0) return;
    if (native.MADV_HUGEPAGE !== undefined) tryAdvise(native, buffer, offset, length, native.MADV_HUGEPAGE);
    if (native.MADV_POPULATE_WRITE !== undefined) native.advise(buffer, offset, length, native.MADV_POPULATE_WRITE);
  } catch {
    // Only a speed-up: the writes that follow fault the pages in anyway.
  }
}

/** madvise that ignores a refusal (THP compiled out of the kernel answers EINVAL): the advice is only a hint. */
function tryAdvise(native: NativeMmap, buffer: ArrayBuffer, offset: number, length: number, advice: number): void {
  try {
    native.advise(buffer, offset, length, advice);
  } catch {
    // Without huge pages the populate below still saves the faults.
  }
}
