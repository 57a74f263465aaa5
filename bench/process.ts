/**
 * Runs one benchmark side as a child process, under /work/shared/tools/memwatch.py when it
 * is there (peak PSS summed over the side's whole process tree), and collects its JSON line.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EXIT_SKIP, type SideResult } from './common.js';

/** What memwatch.py prints on stderr when the command ends. */
export interface Watch {
  readonly wall_s: number;
  readonly rc: number;
  readonly peak_pss_mib: number;
  readonly peak_anon_mib: number;
  readonly peak_procs: number;
}

/** One side's run: its result, or why there is none. */
export type SideRun =
  | {
    readonly status: 'ok'; readonly result: SideResult; readonly watch?: Watch; readonly processWall: number;
    /** With repeats (see medianRun): every timed run's search wall, in the order they ran; `result` is the median one's. */
    readonly samples?: readonly number[];
  }
  | { readonly status: 'skipped' | 'failed'; readonly reason: string };

/**
 * memwatch.py: `$MEMGRID_MEMWATCH`, else `shared/tools/memwatch.py` beside the repo or beside
 * its parent folder (a worktree under `wt/`); undefined when absent.
 */
export function findMemwatch(root: string): string | undefined {
  const env = process.env['MEMGRID_MEMWATCH'];
  const candidates = env ? [env] : [join(root, '..', 'shared', 'tools', 'memwatch.py'), join(root, '..', '..', 'shared', 'tools', 'memwatch.py')];
  const found = candidates.find((c) => existsSync(c));
  return found === undefined ? undefined : resolve(found);
}

/** Does `python -c code` exit 0? */
export function pythonCan(python: string, code: string): boolean {
  return spawnSync(python, ['-c', code], { stdio: 'ignore' }).status === 0;
}

interface Captured { rc: number | null; stdout: string; stderr: string; wall: number; timedOut: boolean }

function capture(command: string, args: readonly string[], cwd: string, timeoutS: number): Promise<Captured> {
  return new Promise((done) => {
    const t0 = performance.now();
    // Own process group, so a timeout can stop memwatch and the side it watches together.
    const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, timeoutS * 1000);
    const finish = (rc: number | null): void => {
      clearTimeout(timer);
      done({ rc, stdout, stderr, wall: (performance.now() - t0) / 1000, timedOut });
    };
    child.on('error', (error) => { stderr += `${error.message}\n`; finish(null); });
    child.on('close', finish);
  });
}

/** The last line of `text` that parses as a JSON object with `key`. */
function lastJson<T>(text: string, key: string): T | undefined {
  const lines = text.split('\n').reverse();
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    try {
      const value = JSON.parse(line) as Record<string, unknown>;
      if (key in value) return value as T;
    } catch {
      // A side's own log line that merely starts with a brace: keep looking.
    }
  }
  return undefined;
}

/** Lines of stderr worth showing when a side fails: its own, not memwatch's summary. */
function tail(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('{"wall_s"'));
  return lines.slice(-3).join(' / ').replace(/^memgrid-side: /, '') || '(no output on stderr)';
}

/**
 * Runs `command args` and returns the side's JSON result, timed on its own; with memwatch, runs
 * it a second time under memwatch for its peak memory only. memwatch reads every process's
 * smaps_rollup each 20 ms (10 ms a read for a memgrid worker's 370 mappings), holding the lock
 * that mapping changes wait for, and slowed both sides: in two full runs 25 minutes apart, the
 * watched one took 1.1-1.5× as long for scikit-learn (RW 38.7 s against 27.1 s) and 1.0-1.5× for
 * memgrid (LM 10.6 s against 7.2 s).
 * @example
 * ```ts
 * const run = await runSide(['/usr/bin/python3', 'bench/sklearn_side.py', 'W1'], { cwd, memwatch, timeoutS: 1800 });
 * ```
 */
export async function runSide(
  argv: readonly string[], options: { cwd: string; memwatch?: string; timeoutS: number },
): Promise<SideRun> {
  return withPeak(await timedRun(argv, options), argv, options);
}

/** One timed run of `command args` (no memwatch): the side's JSON result, or why there is none. */
export async function timedRun(argv: readonly string[], options: { cwd: string; timeoutS: number }): Promise<SideRun> {
  const [command, ...args] = argv;
  const out = await capture(command!, args, options.cwd, options.timeoutS);
  if (out.timedOut) return { status: 'failed', reason: `timed out after ${options.timeoutS} s` };
  if (out.rc === EXIT_SKIP) return { status: 'skipped', reason: tail(out.stderr) };
  const result = lastJson<SideResult>(out.stdout, 'side');
  if (out.rc !== 0 || !result) return { status: 'failed', reason: `exit ${out.rc}: ${tail(out.stderr)}` };
  return { status: 'ok', result, processWall: out.wall };
}

/** `run` with the peak memory of one more run under memwatch, when memwatch is there and `run` succeeded. */
export async function withPeak(run: SideRun, argv: readonly string[], options: { cwd: string; memwatch?: string; timeoutS: number }): Promise<SideRun> {
  if (run.status !== 'ok' || !options.memwatch) return run;
  const watch = await watchedPeak(argv, { ...options, memwatch: options.memwatch });
  return watch ? { ...run, watch } : run;
}

/**
 * The run of median search wall among a side's repeated timed runs, carrying every run's wall as
 * `samples`; the first run that did not succeed, if any did not (a side that fails once is not
 * judged on its luckier runs). An even count takes the slower of the middle two.
 */
export function medianRun(runs: readonly SideRun[]): SideRun {
  const failed = runs.find((r) => r.status !== 'ok');
  if (failed || runs.length === 0) return failed ?? { status: 'failed', reason: 'no run' };
  const okRuns = runs as readonly Extract<SideRun, { status: 'ok' }>[];
  const sorted = [...okRuns].sort((a, b) => a.result.wall_s - b.result.wall_s);
  const middle = sorted[Math.floor(sorted.length / 2)]!;
  return okRuns.length === 1 ? middle : { ...middle, samples: okRuns.map((r) => r.result.wall_s) };
}

/** The side's peak memory from a run under memwatch (its times are not used), or undefined when that run fails. */
async function watchedPeak(argv: readonly string[], options: { cwd: string; memwatch: string; timeoutS: number }): Promise<Watch | undefined> {
  const out = await capture('python3', [options.memwatch, ...argv], options.cwd, options.timeoutS);
  return out.rc === 0 && !out.timedOut ? lastJson<Watch>(out.stderr, 'peak_pss_mib') : undefined;
}
