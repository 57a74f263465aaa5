/**
 * Kept rows: a logistic problem's training rows, loaded once as [x − shift, 1] (with their
 * labels and weights) into the wasm kernel's own memory and read from there by every later
 * pass, instead of being copied out of the mapping into the block buffer each pass.
 *
 * Why: a pass over rows in the block buffer first copies each block out of the mapped file,
 * which stalls on memory, then computes on it; rows read straight from wasm memory stream in
 * while the kernel computes. A gradient pass over 160,000 training rows × 32 features takes
 * 10.6 ms through the block buffer and 6.8 ms from kept rows (100,000 × 128: 15.3 → 9.0 ms), and
 * a path makes dozens of passes over one fold's rows.
 *
 * The cost is memory: rows × (d + 1, rounded up to 4) × 8 bytes per thread, e.g. 42 MiB for a
 * fold of 160,000 × 32. Rows are kept only up to `MEMGRID_KEPT_ROWS_MIB` (default 256) MiB per
 * thread, and one problem's rows at a time; past the budget, passes read the mapping as before.
 * Values and their order are the same either way, so results are identical bit for bit.
 */
import { ValueError } from '../../../errors.js';
import type { GramKernel } from './kernel.js';

/** The environment variable that caps the kept rows of a thread, in MiB (0: never keep rows). */
export const KEPT_ROWS_ENV = 'MEMGRID_KEPT_ROWS_MIB';
/** MiB of kept rows per thread unless the environment says otherwise. */
export const DEFAULT_KEPT_ROWS_MIB = 256;

let budgetBytes: number | undefined;

/** The per-thread budget in bytes, from `MEMGRID_KEPT_ROWS_MIB` (read once). */
export function keptRowsBudget(): number {
  if (budgetBytes !== undefined) return budgetBytes;
  const text = process.env[KEPT_ROWS_ENV];
  const mib = text === undefined || text === '' ? DEFAULT_KEPT_ROWS_MIB : Number(text);
  // wasm32 memory ends at 4 GiB, and the kernel needs some of it.
  if (!Number.isFinite(mib) || mib < 0 || mib > 3072) {
    throw new ValueError(`${KEPT_ROWS_ENV} must be a number of MiB from 0 to 3072, found ${JSON.stringify(text)}`);
  }
  budgetBytes = Math.floor(mib * 2 ** 20);
  return budgetBytes;
}

/** Sets the budget for this thread (tests); undefined: read the environment again. */
export function setKeptRowsBudget(bytes: number | undefined): void {
  budgetBytes = bytes;
}

/** How many of n rows of `stride` padded columns may be kept within the budget: n, or 0. */
export function keptRowsWithin(n: number, stride: number): number {
  const bytes = n * (stride * 8 + 12); // a row, its label (i32) and its weight (f64)
  return n > 0 && bytes <= keptRowsBudget() ? n : 0;
}

/**
 * Room to make for n kept rows: a little more than n (1/64 more, in whole blocks) when the
 * budget allows, so that the folds of one search, a row or two apart in size, all fit in the
 * kernel the first one made (a new kernel is fresh memory, first touched at a page fault each).
 */
export function keptCapacityFor(n: number, stride: number): number {
  const roomy = Math.ceil((n + Math.ceil(n / 64)) / 64) * 64;
  return keptRowsWithin(roomy, stride) > 0 ? roomy : n;
}

/** Where one caller's rows sit among a kernel's kept rows, and what they were loaded with. */
export interface KeptSlot {
  /** Kept row of the caller's first row. */
  readonly first: number;
  readonly count: number;
  /** The labels the rows were loaded with (the loaded rows are valid for these only); undefined: not loaded. */
  loadedWith: object | undefined;
}

interface Slots {
  used: number;
  byOwner: WeakMap<object, KeptSlot>;
}

const slotsOf = new WeakMap<GramKernel, Slots>();

/**
 * The slot of `owner`'s `count` rows in `kernel`'s kept rows: the one it has, or a new one,
 * unloaded, after the slots in use (all of them dropped when there is no room left: a new
 * problem's rows replace the last one's). Undefined when the kernel or the budget cannot keep that many.
 * `leading`: keep only the leading whole blocks (`kernel.capacity` rows each) that fit in the
 * kernel's kept rows, the slot's `count` then fewer than asked for; the sweep streams the rest,
 * block by block as before, so the sums are the same to the bit.
 */
export function keptSlot(kernel: GramKernel, owner: object, count: number, leading = false): KeptSlot | undefined {
  if (leading && count > kernel.keptCapacity) count = Math.floor(kernel.keptCapacity / kernel.capacity) * kernel.capacity;
  if (count < 1 || count > kernel.keptCapacity || keptRowsWithin(count, kernel.stride) === 0) return undefined;
  let slots = slotsOf.get(kernel);
  if (slots === undefined) slotsOf.set(kernel, (slots = { used: 0, byOwner: new WeakMap() }));
  const held = slots.byOwner.get(owner);
  if (held !== undefined && held.count === count) return held;
  if (slots.used + count > kernel.keptCapacity) slots = { used: 0, byOwner: new WeakMap() };
  slotsOf.set(kernel, slots);
  const slot: KeptSlot = { first: slots.used, count, loadedWith: undefined };
  slots.used += count;
  slots.byOwner.set(owner, slot);
  return slot;
}
