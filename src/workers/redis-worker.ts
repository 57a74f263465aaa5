/**
 * The worker's side of the Redis queue (`memgrid worker --redis URL`): a BullMQ worker that
 * takes task jobs, checks them (a readable payload, a run that is still alive, known models and
 * params only, stores inside the allowed roots, every index within the store), maps the store
 * (in place on shared storage, or from a local copy under `dataRoot`) and runs the task on its
 * own thread pool. The job's return value is the encoded TaskResult. A job it will not run
 * fails once, with a reason starting `refused` (or `dropped`, for a run whose coordinator is
 * gone), which the coordinator reports as a queue failure, never as a failed fit.
 */
import { existsSync, statSync } from 'node:fs';
import { availableParallelism, hostname } from 'node:os';
import { Worker, type Job, type JobJsonRaw } from 'bullmq';
import { ValueError } from '../errors.js';
import { compiledModuleUrl } from './compiled-url.js';
import type { TaskMessage } from './protocol.js';
import {
  decodeMessage, DEFAULT_QUEUE, DROPPED, encodeMessage, isLivenessKey, PROTOCOL_VERSION, REFUSED, TASK_JOB, type TaskJobData,
} from './redis-codec.js';
import { RedisProbe, redactUrl, redisOptions } from './redis-connection.js';
import { StoreResolver } from './redis-stores.js';
import { checkTaskMessage } from './redis-validate.js';
import { checkTaskBounds, storeBounds, type StoreBounds } from './task-bounds.js';
import { ThreadPoolExecutor } from './thread-executor.js';

/**
 * The search's task handler (`handleTask` in search/task-runner). Only its URL is named here,
 * never imported: workers sit below search, and the module is loaded by the pool's threads.
 */
const SEARCH_HANDLER = compiledModuleUrl('../search/task-runner.js', import.meta.url);

/** Options for {@link runRedisWorker}. */
export interface RedisWorkerOptions {
  /** `redis://[:password@]host[:port][/db]`, or `rediss://` for TLS. */
  readonly url: string;
  /** Threads, and so tasks run at once. Default `os.availableParallelism()`. */
  readonly threads?: number;
  readonly queueName?: string;
  /**
   * Folders whose stores this worker may read (stores inside them, after resolving links).
   * Default: this user's default store root only (see defaultStoreRoot).
   */
  readonly storeRoots?: readonly string[];
  /** Copy each store once into `<dataRoot>/<hash>/`, verify its hash, and map the copy. */
  readonly dataRoot?: string;
  /** Scorer names allowed in tasks; default any well-formed name (the handler rejects unknown ones). */
  readonly scorers?: readonly string[];
  /**
   * Folders whose scorer modules (`{ module, name }` scoring) tasks may name. Default none:
   * a task naming a module is refused, since importing a module runs its code.
   */
  readonly scorerDirs?: readonly string[];
  /** File URL of the module exporting `handleTask`; default the search's task runner. */
  readonly handlerModule?: string;
  /** How long a job's lock lasts without renewal: a dead worker's job is retried after this (ms). Default 30 000. */
  readonly lockDurationMs?: number;
  /** How often this worker looks for stalled jobs of dead workers (ms). Default 30 000. */
  readonly stalledIntervalMs?: number;
  /** How many times one job may be retried after its worker died. Default 2. */
  readonly maxStalledCount?: number;
  /** Stop gracefully on SIGTERM / SIGINT (finish running tasks, then exit). Default true. */
  readonly handleSignals?: boolean;
  /** Where to log one line per event; default none. */
  readonly log?: (line: string) => void;
  /** What memory reports call this worker's threads: `name/thread` instead of `host/pid/thread`. */
  readonly name?: string;
}

/** A running worker. */
export interface RedisWorker {
  /** Name this worker records on the jobs it takes (`host:pid:n`). */
  readonly name: string;
  /** Tasks finished so far. */
  readonly processed: number;
  /** Stops taking jobs, lets running ones finish, closes connections and threads. Idempotent. */
  close(): Promise<void>;
  /** Settles when the worker has closed (after `close()` or a signal). */
  readonly closed: Promise<void>;
}

let workerCount = 0;

/** What a job whose stored payload is not JSON carries instead, so that it can be failed with a reason. */
interface UnreadableJob {
  readonly unreadable: string;
}

/**
 * BullMQ parses a job's payload before handing it over; a payload that is not JSON made that
 * throw on every stalled check, leaving the job active forever. Such a job is handed over with
 * the parse error in place of its data instead, and the worker fails it once.
 */
class TaskWorker extends Worker<TaskJobData | UnreadableJob, string> {
  protected override createJob(data: JobJsonRaw, jobId: string): Job<TaskJobData | UnreadableJob, string> {
    try {
      return super.createJob(data, jobId);
    } catch (error) {
      const unreadable: UnreadableJob = { unreadable: (error as Error).message };
      return super.createJob({ ...data, data: JSON.stringify(unreadable), opts: safeJson(data.opts), progress: '0' }, jobId);
    }
  }
}

function safeJson(text: string | undefined): string {
  try {
    JSON.parse(text ?? '{}');
    return text ?? '{}';
  } catch {
    return '{}';
  }
}

/** A reason a worker gives for not running a job: prefixed so the coordinator knows it is no fit's fault. */
function refusal(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new Error(message.startsWith(REFUSED) || message.startsWith(DROPPED) ? message : `${REFUSED} task: ${message}`);
}

