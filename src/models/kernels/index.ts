/**
 * The kernel layer's front door: every model and plan calls kernels through here. The O(d²)
 * kernels (Gram statistics, Newton sweeps with a Hessian) run on the WebAssembly SIMD backend
 * where Node has it and on the JavaScript backend otherwise; {@link backendFor} is the one
 * place that choice is made, and {@link withBackend} lets tests run each kernel on each backend.
 * Linear outputs (margins) run on wasm too, with the JavaScript loop's bits; the other O(n·d)
 * kernels (loss + gradient sweeps, sums, scans) have one implementation.
 *
 * Kernels take X as a {@link DenseView} and an optional `rows` index array, so a fold is
 * fitted in place without copying rows out; they never allocate per row, and they accumulate
 * (`+=`) into caller-provided outputs so statistics can be summed over blocks, folds and threads.
 */
import { choleskyJs, choleskySolveInPlace } from './js/cholesky.js';
import { accumulateGramJs, GRAM_UNROLL } from './js/gram.js';
import { applyReflectorsJs, tridiagonalizeJs, type Tridiagonal } from './js/tridiagonal.js';
import { logisticLossGradJs, softmaxLossGradJs } from './js/loss.js';
import { logisticNewtonSweepJs, softmaxNewtonSweepJs } from './js/newton.js';
import { rowCount, type DenseView, type GramStats, type SweepRows } from './types.js';
import { choleskyWasm, WasmCholesky } from './wasm/cholesky.js';
import { applyReflectorsWasm, forgetReflectors, tridiagonalizeWasm } from './wasm/tridiagonal.js';
import { dropKeptRowKernels, wasmGramKernel, wasmGramSupported, type GramKernel } from './wasm/kernel.js';
import { accumulateGramWasm, logisticSweepWasm, softmaxHessianOutputs, softmaxSweepWasm } from './wasm/sweeps.js';
import { linearMarginsJs } from './margins.js';
import { linearMarginsWasm } from './wasm/margins.js';

export * from './types.js';
export { columnSums, vectorSum } from './sums.js';
export { firstNonFiniteRow, firstNonFiniteValue } from './scan.js';
export { log1pExp, sigmoid } from './logistic-math.js';
export { newtonScratchLength } from './js/newton.js';
export { GRAM_UNROLL, choleskySolveInPlace };
export type { Tridiagonal };

/** A kernel backend: the JavaScript kernels, or the WebAssembly SIMD ones. */
export type BackendName = 'js' | 'wasm';

const BACKEND_ENV = 'MEMGRID_KERNEL_BACKEND';
/** Forced backend: withBackend's, else the environment's (for benchmarks across threads), else none. */
let forced: BackendName | undefined = backendFromEnv();
let last: BackendName | undefined;

function backendFromEnv(): BackendName | undefined {
  const v = process.env[BACKEND_ENV];
  return v === 'js' || v === 'wasm' ? v : undefined;
}

/**
 * The wasm kernel that runs an O(d²) operation over d columns (into `outputs` matrices at
 * once; with room for `keptRows` kept rows when asked and there is memory: wasm/kept-rows.ts), or
 * undefined when the JavaScript backend runs it: wasm wherever Node has WebAssembly SIMD, unless a backend is
 * forced. Forcing `wasm` where it is unavailable throws, so a test asking for it cannot
 * silently compare JavaScript with JavaScript.
 */
export function backendFor(d: number, outputs = 1, classes = 1, keptRows = 0): GramKernel | undefined {
  const kernel = forced === 'js' ? undefined : wasmGramKernel(d, outputs, classes, keptRows);
  if (forced === 'wasm' && kernel === undefined) {
    throw new Error(`the wasm kernel backend was requested but is unavailable here (WebAssembly SIMD, d = ${d})`);
  }
  last = kernel === undefined ? 'js' : 'wasm';
  return kernel;
}

/**
 * Runs `fn` with every O(d²) kernel on `backend`, then restores the previous choice (after
 * the promise settles when `fn` is async). For tests and measurements; this thread only
 * (worker threads read `MEMGRID_KERNEL_BACKEND` when they start).
 * @example
 * ```ts
 * const js = withBackend('js', () => { accumulateGram(X, rows, y, c, 0, a); return lastBackend(); }); // 'js'
 * ```
 */
export function withBackend<T>(backend: BackendName, fn: () => T): T {
  const previous = forced;
  forced = backend;
  let result: T;
  try {
    result = fn();
  } catch (error) {
    forced = previous;
    throw error;
  }
  if (result instanceof Promise) return result.finally(() => { forced = previous; }) as T;
  forced = previous;
  return result;
}

