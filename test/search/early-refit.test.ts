/**
 * The refit run on a free thread while a search's last tasks run (src/search/early-refit.ts):
 * which candidates it refits and when, that the search takes its estimator, and that it is the
 * refit after the tasks to the bit.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ndarray } from '../../src/data/ndarray.js';
import type { Estimator } from '../../src/models/estimator.js';
import { LogisticRegression } from '../../src/models/logistic.js';
import { makePipeline, Pipeline } from '../../src/models/pipeline.js';
import { StandardScaler } from '../../src/models/standard-scaler.js';
import { ThreadPoolExecutor } from '../../src/workers/thread-executor.js';
import { EarlyRefit, leadingCandidate } from '../../src/search/early-refit.js';
import { GridSearch } from '../../src/search/grid-search.js';
import type { Plan } from '../../src/search/plan.js';
import { StratifiedKFold } from '../../src/search/splitters.js';
import { handleTask } from '../../src/search/task-runner.js';
import { InlineExecutor } from '../../src/workers/inline-executor.js';
import type { Executor, FitRecord, TaskMessage, TaskResult } from '../../src/workers/protocol.js';
import { dataset } from '../models/logistic-fixtures.js';

const record = (candidate: number, fold: number, score: number): FitRecord => ({ candidate, fold, test: { m: score }, fitTime: 0, scoreTime: 0 });

describe('leadingCandidate', () => {
  it('picks the highest mean, the first of equals, skipping NaN means, the skipped and the folds from beforeFold on', () => {
    const records = [record(0, 0, 1), record(0, 1, 3), record(1, 0, 2), record(1, 1, 2), record(2, 0, 5), record(2, 1, Number.NaN)];
    expect(leadingCandidate(records, 'm')).toBe(0); // 0 and 1 tie at 2: the first; 2's mean is NaN
    expect(leadingCandidate(records, 'm', new Set([0]))).toBe(1);
    expect(leadingCandidate(records, 'm', new Set(), 1)).toBe(2); // fold 0 only
    expect(leadingCandidate([...records, record(1, 2, 9)], 'm', new Set(), 2)).toBe(0);
    expect(leadingCandidate([...records, record(1, 2, 9)], 'm')).toBe(1);
  });

  it('gives none for a learning curve\'s records or none at all', () => {
    expect(leadingCandidate([{ ...record(0, 0, 1), trainSize: 10 }], 'm')).toBeUndefined();
    expect(leadingCandidate([], 'm')).toBeUndefined();
  });
});

/** A plan of `tasks` tasks whose refit task names its candidate; refitResult gives a marker estimator per candidate. */
function fakePlan(tasks: number, ready: (candidate: number) => boolean = () => true): Plan & { readonly markers: Map<number, Estimator> } {
  const markers = new Map<number, Estimator>();
  return {
    markers, tasks: Array.from({ length: tasks }, () => ({}) as TaskMessage), collect: () => [], failed: () => undefined,
    refit: () => undefined,
    refitTask: (candidate) => (ready(candidate) ? { kind: 'logistic-refit', candidate: { id: candidate, params: {} } } as unknown as TaskMessage : undefined),
    refitResult: (result) => {
      const id = (result as unknown as { id: number }).id;
      const marker = { id } as unknown as Estimator;
      markers.set(id, marker);
      return marker;
    },
  };
}

