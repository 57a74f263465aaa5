/**
 * A throwaway Redis for one test file: Debian's redis-server on a free loopback port, no
 * persistence. Tests that need it use `describe.skipIf(!REDIS_SERVER)` so that a machine without
 * redis-server reports them as skipped; under MEMGRID_REQUIRE_ALL=1 (CI, see .ci/run) importing
 * this file without redis-server fails instead.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { needs } from './optional.js';

const CANDIDATES = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'];

/** Path of redis-server, or undefined when it is not installed. */
export const REDIS_SERVER = CANDIDATES.find((path) => existsSync(path));

/** Why the Redis tests are skipped, for the test title. */
export const REDIS_SKIP_REASON = 'redis-server is not installed (apt-get install redis-server, as .ci/run does)';

needs('redis-server', REDIS_SERVER !== undefined, 'apt-get install redis-server, as .ci/run does');

/** A running redis-server. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Stops the server (SIGTERM, then SIGKILL after a second); resolves when it has exited. */
  stop(): Promise<void>;
  /** Starts it again on the same port (after `stop`). */
  restart(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts redis-server on a free loopback port, optionally with a password. */
export async function startRedis(options: { password?: string } = {}): Promise<RedisServer> {
  if (!REDIS_SERVER) throw new Error(REDIS_SKIP_REASON);
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'];
  if (options.password) args.push('--requirepass', options.password);
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    child = spawn(REDIS_SERVER, args, { stdio: 'ignore' });
    await waitForPort(port, 5_000);
  };
  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGTERM');
    const timer = setTimeout(() => running.kill('SIGKILL'), 1_000);
    await exited;
    clearTimeout(timer);
  };
  await start();
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
  return { port, url: `redis://${auth}127.0.0.1:${port}`, stop, restart: start };
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not listen on port ${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
