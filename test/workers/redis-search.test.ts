/**
 * Searches on the Redis queue with real worker processes and the real task handler: the
 * results must equal the thread pool's, and a worker with a data root must map a verified
 * local copy and refuse a tampered one.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ndarray } from '../../src/data/ndarray.js';
import { makeRegression } from '../../src/data/synthetic.js';
import { LogisticRegression } from '../../src/models/logistic.js';
import { makePipeline } from '../../src/models/pipeline.js';
import { Ridge } from '../../src/models/ridge.js';
import { StandardScaler } from '../../src/models/standard-scaler.js';
import { GridSearch } from '../../src/search/grid-search.js';
import type { CvResults, SearchOptions } from '../../src/search/options.js';
import { StratifiedKFold } from '../../src/search/splitters.js';
import { RedisExecutor } from '../../src/workers/redis-executor.js';
import { REDIS_SERVER, REDIS_SKIP_REASON, startRedis, type RedisServer } from '../helpers/redis-server.js';
import { CountingExecutor } from '../helpers/counting-executor.js';
import { spawnWorker, type WorkerProcess } from '../helpers/redis-workers.js';
import { waitFor } from '../helpers/wait.js';

let redis: RedisServer;
let root: string;
let storeRoot: string;

const GRID = { alpha: [0.001, 0.1, 1, 10, 1000], fitIntercept: [true, false] };

async function search(options: SearchOptions): Promise<CvResults> {
  const { X, y } = makeRegression({ nSamples: 240, nFeatures: 4, noise: 1, seed: 12345 });
  const done = await new GridSearch(new Ridge(), GRID, {
    cv: 4, scoring: ['r2', 'neg_mean_squared_error'], refit: 'r2', returnTrainScore: true, storeRoot, ...options,
  }).fit(X, y);
  return done.cvResults;
}

/** cvResults without the timing columns, which differ from run to run. */
function withoutTimes(results: CvResults): Record<string, unknown> {
  return Object.fromEntries(Object.entries(results).filter(([key]) => !key.endsWith('_time')));
}

/** A search on the queue; `sent` counts the tasks it queued. */
async function onQueue(queueName: string, sent?: CountingExecutor[]): Promise<CvResults> {
  const executor = new CountingExecutor(await RedisExecutor.connect({ url: redis.url, queueName, concurrency: 2 }));
  sent?.push(executor);
  try {
    return await search({ executor });
  } finally {
    await executor.close();
  }
}

