/** Which executor runs a run's tasks: local worker threads (the default) or a Redis queue. */
import { createExecutor } from '../search/engine.js';
import type { Executor } from '../workers/protocol.js';

/** Threads on this machine, or `memgrid worker` processes behind a Redis queue. */
export type ExecutorChoice =
  | { readonly kind: 'threads' }
  | {
    readonly kind: 'redis'; readonly url: string; readonly queue?: string;
    /** See RedisExecutorOptions: how often Redis is checked for lost tasks, how long workers wait for a silent coordinator. */
    readonly lostJobCheckMs?: number; readonly livenessTtlMs?: number;
  };

/**
 * A ready executor for `choice`, shared by every phase of a run: a thread pool of `workers`
 * threads (0: this thread; default one per core), whose threads keep their mapping of the
 * data and their warmed-up code from the search to the curves, or a Redis queue. The caller
 * closes it.
 * @example
 * ```ts
 * const executor = await openExecutor({ kind: 'redis', url: 'redis://127.0.0.1:6379' }, 8);
 * ```
 */
export async function openExecutor(choice: ExecutorChoice | undefined, workers: number | undefined): Promise<Executor> {
  if (choice === undefined || choice.kind === 'threads') return createExecutor(workers);
  // Loaded only when asked for: BullMQ and ioredis are heavy for runs that never use them.
  const { RedisExecutor } = await import('../workers/redis-executor.js');
  return RedisExecutor.connect({
    url: choice.url,
    ...(choice.queue === undefined ? {} : { queueName: choice.queue }),
    ...(choice.lostJobCheckMs === undefined ? {} : { lostJobCheckMs: choice.lostJobCheckMs }),
    ...(choice.livenessTtlMs === undefined ? {} : { livenessTtlMs: choice.livenessTtlMs }),
    ...(workers === undefined || workers < 1 ? {} : { concurrency: workers }),
  });
}
