/**
 * A Redis outage in the middle of `memgrid run --executor redis` is a failure of the run, never
 * a result: the run exits 1 with one line naming Redis and the resume command, journals no fit
 * for the tasks it lost, and `--resume` once Redis is back runs exactly the missing fits. The
 * URL comes from MEMGRID_REDIS_URL here, for the coordinator and the worker alike. Mid-run by
 * construction: a worker in this process takes one or two of the 18 tasks and stops, and Redis
 * stops once their fits are journaled, with the other tasks still queued.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, startMemgrid, type Result } from '../cli/memgrid.js';
import { REDIS_SERVER, REDIS_SKIP_REASON, startRedis, type RedisServer } from '../helpers/redis-server.js';
import { runRedisWorker } from '../../src/workers/redis-worker.js';
import { tempDir } from '../helpers/temp.js';
import { waitFor } from '../helpers/wait.js';

/** 6 candidates × 3 folds = 18 fits, in plain cv tasks (MAE needs predictions: no ridge statistics plan). */
const CONFIG = {
  data: { synthetic: { kind: 'regression', nSamples: 300, nFeatures: 5, noise: 3, seed: 2 } },
  model: { name: 'ridge', params: { fitIntercept: false } },
  grid: { alpha: [0.001, 0.01, 0.1, 1, 10, 100] },
  cv: { folds: 3 },
  scoring: 'neg_mean_absolute_error',
};
const FITS = 18;

const dir = tempDir('memgrid-redis-outage-');
/** The default store root of the runs and workers here (TMPDIR is `dir` for them). */
const storeRoot = join(dir, `memgrid-stores-${process.getuid!()}`);
let redis: RedisServer;

function env(): NodeJS.ProcessEnv {
  return { ...process.env, NO_COLOR: '1', TMPDIR: dir, MEMGRID_REDIS_URL: redis.url };
}

async function startWorker(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'worker', '--queue', 'outage', '--threads', '1'], { cwd: dir, env: env(), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (/thread\(s\) on queue/.test(stderr)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${stderr}`)));
  });
  return child;
}

function coordinator(extra: readonly string[]): { child: ChildProcess; done: Promise<Result> } {
  const child = spawn(process.execPath, [BIN, 'run', 'exp.json', '--quiet', '--executor', 'redis', '--queue', 'outage', '--out', 'queued',
    '--queue-timeout', '1500', ...extra], { cwd: dir, env: env() });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  return { child, done: new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr }))) };
}

interface FitLine { key: string; record: { error?: string } }

function fitLines(journal: string): FitLine[] {
  const text = readFileSync(journal, 'utf8');
  return text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter(Boolean)
    .map((line) => JSON.parse(line) as FitLine & { type: string }).filter((entry) => entry.type === 'fit');
}

const scores = (path: string): Record<string, unknown> => Object.fromEntries(
  Object.entries((JSON.parse(readFileSync(path, 'utf8')) as { cvResults: Record<string, unknown> }).cvResults).filter(([k]) => !k.endsWith('_time')),
);

describe.skipIf(!REDIS_SERVER)(`Redis outages are failures, never results${REDIS_SERVER ? '' : ` (skipped: ${REDIS_SKIP_REASON})`}`, () => {
  beforeAll(async () => {
    redis = await startRedis();
    writeFileSync(join(dir, 'exp.json'), JSON.stringify(CONFIG));
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('exits 1 naming Redis and --resume, journals no lost task as a fit, and resumes exactly the missing fits', async () => {
    const full = await startMemgrid(['run', 'exp.json', '--quiet', '--workers', '1', '--out', 'full'], dir, { TMPDIR: dir }).done;
    expect(full.code, full.stderr).toBe(0);
    const workers: ChildProcess[] = [];
    try {
      const journal = join(dir, 'queued', 'journal.jsonl');
      const first = coordinator([]);
      // A worker that takes one of the run's tasks, then stops taking any (close lets a task it already took finish).
      let stop: (() => Promise<void>) | undefined;
      let done = 0;
      await waitFor(() => existsSync(storeRoot), 20_000, 'the run to persist its data');
      const partial = await runRedisWorker({
        url: redis.url, queueName: 'outage', threads: 1, storeRoots: [storeRoot], handleSignals: false,
        log: (line) => { if (line.endsWith(' done') && ++done === 1) void stop?.(); },
      });
      stop = partial.close;
      if (done >= 1) void partial.close();
      await partial.closed;
      await waitFor(() => existsSync(journal) && fitLines(journal).length > 0, 20_000, 'the first journaled fits');
      await redis.stop();
      const failed = await first.done;
      const kept = fitLines(journal);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(new RegExp(
        `^memgrid: lost Redis at redis://127\\.0\\.0\\.1:${redis.port}: no answer for \\d+\\.\\d s with \\d+ task\\(s\\) pending \\([^\\n]*\\); ` +
        `${kept.length} finished fit\\(s\\) are kept in ${journal}; once Redis and its workers are back, resume with: memgrid run exp\\.json --resume --out queued\\n$`,
      ));
      expect(kept.length).toBeLessThan(FITS);
      expect(kept.filter((line) => line.record.error !== undefined)).toEqual([]);
      expect(existsSync(join(dir, 'queued', 'results.json'))).toBe(false);

      await redis.restart(); // empty: the lost run's jobs are gone for good
      // A worker and the resumed run start together.
      const resuming = coordinator(['--resume']);
      workers.push(await startWorker());
      const resumed = await resuming.done;
      expect(resumed.code, resumed.stderr).toBe(0);
      const lines = fitLines(journal);
      expect(lines).toHaveLength(FITS);
      expect(new Set(lines.map((line) => line.key)).size).toBe(FITS);
      const results = JSON.parse(readFileSync(join(dir, 'queued', 'results.json'), 'utf8')) as { fits: unknown; fitErrors: unknown[] };
      expect(results.fits).toEqual({ total: FITS, restored: kept.length });
      expect(results.fitErrors).toEqual([]);
      expect(scores(join(dir, 'queued', 'results.json'))).toEqual(scores(join(dir, 'full', 'results.json')));
    } finally {
      await Promise.all(workers.map(async (child) => {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }));
    }
  }, 60_000);
});
