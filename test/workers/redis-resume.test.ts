/**
 * `memgrid run --executor redis` end to end: a coordinator SIGKILLed mid-run is run again with
 * `--resume` and ends with the same scores as an uninterrupted thread-pool run, every fit
 * journaled once. Mid-run by construction, not by timing: while the coordinator runs, a worker
 * in this process takes two of its tasks and stops; the kill comes once their fits are
 * journaled, with the other tasks still queued. Two `memgrid worker` processes then serve the
 * queue: they run the killed coordinator's leftover jobs too, and the resumed run must not take
 * those results for its own (its job ids carry a new run id).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, startMemgrid, type Result } from '../cli/memgrid.js';
import { REDIS_SERVER, REDIS_SKIP_REASON, startRedis, type RedisServer } from '../helpers/redis-server.js';
import { runRedisWorker } from '../../src/workers/redis-worker.js';
import { tempDir } from '../helpers/temp.js';
import { waitFor } from '../helpers/wait.js';

/** 16 candidates × 5 folds = 80 fits in 12 logistic path tasks (2 intercepts × 5 folds, the last cut in two). */
const CONFIG = {
  data: { synthetic: { kind: 'classification', nSamples: 600, nFeatures: 8, seed: 5 } },
  model: { name: 'logistic', params: { maxIter: 300 } },
  grid: { C: [0.001, 0.01, 0.03, 0.1, 0.3, 1, 10, 100], fitIntercept: [true, false] },
  cv: { folds: 5 },
  scoring: ['accuracy', 'neg_log_loss'], refit: 'neg_log_loss',
};
const FITS = 16 * 5;

const dir = tempDir('memgrid-redis-resume-');
const storeRoot = join(dir, 'stores');
let redis: RedisServer;

/** Ids (`<run id>-<n>`) of the jobs the workers finished, in order. */
const finished: string[] = [];

/** A `memgrid worker` process, resolved once it is connected to the queue; its finished jobs go to `finished`. */
async function startWorker(queue: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'worker', '--redis', redis.url, '--queue', queue, '--threads', '1',
    '--store-root', storeRoot], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start in 15 s: ${stderr}`)), 15_000);
    let buffered = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const job = /: job (\S+) done$/.exec(line);
        if (job) finished.push(job[1]!);
      }
      if (/thread\(s\) on queue/.test(stderr)) { clearTimeout(timer); resolve(); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`worker exited with ${code}: ${stderr}`)); });
  });
  return child;
}

async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function run(args: readonly string[]): Promise<Result> {
  return startMemgrid(['run', 'exp.json', '--store-root', storeRoot, '--quiet', ...args], dir).done;
}

const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

/** The journal's complete fit lines (a line torn by the kill is not one). */
function fitLines(journal: string): { key: string; phase: string }[] {
  const text = readFileSync(journal, 'utf8');
  return text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter(Boolean)
    .map((line) => JSON.parse(line) as { type: string; key: string; phase: string })
    .filter((entry) => entry.type === 'fit');
}

/** cv_results.csv as rows of named cells, without the timing columns. */
function csvScores(path: string): Record<string, string>[] {
  const rows = parse(readFileSync(path, 'utf8'), { columns: true }) as Record<string, string>[];
  return rows.map((row) => Object.fromEntries(Object.entries(row).filter(([column]) => !column.endsWith('_time'))));
}

function cvScores(results: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(results.cvResults as Record<string, unknown>).filter(([column]) => !column.endsWith('_time')));
}

describe.skipIf(!REDIS_SERVER)(`memgrid run --executor redis --resume${REDIS_SERVER ? '' : ` (skipped: ${REDIS_SKIP_REASON})`}`, () => {
  beforeAll(async () => {
    redis = await startRedis();
    writeFileSync(join(dir, 'exp.json'), JSON.stringify(CONFIG));
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('resumes after the coordinator is SIGKILLed, with the uninterrupted run\'s scores and each fit once', async () => {
    const full = await run(['--workers', '1', '--out', 'full']);
    expect(full.code, full.stderr).toBe(0);

    const redisArgs = ['--executor', 'redis', '--redis', redis.url, '--queue', 'resume', '--workers', '2', '--out', 'queued'];
    const journal = join(dir, 'queued', 'journal.jsonl');
    const first = startMemgrid(['run', 'exp.json', '--store-root', storeRoot, '--quiet', ...redisArgs], dir);
    // A worker that takes two of the coordinator's tasks, then stops taking any (close lets a task it already took finish).
    let done = 0;
    let stop: (() => Promise<void>) | undefined;
    const partial = await runRedisWorker({
      url: redis.url, queueName: 'resume', threads: 1, storeRoots: [storeRoot], handleSignals: false,
      log: (line) => { if (line.endsWith(' done') && ++done === 2) void stop?.(); },
    });
    stop = partial.close;
    if (done >= 2) void partial.close();
    await partial.closed;
    await waitFor(() => existsSync(journal) && fitLines(journal).length > 0, 20_000, 'the first journaled fits');
    first.kill('SIGKILL');
    const killed = await first.done;
    expect(killed.code).toBeNull();
    const kept = fitLines(journal).length;
    expect(kept).toBeGreaterThan(0);
    // At most the two tasks the worker finished plus one it may have taken as it stopped: 3 of 12.
    expect(kept).toBeLessThan(FITS / 2);
    expect(existsSync(join(dir, 'queued', 'results.json'))).toBe(false);

    const workers = await Promise.all([startWorker('resume'), startWorker('resume')]);
    try {
      const resumed = await run([...redisArgs, '--resume']);
      expect(resumed.code, resumed.stderr).toBe(0);
      // The killed run's jobs were still queued and ran while the resumed run (another run id) waited for its own.
      const runIds = [...new Set(finished.map((job) => job.replace(/-\d+$/, '')))];
      expect(runIds).toHaveLength(2);
      expect(finished.filter((job) => job.startsWith(`${runIds[0]}-`)).length).toBeGreaterThanOrEqual(12 - 3);

      const a = readJson(join(dir, 'queued', 'results.json'));
      const b = readJson(join(dir, 'full', 'results.json'));
      expect(a.fits).toMatchObject({ total: FITS, restored: kept });
      // Restored fits keep their solver reports: the same Newton steps per fit as the uninterrupted run.
      expect((a.fits as { nIter: unknown }).nIter).toEqual((b.fits as { nIter: unknown }).nIter);
      const lines = fitLines(journal);
      expect(lines).toHaveLength(FITS);
      expect(new Set(lines.map((line) => line.key)).size).toBe(FITS);
      // Identical, not merely close: the queue runs the same handler and resumed paths warm-start as the full run's.
      expect(cvScores(a)).toEqual(cvScores(b));
      expect((a.cvResults as { params: unknown[] }).params).toHaveLength(16);
      expect(a.bestParams).toEqual(b.bestParams);
      expect(a.bestScore).toBe(b.bestScore);
      const csv = csvScores(join(dir, 'queued', 'cv_results.csv'));
      expect(csv).toHaveLength(16);
      expect(csv).toEqual(csvScores(join(dir, 'full', 'cv_results.csv')));
    } finally {
      await Promise.all(workers.map(stopWorker));
    }
  }, 40_000);
});
