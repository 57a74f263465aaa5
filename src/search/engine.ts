/**
 * The engine every search and curve runs on: validate inputs, persist the data once,
 * compute folds once, plan tasks, run them on an executor, and gather fit records.
 */
import { setMaxListeners } from 'node:events';
import { availableParallelism } from 'node:os';
import { checkStoreUnchanged, isMapped, persistDataset, writeFoldSet } from '../data/index.js';
import type { NdArray } from '../data/ndarray.js';
import { AbortError, FitError, MemgridError, ValueError } from '../errors.js';
import type { Estimator, FloatMatrix, Params } from '../models/estimator.js';
import { specOf, validateSpecParams } from '../models/registry.js';
import { builtInHandlerModule } from '../workers/bundle.js';
import { InlineExecutor } from '../workers/inline-executor.js';
import type { Executor, FitRecord, TaskResult } from '../workers/protocol.js';
import { ThreadPoolExecutor } from '../workers/thread-executor.js';
import { EarlyRefit, leadingCandidate } from './early-refit.js';
import { checkFitParams } from './fit-params.js';
import type { FitKey, HostMemory, SearchFitOptions, SearchOptions, WorkerMemory } from './options.js';
import type { PendingFit, Plan, TaskContext, WarmStarts } from './plan.js';
import { planTasks } from './planner.js';
import type { Scorer } from './scorers.js';
import { planScoring, type ScoringOption, type ScoringPlan } from './scoring.js';
import { resolveCv } from './splitters.js';
import { handleTask } from './task-runner.js';
import type { Fold } from './types.js';
import { checkFiniteMatrix } from '../models/checks.js';
import { checkInputShapes, checkTargetValues } from './validate.js';

const HANDLER_URL = builtInHandlerModule();

/** Everything a finished evaluation hands back to the search that asked for it. */
export interface Evaluation {
  readonly records: FitRecord[];
  readonly folds: readonly Fold[];
  /** Metric names, in order. */
  readonly scoring: readonly string[];
  /** True when scoring was a list or dict: cvResults columns keep each metric's name. */
  readonly multimetric: boolean;
  /** Each metric's scorer (for `search.score`). */
  readonly scorers: ReadonlyMap<string, Scorer>;
  readonly storeHash: string;
  /** The per-row fit params routed to every fit (checked), for a refit on all rows. */
  readonly fitParams: Readonly<Record<string, Float64Array>>;
  /** The estimator refitted on all rows from work the plan already did, when it can (see Plan.refit). */
  readonly refit: (candidate: number) => Estimator | undefined;
  /**
   * Settles once the threads the evaluation started are gone. With `deferClose` they are still
   * closing when the evaluation returns, so that the caller's refit and results overlap their
   * closing (it rejects if closing failed). Resolved otherwise.
   */
  readonly released: Promise<void>;
}

/** What to evaluate: candidate params, and train sizes for learning curves. */
export interface EvaluationRequest {
  readonly estimator: Estimator;
  readonly X: FloatMatrix;
  readonly y: NdArray;
  readonly candidates: readonly Params[];
  /** Train sizes for learning curves, from the folds and the labels (float64, one per row). */
  readonly trainSizes?: (folds: readonly Fold[], labels: Float64Array) => readonly number[];
  readonly options: SearchOptions;
  /** `fit(X, y, { sampleWeight, groups })`'s options: weights routed to every fit, groups to the splitter. */
  readonly fitOptions?: SearchFitOptions;
  /** Warm starts from an earlier evaluation and solutions kept for a later one (halving rungs). */
  readonly warm?: WarmStarts;
  /**
   * The metric whose mean test score will pick the candidate to refit, from the scoring's names
   * (undefined: no refit): the leading candidate is then refitted while the last tasks run,
   * where the plan allows (early-refit.ts).
   */
  readonly refitMetric?: (scoring: readonly string[]) => string | undefined;
  /** Return before the threads this evaluation starts have closed: `released` settles when they have (see Evaluation). */
  readonly deferClose?: boolean;
}

/**
 * Runs every (candidate, fold[, train size]) fit of a request.
 * Input errors reject before any task is sent (the threads may have started).
 */
