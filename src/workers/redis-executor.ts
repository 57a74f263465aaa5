/**
 * The coordinator's side of the Redis queue: each task message becomes one BullMQ job, which any
 * `memgrid worker` on any host may take; the job's return value is the task's result.
 *
 * Faults: a job whose worker dies is picked up again by BullMQ's stalled-job check (on the
 * workers) and still resolves its `run` exactly once; a job that fails as a whole rejects `run`
 * (the search then scores its fits as errors) and is never retried; if Redis stops answering for
 * `timeoutMs`, every pending `run` rejects with a QueueError naming the URL.
 */
import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import { AbortError, QueueError, ValueError } from '../errors.js';
import type { Executor, TaskMessage, TaskResult } from './protocol.js';
import { decodeMessage, DEFAULT_QUEUE, encodeMessage, PROTOCOL_VERSION, TASK_JOB, type TaskJobData } from './redis-codec.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, RedisProbe, redactUrl, redisOptions } from './redis-connection.js';

/** Options for {@link RedisExecutor}. */
export interface RedisExecutorOptions {
  /** `redis://[:password@]host[:port][/db]`, or `rediss://` for TLS. */
  readonly url: string;
  /** BullMQ queue name; workers must use the same. Default `memgrid`. */
  readonly queueName?: string;
  /**
   * Tasks the workers run at once in total (the sum of their threads). The search sizes its
   * tasks by it, so a rough figure is fine. Default 4.
   */
  readonly concurrency?: number;
  /** Prefix of this executor's job ids; default a random id. Job ids are `<runId>-<n>`. */
  readonly runId?: string;
  /** Milliseconds Redis may stay silent before pending runs reject. Default 15 000. */
  readonly timeoutMs?: number;
  /** How often Redis is pinged while tasks are pending, in milliseconds. Default 1 000. */
  readonly healthIntervalMs?: number;
}

/** Jobs finished this long ago are removed from Redis (seconds). */
const KEEP_COMPLETED_S = 3600;
const KEEP_FAILED_S = 24 * 3600;
/** Longest wait for BullMQ's connections to close cleanly before they are dropped. */
const CLOSE_GRACE_MS = 2_000;

interface Pending {
  readonly resolve: (result: TaskResult) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Runs tasks on `memgrid worker` processes through a Redis queue.
 * @example
 * ```ts
 * const executor = await RedisExecutor.connect({ url: 'redis://127.0.0.1:6379', concurrency: 8 });
 * try { await new GridSearch(new Ridge(), grid, { executor }).fit(X, y); } finally { await executor.close(); }
 * ```
 */
export class RedisExecutor implements Executor {
  readonly concurrency: number;
  readonly queueName: string;
  private readonly runId: string;
  private readonly timeoutMs: number;
  private readonly probe: RedisProbe;
  /** BullMQ's queue and events, made once Redis answered: a never-connected QueueEvents cannot be closed. */
  private readonly bull: Promise<{ queue: Queue; events: QueueEvents }>;
  private opened: { queue: Queue; events: QueueEvents } | undefined;
  private readonly pending = new Map<string, Pending>();
  private readonly health: NodeJS.Timeout;
  private seq = 0;
  private lastAnswer = Date.now();
  private probing = false;
  private closed = false;

  /** Starts connecting; `run` waits for the first ping. Use {@link RedisExecutor.connect} to fail early. */
  constructor(readonly options: RedisExecutorOptions) {
    this.concurrency = positiveInteger(options.concurrency ?? 4, 'options.concurrency');
    this.timeoutMs = positiveInteger(options.timeoutMs ?? 15_000, 'options.timeoutMs');
    this.queueName = options.queueName ?? DEFAULT_QUEUE;
    this.runId = options.runId ?? randomUUID().slice(0, 8);
    if (/[:\s]/.test(this.queueName) || this.queueName === '') throw new ValueError(`options.queueName must be a non-empty name without ':' or spaces, found '${this.queueName}'`);
    if (!/^[\w.-]+$/.test(this.runId)) throw new ValueError(`options.runId may hold only letters, digits, '_', '.', '-', found '${this.runId}'`);
    const connection = redisOptions(options.url);
    this.probe = new RedisProbe(options.url, Math.min(this.timeoutMs, DEFAULT_CONNECT_TIMEOUT_MS));
    this.bull = this.probe.ping().then(() => {
      if (this.closed) throw new ValueError('this executor is closed');
      const queue = new Queue(this.queueName, { connection });
      const events = new QueueEvents(this.queueName, { connection });
      // BullMQ re-emits connection errors; the health check reports them, so they must not crash the process.
      queue.on('error', () => {});
      events.on('error', () => {});
      // Each waiting job listens for the queue closing: thousands may wait at once.
      queue.setMaxListeners(0);
      this.opened = { queue, events };
      return this.opened;
    });
    this.bull.catch(() => {});
    this.health = setInterval(() => void this.checkHealth(), positiveInteger(options.healthIntervalMs ?? 1_000, 'options.healthIntervalMs'));
    this.health.unref();
  }

