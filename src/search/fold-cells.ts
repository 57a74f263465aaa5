/**
 * Rows grouped by the role they play in every fold (train, test or neither): ridge's fast
 * plan sums statistics per cell once, and every fold's training and test statistics are sums
 * of cells. For a partition (KFold and the like) the cells are the held-out folds; for other
 * fold sets (shuffle splits, time series, repeats, halving subsamples) they are the distinct
 * role patterns. The plan and its workers compute the same layout from the same folds.
 * @example
 * ```ts
 * const layout = foldCells(new KFold({ nSplits: 3 }).split(9), 9)!;
 * layout.partition; // true: cell k is the rows fold k holds out
 * ```
 */
import type { Fold } from './types.js';

/** A row's role in one fold. */
export const ROLE_NONE = 0;
export const ROLE_TRAIN = 1;
export const ROLE_TEST = 2;

/** More role patterns than this and per-cell statistics would cost more than they save. */
export const MAX_CELLS = 256;

/** How rows fall into cells. */
export interface FoldCells {
  /** Each row's cell, or -1 for a row no fold uses. */
  readonly cellOfRow: Int32Array;
  readonly nCells: number;
  /** `roles[cell * nFolds + fold]`: ROLE_NONE, ROLE_TRAIN or ROLE_TEST. */
  readonly roles: Uint8Array;
  /** True when every row is tested by exactly one fold and trained on by all others, training rows ascending. */
  readonly partition: boolean;
  /** True when every row is in some cell (a refit on all rows is then a sum of cells). */
  readonly coversAllRows: boolean;
}

/**
 * The cell layout of `folds`, or undefined when cells cannot describe them: a fold that
 * repeats a row or uses one row for training and testing, or more than {@link MAX_CELLS} patterns.
 */
export function foldCells(folds: readonly Fold[], nRows: number): FoldCells | undefined {
  if (foldsPartitionRows(folds, nRows)) {
    const cells = partitionCells(folds, nRows);
    if (cells !== undefined) return cells;
  }
  const nFolds = folds.length;
  // Refine the cells fold by fold: a row's new cell is (old cell, role in this fold), numbered by first appearance.
  let cellOfRow = new Int32Array(nRows);
  let patterns: Uint8Array[] = [new Uint8Array(0)];
  const role = new Uint8Array(nRows);
  for (let k = 0; k < nFolds; k++) {
    role.fill(ROLE_NONE);
    for (const [part, value] of [[folds[k]!.train, ROLE_TRAIN], [folds[k]!.test, ROLE_TEST]] as const) {
      for (let r = 0; r < part.length; r++) {
        const i = part[r]!;
        if (role[i] !== ROLE_NONE) return undefined;
        role[i] = value;
      }
    }
    const next = new Int32Array(patterns.length * 3).fill(-1);
    const nextPatterns: Uint8Array[] = [];
    const refined = new Int32Array(nRows);
    for (let i = 0; i < nRows; i++) {
      const key = cellOfRow[i]! * 3 + role[i]!;
      if (next[key] === -1) {
        next[key] = nextPatterns.length;
        const pattern = new Uint8Array(k + 1);
        pattern.set(patterns[cellOfRow[i]!]!);
        pattern[k] = role[i]!;
        nextPatterns.push(pattern);
        if (nextPatterns.length > MAX_CELLS + 1) return undefined;
      }
      refined[i] = next[key]!;
    }
    cellOfRow = refined;
    patterns = nextPatterns;
  }
  return patternCells(cellOfRow, patterns, nFolds);
}

/** Drops the all-NONE pattern (rows no fold uses) and lays the roles out flat. */
function patternCells(cellOfRow: Int32Array, patterns: Uint8Array[], nFolds: number): FoldCells | undefined {
  const unused = patterns.findIndex((p) => p.every((r) => r === ROLE_NONE));
  const renumber = patterns.map((_, c) => (unused === -1 || c < unused ? c : c === unused ? -1 : c - 1));
  const kept = patterns.filter((_, c) => c !== unused);
  if (kept.length > MAX_CELLS) return undefined;
  const roles = new Uint8Array(kept.length * nFolds);
  kept.forEach((p, c) => roles.set(p, c * nFolds));
  return {
    cellOfRow: cellOfRow.map((c) => renumber[c]!), nCells: kept.length, roles, partition: false, coversAllRows: unused === -1,
  };
}

/** Cell k = the rows fold k holds out; undefined if some fold also trains on one of its test rows. */
function partitionCells(folds: readonly Fold[], nRows: number): FoldCells | undefined {
  const nFolds = folds.length;
  const cellOfRow = new Int32Array(nRows);
  folds.forEach((fold, k) => {
    for (let r = 0; r < fold.test.length; r++) cellOfRow[fold.test[r]!] = k;
  });
  for (let k = 0; k < nFolds; k++) {
    const train = folds[k]!.train;
    for (let r = 0; r < train.length; r++) if (cellOfRow[train[r]!] === k) return undefined;
  }
  const roles = new Uint8Array(nFolds * nFolds).fill(ROLE_TRAIN);
  for (let k = 0; k < nFolds; k++) roles[k * nFolds + k] = ROLE_TEST;
  return { cellOfRow, nCells: nFolds, roles, partition: true, coversAllRows: true };
}

/** True when every row is held out by exactly one fold and each training set is the sorted rest. */
export function foldsPartitionRows(folds: readonly Fold[], nRows: number): boolean {
  const seen = new Uint8Array(nRows);
  let held = 0;
  for (const { train, test } of folds) {
    if (train.length + test.length !== nRows) return false;
    for (let r = 0; r < test.length; r++) {
      const i = test[r]!;
      if (seen[i]) return false;
      seen[i] = 1;
      held++;
    }
    for (let r = 1; r < train.length; r++) if (train[r]! <= train[r - 1]!) return false;
  }
  return held === nRows;
}
