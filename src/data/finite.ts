/**
 * Finiteness checks over float data: the one flat scan every layer uses, and a variant for
 * file-backed arrays that reads the file instead of touching the mapping.
 */
import fs from 'node:fs';
import { shapeSize, type MappedArray } from './ndarray.js';
import { NATIVE_LITTLE_ENDIAN } from './dtypes.js';
import { readNpyHeader } from './npy.js';

/** Elements per block of the scan. */
const BLOCK = 4096;
/** Bytes per read when scanning a file (a multiple of 8). */
const READ_BYTES = 256 * 1024;

/** The one buffer every scan reads into, made on first use: fresh memory's first touch costs more than the read (see file-digest.ts). */
let readChunk: Uint8Array | undefined;

/**
 * Index of the first NaN or ±Infinity in `data[start, end)` (element order), or -1.
 * Four independent sums of v·0 per block keep the adds pipelined (one sum chains each add
 * on the last: four times slower); v·0 is 0 for a finite v and NaN otherwise, and only a
 * block whose sums are not 0 is looked at element by element.
 * @example
 * ```ts
 * firstNonFinite(new Float64Array([1, NaN])); // 1
 * ```
 */
export function firstNonFinite(data: Float64Array | Float32Array, start = 0, end = data.length): number {
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

/**
 * Whether every value of a float `.npy`-backed array is finite, found by reading its file
 * in 1 MiB chunks rather than through its mapping: a fresh mapping of a large file pays a
 * page fault per few pages on first touch, and reading the same bytes from the page cache
 * is about twice as fast. It is also what workers see: a store maps the file itself. Returns undefined when the file cannot answer for the array
 * (not a native-order float `.npy`, or not the array's own bytes); the caller then scans
 * the array itself.
 * @example
 * ```ts
 * if (allFiniteInFile(X) !== true) checkThroughTheMapping(X);
 * ```
 */
export function allFiniteInFile(array: MappedArray): boolean | undefined {
  // A 'c' array's own writes never reach the file (and stores copy such arrays).
  if (array.mode === 'c' || (array.dtype !== 'float64' && array.dtype !== 'float32')) return undefined;
  let header;
  try {
    header = readNpyHeader(array.path);
  } catch {
    return undefined;
  }
  const native = NATIVE_LITTLE_ENDIAN ? '<' : '>';
  const itemBytes = array.dtype === 'float64' ? 8 : 4;
  if (header.dtype !== array.dtype || header.byteOrder !== native || header.dataOffset !== array.offset) return undefined;
  if (header.dataBytes !== shapeSize(array.shape) * itemBytes) return undefined;
  const bytes = (readChunk ??= new Uint8Array(READ_BYTES));
  const chunk = array.dtype === 'float64' ? new Float64Array(bytes.buffer) : new Float32Array(bytes.buffer);
  const fd = fs.openSync(array.path, 'r');
  try {
    for (let done = 0; done < header.dataBytes;) {
      const got = fs.readSync(fd, bytes, 0, Math.min(READ_BYTES, header.dataBytes - done), header.dataOffset + done);
      if (got <= 0 || got % itemBytes !== 0) return undefined;
      if (firstNonFinite(chunk, 0, got / itemBytes) >= 0) return false;
      done += got;
    }
  } finally {
    fs.closeSync(fd);
  }
  return true;
}
