/**
 * The binary scores' row sums (search/decision-scores.ts) on wasm: chunks of rows copied into a
 * wasm memory of this thread's, their labels as flags, and every model's hits and log-loss summed
 * there in row order, the same operations as the JavaScript loop, so both give the same bits.
 *
 * Why: a fold's 40,000 test rows × 12 models took ~12 ms a path in the JavaScript loop once V8
 * had optimised it (half of it Math.log, a call out of compiled code per row and model) and
 * 30-40 ms in a thread's first path, before V8 had; with the loop taken out altogether LB's search
 * ended ~70 ms sooner. On wasm (compiled before its first call): LB's cold search 1177 → 1105 ms,
 * medians of nine interleaved pairs.
 */
import { EXP_TABLE } from './fast-math-module.js';
import { kernelInstance, wasmGramSupported } from './kernel.js';

type BinaryScoresFn = (z: number, flags: number, n: number, M: number, hits: number, losses: number, withLoss: number, texp: number) => void;

/**
 * Decision values a chunk takes (256 KiB): they stay in cache between the copy and the sums,
 * and the workspace stays small however many models a path has.
 */
const CHUNK_VALUES = 32_768;
/** Rows a chunk takes at most, and at least (then 64 × M values: 2 MiB at 4,096 models). */
const CHUNK_ROWS_MAX = 2048;
const CHUNK_ROWS_MIN = 64;
/** Fewer values than this are summed by the JavaScript loop: the copies would cost more than they save. */
export const BINARY_SCORES_WASM_MIN = 4096;
/** The most models the wasm route takes. */
const MAX_MODELS = 4096;

/** Rows per chunk for M models: CHUNK_VALUES of them, within CHUNK_ROWS_MIN .. CHUNK_ROWS_MAX rows, even (the flags fill whole words). */
function chunkRowsFor(M: number): number {
  return Math.min(CHUNK_ROWS_MAX, Math.max(CHUNK_ROWS_MIN, Math.floor(CHUNK_VALUES / M))) & ~1;
}

/** fastExp's table, the models' sums, a chunk's flags and its decision values, in one memory. */
interface ScoresWorkspace {
  readonly models: number;
  /** Rows a chunk holds, for up to `models` models. */
  readonly rows: number;
  readonly hits: Float64Array;
  readonly losses: Float64Array;
  readonly flags: Int32Array;
  readonly z: Float64Array;
  /** Sums the first n rows of the chunk for the first M models. */
  readonly run: (n: number, M: number, withLoss: boolean) => void;
}

let workspace: ScoresWorkspace | undefined;

function workspaceFor(M: number): ScoresWorkspace {
  if (workspace !== undefined && workspace.models >= M) return workspace;
  const rows = chunkRowsFor(M);
  const tableAt = 0, hitsAt = EXP_TABLE.length, lossesAt = hitsAt + M, flagsAt = lossesAt + M;
  const zAt = flagsAt + rows / 2; // `rows` i32 flags in rows / 2 words (rows is even)
  const words = zAt + rows * M;
  const { buffer, exports } = kernelInstance(words);
  const scores = exports['binaryScores'] as BinaryScoresFn;
  new Float64Array(buffer, tableAt * 8, EXP_TABLE.length).set(EXP_TABLE);
  workspace = {
    models: M,
    rows,
    hits: new Float64Array(buffer, hitsAt * 8, M),
    losses: new Float64Array(buffer, lossesAt * 8, M),
    flags: new Int32Array(buffer, flagsAt * 8, rows),
    z: new Float64Array(buffer, zAt * 8, rows * M),
    run: (n, models, withLoss) => scores(zAt * 8, flagsAt * 8, n, models, hitsAt * 8, lossesAt * 8, withLoss ? 1 : 0, tableAt * 8),
  };
  return workspace;
}

/** The workspace, or undefined when its wasm memory cannot be had: the JavaScript loop serves. */
function workspaceOrNone(M: number): ScoresWorkspace | undefined {
  try {
    return workspaceFor(M);
  } catch {
    return undefined;
  }
}

/**
 * decision-scores.ts's sumBinaryRows on wasm (same arguments, same bits): false, with `hits` and
 * `losses` untouched, where WebAssembly SIMD is unavailable, the values are fewer than
 * {@link BINARY_SCORES_WASM_MIN}, the models more than 4,096 or the memory cannot be had.
 * @example
 * ```ts
 * if (!binaryScoresWasm(yTrue, z, M, classes, hits, losses)) sumBinaryRowsJs(yTrue, z, M, classes, hits, losses);
 * ```
 */
export function binaryScoresWasm(
  yTrue: Float64Array, z: Float64Array, M: number, classes: Float64Array, hits: Float64Array, losses: Float64Array | undefined,
): boolean {
  const n = yTrue.length;
  if (n * M < BINARY_SCORES_WASM_MIN || M > MAX_MODELS || z.length < n * M || !wasmGramSupported()) return false;
  const ws = workspaceOrNone(M);
  if (ws === undefined) return false;
  const first = classes[0]!, second = classes[1]!;
  // The sums continue from the caller's values, so each runs in the JavaScript loop's order.
  const wsHits = ws.hits.subarray(0, M), wsLosses = ws.losses.subarray(0, M);
  wsHits.set(hits.subarray(0, M));
  if (losses !== undefined) wsLosses.set(losses.subarray(0, M));
  for (let from = 0; from < n; from += ws.rows) {
    const m = Math.min(ws.rows, n - from);
    for (let u = 0; u < m; u++) {
      const t = yTrue[from + u]!;
      ws.flags[u] = t === first ? 1 : t === second ? 2 : 0;
    }
    // One view per chunk (thousands of values), not per row: TypedArray.set copies it at memcpy speed.
    ws.z.set(z.subarray(from * M, (from + m) * M));
    ws.run(m, M, losses !== undefined);
  }
  hits.set(wsHits);
  if (losses !== undefined) losses.set(wsLosses);
  return true;
}
