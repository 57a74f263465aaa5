/**
 * What the Redis queue costs and what it buys, on this machine:
 *  1. per-task overhead: many tiny tasks (one small ridge fit each) inline in this thread,
 *     then through Redis to one worker process (one at a time for latency, all at once for
 *     throughput);
 *  2. a logistic grid that takes a few seconds (real fits, no task delay), on one worker process
 *     and on two; the tasks column counts the tasks the search really sent.
 *
 * Usage: `npm run build && node dist/bench/queue-overhead.js [--redis URL] [--tasks N] [--rows N]`.
 * Without --redis it starts /usr/bin/redis-server on a free loopback port for the run.
 * Worker processes are this script run again with `--as-worker JSON`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { persistDataset, writeFoldSet } from '../src/data/index.js';
import { ndarray } from '../src/data/ndarray.js';
import { LogisticRegression } from '../src/models/logistic.js';
import { GridSearch } from '../src/search/grid-search.js';
import { KFold } from '../src/search/splitters.js';
import { handleTask } from '../src/search/task-runner.js';
import { InlineExecutor } from '../src/workers/inline-executor.js';
import type { Executor, TaskMessage } from '../src/workers/protocol.js';
import { RedisExecutor } from '../src/workers/redis-executor.js';
import { runRedisWorker, type RedisWorkerOptions } from '../src/workers/redis-worker.js';

const SELF = fileURLToPath(import.meta.url);
const REDIS_SERVER = '/usr/bin/redis-server';

interface Row { readonly what: string; readonly tasks: number; readonly wall: number; readonly perTask: number; readonly taskPhase?: number }

/** Seeded data: y = X·w + noise for regression, its sign for classification. */
function dataset(rows: number, cols: number, classify: boolean) {
  let state = 7;
  const rand = (): number => { state = (state * 1103515245 + 12345) % 2 ** 31; return state / 2 ** 31 - 0.5; };
  const X = new Float64Array(rows * cols);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let sum = 0;
    for (let j = 0; j < cols; j++) { const v = rand() * 4; X[i * cols + j] = v; sum += v * ((j % 3) - 1); }
    const noisy = sum + rand() * 3;
    y[i] = classify ? (noisy > 0 ? 1 : 0) : noisy;
  }
  return { X: ndarray('float64', [rows, cols], X), y: ndarray('float64', [rows], y) };
}

async function timeTasks(executor: Executor, tasks: readonly TaskMessage[], sequential: boolean): Promise<number> {
  const t0 = performance.now();
  if (sequential) for (const task of tasks) await executor.run(task);
  else await Promise.all(tasks.map((task) => executor.run(task)));
  return (performance.now() - t0) / 1000;
}

async function tinyTasks(url: string, storeRoot: string, count: number): Promise<Row[]> {
  const { X, y } = dataset(200, 4, false);
  const store = persistDataset(X, y, { root: storeRoot });
  const foldSet = writeFoldSet(store.dir, new KFold({ nSplits: 2 }).split(200));
  const tasks: TaskMessage[] = Array.from({ length: count }, (_, i) => ({
    kind: 'cv', store: store.dir, foldSet, model: { name: 'ridge', params: {} }, scoring: ['r2'],
    returnTrainScore: false, errorScore: Number.NaN, candidates: [{ id: i, params: { alpha: 1 + i } }], folds: [i % 2],
  }));
  const inline = new InlineExecutor(handleTask);
  await timeTasks(inline, tasks.slice(0, 20), true); // warm up
  const inlineWall = await timeTasks(inline, tasks, true);
  const worker = await spawnWorker({ url, queueName: 'bench-tiny', threads: 1, storeRoots: [storeRoot] });
  const queue = await RedisExecutor.connect({ url, queueName: 'bench-tiny', concurrency: 1 });
  try {
    await timeTasks(queue, tasks.slice(0, 20), true);
    const latency = await timeTasks(queue, tasks.slice(0, Math.min(count, 200)), true);
    const throughput = await timeTasks(queue, tasks, false);
    return [
      { what: 'inline, one after another', tasks: count, wall: inlineWall, perTask: inlineWall / count },
      { what: 'redis, 1 worker, one after another', tasks: Math.min(count, 200), wall: latency, perTask: latency / Math.min(count, 200) },
      { what: 'redis, 1 worker, all queued at once', tasks: count, wall: throughput, perTask: throughput / count },
    ];
  } finally {
    await queue.close();
    await stop(worker);
  }
}