/** The backend the last O(d²) kernel call (or linear outputs) in this thread ran on (undefined before any). */
export function lastBackend(): BackendName | undefined {
  return last;
}

/** Rows below which linear outputs stay in JavaScript: staging a block for a handful of rows costs more than it saves. */
const MARGINS_WASM_MIN_ROWS = 16;

/**
 * Linear outputs for the chosen rows, `out[r*k + c] = x_row · w_c + b_c` (packed coefficients,
 * k blocks of nCols + 1; overwrites `out`, length rows·k): what predict, decision_function and
 * the scorers read. On wasm from 16 rows (a search's 12 multinomial models on 20,000 test rows:
 * 65 → 16 ms), in JavaScript otherwise; both sum each output in the same order, so the numbers
 * are the same bit for bit whichever runs (forcing wasm runs it for any row count; X wider than
 * 8,192 columns stays in JavaScript: wasm/margins.ts).
 * @example
 * ```ts
 * const z = new Float64Array(X.nRows);
 * linearMargins(X, undefined, packedCoef, 1, z); // ridge predictions
 * ```
 */
export function linearMargins(X: DenseView, rows: Int32Array | undefined, coef: Float64Array, k: number, out: Float64Array): void {
  if (forced !== 'js' && (forced === 'wasm' || rowCount(X, rows) >= MARGINS_WASM_MIN_ROWS)) {
    if (linearMarginsWasm(X, rows, coef, k, out)) {
      last = 'wasm';
      return;
    }
    if (forced === 'wasm' && !wasmGramSupported()) throw new Error('the wasm kernel backend was requested but is unavailable here (WebAssembly SIMD, linear outputs)');
  }
  linearMarginsJs(X, rows, coef, k, out);
  last = 'js';
}

/** Below this size the JavaScript factorisation wins: copying in and out of wasm costs O(n²) too. */
const CHOLESKY_WASM_MIN = 24;

/**
 * The lower Cholesky factor of a row-major symmetric n×n matrix, in place (the upper triangle is
 * left as it was); false when it is not positive definite. Ridge's and the Newton solver's one
 * factorisation: wasm from n = 24 up (on 330 × 330 about 6× fewer instructions), JavaScript below.
 * @example
 * ```ts
 * if (choleskyInPlace(A, n)) choleskySolveInPlace(A, n, b);
 * ```
 */
export function choleskyInPlace(A: Float64Array, n: number): boolean {
  if (n >= CHOLESKY_WASM_MIN && forced !== 'js' && wasmGramSupported()) {
    last = 'wasm';
    return choleskyWasm(A, n);
  }
  if (forced === 'wasm' && !wasmGramSupported()) throw new Error('the wasm kernel backend was requested but is unavailable here (WebAssembly SIMD)');
  last = 'js';
  return choleskyJs(A, n);
}

/**
 * A reusable Cholesky factor of n×n matrices: fill `matrix`'s lower triangle (row i at
 * i·stride), `factor()`, then `solve(b)` (b ← A⁻¹b) as often as needed. On wasm from n = 24 up
 * (the factor stays in wasm memory, the solves run there), JavaScript below.
 */
export interface CholeskyStore {
  readonly matrix: Float64Array;
  readonly stride: number;
  factor(): boolean;
  solve(b: Float64Array): void;
}

/** This thread's wasm stores by size (each a wasm memory of its own, so they are kept, not remade per fit). */
const wasmStores = new Map<number, WasmCholesky>();
const MAX_WASM_STORES = 4;

/**
 * A {@link CholeskyStore} for n×n matrices on this thread's backend. A wasm store is shared by
 * every caller asking for the same n on this thread: the Newton solver, its one user, runs a
 * whole path synchronously and factors before it solves, so no two factors of one size are in
 * use at once.
 * @example
 * ```ts
 * const store = choleskyStore(n);
 * for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) store.matrix[i * store.stride + j] = A[i * n + j]!;
 * if (store.factor()) store.solve(b);
 * ```
 */
export function choleskyStore(n: number): CholeskyStore {
  if (n >= CHOLESKY_WASM_MIN && forced !== 'js' && wasmGramSupported()) {
    let store = wasmStores.get(n);
    try {
      store ??= new WasmCholesky(n);
    } catch {
      // A wasm memory this large could not be had: the JavaScript factor below.
    }
    if (store !== undefined) {
      if (wasmStores.size >= MAX_WASM_STORES && !wasmStores.has(n)) wasmStores.delete(wasmStores.keys().next().value!);
      wasmStores.set(n, store);
      last = 'wasm';
      return store;
    }
  }
  if (forced === 'wasm' && !wasmGramSupported()) throw new Error('the wasm kernel backend was requested but is unavailable here (WebAssembly SIMD)');
  last = 'js';
  const matrix = new Float64Array(n * n);
  return { matrix, stride: n, factor: () => choleskyInPlace(matrix, n), solve: (b) => choleskySolveInPlace(matrix, n, b) };
}

