/**
 * accumulateGram on the WebAssembly SIMD kernel (wasm-gram.ts): rows are shifted and copied
 * into the kernel's block buffer 64 at a time, with the O(d) moments summed in JavaScript on
 * the way, row by row in the same order as the JavaScript kernel (so xSum, xty, ySum and yty
 * are bit for bit the same); the O(d²) part runs in wasm, 3-4× faster than the JavaScript
 * block kernel. C and F order fill the buffer with the same values, so they agree bit for bit.
 */
import type { DenseView, GramStats } from './kernels.js';
import type { GramKernel } from './wasm-gram.js';

/**
 * Adds the statistics of the chosen rows (minus `shift`, targets minus `yShift`) into `out`,
 * `out.xtx`'s upper triangle only, as accumulateGram does.
 */
export function accumulateGramBlocked(
  kernel: GramKernel, X: DenseView, rows: Int32Array | undefined, y: Float64Array | undefined,
  shift: Float64Array | undefined, yShift: number, out: GramStats,
): void {
  const d = X.nCols;
  const n = rows === undefined ? X.nRows : rows.length;
  const { data } = X;
  const colStep = X.order === 'C' ? 1 : X.nRows;
  const { rows: block, stride, capacity } = kernel;
  const { xSum, xty } = out;
  let ySum = out.ySum;
  let yty = out.yty;
  kernel.reset();
  let u = 0;
  for (let r = 0; r < n; r++) {
    const i = rows === undefined ? r : rows[r]!;
    const t = y === undefined ? 0 : y[i]! - yShift;
    const base = X.order === 'C' ? i * d : i;
    const at = u * stride;
    for (let j = 0; j < d; j++) {
      const v = data[base + j * colStep]! - (shift === undefined ? 0 : shift[j]!);
      block[at + j] = v;
      xSum[j] = xSum[j]! + v;
      xty[j] = xty[j]! + v * t;
    }
    ySum += t;
    yty += t * t;
    if (++u === capacity) {
      kernel.add(u);
      u = 0;
    }
  }
  if (u > 0) kernel.add(u);
  kernel.readInto(out.xtx);
  out.ySum = ySum;
  out.yty = yty;
  out.count += n;
}
