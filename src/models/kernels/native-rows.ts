/**
 * The addon's row loops (native/rows.c): a fold's column sums and the load of its kept rows,
 * run natively where the addon has them, else by the JavaScript loops they replace.
 *
 * Why native: each pool thread runs these loops a few times per fit, long enough for V8 to
 * compile them (on-stack replacement, then again when a later call reaches code the first never
 * did: 4-8 compiles a thread for `columnSums` and the block loader), and a cold search pays
 * that compiler time on the same two cores as its work. In C they cost no compile and the same
 * ~2 ms. Both compute what the JavaScript computes, in the same order, so results are the same
 * bit for bit either way (test/models/kernels/native-rows.test.ts).
 */
import { addonWith } from '../../data/native-mmap.js';

/** The addon's row exports (see native/rows.c for their contracts). */
export interface NativeRows {
  /** out[j] += Σ_r X[row_r·d + j] over the first `count` chosen rows (rows null: 0..count − 1), in row order. */
  columnSums(X: Float64Array, d: number, rows: Int32Array | null, count: number, out: Float64Array): void;
  /**
   * Rows rows[first + u] (u < count) of the d-column C-order X into dst from row dstRow on, each
   * as [x − shift, 1, 0 …] over `stride` values, with their labels (ToInt32) and weights (1 without).
   */
  loadRows(
    dst: Float64Array, dstRow: number, stride: number, X: Float64Array, d: number, rows: Int32Array | null, first: number, count: number,
    shift: Float64Array, labelsOut: Int32Array, labelsIn: Float64Array | Int32Array, weightsOut: Float64Array, weightsIn: Float64Array | null,
  ): void;
}

let loaded: NativeRows | null | undefined;
let enabled = true;

/** The addon's row loops, or null where the addon is missing, predates them, or tests turned them off. */
export function nativeRows(): NativeRows | null {
  if (!enabled) return null;
  if (loaded === undefined) loaded = addonWith<NativeRows>(['columnSums', 'loadRows']);
  return loaded;
}

/** Turns the native loops off (false) or back on, for tests comparing them with the JavaScript ones. */
export function useNativeRows(on: boolean): void {
  enabled = on;
}