export async function evaluate(request: EvaluationRequest): Promise<Evaluation> {
  const { estimator, X, y, candidates, options } = request;
  checkInputShapes(X, y);
  const fitArrays = checkFitParams(estimator, request.fitOptions, X.shape[0]!);
  const spec = specOf(estimator);
  for (const params of candidates) validateSpecParams(spec, { ...spec.params, ...params });
  const splitter = resolveCv(options.cv as never, estimator.kind === 'classifier');
  const scoring = await planScoring(options.scoring as ScoringOption | undefined, estimator.kind);
  options.signal?.throwIfAborted?.();

  // Start the threads now: they load their modules while this thread checks y, computes the
  // folds, persists the data and reads X for non-finite values. No task is sent before all of
  // it passes (a plan that checks X in its own pass fails with the same error after it).
  let executor: Executor | undefined;
  let closing: Promise<void> | undefined;
  try {
    executor = options.executor ?? createExecutor(options.workers);
    checkInlineScorers(scoring, executor);
    const labels = checkTargetValues(estimator, X, y);
    const groups = request.fitOptions?.groups;
    if (groups !== undefined && groups.length !== labels.length) {
      throw new ValueError(`groups has ${groups.length} labels, expected one per row of X (${labels.length})`);
    }
    const folds = splitter.split(labels.length, labels, groups);
    const sizes = request.trainSizes?.(folds, labels);
    options.signal?.throwIfAborted?.();
    const store = persistDataset(X, y, options.storeRoot === undefined ? {} : { root: options.storeRoot });
    const foldSet = writeFoldSet(store.dir, folds, fitArrays);
    const fitParams = Object.keys(fitArrays).sort();
    const context: TaskContext = {
      store: store.dir, foldSet, model: spec, scoring: scoring.names,
      ...(Object.keys(scoring.sources).length === 0 ? {} : { scorers: scoring.sources }),
      ...(fitParams.length === 0 ? {} : { fitParams }),
      returnTrainScore: options.returnTrainScore ?? false, errorScore: options.errorScore ?? Number.NaN,
    };
    const keyOf = (fit: PendingFit): FitKey => ({
      data: store.hash, folds: foldSet, model: spec.name, params: { ...spec.params, ...candidates[fit.candidate]! },
      fold: fit.fold, ...(fit.trainSize === undefined ? {} : { trainSize: fit.trainSize }),
    });
    const records: FitRecord[] = [];
    const pending: PendingFit[] = [];
    for (const fit of allFits(candidates.length, folds.length, sizes)) {
      const done = options.completed?.(keyOf(fit));
      if (done) records.push({ ...done, candidate: fit.candidate, fold: fit.fold });
      else pending.push(fit);
    }
    const plan = planTasks({
      pending, candidates, context, concurrency: executor.concurrency, folds, X, y, target: labels, storeX: store.X as FloatMatrix,
      ...(request.warm ? { warm: request.warm } : {}),
    });
    // One flat scan per window of X, natively through its mapping (data/finite.ts: 17 ms on
    // 100,000 × 128, where reading the file for a JavaScript scan took ~45 in a search), and a
    // second scan, for the row and column to name, only where it finds a bad value. A mapped X is
    // scanned through the store's mapping, which holds the same values and is the one mapping
    // every thread of this process reads (shareMapping): the page-table faults the scan pays are
    // then not paid again by each thread's first task.
    if (!plan.checksFiniteX) checkFiniteMatrix(isMapped(X) ? store.X as FloatMatrix : X);
    options.signal?.throwIfAborted?.();
    const metric = request.refitMetric?.(scoring.names);
    const early = metric === undefined ? undefined : earlyRefit(plan, executor, metric, folds.length, options.executor !== undefined);
    const report = progressReporter(records, records.length + pending.length, keyOf, options);
    try {
      await runAll(executor, plan, options.signal, report, () => early?.taskFinished(records));
    } finally {
      // No early refit starts once the tasks are over; the winner's, if running, is awaited (and on a shared pool every one).
      await early?.settle(leadingCandidate(records, metric!));
    }
    checkStoreUnchanged(store);
    checkNotAllFailed(records, scoring.names);
    const refit = (candidate: number): Estimator | undefined => early?.refitted(candidate) ?? plan.refit?.(candidate);
    // The threads take ~25-30 ms to end (LB, LW): neither the caller's refit nor its return waits for them.
    if (request.deferClose === true && !options.executor) closing = executor.close();
    return {
      records, folds, scoring: scoring.names, multimetric: scoring.multimetric, scorers: scoring.scorers, storeHash: store.hash,
      refit, fitParams: fitArrays, released: closing ?? Promise.resolve(),
    };
  } finally {
    scoring.release();
    if (!options.executor && closing === undefined) await executor?.close();
  }
}

/**
 * The early refit of a search that refits on `metric`, where the plan can refit on a thread and
 * the executor runs such tasks (see early-refit.ts); `shared`: the caller's executor.
 */
function earlyRefit(plan: Plan, executor: Executor, metric: string, folds: number, shared: boolean): EarlyRefit | undefined {
  if (plan.refitTask === undefined || executor.runsEarlyRefits !== true) return undefined;
  return new EarlyRefit({ plan, executor, metric, folds, shared });
}

/**
 * A scorer made by makeScorer is a closure: it exists in this thread only. Tasks that need it
 * must run here, so a thread pool or queue is refused with the way out.
 */
function checkInlineScorers(scoring: ScoringPlan, executor: Executor): void {
  if (!scoring.inline || executor instanceof InlineExecutor) return;
  const names = Object.entries(scoring.sources).filter(([, s]) => s.kind === 'inline').map(([name]) => `'${name}'`);
  throw new ValueError(
    `scoring ${names.join(', ')}: a scorer made by makeScorer lives in this thread and worker threads cannot receive a closure; `
    + 'run the search with workers: 0, or export the scorer from a module and pass { module: \'./my-scorer.js\', name: \'...\' } (see the README, "Custom scorers")',
  );
}

