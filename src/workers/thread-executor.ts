/**
 * An executor on a piscina thread pool. Each worker thread imports the handler module once
 * and maps each dataset store the first time a task names it, keeping the mapping for
 * later tasks: N threads share one copy of the data through the page cache.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { ValueError } from '../errors.js';
import { threadEntryFor } from './bundle.js';
import { FifoSlots } from './fifo-slots.js';
import type { Executor, TaskMessage, TaskResult } from './protocol.js';

/** Options for {@link ThreadPoolExecutor}. */
export interface ThreadPoolOptions {
  /** Worker threads; default `os.availableParallelism()`. */
  readonly threads?: number;
  /** File URL of a module exporting `handleTask` (see HandlerModule). */
  readonly handlerModule: string;
  /** The name memory reports give this process instead of `host/pid` (threads append `/thread`). */
  readonly name?: string;
}

/**
 * Runs tasks on worker threads.
 * @example
 * ```ts
 * const pool = new ThreadPoolExecutor({ threads: 2, handlerModule: HANDLER_URL });
 * try { await pool.run(task); } finally { await pool.close(); }
 * ```
 */
export class ThreadPoolExecutor implements Executor {
  readonly concurrency: number;
  /** Its threads are this process's: a search refits early on the one that runs out of tasks first. */
  readonly runsEarlyRefits = true;
  private readonly pool: Piscina<TaskMessage, TaskResult>;
  /** One slot per thread: piscina never holds a queued task, so tasks start in submission order. */
  private readonly slots: FifoSlots;
  private closed = false;

  constructor(options: ThreadPoolOptions) {
    const threads = options.threads ?? availableParallelism();
    if (!Number.isInteger(threads) || threads < 1) {
      throw new ValueError(`options.threads must be a positive integer, found ${String(threads)}`);
    }
    this.concurrency = threads;
    this.slots = new FifoSlots(threads);
    this.pool = new Piscina({
      filename: threadEntryFor(options.handlerModule),
      minThreads: threads,
      maxThreads: threads,
      // Keep threads (and their mappings) alive for the whole search.
      idleTimeout: 60_000,
      workerData: { handlerModule: options.handlerModule, ...(options.name === undefined ? {} : { name: options.name }) },
    });
    // piscina reports here a result that arrives for a task it no longer tracks; with no
    // listener that would be an uncaught exception. There is nobody left to hand it to.
    this.pool.on('error', () => {});
  }

  /**
   * Runs `task` on a free thread. `signal` cancels a task still waiting for a thread; a task
   * already running finishes on its thread (piscina would terminate the thread to abort it,
   * losing its warm state and its mapping, and a result it was posting at that moment would
   * reach piscina as an uncaught "Unexpected message from Worker"), and its result is returned:
   * the fits it finished are as good as any.
   */
  async run(task: TaskMessage, signal?: AbortSignal): Promise<TaskResult> {
    if (this.closed) throw new ValueError('this executor is closed');
    const release = await this.slots.acquire(signal);
    try {
      if (this.closed) throw new ValueError('this executor is closed');
      return await this.pool.run(task);
    } finally {
      release();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.slots.refuseWaiting(new ValueError('this executor is closed'));
    await this.pool.destroy();
  }
}