  /**
   * A connected executor: rejects with a QueueError when Redis does not answer a ping.
   * @example
   * ```ts
   * const executor = await RedisExecutor.connect({ url: process.env.REDIS_URL! });
   * ```
   */
  static async connect(options: RedisExecutorOptions): Promise<RedisExecutor> {
    const executor = new RedisExecutor(options);
    try {
      const { events } = await executor.bull;
      await events.waitUntilReady();
    } catch (error) {
      await executor.close();
      throw error;
    }
    return executor;
  }

  async run(task: TaskMessage, signal?: AbortSignal): Promise<TaskResult> {
    if (this.closed) throw new ValueError('this executor is closed');
    if (signal?.aborted) throw new AbortError('task aborted before it was queued');
    const { queue, events } = await this.bull;
    const jobId = `${this.runId}-${this.seq++}`;
    return new Promise<TaskResult>((resolve, reject) => {
      const onAbort = (): void => {
        this.settle(jobId, undefined, new AbortError(`task ${jobId} aborted`));
        // A job not yet taken is dropped; one running finishes on its worker and is ignored.
        queue.remove(jobId).catch(() => {});
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (): void => signal?.removeEventListener('abort', onAbort);
      this.pending.set(jobId, {
        resolve: (result) => { done(); resolve(result); },
        reject: (error) => { done(); reject(error); },
      });
      this.submit(queue, events, jobId, task).then(
        (result) => this.settle(jobId, result),
        (error: unknown) => this.settle(jobId, undefined, error),
      );
    });
  }

  /** Closes the queue connections; pending runs reject. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.health);
    this.failAll(new QueueError('the Redis executor was closed while tasks were pending'));
    this.probe.close();
    const opened = this.opened;
    if (!opened) return;
    await withGrace(Promise.allSettled([opened.events.close(), opened.queue.close()]));
    // With Redis gone, BullMQ's close waits for a reconnect: drop the sockets instead.
    await withGrace(Promise.allSettled([opened.events.disconnect(), opened.queue.disconnect()]));
  }

  private async submit(queue: Queue, events: QueueEvents, jobId: string, task: TaskMessage): Promise<TaskResult> {
    const data: TaskJobData = { v: PROTOCOL_VERSION, task: encodeMessage(task) };
    const job = await queue.add(TASK_JOB, data, {
      jobId,
      // Only a stalled job (its worker died) runs again, via the workers' stalled check.
      attempts: 1,
      removeOnComplete: { age: KEEP_COMPLETED_S },
      removeOnFail: { age: KEEP_FAILED_S },
    });
    let value: unknown;
    try {
      value = await job.waitUntilFinished(events);
    } catch (error) {
      if (this.closed) throw error;
      throw new QueueError(`task job ${jobId} on queue '${this.queueName}' failed: ${(error as Error).message}`, { cause: error });
    }
    return decodeMessage(value, `result of job ${jobId}`) as TaskResult;
  }

  /** Resolves or rejects a run once: a late or duplicate outcome for the same job is ignored. */
  private settle(jobId: string, result: TaskResult | undefined, error?: unknown): void {
    const entry = this.pending.get(jobId);
    if (!entry) return;
    this.pending.delete(jobId);
    if (error === undefined) entry.resolve(result!);
    else entry.reject(error);
  }

  private failAll(error: Error): void {
    for (const jobId of [...this.pending.keys()]) this.settle(jobId, undefined, error);
  }

  /** Pings Redis while runs are pending; after `timeoutMs` without an answer they all reject. */
  private async checkHealth(): Promise<void> {
    if (this.probing || this.closed) return;
    if (this.pending.size === 0) {
      this.lastAnswer = Date.now();
      return;
    }
    this.probing = true;
    try {
      await this.probe.ping();
      this.lastAnswer = Date.now();
    } catch (error) {
      const silent = Date.now() - this.lastAnswer;
      if (silent >= this.timeoutMs) {
        this.failAll(new QueueError(
          `lost Redis at ${redactUrl(this.options.url)}: no answer for ${(silent / 1000).toFixed(1)} s ` +
          `with ${this.pending.size} task(s) pending (${(error as Error).message})`, { cause: error },
        ));
      }
    } finally {
      this.probing = false;
    }
  }
}

/** Waits for `work`, but no longer than CLOSE_GRACE_MS. */
async function withGrace(work: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise((resolve) => { timer = setTimeout(resolve, CLOSE_GRACE_MS); });
  await Promise.race([work, grace]);
  clearTimeout(timer);
}

function positiveInteger(value: number, name: string): number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a positive integer, found ${typeof value}`);
  if (!Number.isInteger(value) || value < 1) throw new ValueError(`${name} must be a positive integer, found ${value}`);
  return value;
}
