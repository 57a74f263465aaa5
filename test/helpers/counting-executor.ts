/**
 * An executor that records every task it runs before handing it to another executor (this
 * thread's by default), so a test can tell which plan a search took: `ridge-stats` tasks
 * (ridge's statistics plan), `logistic-path` (the logistic path plan), or only `cv` (plain
 * per-candidate fits). A fast plan quietly dropped still gives the right numbers; this tells.
 */
import { createExecutor } from '../../src/search/engine.js';
import type { Executor, TaskMessage, TaskResult } from '../../src/workers/protocol.js';

export class CountingExecutor implements Executor {
  /** Every task run so far, in submission order. */
  readonly tasks: TaskMessage[] = [];
  /** What each task returned, once it has. */
  readonly results = new Map<TaskMessage, TaskResult>();

  /** Runs tasks on `inner` (default: inline); closing this closes `inner`. */
  constructor(private readonly inner: Executor = createExecutor(0)) {}

  get concurrency(): number {
    return this.inner.concurrency;
  }

  /**
   * The kinds of the tasks run, each once, sorted: `['cv']` for the plain plan.
   * @example
   * ```ts
   * const executor = new CountingExecutor();
   * await new GridSearch(new Ridge(), { alpha: [1, 10] }, { executor }).fit(X, y);
   * executor.kinds(); // ['ridge-stats']
   * ```
   */
  kinds(): TaskMessage['kind'][] {
    return [...new Set(this.tasks.map((task) => task.kind))].sort();
  }

  async run(task: TaskMessage, signal?: AbortSignal): Promise<TaskResult> {
    this.tasks.push(task);
    const result = await this.inner.run(task, signal);
    this.results.set(task, result);
    return result;
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
