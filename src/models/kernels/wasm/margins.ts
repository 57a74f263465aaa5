/**
 * Linear outputs on wasm (wasm/margins-module.ts): blocks of up to 64 rows staged column by
 * column into a wasm memory of this thread's, the outputs computed there and copied out. Each
 * output is summed in margins.ts's order, so both routes give the same bits.
 *
 * A C-order X's rows are copied in by memcpy, a run of consecutive rows at a time, and wasm
 * stages them column by column (`transpose`); an F-order X is staged by the JavaScript loop.
 * Why: a pool thread scores each fold's test rows a few times in all, so that loop ran
 * unoptimised there: a fold's 40,000 × 32 test rows and 12 outputs took 22-55 ms a call in a
 * fresh process (page faults of its fresh arrays included), 5-7 ms once V8 had optimised it (LB);
 * scoring a search's six path tasks, traced in the threads: 294-305 → 254-297 ms.
 */
import { rowCount, type DenseView } from '../types.js';
import { kernelInstance, wasmGramSupported } from './kernel.js';
import { MARGIN_BLOCK_ROWS } from './margins-module.js';
import { stageRuns } from './sweeps.js';

type MarginsFn = (xt: number, w: number, out: number, n: number, d: number, k: number) => void;
type TransposeFn = (rows: number, xt: number, n: number, d: number) => void;

/**
 * A staged block (d columns of 64 rows), the same rows as they came (64 rows of d), the
 * coefficients (k rows of d + 1) and the block's outputs (64 rows of k), in one memory.
 */
interface MarginsWorkspace {
  readonly staged: Float64Array;
  readonly rows: Float64Array;
  readonly coef: Float64Array;
  readonly out: Float64Array;
  readonly run: (n: number) => void;
  /** Stages the first n rows of `rows` column by column into `staged`. */
  readonly transpose: (n: number) => void;
}

/**
 * Widest X the wasm route takes: its staged block is 64 rows × d (4 MiB at 8,192 columns), made
 * whole however few rows are asked for; wider X stays in JavaScript (2,000,000 columns × 20 rows
 * took 1.3 s on wasm, most of it making a 1 GiB memory).
 */
const MARGINS_MAX_COLUMNS = 8192;

/** Workspaces by (d, k), oldest first: a search scores one shape over and over. */
const workspaces = new Map<string, MarginsWorkspace>();
const MAX_WORKSPACES = 4;

function workspaceFor(d: number, k: number): MarginsWorkspace {
  const key = `${d}/${k}`;
  const known = workspaces.get(key);
  if (known !== undefined) return known;
  const even = (x: number): number => x + (x & 1);
  const stagedWords = MARGIN_BLOCK_ROWS * d, rowsAt = even(stagedWords), coefAt = rowsAt + even(stagedWords);
  const outAt = coefAt + even(k * (d + 1));
  const words = outAt + MARGIN_BLOCK_ROWS * k;
  const { buffer, exports } = kernelInstance(words);
  const margins = exports['margins'] as MarginsFn;
  const transpose = exports['transpose'] as TransposeFn;
  const made: MarginsWorkspace = {
    staged: new Float64Array(buffer, 0, stagedWords),
    rows: new Float64Array(buffer, rowsAt * 8, stagedWords),
    coef: new Float64Array(buffer, coefAt * 8, k * (d + 1)),
    out: new Float64Array(buffer, outAt * 8, MARGIN_BLOCK_ROWS * k),
    run: (n) => margins(0, coefAt * 8, outAt * 8, n, d, k),
    transpose: (n) => transpose(rowsAt * 8, 0, n, d),
  };
  if (workspaces.size >= MAX_WORKSPACES) workspaces.delete(workspaces.keys().next().value!);
  workspaces.set(key, made);
  return made;
}

/** The workspace, or undefined when its wasm memory cannot be had (d in the millions): the JavaScript loop serves. */
function workspaceOrNone(d: number, k: number): MarginsWorkspace | undefined {
  try {
    return workspaceFor(d, k);
  } catch {
    return undefined;
  }
}

/**
 * As margins.ts's linearMargins (same arguments, same bits) on wasm; false, with `out`
 * untouched, where WebAssembly SIMD is unavailable, X has no columns or more than 8,192, or the
 * memory cannot be had.
 * @example
 * ```ts
 * if (!linearMarginsWasm(X, rows, packed, k, out)) linearMarginsJs(X, rows, packed, k, out);
 * ```
 */
export function linearMarginsWasm(
  X: DenseView, rows: Int32Array | undefined, coef: Float64Array, k: number, out: Float64Array,
): boolean {
  const d = X.nCols;
  if (d < 1 || d > MARGINS_MAX_COLUMNS || k < 1 || !wasmGramSupported()) return false;
  const ws = workspaceOrNone(d, k);
  if (ws === undefined) return false;
  ws.coef.set(coef.subarray(0, k * (d + 1)));
  const n = rowCount(X, rows);
  const { data, nRows } = X;
  const { staged, out: outputs } = ws;
  for (let first = 0; first < n; first += MARGIN_BLOCK_ROWS) {
    const m = Math.min(MARGIN_BLOCK_ROWS, n - first);
    if (X.order === 'C') {
      stageRuns(ws.rows, X, rows, first, m);
      ws.transpose(m);
    } else {
      // F order: column j of row r is data[r + j·nRows].
      for (let u = 0; u < m; u++) {
        const r = rows === undefined ? first + u : rows[first + u]!;
        for (let j = 0; j < d; j++) staged[j * MARGIN_BLOCK_ROWS + u] = data[r + j * nRows]!;
      }
    }
    ws.run(m);
    const to = first * k;
    // A whole block's outputs in one copy; the last block's by hand (a subarray view per block would allocate in the loop).
    if (m === MARGIN_BLOCK_ROWS) out.set(outputs, to);
    else for (let i = 0; i < m * k; i++) out[to + i] = outputs[i]!;
  }
  return true;
}
