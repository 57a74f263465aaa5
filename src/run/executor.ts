/** Which executor runs a run's tasks: local worker threads (the default) or a Redis queue. */
import type { Executor } from '../workers/protocol.js';

/** Threads on this machine, or `memgrid worker` processes behind a Redis queue. */
export type ExecutorChoice =
  | { readonly kind: 'threads' }
  | { readonly kind: 'redis'; readonly url: string; readonly queue?: string };

/**
 * A ready executor for `choice`, or undefined when the search should make its own thread
 * pool from `workers`. The caller closes what it gets.
 * @example
 * ```ts
 * const executor = await openExecutor({ kind: 'redis', url: 'redis://127.0.0.1:6379' }, 8);
 * ```
 */
export async function openExecutor(choice: ExecutorChoice | undefined, workers: number | undefined): Promise<Executor | undefined> {
  if (choice === undefined || choice.kind === 'threads') return undefined;
  // Loaded only when asked for: BullMQ and ioredis are heavy for runs that never use them.
  const { RedisExecutor } = await import('../workers/redis-executor.js');
  return RedisExecutor.connect({
    url: choice.url,
    ...(choice.queue === undefined ? {} : { queueName: choice.queue }),
    ...(workers === undefined || workers < 1 ? {} : { concurrency: workers }),
  });
}