/**
 * Starts a worker that runs memgrid tasks from the Redis queue until closed.
 * Rejects with a QueueError when Redis cannot be reached, a ValueError for bad options.
 * @example
 * ```ts
 * const worker = await runRedisWorker({ url: 'redis://127.0.0.1:6379', threads: 4, storeRoots: ['/shared/stores'] });
 * await worker.closed; // runs until SIGTERM
 * ```
 */
export async function runRedisWorker(options: RedisWorkerOptions): Promise<RedisWorker> {
  const threads = options.threads ?? availableParallelism();
  if (!Number.isInteger(threads) || threads < 1) throw new ValueError(`options.threads must be a positive integer, found ${String(threads)}`);
  for (const dir of options.scorerDirs ?? []) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ValueError(`scorer folder '${dir}' does not exist or is not a folder`);
  }
  const policy = { ...(options.scorers ? { scorers: options.scorers } : {}), ...(options.scorerDirs ? { scorerDirs: options.scorerDirs } : {}) };
  const stores = await StoreResolver.create({ storeRoots: options.storeRoots, dataRoot: options.dataRoot });
  const probe = new RedisProbe(options.url);
  try {
    await probe.ping();
  } finally {
    probe.close();
  }
  const log = options.log ?? (() => {});
  const name = `${hostname()}:${process.pid}:${workerCount++}`;
  const pool = new ThreadPoolExecutor({
    threads, handlerModule: options.handlerModule ?? SEARCH_HANDLER, ...(options.name === undefined ? {} : { name: options.name }),
  });
  let processed = 0;

  const liveness = new RedisProbe(options.url);
  const bounds = new Map<string, StoreBounds>();
  const boundsOf = (store: string, foldSet: string): StoreBounds => {
    const key = `${store}\u0000${foldSet}`;
    let found = bounds.get(key);
    if (!found) {
      found = storeBounds(store, foldSet);
      bounds.set(key, found);
    }
    return found;
  };

  /** The checked task of `job`, mapped to the local store; or an error saying why it will not run. */
  const accept = async (job: Job<TaskJobData | UnreadableJob>): Promise<TaskMessage> => {
    const data = job.data as Partial<TaskJobData> & Partial<UnreadableJob>;
    if (data.unreadable !== undefined) throw new Error(`${REFUSED} job ${job.id}: its payload is not JSON (${data.unreadable})`);
    if (job.name !== TASK_JOB || data.v !== PROTOCOL_VERSION) {
      throw new Error(`${REFUSED} job ${job.id}: not a memgrid v${PROTOCOL_VERSION} task (name '${job.name}', version ${String(data.v)})`);
    }
    if (!isLivenessKey(data.run)) throw new Error(`${REFUSED} job ${job.id}: run: must name the run's liveness key, found ${JSON.stringify(data.run)}`);
    // Only a definite answer drops a job: when Redis does not answer, the job cannot finish anyway.
    const gone = await liveness.missing([data.run]).then((keys) => keys.length > 0, () => false);
    if (gone) {
      throw new Error(`${DROPPED} job ${job.id}: the coordinator of its run is gone (its liveness key ${data.run} expired); not running it`);
    }
    const task = checkTaskMessage(decodeMessage(data.task, `job ${job.id}`), policy);
    const local: TaskMessage = { ...task, store: await stores.resolve(task.store, task.foldSet) };
    checkTaskBounds(local, boundsOf(local.store, local.foldSet));
    return local;
  };

  const processJob = async (job: Job<TaskJobData | UnreadableJob>): Promise<string> => {
    let task: TaskMessage;
    try {
      task = await accept(job);
    } catch (error) {
      throw refusal(error);
    }
    const result = await pool.run(task);
    processed++;
    return encodeMessage(result);
  };

  const worker = new TaskWorker(options.queueName ?? DEFAULT_QUEUE, processJob, {
    connection: redisOptions(options.url),
    name,
    concurrency: threads,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: options.maxStalledCount ?? 2,
  });
  worker.on('error', (error) => log(`worker ${name}: Redis error: ${error.message}`));
  worker.on('completed', (job) => log(`worker ${name}: job ${job.id ?? '?'} done`));
  worker.on('failed', (job, error) => log(`worker ${name}: job ${job?.id ?? '?'} failed: ${error.message}`));
  try {
    await worker.waitUntilReady();
  } catch (error) {
    liveness.close();
    await pool.close();
    throw error;
  }
  log(`worker ${name}: ${threads} thread(s) on queue '${options.queueName ?? DEFAULT_QUEUE}' at ${redactUrl(options.url)}`);

  let closing: Promise<void> | undefined;
  let onClosed!: () => void;
  const closed = new Promise<void>((resolve) => { onClosed = resolve; });
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) {
      // A second signal: the user does not want to wait (Redis may be gone and closing stuck).
      log(`worker ${name}: ${signal} again, exiting now; running tasks will be retried elsewhere`);
      process.exit(1);
    }
    log(`worker ${name}: ${signal}, finishing running tasks (send it again to exit now)`);
    void close();
  };
  const close = (): Promise<void> => {
    closing ??= (async () => {
      try {
        await worker.close();
      } finally {
        await pool.close();
        liveness.close();
        process.off('SIGTERM', onSignal).off('SIGINT', onSignal);
        log(`worker ${name}: closed after ${processed} task(s)`);
        onClosed();
      }
    })();
    return closing;
  };
  if (options.handleSignals ?? true) process.on('SIGTERM', onSignal).on('SIGINT', onSignal);

  return {
    name,
    get processed() { return processed; },
    close,
    closed,
  };
}
