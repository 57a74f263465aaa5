/**
 * Worker processes for the Redis tests: `node test/helpers/redis-worker-process.mjs` runs
 * runRedisWorker from dist/ (built by `npm test`'s pretest) with the given options.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RedisWorkerOptions } from '../../src/workers/redis-worker.js';

const SCRIPT = resolve(import.meta.dirname, 'redis-worker-process.mjs');

/** File URL of the fake handler (scores from ids, no dataset). */
export const FAKE_HANDLER = pathToFileURL(resolve(import.meta.dirname, 'redis-fake-handler.mjs')).href;

/** A worker process and what it printed. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly name: string;
  /** Every line printed so far. */
  readonly lines: string[];
  /** Jobs this worker finished so far. */
  done(): number;
  /** SIGTERM, then wait for exit. */
  stop(): Promise<void>;
}

/** Spawns a worker process and waits until it is connected to Redis. */
export async function spawnWorker(options: Omit<RedisWorkerOptions, 'log'>): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [SCRIPT, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  let buffered = '';
  const name = await new Promise<string>((resolveName, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start in 15 s: ${stderr}`)), 15_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        if (line.startsWith('ready ')) { clearTimeout(timer); resolveName(line.slice(6)); }
      }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`worker exited with ${code}: ${stderr}`)); });
  });
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  return {
    child, name, lines,
    done: () => lines.filter((line) => line.endsWith(' done')).length,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
