/** Byte-order helpers for data stored in the other endianness (numpy's `>f8` and friends). */

/**
 * Reverse the bytes of each `itemSize`-byte element of `bytes`, in place.
 * @example
 * ```ts
 * swapBytes(new Uint8Array(buf), 8); // big-endian float64 -> little-endian
 * ```
 */
export function swapBytes(bytes: Uint8Array, itemSize: number): void {
  if (itemSize === 1) return;
  const n = bytes.length - (bytes.length % itemSize);
  const half = itemSize >> 1;
  for (let base = 0; base < n; base += itemSize) {
    for (let k = 0; k < half; k++) {
      const a = base + k;
      const b = base + itemSize - 1 - k;
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
  }
}
