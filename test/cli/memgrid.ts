/** Runs the built `memgrid` binary (dist/src/cli/main.js; `npm test` builds it first). */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build first (npm test runs the build in pretest)`);

/** What a finished run of the binary left. */
export interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Run `memgrid args...` to completion in `cwd`, with `env` added to this process's environment.
 * @example
 * ```ts
 * const { code, stderr } = memgrid(['run', 'bad.json'], dir);
 * ```
 */
export function memgrid(args: readonly string[], cwd: string, timeoutMs = 30_000, env: NodeJS.ProcessEnv = {}): Result {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Start `memgrid args...` without waiting (with `env` added); `done` resolves when it exits. */
export function startMemgrid(
  args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {},
): { pid: number; done: Promise<Result>; kill: (signal: NodeJS.Signals) => void } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const done = new Promise<Result>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { pid: child.pid!, done, kill: (signal) => child.kill(signal) };
}
