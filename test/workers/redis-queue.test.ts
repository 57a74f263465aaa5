/**
 * The Redis queue end to end with a real redis-server and real worker processes, on a fake
 * handler (scores computed from ids) so that every fit can be checked to arrive exactly once.
 * Search-level tests on real data are in redis-search.test.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ndarray } from '../../src/data/ndarray.js';
import { persistDataset, writeFoldSet } from '../../src/data/store.js';
import { FitError, QueueError } from '../../src/errors.js';
import type { CvTask, FitRecord, TaskMessage } from '../../src/workers/protocol.js';
import { RedisExecutor } from '../../src/workers/redis-executor.js';
import { runRedisWorker } from '../../src/workers/redis-worker.js';
import { REDIS_SERVER, REDIS_SKIP_REASON, startRedis, type RedisServer } from '../helpers/redis-server.js';
import type { RedisWorker } from '../../src/workers/redis-worker.js';
import { FAKE_HANDLER, spawnWorker } from '../helpers/redis-workers.js';
import { tempDir } from '../helpers/temp.js';
import { waitFor } from '../helpers/wait.js';

const root = tempDir('memgrid-redis-');
let redis: RedisServer;
let store: string;
let foldSet: string;

function tasks(count: number, overrides: Partial<CvTask> = {}): TaskMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    kind: 'cv', store, foldSet, model: { name: 'ridge', params: {} }, scoring: ['r2'],
    returnTrainScore: false, errorScore: Number.NaN,
    candidates: [{ id: i, params: { alpha: i + 0.5 } }], folds: [0, 1], ...overrides,
  }));
}

async function waitForKeyGone(raw: Redis, key: string): Promise<void> {
  await waitFor(async () => (await raw.exists(key)) === 0, 10_000, `Redis key ${key} to expire`);
}

function expectEachFitOnce(records: readonly FitRecord[], count: number): void {
  const keys = records.map((r) => `${r.candidate}/${r.fold}`).sort();
  const expected = Array.from({ length: count }, (_, i) => [`${i}/0`, `${i}/1`]).flat().sort();
  expect(keys).toEqual(expected);
  for (const r of records) expect(r.test.r2).toBe(r.candidate * 100 + r.fold);
}

describe.skipIf(!REDIS_SERVER)(`redis queue${REDIS_SERVER ? '' : ` (skipped: ${REDIS_SKIP_REASON})`}`, () => {
  beforeAll(async () => {
    redis = await startRedis();
    // A real (tiny) store: workers bound every index of a task by the store it names.
    const made = persistDataset(ndarray('float64', [4, 2], new Float64Array(8)), ndarray('float64', [4]), { root: join(root, 'stores') });
    store = made.dir;
    foldSet = writeFoldSet(store, [{ train: new Int32Array([2, 3]), test: new Int32Array([0, 1]) }, { train: new Int32Array([0, 1]), test: new Int32Array([2, 3]) }]);
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('a worker SIGKILLed while it holds a task loses nothing: the other worker runs that task again', async () => {
    const queueName = 'kill';
    const common = {
      url: redis.url, queueName, threads: 1, storeRoots: [join(root, 'stores')], handlerModule: FAKE_HANDLER,
      // Short locks so that the killed worker's task is taken again within a second or two.
      lockDurationMs: 1_000, stalledIntervalMs: 500,
    };
    const workers = await Promise.all([spawnWorker(common), spawnWorker(common)]);
    const executor = await RedisExecutor.connect({ url: redis.url, queueName, concurrency: 2 });
    const queue = new Queue(queueName, { connection: { host: '127.0.0.1', port: redis.port } });
    try {
      const count = 24;
      // Task 5 holds (alpha 7, see the fake handler) the first time it runs, and says which process holds it.
      const held = tasks(1, { candidates: [{ id: 5, params: { alpha: 7 } }] })[0]!;
      const runs = tasks(count).map((task, i) => executor.run(i === 5 ? held : task));
      const heldFile = `${store}.held`;
      await waitFor(() => existsSync(heldFile), 15_000, 'a worker to hold task 5');
      const holder = workers.find((w) => w.child.pid === Number(readFileSync(heldFile, 'utf8')))!;
      const survivor = workers.find((w) => w !== holder)!;
      holder.child.kill('SIGKILL');
      const results = await Promise.all(runs);
      expectEachFitOnce(results.flatMap((r) => r.records), count);
      const jobs = await queue.getJobs(['completed']);
      expect(jobs).toHaveLength(count);
      // The held task stalled once when its worker died, and the other worker finished it.
      const stalled = jobs.filter((job) => job.stalledCounter > 0);
      const candidateOf = (job: (typeof jobs)[number]): number => (JSON.parse(job.data.task as string) as CvTask).candidates[0]!.id;
      expect(stalled.map((job) => [candidateOf(job), job.processedBy])).toEqual([[5, survivor.name]]);
    } finally {
      await queue.close();
      await executor.close();
      await Promise.all(workers.map((w) => w.stop()));
    }
  });

  it('keeps NaN error scores, rejects a task that throws without retrying it, and refuses bad tasks', async () => {
    const worker = await runRedisWorker({
      url: redis.url, queueName: 'checks', threads: 1, storeRoots: [join(root, 'stores')],
      handlerModule: FAKE_HANDLER, scorers: ['r2'], handleSignals: false,
    });
    const executor = await RedisExecutor.connect({ url: redis.url, queueName: 'checks' });
    try {
      const [ok] = tasks(1, { errorScore: Number.NaN });
      const sent = await executor.run({ ...ok!, errorScore: Number.NaN });
      expect(sent.records).toHaveLength(2);

      // A task that throws on its worker is a failed task (FitError: its fits are scored as failed);
      // a task the worker will not run is a queue failure (QueueError: never a fit).
      const [throwing] = tasks(1, { candidates: [{ id: 0, params: { alpha: 13 } }] });
      await expect(executor.run(throwing!)).rejects.toThrow(/failed on worker \S+: fake handler: alpha 13 always fails$/);
      await expect(executor.run(throwing!)).rejects.toBeInstanceOf(FitError);

      const [evil] = tasks(1, { model: { name: 'child_process' as never, params: {} } });
      await expect(executor.run(evil!)).rejects.toThrow(/refused task: unknown model "child_process"/);
      const [badParam] = tasks(1, { candidates: [{ id: 0, params: { alpha: -1 } }] });
      await expect(executor.run(badParam!)).rejects.toThrow(/refused task: .*alpha/);
      const [outside] = tasks(1, { store: tmpdir() });
      await expect(executor.run(outside!)).rejects.toThrow(/refused task: store .* is outside the worker's store roots/);
      const [traversal] = tasks(1, { foldSet: '../../etc' });
      await expect(executor.run(traversal!)).rejects.toThrow(/refused task: foldSet/);
      const [scorer] = tasks(1, { scoring: ['r3'] });
      await expect(executor.run(scorer!)).rejects.toThrow(/refused task: unknown scoring 'r3'/);
      await expect(executor.run(scorer!)).rejects.toBeInstanceOf(QueueError);
      // Params are own properties only: inherited names are unknown params, whatever the JSON says.
      for (const name of ['constructor', 'toString', '__proto__']) {
        const [inherited] = tasks(1, { candidates: [{ id: 0, params: JSON.parse(`{"${name}": 1}`) as Record<string, number> }] });
        await expect(executor.run(inherited!)).rejects.toThrow(`refused task: ridge: unknown param "${name}"`);
      }
      // Every index is bounded by the store: 4 rows, 2 columns, 2 folds of 2 training rows.
      const { candidates: _candidates, folds: _folds, kind: _kind, ...common } = tasks(1)[0] as CvTask;
      const stats: TaskMessage = { ...common, kind: 'ridge-stats', rowStart: 0, rowEnd: 2e9, cutoffs: [], shift: [0, 0], yShift: 0 };
      await expect(executor.run(stats)).rejects.toThrow(/refused task: rowEnd: 2000000000 is past the store's 4 rows$/);
      await expect(executor.run({ ...stats, rowEnd: 4, cutoffs: [3, 1] } as TaskMessage)).rejects.toThrow(/refused task: cutoffs\[1\]: 1 is below cutoffs\[0\] \(3\): cutoffs must ascend$/);
      await expect(executor.run({ ...stats, rowEnd: 4, shift: [0, 0, 0] } as TaskMessage)).rejects.toThrow(/refused task: shift: holds 3 value\(s\), the store's X has 2 column\(s\)$/);
      await expect(executor.run(tasks(1, { folds: [0, 7] })[0]!)).rejects.toThrow(/refused task: folds\[1\]: fold 7 does not exist: the fold set has 2 fold\(s\)$/);
      await expect(executor.run(tasks(1, { trainSize: 3 })[0]!)).rejects.toThrow(/refused task: trainSize: 3 is more than the 2 training rows of fold 0$/);
      expect(worker.processed).toBe(1);
    } finally {
      await executor.close();
      await worker.close();
    }
  });

  it('fails a job whose payload is not JSON once, with the reason, instead of leaving it active', async () => {
    const queueName = 'garbled';
    const queue = new Queue(queueName, { connection: { host: '127.0.0.1', port: redis.port } });
    const raw = new Redis(redis.port, '127.0.0.1');
    const lines: string[] = [];
    let worker: RedisWorker | undefined;
    try {
      await queue.add('task', { v: 2, task: '{}', run: 'memgrid:run:garbled:x' }, { jobId: 'bad-1' });
      await raw.hset(queue.toKey('bad-1'), 'data', 'not json {');
      worker = await runRedisWorker({
        url: redis.url, queueName, threads: 1, storeRoots: [join(root, 'stores')], handlerModule: FAKE_HANDLER,
        handleSignals: false, lockDurationMs: 1_000, stalledIntervalMs: 300, log: (line) => lines.push(line),
      });
      await waitFor(() => lines.some((line) => line.includes('job bad-1 failed')), 10_000, 'the garbled job to fail');
      expect(await queue.getJobState('bad-1')).toBe('failed');
      expect(await raw.hget(queue.toKey('bad-1'), 'failedReason')).toMatch(/^refused job bad-1: its payload is not JSON \(Unexpected token .*\)$/);
      expect(lines.filter((line) => line.includes('bad-1') || line.includes('Redis error'))).toHaveLength(1);
    } finally {
      await worker?.close();
      await queue.close();
      raw.disconnect();
    }
  });

  it('workers drop the queued jobs of a coordinator that died, once its liveness key expires', async () => {
    const queueName = 'orphans';
    const runId = 'dead-coordinator';
    const script = resolve(import.meta.dirname, '../helpers/redis-coordinator-process.mjs');
    const options = { url: redis.url, queueName, runId, livenessTtlMs: 600, healthIntervalMs: 100 };
    const child = spawn(process.execPath, [script, JSON.stringify(options), JSON.stringify(tasks(3))], { stdio: ['ignore', 'pipe', 'inherit'] });
    const raw = new Redis(redis.port, '127.0.0.1');
    const lines: string[] = [];
    let worker: RedisWorker | undefined;
    try {
      await new Promise<void>((done) => child.stdout!.on('data', (chunk: Buffer) => { if (chunk.toString().includes('queued 3')) done(); }));
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGKILL');
      await exited;
      const key = `memgrid:run:${queueName}:${runId}`;
      await waitForKeyGone(raw, key);
      worker = await runRedisWorker({
        url: redis.url, queueName, threads: 1, storeRoots: [join(root, 'stores')], handlerModule: FAKE_HANDLER,
        handleSignals: false, log: (line) => lines.push(line),
      });
      await waitFor(() => lines.filter((line) => / failed: dropped job /.test(line)).length === 3, 10_000, 'the three orphaned jobs to be dropped');
      expect(lines.filter((line) => / failed: /.test(line))[0]).toMatch(new RegExp(`job ${runId}-0 failed: dropped job ${runId}-0: the coordinator of its run is gone \\(its liveness key ${key} expired\\); not running it$`));
      expect(worker.processed).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await worker?.close();
      raw.disconnect();
    }
  });

  it('a Redis that restarts empty fails the pending tasks within the lost-job check, naming what happened', async () => {
    const executor = await RedisExecutor.connect({ url: redis.url, queueName: 'amnesia', timeoutMs: 5_000, lostJobCheckMs: 400, healthIntervalMs: 100 });
    const queue = new Queue('amnesia', { connection: { host: '127.0.0.1', port: redis.port } });
    try {
      const pending = executor.run(tasks(1)[0]!);
      await waitFor(async () => (await queue.getJobCounts('waiting')).waiting === 1, 10_000, 'the task to be queued');
      await queue.close();
      await redis.stop();
      await redis.restart(); // no persistence: it comes back empty, and answers pings
      await expect(pending).rejects.toThrow(/^Redis at redis:\/\/127\.0\.0\.1:\d+ lost 1 queued task\(s\) of this run \(job \S+ no longer exists: Redis restarted without persistence, or was flushed\)$/);
      await expect(pending).rejects.toBeInstanceOf(QueueError);
    } finally {
      await executor.close();
    }
  });

  it('fails fast on an unreachable or password-protected Redis', async () => {
    // Failing fast means rejecting at all: a retry loop would run into the test's timeout.
    const dead = `redis://127.0.0.1:${redis.port + 1}`;
    await expect(RedisExecutor.connect({ url: dead })).rejects.toThrow(/cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/);
    await expect(runRedisWorker({ url: dead, handleSignals: false })).rejects.toThrow(QueueError);

    const secured = await startRedis({ password: 's3cret' });
    try {
      await expect(RedisExecutor.connect({ url: secured.url.replace('s3cret', 'wrong') }))
        .rejects.toThrow(/cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+: WRONGPASS/);
      const executor = await RedisExecutor.connect({ url: secured.url });
      await executor.close();
    } finally {
      await secured.stop();
    }
  });

  it('rejects pending tasks with a clear error soon after Redis stops', async () => {
    const executor = await RedisExecutor.connect({ url: redis.url, queueName: 'nobody', timeoutMs: 1_500, healthIntervalMs: 250 });
    try {
      const pending = executor.run(tasks(1)[0]!);
      // Stop Redis once the task is queued (no worker serves this queue, so it stays there).
      const queue = new Queue('nobody', { connection: { host: '127.0.0.1', port: redis.port } });
      try {
        await waitFor(async () => (await queue.getWaitingCount()) === 1, 10_000, 'the task to be queued');
      } finally {
        await queue.close();
      }
      await redis.stop();
      await expect(pending).rejects.toThrow(/lost Redis at redis:\/\/127\.0\.0\.1:\d+: no answer for \d+\.\d s with 1 task\(s\) pending/);
    } finally {
      await executor.close();
      await redis.restart();
    }
  });
});