/** An executor that holds each refit task until the test releases it (or rejects it). */
function heldExecutor(concurrency: number) {
  const started: number[] = [];
  const release = new Map<number, { ok: () => void; fail: () => void }>();
  const executor: Executor = {
    concurrency, runsEarlyRefits: true, close: async () => {},
    run: (task) => new Promise<TaskResult>((resolve, reject) => {
      const id = (task as unknown as { candidate: { id: number } }).candidate.id;
      started.push(id);
      release.set(id, { ok: () => resolve({ records: [], id } as unknown as TaskResult), fail: () => reject(new Error('thread ended')) });
    }),
  };
  return { executor, started, release };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('EarlyRefit', () => {
  // 3 folds: candidates compared on folds 0 and 1. On those, 2 leads, then 0, then 1.
  const records = [record(0, 0, 2), record(0, 1, 2), record(1, 0, 1), record(1, 1, 1), record(2, 0, 3), record(2, 1, 3), record(1, 2, 100)];

  it('on a shared pool, starts the leader once a thread has no task left, then the runner-up once it is done, two at most', async () => {
    const plan = fakePlan(5);
    const { executor, started, release } = heldExecutor(2);
    const early = new EarlyRefit({ plan, executor, metric: 'm', folds: 3, shared: true });
    early.taskFinished(records);
    early.taskFinished(records);
    early.taskFinished(records);
    expect(started).toEqual([]); // 2 tasks still run on 2 threads
    early.taskFinished(records);
    expect(started).toEqual([2]); // fold 2's 100 is not counted: 1 would lead on it
    early.taskFinished(records);
    expect(started).toEqual([2]); // one at a time
    release.get(2)!.ok();
    await tick();
    expect(started).toEqual([2, 0]);
    expect(early.refitted(2)).toBe(plan.markers.get(2));
    release.get(0)!.ok();
    await tick();
    expect(started).toEqual([2, 0]);
    expect(early.refitted(0)).toBe(plan.markers.get(0));
    expect(early.refitted(1)).toBeUndefined();
  });

  it('on its own pool, queues the runner-up with the leader, and no third', async () => {
    const plan = fakePlan(5);
    const { executor, started, release } = heldExecutor(2);
    const early = new EarlyRefit({ plan, executor, metric: 'm', folds: 3, shared: false });
    for (let i = 0; i < 3; i++) early.taskFinished(records);
    expect(started).toEqual([]);
    early.taskFinished(records);
    expect(started).toEqual([2, 0]);
    release.get(2)!.ok();
    release.get(0)!.ok();
    early.taskFinished(records);
    await tick();
    expect(started).toEqual([2, 0]);
    expect(early.refitted(0)).toBe(plan.markers.get(0));
  });

  it('starts nothing where the plan cannot refit yet, and tries again at the next finished task', () => {
    let ready = false;
    const { executor, started } = heldExecutor(2);
    const early = new EarlyRefit({ plan: fakePlan(3, () => ready), executor, metric: 'm', folds: 3, shared: true });
    early.taskFinished(records);
    early.taskFinished(records);
    expect(started).toEqual([]);
    ready = true;
    early.taskFinished(records);
    expect(started).toEqual([2]);
  });

  it('loses a refit whose task fails, without an unhandled rejection', async () => {
    const { executor, release } = heldExecutor(1);
    const early = new EarlyRefit({ plan: fakePlan(1), executor, metric: 'm', folds: 3, shared: false });
    early.taskFinished(records);
    release.get(2)!.fail();
    await early.settle(2);
    expect(early.refitted(2)).toBeUndefined();
  });

  it('settle waits for the winner\'s refit only, or for all on a shared executor, and starts nothing after', async () => {
    for (const shared of [false, true]) {
      const { executor, started, release } = heldExecutor(1);
      const early = new EarlyRefit({ plan: fakePlan(1), executor, metric: 'm', folds: 3, shared });
      early.taskFinished(records);
      expect(started).toEqual(shared ? [2] : [2, 0]); // its own pool queues the runner-up at once
      let settled = false;
      const settling = early.settle(1).then(() => { settled = true; });
      await tick();
      expect(settled).toBe(!shared); // 1 has no early refit: only a shared executor waits for the others
      release.get(2)!.ok();
      await tick();
      if (!shared) {
        // The winner's refit, running, is waited for.
        let waited = false;
        const forWinner = early.settle(0).then(() => { waited = true; });
        await tick();
        expect(waited).toBe(false);
        release.get(0)!.ok();
        await forWinner;
      }
      await settling;
      await tick();
      expect(started).toEqual(shared ? [2] : [2, 0]); // no runner-up once settled
    }
  });
});

describe('a logistic search with an early refit', () => {
  const { X, y } = dataset('breast_cancer');
  const grid = { C: [0.01, 0.1, 1, 10] };
  const search = (executor: Executor) => new GridSearch(new LogisticRegression({ tol: 1e-8 }), grid, {
    cv: new StratifiedKFold({ nSplits: 5 }), scoring: ['accuracy', 'neg_log_loss'], refit: 'neg_log_loss', executor,
  }).fit(X, y);

  /**
   * Two "threads" over the inline handler that hold back the last path task until a refit task
   * has run, so that the early refit deterministically happens while a task still runs;
   * `edit` may change the refit task's result.
   */
  function earlyExecutor(edit: (result: TaskResult) => TaskResult = (r) => r) {
    const inner = new InlineExecutor(handleTask);
    const refits: TaskMessage[] = [];
    let refitted: () => void = () => {};
    const refitRan = new Promise<void>((resolve) => { refitted = resolve; });
    let paths = 0;
    const executor: Executor = {
      concurrency: 2, runsEarlyRefits: true, close: async () => {},
      run: async (task, signal) => {
        const last = task.kind === 'logistic-path' && ++paths === 6; // 5 folds, the last cut in two
        const result = await inner.run(task, signal);
        if (task.kind === 'logistic-refit') {
          refits.push(task);
          refitted();
          return edit(result);
        }
        if (last) await Promise.race([refitRan, new Promise((resolve) => setTimeout(resolve, 5000))]);
        return result;
      },
    };
    return { executor, refits };
  }

  it('refits the winner on a free thread, and the search returns that estimator (a marked result shows)', async () => {
    const plain = await search(new InlineExecutor(handleTask));
    const marked = earlyExecutor((result) => {
      const state = result.model!.state;
      const coef = (state.coef!.data as Float64Array).map((v) => 2 * v);
      return { ...result, model: { ...result.model!, state: { ...state, coef: ndarray('float64', state.coef!.shape as [number, number], coef) } } };
    });
    const early = await search(marked.executor);
    expect(marked.refits.length).toBeGreaterThan(0);
    expect((marked.refits[0] as { candidate: { id: number } }).candidate.id).toBe(plain.bestIndex);
    const doubled = (plain.bestEstimator as LogisticRegression).coef.map((v) => 2 * v);
    expect(Array.from((early.bestEstimator as LogisticRegression).coef)).toEqual(Array.from(doubled));
  });

  it('gives the refit after the tasks bit for bit: coefficients, intercept, iterations', async () => {
    const plain = await search(new InlineExecutor(handleTask));
    const { executor, refits } = earlyExecutor();
    const early = await search(executor);
    expect(refits.length).toBeGreaterThan(0);
    const [a, b] = [plain.bestEstimator as LogisticRegression, early.bestEstimator as LogisticRegression];
    expect(Array.from(b.coef)).toEqual(Array.from(a.coef));
    expect(Array.from(b.intercept)).toEqual(Array.from(a.intercept));
    expect(b.solverReport()).toEqual(a.solverReport());
  });

  it('on real threads, early or not, the refit is the inline search\'s bit for bit', async () => {
    const plain = await search(new InlineExecutor(handleTask));
    const threads = await new GridSearch(new LogisticRegression({ tol: 1e-8 }), grid, {
      cv: new StratifiedKFold({ nSplits: 5 }), scoring: ['accuracy', 'neg_log_loss'], refit: 'neg_log_loss', workers: 2,
    }).fit(X, y);
    expect(threads.bestIndex).toBe(plain.bestIndex);
    expect(Array.from((threads.bestEstimator as LogisticRegression).coef)).toEqual(Array.from((plain.bestEstimator as LogisticRegression).coef));
  });
});

describe('a search\'s own threads', () => {
  afterEach(() => { vi.restoreAllMocks(); });

  const searchCancer = async (): Promise<void> => {
    const { X, y } = dataset('breast_cancer');
    await new GridSearch(makePipeline(new StandardScaler(), new LogisticRegression()), { logisticregression__C: [0.1, 1] }, {
      cv: new StratifiedKFold({ nSplits: 3 }), scoring: 'accuracy', workers: 2,
    }).fit(X, y);
  };

  it('start closing before the search refits on this thread, and fit returns without waiting for them', async () => {
    const events: string[] = [];
    let finishClosing!: () => void;
    const held = new Promise<void>((resolve) => { finishClosing = resolve; });
    const close = ThreadPoolExecutor.prototype.close;
    vi.spyOn(ThreadPoolExecutor.prototype, 'close').mockImplementation(async function (this: ThreadPoolExecutor) {
      events.push('close');
      await held; // closing lasts until the test lets it end: fit must not wait for it
      await close.call(this);
      events.push('closed');
    });
    // A pipeline's refit is the estimator's own fit on this thread (no early refit).
    const fit = Pipeline.prototype.fit;
    vi.spyOn(Pipeline.prototype, 'fit').mockImplementation(function (this: Pipeline, ...args: Parameters<Pipeline['fit']>) {
      events.push('refit');
      return fit.apply(this, args);
    });
    await searchCancer();
    events.push('returned');
    expect(events).toEqual(['close', 'refit', 'returned']);
    finishClosing();
    await vi.waitFor(() => expect(events).toEqual(['close', 'refit', 'returned', 'closed']), { timeout: 10_000 });
  });

  it('that fail to close make a process warning, not a failed search', async () => {
    const close = ThreadPoolExecutor.prototype.close;
    vi.spyOn(ThreadPoolExecutor.prototype, 'close').mockImplementation(async function (this: ThreadPoolExecutor) {
      await close.call(this);
      throw new Error('thread 7 would not stop');
    });
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    await searchCancer();
    await vi.waitFor(() => expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('thread 7 would not stop'), expect.objectContaining({ type: 'MemgridWarning' }),
    ));
  });
});
