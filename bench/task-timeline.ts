/**
 * Probe (not a test): one search on a thread pool, with each task's span on each thread, to see
 * where a search's wall goes between the caller's set-up, the fold paths, the refits and the
 * threads' idle ends. Runs the benchmark's search for a workload (W2's logistic search, tol 1e-8,
 * 12 C, 5-fold stratified; or W1's ridge grid) on any X.npy/y.npy folder.
 *
 *   npm run build && node dist/bench/task-timeline.js DIR [--workers 2] [--ridge] [--warm]
 *
 * `--warm` runs the search once untimed on an executor of its own and shows the second run on the
 * same (warm) threads, as the benchmark's warm-pool rows time it.
 *
 * Tasks wait for a thread in submission order (ThreadPoolExecutor's FIFO slots), so each task's
 * start is inferred from the submission and end times: a task starts when it is submitted if a
 * thread is free, else when the running task that ends first ends, on that task's thread. Times
 * are milliseconds from the call to `fit`; the wall includes the caller's refit. An early refit
 * that lost is cut short by the pool's closing: its span ends when the pool closed.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { NdArray } from '../src/data/ndarray.js';
import { openNpy } from '../src/data/npy.js';
import { Ridge } from '../src/models/ridge.js';
import { LogisticRegression } from '../src/models/logistic.js';
import { GridSearch } from '../src/search/grid-search.js';
import { KFold, StratifiedKFold } from '../src/search/splitters.js';
import { createExecutor } from '../src/search/engine.js';
import { ThreadPoolExecutor } from '../src/workers/thread-executor.js';
import type { CandidateRef, TaskMessage } from '../src/workers/protocol.js';
import type { FloatMatrix } from '../src/models/estimator.js';
import { ALPHAS, CS, LOGISTIC, LOGISTIC_SCORING, RIDGE_SCORING } from './common.js';

/** One task as the caller saw it: when it was handed to the executor and when its result came back. */
interface Span {
  readonly label: string;
  readonly submitted: number;
  readonly ended: number;
}

/** A span placed on a thread: `lane` 0..threads − 1, `started` inferred (see the module's comment). */
interface Placed extends Span {
  readonly lane: number;
  readonly started: number;
}

/** A short name for a task: its kind and what it covers. */
function labelOf(task: TaskMessage): string {
  const t = task as { kind: string; fold?: number; candidates?: readonly CandidateRef[]; candidate?: CandidateRef };
  const ids = t.candidates === undefined ? '' : ` #${t.candidates[0]!.id}-${t.candidates.at(-1)!.id}`;
  return `${t.kind}${t.fold === undefined ? '' : ` fold ${t.fold}`}${ids}${t.candidate === undefined ? '' : ` #${t.candidate.id}`}`;
}

/** Wraps the pool's `run` to record every task's span (all pools this process makes). */
function recordSpans(clock: () => number): Span[] {
  const spans: Span[] = [];
  const proto = ThreadPoolExecutor.prototype;
  const run = proto.run;
  proto.run = async function (this: ThreadPoolExecutor, task, signal) {
    const submitted = clock();
    try {
      return await run.call(this, task, signal);
    } finally {
      spans.push({ label: labelOf(task), submitted, ended: clock() });
    }
  };
  return spans;
}

/** Places spans on `threads` lanes, first come first served, as FIFO slots hand out threads. */
function placeOnThreads(spans: readonly Span[], threads: number): Placed[] {
  const running: Placed[] = [];
  const placed: Placed[] = [];
  for (const span of [...spans].sort((a, b) => a.submitted - b.submitted)) {
    let lane = running.length;
    let started = span.submitted;
    if (running.length === threads) {
      running.sort((a, b) => a.ended - b.ended);
      const freed = running.shift()!;
      lane = freed.lane;
      started = Math.max(span.submitted, freed.ended);
    }
    const entry = { ...span, lane, started };
    running.push(entry);
    placed.push(entry);
  }
  return placed;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { workers: { type: 'string', default: '2' }, ridge: { type: 'boolean', default: false }, warm: { type: 'boolean', default: false } },
  });
  const dir = positionals[0] ?? join(process.cwd(), '.cache', 'bench', 'full', 'w2');
  const workers = Number(values.workers);
  const X = openNpy(join(dir, 'X.npy'), { mode: 'r' }) as FloatMatrix;
  const y = openNpy(join(dir, 'y.npy'), { mode: 'r' }) as NdArray;
  let t0 = 0;
  const clock = (): number => Math.round(performance.now() - t0);
  const spans = recordSpans(clock);
  const executor = values.warm ? createExecutor(workers) : undefined;
  const pool = executor === undefined ? { workers } : { executor };
  const newSearch = (): GridSearch => values.ridge
    ? new GridSearch(new Ridge({ alpha: 1 }), { alpha: ALPHAS }, {
      cv: new KFold({ nSplits: 5 }), scoring: [...RIDGE_SCORING.scoring], refit: RIDGE_SCORING.refit, ...pool,
    })
    : new GridSearch(new LogisticRegression({ C: 1, ...LOGISTIC }), { C: CS }, {
      cv: new StratifiedKFold({ nSplits: 5 }), scoring: [...LOGISTIC_SCORING.scoring], refit: LOGISTIC_SCORING.refit, ...pool,
    });
  const search = newSearch();
  let wall: number;
  try {
    if (executor !== undefined) {
      await newSearch().fit(X, y);
      spans.length = 0;
    }
    t0 = performance.now();
    await search.fit(X, y);
    wall = clock();
  } finally {
    await executor?.close();
  }
  const placed = placeOnThreads(spans, workers);
  for (let lane = 0; lane < workers; lane++) {
    const mine = placed.filter((p) => p.lane === lane).sort((a, b) => a.started - b.started);
    console.log(`thread ${lane}:`);
    let free = 0;
    for (const p of mine) {
      const waited = p.started - free;
      console.log(`  ${String(p.started).padStart(6)} → ${String(p.ended).padStart(6)} ms  ${String(p.ended - p.started).padStart(5)} ms  ${p.label}${waited > 0 ? `  (idle ${waited} ms before)` : ''}`);
      free = p.ended;
    }
    console.log(`  idle at the end: ${wall - free} ms`);
  }
  console.log(`search wall ${wall} ms; first task submitted at ${Math.min(...spans.map((s) => s.submitted))} ms; best #${String(search.bestIndex)}`);
}

await main();
