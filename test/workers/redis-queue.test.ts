/**
 * The Redis queue end to end with a real redis-server and real worker processes, on a fake
 * handler (scores computed from ids) so that every fit can be checked to arrive exactly once.
 * Search-level tests on real data are in redis-search.test.ts.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueError } from '../../src/errors.js';
import type { CvTask, FitRecord, TaskMessage } from '../../src/workers/protocol.js';
import { RedisExecutor } from '../../src/workers/redis-executor.js';
import { runRedisWorker } from '../../src/workers/redis-worker.js';
import { REDIS_SERVER, REDIS_SKIP_REASON, startRedis, type RedisServer } from '../helpers/redis-server.js';
import { FAKE_HANDLER, spawnWorker, waitFor } from '../helpers/redis-workers.js';

let redis: RedisServer;
let root: string;
let store: string;

function tasks(count: number, overrides: Partial<CvTask> = {}): TaskMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    kind: 'cv', store, foldSet: 'f1', model: { name: 'ridge', params: {} }, scoring: ['r2'],
    returnTrainScore: false, errorScore: Number.NaN,
    candidates: [{ id: i, params: { alpha: i + 0.5 } }], folds: [0, 1], ...overrides,
  }));
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
    root = mkdtempSync(join(tmpdir(), 'memgrid-redis-'));
    store = join(root, 'stores', 'abc123');
    mkdirSync(store, { recursive: true });
  });
  afterAll(async () => {
    await redis?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('two worker processes share the tasks, and a SIGKILLed one loses nothing', async () => {
    const queueName = 'kill';
    const common = {
      url: redis.url, queueName, threads: 1, storeRoots: [join(root, 'stores')], handlerModule: FAKE_HANDLER,
      // Short locks so that the killed worker's task is taken again within a second or two.
      lockDurationMs: 1_000, stalledIntervalMs: 500, taskDelayMs: 150,
    };
    const [a, b] = await Promise.all([spawnWorker(common), spawnWorker(common)]);
    const executor = await RedisExecutor.connect({ url: redis.url, queueName, concurrency: 2 });
    const queue = new Queue(queueName, { connection: { host: '127.0.0.1', port: redis.port } });
    try {
      const count = 24;
      const runs = tasks(count).map((task) => executor.run(task));
      // Kill worker a while it holds a task: it has finished two and took the next at once.
      await waitFor(() => a.done() >= 2, 15_000, 'worker a to finish two tasks');
      a.child.kill('SIGKILL');
      const results = await Promise.all(runs);
      expectEachFitOnce(results.flatMap((r) => r.records), count);
      // Both took tasks; the task worker a held when killed was taken again (stalled once).
      expect(b.done()).toBeGreaterThanOrEqual(1);
      const jobs = await queue.getJobs(['completed']);
      expect(jobs).toHaveLength(count);
      expect(jobs.filter((job) => job.stalledCounter > 0)).toHaveLength(1);
      expect(new Set(jobs.map((job) => job.processedBy))).toEqual(new Set([a.name, b.name]));
    } finally {
      await queue.close();
      await executor.close();
      await Promise.all([a.stop(), b.stop()]);
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

      const [throwing] = tasks(1, { candidates: [{ id: 0, params: { alpha: 13 } }] });
      await expect(executor.run(throwing!)).rejects.toThrow(/failed: fake handler: alpha 13 always fails/);

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
      expect(worker.processed).toBe(1);
    } finally {
      await executor.close();
      await worker.close();
    }
  });

  it('fails fast on an unreachable or password-protected Redis', async () => {
    const dead = `redis://127.0.0.1:${redis.port + 1}`;
    const t0 = Date.now();
    await expect(RedisExecutor.connect({ url: dead })).rejects.toThrow(/cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/);
    await expect(runRedisWorker({ url: dead, handleSignals: false })).rejects.toThrow(QueueError);
    expect(Date.now() - t0).toBeLessThan(5_000);

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
      await new Promise((r) => setTimeout(r, 300));
      const t0 = Date.now();
      await redis.stop();
      await expect(pending).rejects.toThrow(/lost Redis at redis:\/\/127\.0\.0\.1:\d+: no answer for \d+\.\d s with 1 task\(s\) pending/);
      expect(Date.now() - t0).toBeLessThan(5_000);
    } finally {
      await executor.close();
      await redis.restart();
    }
  });
});