describe.skipIf(!REDIS_SERVER)(`redis executor in a search${REDIS_SERVER ? '' : ` (skipped: ${REDIS_SKIP_REASON})`}`, () => {
  beforeAll(async () => {
    redis = await startRedis();
    root = mkdtempSync(join(tmpdir(), 'memgrid-redis-search-'));
    storeRoot = join(root, 'stores');
  });
  afterAll(async () => {
    await redis?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('gives the same cvResults as the thread pool', async () => {
    const expected = await search({ workers: 1 });
    const worker = await spawnWorker({ url: redis.url, queueName: 'same', threads: 2, storeRoots: [storeRoot] });
    try {
      const sent: CountingExecutor[] = [];
      const found = await onQueue('same', sent);
      expect(withoutTimes(found)).toEqual(withoutTimes(expected));
      // The grid (with and without intercept) is ridge's statistics plan; every task the search
      // queued ran on the worker process (whose log line may trail the result).
      expect(sent[0]!.kinds()).toEqual(['ridge-stats']);
      const queued = sent[0]!.tasks.length;
      expect(queued).toBeGreaterThan(0);
      await waitFor(() => worker.done() >= queued, 10_000, `the worker's ${queued} "done" lines`);
      expect(worker.done()).toBe(queued);
    } finally {
      await worker.stop();
    }
  });

  it('maps a verified copy under --data-root, and refuses a tampered copy', async () => {
    const expected = await search({ workers: 1 });
    const dataRoot = join(root, 'cache');
    const options = { url: redis.url, queueName: 'cache', threads: 1, storeRoots: [storeRoot], dataRoot };
    let worker: WorkerProcess = await spawnWorker(options);
    try {
      expect(withoutTimes(await onQueue('cache'))).toEqual(withoutTimes(expected));
      const cached = readdirSync(dataRoot).filter((name) => !name.includes('.tmp-'));
      expect(cached).toHaveLength(1);
      await worker.stop();

      // Flip one byte of the cached X: a fresh worker re-checks the copy and refuses it.
      const xPath = join(dataRoot, cached[0]!, 'X.npy');
      const bytes = readFileSync(xPath);
      bytes[bytes.length - 1] ^= 0xff;
      writeFileSync(xPath, bytes);
      worker = await spawnWorker(options);
      await expect(onQueue('cache')).rejects.toThrow(/does not match the manifest/);
    } finally {
      await worker.stop();
    }
  });

  it('runs a weighted pipeline search with a module scorer from an allowed folder, through a data root', async () => {
    const { X, y } = makeRegression({ nSamples: 240, nFeatures: 4, noise: 1, seed: 7 });
    const weights = Float64Array.from({ length: 240 }, (_, i) => 0.5 + (i % 7) / 3);
    const scorerDir = join(root, 'scorers');
    mkdirSync(scorerDir, { recursive: true });
    const scorerFile = join(scorerDir, 'within.mjs');
    writeFileSync(scorerFile, 'export function within(y, p) { let n = 0; for (let i = 0; i < y.length; i++) if (Math.abs(y[i] - p[i]) < 0.3) n++; return n / y.length; }\n');
    const run = async (options: SearchOptions): Promise<CvResults> => (await new GridSearch(makePipeline(new StandardScaler(), new Ridge()), {
      ridge__alpha: [0.1, 10],
    }, { cv: 4, scoring: { r2: 'r2', within: { module: scorerFile, name: 'within' } }, refit: 'r2', storeRoot, ...options })
      .fit(X, y, { ridge__sampleWeight: weights })).cvResults;
    const expected = await run({ workers: 1 });
    const worker = await spawnWorker({
      url: redis.url, queueName: 'weighted', threads: 1, storeRoots: [storeRoot], dataRoot: join(root, 'cache-weighted'), scorerDirs: [scorerDir],
    });
    const executor = await RedisExecutor.connect({ url: redis.url, queueName: 'weighted', concurrency: 1 });
    try {
      expect(withoutTimes(await run({ executor }))).toEqual(withoutTimes(expected));
    } finally {
      await executor.close();
      await worker.stop();
    }
  });

  it('refits a multinomial search from the first fold\'s curvature sent back through the queue, as the thread pool does', async () => {
    // 6 classes over 20 features on 20,000 rows: sampled Hessians, so the path tasks of fold 0 return theirs.
    const n = 20_000;
    const d = 20;
    const values = Float64Array.from({ length: n * d }, (_, i) => Math.sin(i * 0.7548776662) * (1 + (i % d)));
    const scores = Float64Array.from({ length: n }, (_, i) => values[i * d]! - 0.3 * values[i * d + 3]! + 0.5 * Math.sin(i * 1.3));
    const cuts = [1, 2, 3, 4, 5].map((q) => Float64Array.from(scores).sort()[Math.floor((q * n) / 6)]!);
    const X = ndarray('float64', [n, d], values);
    const y = ndarray('float64', [n], Float64Array.from(scores, (z) => cuts.filter((t) => z >= t).length));
    const run = async (options: SearchOptions): Promise<{ cv: CvResults; refit: LogisticRegression }> => {
      const done = await new GridSearch(new LogisticRegression({ tol: 1e-8 }), { C: [0.01, 0.1] }, {
        cv: new StratifiedKFold({ nSplits: 5 }), scoring: 'neg_log_loss', storeRoot, ...options,
      }).fit(X, y);
      return { cv: done.cvResults, refit: done.bestEstimator as LogisticRegression };
    };
    const expected = await run({ workers: 2 });
    const worker = await spawnWorker({ url: redis.url, queueName: 'curvature', threads: 2, storeRoots: [storeRoot] });
    const executor = await RedisExecutor.connect({ url: redis.url, queueName: 'curvature', concurrency: 2 });
    try {
      const found = await run({ executor });
      expect(withoutTimes(found.cv)).toEqual(withoutTimes(expected.cv));
      expect(found.refit.solverReport()).toMatchObject({ converged: true, hessianPasses: 0 });
      expect(Array.from(found.refit.coef)).toEqual(Array.from(expected.refit.coef));
    } finally {
      await executor.close();
      await worker.stop();
    }
  });
});