/** Collects each batch of records, journals them, and reports progress with the workers' memory. */
function progressReporter(
  records: FitRecord[], total: number, keyOf: (fit: PendingFit) => FitKey, options: SearchOptions,
): (batch: readonly FitRecord[], worker?: TaskResult['worker']) => void {
  const started = performance.now();
  const memory = new Map<string, WorkerMemory>();
  const hosts = new Map<string, HostMemory>();
  return (batch, worker) => {
    for (const record of batch) {
      records.push(record);
      options.onRecord?.(record, keyOf(record));
    }
    if (worker) {
      const { host, datasetResident, heapUsed, privateBytes } = worker;
      memory.set(worker.worker, { worker: worker.worker, host, datasetResident, heapUsed, privateBytes });
      hosts.set(host, { host, totalBytes: worker.hostTotalBytes, freeBytes: worker.hostFreeBytes });
    }
    options.onProgress?.({
      done: records.length, total, elapsed: (performance.now() - started) / 1000,
      ...(memory.size > 0 ? { workers: [...memory.values()], hosts: [...hosts.values()] } : {}),
    });
  };
}

/**
 * The executor a search uses by default: `workers` threads running memgrid's task handler
 * (default `os.availableParallelism()`), or this thread when `workers` is 0. Create one
 * yourself to share a warm pool (threads that already mapped the data) between searches.
 * @example
 * ```ts
 * const executor = createExecutor(2);
 * try { await new GridSearch(model, grid, { executor }).fit(X, y); } finally { await executor.close(); }
 * ```
 */
export function createExecutor(workers?: number): Executor {
  const threads = workers ?? availableParallelism();
  return threads === 0 ? new InlineExecutor(handleTask) : new ThreadPoolExecutor({ threads, handlerModule: HANDLER_URL });
}

function* allFits(nCandidates: number, nFolds: number, sizes: readonly number[] | undefined): Generator<PendingFit> {
  for (const trainSize of sizes ?? [undefined]) {
    for (let candidate = 0; candidate < nCandidates; candidate++) {
      for (let fold = 0; fold < nFolds; fold++) {
        yield trainSize === undefined ? { candidate, fold } : { candidate, fold, trainSize };
      }
    }
  }
}

/**
 * Submits every task at once (the executor queues them) and hands each result to `onBatch`
 * as it arrives, then calls `onTaskDone` (while no failure has stopped the search). On abort,
 * on a task rejecting or on `onBatch` throwing (the journal cannot be written), waits for tasks
 * already running to settle so that no result arrives after the search has returned.
 */
async function runAll(
  executor: Executor, plan: Plan, signal: AbortSignal | undefined,
  onBatch: (records: readonly FitRecord[], worker?: TaskResult['worker']) => void, onTaskDone: () => void,
): Promise<void> {
  const inner = new AbortController();
  // Every queued task listens on this signal; the count is bounded by the plan, not a leak.
  setMaxListeners(0, inner.signal);
  const forward = (): void => inner.abort(signal?.reason);
  signal?.addEventListener('abort', forward, { once: true });
  let failure: unknown;
  const stop = (error: unknown): void => {
    failure ??= error;
    inner.abort(error);
  };
  const deliver = (records: () => readonly FitRecord[], worker?: TaskResult['worker']): void => {
    if (failure !== undefined) return;
    try {
      onBatch(records(), worker);
    } catch (error) {
      stop(error);
    }
  };
  try {
    await Promise.all(plan.tasks.map(async (task) => {
      try {
        const result = await executor.run(task, inner.signal);
        deliver(() => plan.collect(task, result), result.worker);
      } catch (error) {
        // A task that failed as a whole (its thread died, its worker's handler threw) scores its
        // fits as failed, if the plan can; a queue that lost it or refused it never does.
        const records = inner.signal.aborted || !isFitFailure(error) ? undefined : plan.failed(task, error);
        if (records) deliver(() => records);
        else stop(error);
      }
      if (failure === undefined) onTaskDone();
    }));
  } finally {
    signal?.removeEventListener('abort', forward);
  }
  if (signal?.aborted) throw new AbortError('search aborted: finished fits were reported, the rest did not run');
  if (failure !== undefined) throw failure;
}

/**
 * Whether a task's failure is the failure of its fits: an error from the task itself (a thread
 * that died, a handler that threw: plain errors, or a FitError a queue reports), not from
 * moving it (a QueueError), aborting it, or this process (a WriteError).
 */
function isFitFailure(error: unknown): boolean {
  return !(error instanceof MemgridError) || error instanceof FitError;
}

function checkNotAllFailed(records: readonly FitRecord[], scoring: readonly string[]): void {
  if (records.length === 0 || records.some((r) => r.error === undefined)) return;
  const scorer = scoring[0]!;
  const first = records.find((r) => r.error !== undefined);
  throw new FitError(
    `all ${records.length} fits failed (first error: ${first?.error ?? 'unknown'}); ` +
    `no ${scorer} score could be computed. Check the data and the parameter grid.`,
  );
}
