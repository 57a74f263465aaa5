/** An executor that runs tasks in the calling thread: for small data, tests and debugging. */
import { AbortError } from '../errors.js';
import type { TaskHandler } from './handler.js';
import { workerMemory } from './memory.js';
import type { Executor, TaskMessage, TaskResult } from './protocol.js';
import { mappedArrays } from './store-cache.js';

/**
 * Runs each task in this thread, one at a time, in submission order.
 * @example
 * ```ts
 * const executor = new InlineExecutor(handleTask);
 * const result = await executor.run(task);
 * ```
 */
export class InlineExecutor implements Executor {
  readonly concurrency = 1;
  constructor(private readonly handler: TaskHandler) {}

  async run(task: TaskMessage, signal?: AbortSignal): Promise<TaskResult> {
    // Yield first so a long inline search stays responsive to abort signals and progress.
    await new Promise((resolve) => setImmediate(resolve));
    if (signal?.aborted) throw new AbortError('task aborted before it started');
    const result = await this.handler(task);
    return { ...result, worker: workerMemory(mappedArrays(task.store)) };
  }

  async close(): Promise<void> {}
}
