/** Which executor runs a run's tasks: local worker threads (the default) or a Redis queue. */
import { createExecutor } from '../search/engine.js';
import type { Executor } from '../workers/protocol.js';

/** Threads on this machine, or `memgrid worker` processes behind a Redis queue. */
export type ExecutorChoice =
  | { readonly kind: 'threads' }
  | {
    readonly kind: 'redis'; readonly url: string; readonly queue?: string;
    /** How soon a silent Redis, or one that lost the run's tasks, stops the run (ms; default 15 000). */
    readonly queueTimeoutMs?: number;
    /** How long workers wait for a silent coordinator before dropping its tasks (ms; default 30 000). */
    readonly livenessTtlMs?: number;
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
    ...(choice.queueTimeoutMs === undefined ? {} : { timeoutMs: choice.queueTimeoutMs, lostJobCheckMs: choice.queueTimeoutMs }),
    ...(choice.livenessTtlMs === undefined ? {} : { livenessTtlMs: choice.livenessTtlMs }),
    healthIntervalMs: healthInterval(choice),
    ...(workers === undefined || workers < 1 ? {} : { concurrency: workers }),
  });
}

/** Redis is pinged often enough that the shortest of the run's deadlines sees a few pings. */
function healthInterval(choice: { readonly queueTimeoutMs?: number; readonly livenessTtlMs?: number }): number {
  const shortest = Math.min(choice.queueTimeoutMs ?? Infinity, choice.livenessTtlMs ?? Infinity);
  return Math.max(50, Math.min(1_000, Math.floor(shortest / 4)));
}