/**
 * Householder reduction of the row-major symmetric d×d `A` (not modified) to tridiagonal form,
 * A = Q T Qᵀ, into `out` (T's diagonal and sub-diagonal, Q's reflectors): wasm from d = 24 up,
 * JavaScript below, the same reflectors either way.
 * @example
 * ```ts
 * tridiagonalize(gram, d, out);
 * ```
 */
export function tridiagonalize(A: Float64Array, d: number, out: Tridiagonal): void {
  if (d >= CHOLESKY_WASM_MIN && forced !== 'js' && wasmGramSupported()) {
    last = 'wasm';
    tridiagonalizeWasm(A, d, out);
    return;
  }
  if (forced === 'wasm' && !wasmGramSupported()) throw new Error('the wasm kernel backend was requested but is unavailable here (WebAssembly SIMD)');
  last = 'js';
  forgetReflectors();
  tridiagonalizeJs(A.slice(0, d * d), d, out);
}

/**
 * x ← Qᵀx, or Qx when `backward`, for the reflectors of a reduction by {@link tridiagonalize}
 * (`out`, d×d): wasm from d = 24 up, JavaScript below, the same bits either way. What ridge's
 * shifted solves spend their O(d²) per alpha on (125 of them a 512-wide, 25-alpha, 5-fold grid).
 * @example
 * ```ts
 * applyReflectors(solver, d, x, true); // x ← Qx
 * ```
 */
export function applyReflectors(out: Tridiagonal, d: number, x: Float64Array, backward: boolean): void {
  if (d >= CHOLESKY_WASM_MIN && forced !== 'js' && wasmGramSupported()) {
    last = 'wasm';
    applyReflectorsWasm(out, d, x, backward);
    return;
  }
  if (forced === 'wasm' && !wasmGramSupported()) throw new Error('the wasm kernel backend was requested but is unavailable here (WebAssembly SIMD)');
  last = 'js';
  applyReflectorsJs(out, d, x, backward);
}

/**
 * Accumulate {@link GramStats} over the chosen rows: with z = x − shift and t = y − yShift,
 * xtx += Σ zzᵀ (upper triangle), xty += Σ z t, xSum += Σ z, ySum += Σ t, yty += Σ t²,
 * count += rows. `y` may be omitted (t = 0). `scratch` (length ≥ 4·nCols) spares the
 * JavaScript backend an allocation when called per block. With `weight` (by row id, as
 * `y`), every term is times its row's weight and count grows by Σw: weighted least squares'
 * statistics, from the same single read of each row.
 * @example
 * ```ts
 * const s = gramStats(d);
 * accumulateGram(X, undefined, y, means, yMean, s);
 * symmetrizeUpper(s.xtx, d);
 * accumulateGram(X, fold.train, y, means, yMean, gramStats(d), undefined, sampleWeight); // Σ w zzᵀ, ...
 * ```
 */
export function accumulateGram(
  X: DenseView, rows: Int32Array | undefined, y: Float64Array | undefined,
  shift: Float64Array | undefined, yShift: number, out: GramStats, scratch?: Float64Array, weight?: Float64Array,
): void {
  const kernel = backendFor(X.nCols);
  if (kernel !== undefined) accumulateGramWasm(kernel, X, rows, y, shift, yShift, out, weight);
  else accumulateGramJs(X, rows, y, shift, yShift, out, scratch, weight);
}

/**
 * Binary log-loss over the chosen rows, z = (x − shift)·w + b: loss += ω·(log(1+e^z) − t·z) and
 * grad += ω·(σ(z) − t)·[x − shift, 1] (packed, length nCols+1), ω the row's weight. Returns the
 * summed loss; no penalty.
 * @example
 * ```ts
 * grad.fill(0);
 * const loss = logisticLossGrad({ X, rows }, t, coef, grad);
 * ```
 */
export function logisticLossGrad(data: SweepRows, target: Float64Array, coef: Float64Array, grad: Float64Array): number {
  return logisticLossGradJs(data, target, coef, grad);
}

/**
 * Multinomial log-loss over k classes: loss += ω·(logΣe^z − z_label), grad_c += ω·(p_c − [c = label])·[x − shift, 1]
 * (packed, k·(nCols+1)). `scratch` holds 2k numbers. Returns the summed loss; no penalty.
 * @example
 * ```ts
 * const loss = softmaxLossGrad({ X, rows }, labels, 3, coef, grad, new Float64Array(6));
 * ```
 */