/** Passes tasks on to `inner` and counts them: the search decides how many tasks a grid becomes. */
class CountingExecutor implements Executor {
  tasks = 0;
  /** First task queued and last result in (ms): the part of the wall time the workers share. */
  first = Number.POSITIVE_INFINITY;
  last = 0;
  constructor(private readonly inner: Executor) {}
  get concurrency(): number { return this.inner.concurrency; }
  async run(task: TaskMessage, signal?: AbortSignal) {
    this.tasks++;
    this.first = Math.min(this.first, performance.now());
    try { return await this.inner.run(task, signal); } finally { this.last = performance.now(); }
  }
  close(): Promise<void> { return this.inner.close(); }
}

/** The grid: 12 C × fitIntercept on 4 folds; the logistic plan makes it 8 warm-started path tasks. */
const GRID = { C: [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100, 300], fitIntercept: [true, false] };

async function grid(url: string, storeRoot: string, rows: number, workers: number): Promise<Row> {
  const { X, y } = dataset(rows, 16, true);
  const queueName = `bench-grid-${workers}`;
  const children = await Promise.all(Array.from({ length: workers }, () =>
    spawnWorker({ url, queueName, threads: 1, storeRoots: [storeRoot] })));
  const executor = new CountingExecutor(await RedisExecutor.connect({ url, queueName, concurrency: workers }));
  try {
    const t0 = performance.now();
    const search = new GridSearch(new LogisticRegression({ tol: 1e-6, maxIter: 500 }), GRID, { cv: 4, executor, storeRoot });
    await search.fit(X, y);
    const wall = (performance.now() - t0) / 1000;
    const what = `redis, logistic grid 12 C × 2 intercepts × 4 folds (${rows} rows), ${workers} worker process${workers > 1 ? 'es' : ''}`;
    return { what, tasks: executor.tasks, wall, perTask: wall / executor.tasks, taskPhase: (executor.last - executor.first) / 1000 };
  } finally {
    await executor.close();
    await Promise.all(children.map(stop));
  }
}

async function spawnWorker(options: Omit<RedisWorkerOptions, 'log'>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [SELF, '--as-worker', JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => { if (chunk.toString().includes('ready')) resolve(); });
    child.once('exit', (code) => reject(new Error(`worker exited with code ${code}`)));
  });
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function startRedis(): Promise<{ url: string; stop: () => void }> {
  if (!existsSync(REDIS_SERVER)) throw new Error(`${REDIS_SERVER} not found: install redis-server or pass --redis URL`);
  const port = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = server.address() as { port: number };
      server.close(() => resolve(free));
    });
  });
  const child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await new Promise((resolve) => setTimeout(resolve, 300));
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

function table(rows: readonly Row[]): string {
  const lines = ['| run | tasks | wall (s) | tasks queued → last result (s) | per task (ms) |', '|---|---:|---:|---:|---:|'];
  for (const r of rows) {
    lines.push(`| ${r.what} | ${r.tasks} | ${r.wall.toFixed(3)} | ${r.taskPhase === undefined ? '' : r.taskPhase.toFixed(3)} | ${(r.perTask * 1000).toFixed(3)} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    'as-worker': { type: 'string' }, redis: { type: 'string' }, tasks: { type: 'string', default: '1000' }, rows: { type: 'string', default: '40000' },
  } });
  if (values['as-worker'] !== undefined) {
    const worker = await runRedisWorker(JSON.parse(values['as-worker']) as RedisWorkerOptions);
    process.stdout.write('ready\n');
    await worker.closed;
    return;
  }
  const redis = values.redis === undefined ? await startRedis() : { url: values.redis, stop: () => {} };
  const storeRoot = mkdtempSync(join(tmpdir(), 'memgrid-bench-queue-'));
  try {
    const tiny = await tinyTasks(redis.url, storeRoot, Number(values.tasks));
    const overhead = tiny[2]!.perTask - tiny[0]!.perTask;
    const one = await grid(redis.url, storeRoot, Number(values.rows), 1);
    const two = await grid(redis.url, storeRoot, Number(values.rows), 2);
    console.log(table([...tiny, one, two]));
    console.log(`\nqueue overhead per task: ${(overhead * 1000).toFixed(3)} ms queued at once, ` +
      `${((tiny[1]!.perTask - tiny[0]!.perTask) * 1000).toFixed(3)} ms one at a time (round trip)`);
    console.log(`two worker processes vs one on the grid: ${(one.wall / two.wall).toFixed(2)}× faster in wall time, ` +
      `${(one.taskPhase! / two.taskPhase!).toFixed(2)}× in the task phase (machine load ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores)`);
  } finally {
    rmSync(storeRoot, { recursive: true, force: true });
    redis.stop();
  }
}

await main();
