/**
 * The coordinator's side of the Redis queue: each task message becomes one BullMQ job, which any
 * `memgrid worker` on any host may take; the job's return value is the task's result.
 *
 * Faults, and what each becomes:
 * - a worker dies: BullMQ's stalled-job check (on the workers) hands its job to another, and
 *   `run` still resolves once;
 * - the task itself fails on its worker (its handler threw, its thread died): `run` rejects
 *   with a FitError, which the search records as failed fits;
 * - the queue fails: Redis silent for `timeoutMs`, Redis answering but without this run's jobs
 *   (restarted without persistence, or flushed: checked every `lostJobCheckMs`), or a worker
 *   refusing a task (a bad message, a store it may not read): `run` rejects with a QueueError,
 *   which stops the search and is never recorded as a fit.
 * While it lives, the executor keeps a liveness key of its run in Redis; workers drop the jobs
 * of a run whose key expired (its coordinator died), instead of running them for nobody.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Queue, QueueEvents, QueueKeys } from 'bullmq';
import { AbortError, FitError, QueueError, ValueError } from '../errors.js';
import type { Executor, TaskMessage, TaskResult } from './protocol.js';
import {
  decodeMessage, DEFAULT_QUEUE, DROPPED, encodeMessage, livenessKey, PROTOCOL_VERSION, REFUSED, TASK_JOB, type TaskJobData,
} from './redis-codec.js';
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
  /** How often Redis is pinged (and the liveness key refreshed), in milliseconds. Default 1 000. */
  readonly healthIntervalMs?: number;
  /** How often pending jobs are checked to still exist in Redis, in milliseconds. Default 15 000. */
  readonly lostJobCheckMs?: number;
  /** How long workers wait for a silent coordinator before dropping its jobs, in milliseconds. Default 30 000. */
  readonly livenessTtlMs?: number;
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
  private readonly liveKey: string;
  private readonly timeoutMs: number;
  private readonly lostJobCheckMs: number;
  private readonly livenessTtlMs: number;
  private readonly probe: RedisProbe;
  /** BullMQ's queue and events, made once Redis answered: a never-connected QueueEvents cannot be closed. */
  private readonly bull: Promise<{ queue: Queue; events: QueueEvents }>;
  private opened: { queue: Queue; events: QueueEvents } | undefined;
  private readonly pending = new Map<string, Pending>();
  /** Pending jobs that Redis accepted: each must exist there until it settles. */
  private readonly queued = new Set<string>();
  private readonly health: NodeJS.Timeout;
  private seq = 0;
  private lastAnswer = Date.now();
  private lastLostCheck = Date.now();
  private probing = false;
  /** Whether Redis answered the last health check (closing does not wait on a Redis that is gone). */
  private answering = true;
  private closed = false;

  /** Starts connecting; `run` waits for the first ping. Use {@link RedisExecutor.connect} to fail early. */
  constructor(readonly options: RedisExecutorOptions) {
    this.concurrency = positiveInteger(options.concurrency ?? 4, 'options.concurrency');
    this.timeoutMs = positiveInteger(options.timeoutMs ?? 15_000, 'options.timeoutMs');
    this.lostJobCheckMs = positiveInteger(options.lostJobCheckMs ?? 15_000, 'options.lostJobCheckMs');
    const healthIntervalMs = positiveInteger(options.healthIntervalMs ?? 1_000, 'options.healthIntervalMs');
    this.livenessTtlMs = positiveInteger(options.livenessTtlMs ?? 30_000, 'options.livenessTtlMs');
    if (this.livenessTtlMs < 2 * healthIntervalMs) {
      throw new ValueError(`options.livenessTtlMs must be at least twice options.healthIntervalMs (${healthIntervalMs}), found ${this.livenessTtlMs}`);
    }
    this.queueName = options.queueName ?? DEFAULT_QUEUE;
    this.runId = options.runId ?? randomUUID().slice(0, 8);
    if (/[:\s]/.test(this.queueName) || this.queueName === '') throw new ValueError(`options.queueName must be a non-empty name without ':' or spaces, found '${this.queueName}'`);
    if (!/^[\w.-]+$/.test(this.runId)) throw new ValueError(`options.runId may hold only letters, digits, '_', '.', '-', found '${this.runId}'`);
    this.liveKey = livenessKey(this.queueName, this.runId);
    const connection = redisOptions(options.url);
    this.probe = new RedisProbe(options.url, Math.min(this.timeoutMs, DEFAULT_CONNECT_TIMEOUT_MS));
    this.bull = this.keepAlive().then(async () => {
      // Read the queue's events from where the stream ends now, not from '$': QueueEvents issues its
      // first XREAD some time after it reports ready, and with '$' a job finished in between (idle
      // workers finish a small task in milliseconds) was never heard of, so the run waited for it
      // forever (the resume test hung in about 1 run in 10).
      const lastEventId = await this.probe.streamEnd(new QueueKeys().toKey(this.queueName, 'events'));
      if (this.closed) throw new ValueError('this executor is closed');
      const queue = new Queue(this.queueName, { connection });
      const events = new QueueEvents(this.queueName, { connection, lastEventId });
      // BullMQ re-emits connection errors; the health check reports them, so they must not crash the process.
      queue.on('error', () => {});
      events.on('error', () => {});
      // Each waiting job listens for the queue closing: thousands may wait at once.
      queue.setMaxListeners(0);
      this.opened = { queue, events };
      return this.opened;
    });
    this.bull.catch(() => {});
    this.health = setInterval(() => void this.checkHealth(), healthIntervalMs);
    this.health.unref();
  }

  /**
   * A connected executor: rejects with a QueueError when Redis does not answer a ping.
   * @example
   * ```ts
   * const executor = await RedisExecutor.connect({ url: process.env.MEMGRID_REDIS_URL! });
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

  /** Closes the queue connections; pending runs reject, jobs not yet taken are removed. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.health);
    const unstarted = [...this.queued];
    this.failAll(new QueueError('the Redis executor was closed while tasks were pending'));
    const opened = this.opened;
    if (this.answering) {
      // Workers must not run what nobody waits for: remove the waiting jobs and the liveness key.
      await withGrace(Promise.allSettled([
        this.probe.remove(this.liveKey),
        ...(opened ? unstarted.map((jobId) => opened.queue.remove(jobId)) : []),
      ]));
      if (opened) await withGrace(Promise.allSettled([opened.events.close(), opened.queue.close()]));
    }
    this.probe.close();
    // With Redis gone, BullMQ's close waits for a reconnect: drop the sockets instead.
    if (opened) await withGrace(Promise.allSettled([opened.events.disconnect(), opened.queue.disconnect()]));
  }

  private async submit(queue: Queue, events: QueueEvents, jobId: string, task: TaskMessage): Promise<TaskResult> {
    const data: TaskJobData = { v: PROTOCOL_VERSION, task: encodeMessage(task), run: this.liveKey };
    const job = await queue.add(TASK_JOB, data, {
      jobId,
      // Only a stalled job (its worker died) runs again, via the workers' stalled check.
      attempts: 1,
      removeOnComplete: { age: KEEP_COMPLETED_S },
      removeOnFail: { age: KEEP_FAILED_S },
    });
    if (this.pending.has(jobId)) this.queued.add(jobId);
    let value: unknown;
    try {
      value = await job.waitUntilFinished(events);
    } catch (error) {
      if (this.closed) throw error;
      throw await this.failureOf(queue, jobId, error);
    }
    return decodeMessage(value, `result of job ${jobId}`) as TaskResult;
  }

  /**
   * What a job that did not complete means: a FitError when its task failed on a worker, a
   * QueueError when the queue lost it or a worker would not run it.
   */
  private async failureOf(queue: Queue, jobId: string, error: unknown): Promise<Error> {
    const where = `task job ${jobId} on queue '${this.queueName}' at ${redactUrl(this.options.url)}`;
    const job = await queue.getJob(jobId).catch(() => undefined);
    if (!job) return new QueueError(`Redis lost ${where}: it no longer exists (Redis restarted without persistence, or was flushed)`, { cause: error });
    const reason = job.failedReason ?? (error as Error).message;
    if (reason.startsWith(REFUSED) || reason.startsWith(DROPPED)) return new QueueError(`a worker did not run ${where}: ${reason}`, { cause: error });
    return new FitError(`${where} failed on worker ${job.processedBy ?? '?'}: ${reason}`, { cause: error });
  }

  /** Resolves or rejects a run once: a late or duplicate outcome for the same job is ignored. */
  private settle(jobId: string, result: TaskResult | undefined, error?: unknown): void {
    const entry = this.pending.get(jobId);
    if (!entry) return;
    this.pending.delete(jobId);
    this.queued.delete(jobId);
    if (error === undefined) entry.resolve(result!);
    else entry.reject(error);
  }

  private failAll(error: Error): void {
    for (const jobId of [...this.pending.keys()]) this.settle(jobId, undefined, error);
  }

  /** Refreshes this run's liveness key, which also tells that Redis answers. */
  private keepAlive(): Promise<void> {
    return this.probe.keepAlive(this.liveKey, JSON.stringify({ host: hostname(), pid: process.pid }), this.livenessTtlMs);
  }

  /**
   * Every tick: refresh the liveness key (a ping). With runs pending: after `timeoutMs`
   * without an answer they all reject; every `lostJobCheckMs`, jobs Redis no longer holds
   * make them all reject too.
   */
  private async checkHealth(): Promise<void> {
    if (this.probing || this.closed) return;
    this.probing = true;
    try {
      await this.keepAlive();
      this.lastAnswer = Date.now();
      this.answering = true;
      if (this.pending.size > 0 && Date.now() - this.lastLostCheck >= this.lostJobCheckMs) await this.checkLostJobs();
    } catch (error) {
      this.answering = false;
      const silent = Date.now() - this.lastAnswer;
      if (this.pending.size === 0) this.lastAnswer = Date.now();
      else if (silent >= this.timeoutMs) {
        this.failAll(new QueueError(
          `lost Redis at ${redactUrl(this.options.url)}: no answer for ${(silent / 1000).toFixed(1)} s ` +
          `with ${this.pending.size} task(s) pending (${(error as Error).message})`, { cause: error },
        ));
      }
    } finally {
      this.probing = false;
    }
  }

  private async checkLostJobs(): Promise<void> {
    const opened = this.opened;
    if (!opened) return;
    const jobIds = [...this.queued];
    this.lastLostCheck = Date.now();
    const missing = new Set(await this.probe.missing(jobIds.map((jobId) => opened.queue.toKey(jobId))));
    // A job that settled while we asked is gone for a good reason.
    const lost = jobIds.filter((jobId) => this.queued.has(jobId) && missing.has(opened.queue.toKey(jobId)));
    if (lost.length === 0) return;
    this.failAll(new QueueError(
      `Redis at ${redactUrl(this.options.url)} lost ${lost.length} queued task(s) of this run (job ${lost[0]} no longer exists: ` +
      'Redis restarted without persistence, or was flushed)',
    ));
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