export function softmaxLossGrad(
  data: SweepRows, label: Int32Array, k: number, coef: Float64Array, grad: Float64Array, scratch: Float64Array,
): number {
  return softmaxLossGradJs(data, label, k, coef, grad, scratch);
}

/**
 * Lets go of this thread's kept rows (wasm/kept-rows.ts): the kernel holding them is dropped,
 * with its memory. A fit on the main thread calls it when it ends, so that up to the budget's
 * MiB do not stay with the process; a pool thread keeps them for its next path.
 */
export function releaseKeptRows(): void {
  dropKeptRowKernels();
}

/** Kept rows a sweep over `data` asks its kernel for (the kernel holds to the budget): its row count when marked `keep: true`, else 0 (`'existing'` asks for no room). */
function keptRowsFor(data: SweepRows): number {
  return data.keep === true ? rowCount(data.X, data.rows) : 0;
}

/**
 * One Newton sweep of binary log-loss: the loss and gradient of {@link logisticLossGrad} and,
 * when `hess` is given, hess += Σ ω·σ(1−σ)·[x̃, 1][x̃, 1]ᵀ, x̃ = x − shift (upper triangle of a
 * row-major (d+1)×(d+1) matrix: call symmetrizeUpper once done). One read of each row serves
 * all three. `scratch` length ≥ newtonScratchLength(d, 1). `roundingPerRow` (default 0: none)
 * lets the wasm kernel sum the Hessian's products in single precision where its rounding, in
 * spectral norm, provably stays under roundingPerRow per row swept (wasm/single-gram-module.ts);
 * the JavaScript kernel always sums in double precision.
 * @example
 * ```ts
 * grad.fill(0); hess.fill(0);
 * const loss = logisticNewtonSweep({ X, rows }, t, coef, grad, hess, scratch);
 * symmetrizeUpper(hess, X.nCols + 1);
 * ```
 */
export function logisticNewtonSweep(
  data: SweepRows, target: Float64Array, coef: Float64Array, grad: Float64Array, hess: Float64Array | undefined,
  scratch: Float64Array, roundingPerRow = 0,
): number {
  // Gradient passes too: with blocks loaded by memcpy and the per-row work in wasm, the wasm sweep
  // is faster than the JavaScript loop at every width measured (160,000 training rows, JavaScript
  // against wasm: × 2 features 4.8 / 3.8 ms, × 8 6.4 / 5.6, × 16 8.5 / 7.9, × 32 12.1 / 10.2).
  const kernel = backendFor(data.X.nCols + 1, 1, 1, keptRowsFor(data));
  if (kernel !== undefined) return logisticSweepWasm(kernel, data, target, coef, grad, hess, roundingPerRow);
  return hess === undefined
    ? logisticLossGradJs(data, target, coef, grad)
    : logisticNewtonSweepJs(data, target, coef, grad, hess, scratch);
}

/**
 * One Newton sweep of multinomial log-loss over k classes: loss and gradient as
 * {@link softmaxLossGrad} and, when `hess` is given, Σ ω·[x̃,1][x̃,1]ᵀ ⊗ (diag(p) − ppᵀ) as a
 * row-major K×K matrix, K = k·(d+1), in packed order (upper triangle of the diagonal blocks,
 * whole blocks above). `scratch` length ≥ newtonScratchLength(d, k). The wasm kernel leaves out
 * each row's class-pair terms with |ω·p_c·p_c'|·‖[x̃,1]‖² < `negligible` (default 0: none), and
 * with `roundingPerRow` > 0 sums class pairs' products in single precision where their rounding
 * stays under it, as {@link logisticNewtonSweep} does; the JavaScript kernel sums every term in
 * double precision.
 * @example
 * ```ts
 * const loss = softmaxNewtonSweep({ X, rows }, labels, 3, coef, grad, hess, scratch);
 * symmetrizeUpper(hess, 3 * (X.nCols + 1));
 * ```
 */
export function softmaxNewtonSweep(
  data: SweepRows, label: Int32Array, k: number, coef: Float64Array, grad: Float64Array,
  hess: Float64Array | undefined, scratch: Float64Array, negligible = 0, roundingPerRow = 0,
): number {
  const kernel = backendFor(data.X.nCols + 1, softmaxHessianOutputs(k), k, keptRowsFor(data));
  if (kernel !== undefined) return softmaxSweepWasm(kernel, data, label, k, coef, grad, hess, negligible, roundingPerRow);
  return hess === undefined
    ? softmaxLossGradJs(data, label, k, coef, grad, scratch)
    : softmaxNewtonSweepJs(data, label, k, coef, grad, hess, scratch);
}
