/**
 * Finiteness checks over float data: the one flat scan every layer uses, run natively over
 * large ranges (memgrid's addon) and in JavaScript over short ones or where the addon lacks it.
 */
import { addonWith } from './native-mmap.js';

/** Elements per block of the JavaScript scan. */
const BLOCK = 4096;
/** Ranges at least this long go to the addon's scan: below it the call costs more than it saves. */
const NATIVE_MIN = 16_384;

type NativeScan = (buffer: ArrayBuffer, byteOffset: number, count: number, itemBytes: 8 | 4) => number;

/** The addon's scan, looked up once; null where the addon is missing or predates it. */
let nativeScan: NativeScan | null | undefined;

function nativeScanner(): NativeScan | null {
  if (nativeScan === undefined) {
    const addon = addonWith<{ firstNonFinite: NativeScan }>(['firstNonFinite']);
    nativeScan = addon === null ? null : addon.firstNonFinite.bind(addon);
  }
  return nativeScan;
}

/**
 * Index of the first NaN or ±Infinity in `data[start, end)` (element order), or -1.
 *
 * Long ranges are scanned by the addon (native/mmap.c: integer tests on the exponent bits,
 * vectorised by the compiler), ~6 GB/s where JavaScript's scan below reads ~2-3 GB/s from memory
 * it has not cached: a search checks all of X before its first task, and that check (through X's
 * mapping, the file in the page cache) takes 17 ms on the benchmark's LW (100,000 × 128) and 9.5 ms
 * on LB (200,000 × 32), where reading the file for JavaScript's scan took 34 and 19 (45 and ~25
 * inside a search, while its threads start).
 *
 * JavaScript's scan: four independent sums of v·0 per block keep the adds pipelined (one sum
 * chains each add on the last: four times slower); v·0 is 0 for a finite v and NaN otherwise,
 * and only a block whose sums are not 0 is looked at element by element.
 * @example
 * ```ts
 * firstNonFinite(new Float64Array([1, NaN])); // 1
 * ```
 */
export function firstNonFinite(data: Float64Array | Float32Array, start = 0, end = data.length): number {
  const scan = end - start >= NATIVE_MIN && data.buffer instanceof ArrayBuffer ? nativeScanner() : null;
  if (scan !== null) {
    const item = data.BYTES_PER_ELEMENT as 8 | 4;
    const found = scan(data.buffer as ArrayBuffer, data.byteOffset + start * item, end - start, item);
    return found < 0 ? -1 : start + found;
  }
  return firstNonFiniteJs(data, start, end);
}

/** The JavaScript scan of {@link firstNonFinite}. */
export function firstNonFiniteJs(data: Float64Array | Float32Array, start = 0, end = data.length): number {
  for (let from = start; from < end; from += BLOCK) {
    const to = Math.min(end, from + BLOCK);
    let a = 0, b = 0, c = 0, e = 0;
    let i = from;
    for (; i + 4 <= to; i += 4) {
      a += data[i]! * 0;
      b += data[i + 1]! * 0;
      c += data[i + 2]! * 0;
      e += data[i + 3]! * 0;
    }
    for (; i < to; i++) a += data[i]! * 0;
    if (a + b + c + e !== 0) {
      for (let k = from; k < to; k++) if (!Number.isFinite(data[k]!)) return k;
    }
  }
  return -1;
}
