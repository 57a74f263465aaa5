/**
 * `npm run bench -- --big`: issue 12's big-data workloads, run once each (they write tens of
 * GB and load the machine for minutes).
 *
 *     node dist/bench/bigdata.js [--dir DIR] [--rows 12500000] [--huge-gib 32] [--workers 2]
 *                                [--skip-sklearn] [--skip-huge] [--cap-gib 18] [--timeout 5400] [--keep]
 *
 * B1: X of `--rows` × 64 float64 (6.4 GB at 12.5M rows, one `.npy` written in chunks by
 * bench/big_data.py), a ridge grid of 5 alphas with 5-fold KFold through `memgrid run` with
 * `--workers` threads, under memwatch.py: numpy's answers (bench/big_data.py reference, in
 * chunks), peak anonymous memory of the process tree, and rows per second against W1
 * (500k rows, 25 alphas, same CLI) measured in the same run. Then scikit-learn's
 * GridSearchCV(n_jobs) on the same memory-mapped file, killed if its process tree's anonymous
 * memory passes `--cap-gib` or it runs past `--timeout`: its time and peak, or how it ended.
 * B2: an X of `--huge-gib` GiB (more than this machine's RAM): the same grid through
 * `memgrid run`, wall time against the time to read the file once.
 * Big files go under DIR (default $MEMGRID_BENCH_DIR/big or <repo>/.cache/bench/big) and are
 * deleted at the end unless `--keep`. Markdown for BENCHMARKS.md goes to stdout, raw results
 * to DIR/bigdata-run.json.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, readSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ALPHAS, benchDir, datasetPaths, repoRoot } from './common.js';
import { ensureData, SYSTEM_PYTHON } from './data.js';
import { findMemwatch, type Watch } from './process.js';

/** The big grid: five alphas over six decades, 5-fold KFold, r2 and MSE as in W1. */
const BIG_ALPHAS = [0.01, 0.1, 1, 10, 100];
const FOLDS = 5;
const COLS = 64;
/** Disk space left for everyone else while the big files exist. */
const KEEP_FREE_BYTES = 15 * 2 ** 30;

interface Settings {
  readonly dir: string;
  readonly rows: number;
  readonly hugeGib: number;
  readonly workers: number;
  readonly sklearn: boolean;
  readonly huge: boolean;
  readonly capBytes: number;
  readonly timeoutS: number;
  readonly keep: boolean;
}

function settings(): Settings {
  const { values } = parseArgs({
    options: {
      big: { type: 'boolean', default: false }, dir: { type: 'string' }, rows: { type: 'string', default: '12500000' },
      'huge-gib': { type: 'string', default: '32' }, workers: { type: 'string', default: '2' },
      'skip-sklearn': { type: 'boolean', default: false }, 'skip-huge': { type: 'boolean', default: false },
      'cap-gib': { type: 'string', default: '18' }, timeout: { type: 'string', default: '5400' }, keep: { type: 'boolean', default: false },
    },
  });
  const positive = (name: string, text: string): number => {
    const n = Number(text);
    if (!(n > 0)) throw new RangeError(`--${name} must be a positive number, found ${text}`);
    return n;
  };
  return {
    dir: values.dir ?? join(benchDir(), 'big'), rows: positive('rows', values.rows), hugeGib: positive('huge-gib', values['huge-gib']),
    workers: positive('workers', values.workers), sklearn: !values['skip-sklearn'], huge: !values['skip-huge'],
    capBytes: positive('cap-gib', values['cap-gib']) * 2 ** 30, timeoutS: positive('timeout', values.timeout), keep: values.keep,
  };
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function machine(): string {
  const cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
  return `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · ${availableParallelism()} × ${cpu} · Node ${process.versions.node} · load average ${loadavg().map((l) => l.toFixed(2)).join(', ')}`;
}

function python(args: readonly string[]): Record<string, unknown> {
  const out = spawnSync(SYSTEM_PYTHON, [join(repoRoot(), 'bench', 'big_data.py'), ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (out.status !== 0) throw new Error(`bench/big_data.py ${args[0]} failed (exit ${out.status}): ${out.stderr.trim().split('\n').pop()}`);
  return JSON.parse(out.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

/** Makes `folder`'s X.npy/y.npy unless they are there, after checking the disk keeps 15 GiB free. */
function ensureBig(folder: string, rows: number): void {
  if (existsSync(join(folder, 'X.npy')) && existsSync(join(folder, 'y.npy'))) return;
  mkdirSync(folder, { recursive: true });
  const fs = statfsSync(folder);
  const need = rows * (COLS + 1) * 8;
  if (fs.bavail * fs.bsize - need < KEEP_FREE_BYTES) {
    throw new Error(`${folder}: ${(need / 2 ** 30).toFixed(1)} GiB would leave less than 15 GiB free on its disk (${((fs.bavail * fs.bsize) / 2 ** 30).toFixed(1)} GiB free)`);
  }
  log(`making ${rows} x ${COLS} float64 in ${folder}`);
  const made = python(['make', '--rows', String(rows), '--cols', String(COLS), '--out', folder]);
  log(`  made in ${String(made.seconds)} s`);
}

/** Seconds to read `file` start to end once, with an 8 MiB buffer. */
function readOnce(file: string): number {
  const t0 = performance.now();
  const buffer = new Uint8Array(8 << 20);
  const fd = openSync(file, 'r');
  try {
    while (readSync(fd, buffer, 0, buffer.length, null) > 0);
  } finally {
    closeSync(fd);
  }
  return (performance.now() - t0) / 1000;
}

interface Watched {
  readonly rc: number | null;
  readonly wall: number;
  readonly watch: Watch | undefined;
  /** CPU seconds (user + system) of the watched command's process tree, from /usr/bin/time. */
  readonly cpuSeconds: number | undefined;
  /** Peak anonymous bytes of the tree as the harness sampled it (every 100 ms; memwatch's figure is finer, but dies with a killed tree). */
  readonly sampledPeakAnon: number;
  readonly ended: 'exit' | 'memory cap' | 'timeout';
  readonly stderrTail: string;
  readonly stdout: string;
}

/** GNU time's report, one JSON line on stderr. */
const TIME_FORMAT = '{"cpu_user": %U, "cpu_sys": %S}';

/** Sum of `Anonymous:` over a process tree (kB in smaps_rollup), in bytes. */
function treeAnonBytes(root: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  let total = 0;
  const todo = [root];
  while (todo.length > 0) {
    const pid = todo.pop()!;
    todo.push(...(children.get(pid) ?? []));
    try {
      const match = /^Anonymous:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      if (match) total += Number(match[1]) * 1024;
    } catch {
      // Gone, or not ours to read.
    }
  }
  return total;
}

/**
 * Runs `argv` under memwatch.py (and /usr/bin/time, for its CPU seconds) in its own process
 * group; kills the group past `capBytes` of anonymous memory or `timeoutS`.
 */
function runWatched(argv: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; capBytes?: number; timeoutS: number }): Promise<Watched> {
  const memwatch = findMemwatch(repoRoot()) ?? (existsSync('/work/shared/tools/memwatch.py') ? '/work/shared/tools/memwatch.py' : undefined);
  const timed = existsSync('/usr/bin/time') ? ['/usr/bin/time', '-f', TIME_FORMAT, ...argv] : argv;
  const [command, ...args] = memwatch ? ['python3', memwatch, ...timed] : timed;
  return new Promise((done) => {
    const t0 = performance.now();
    const child = spawn(command!, args, { cwd: options.cwd, env: options.env ?? process.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let ended: Watched['ended'] = 'exit';
    let peak = 0;
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    const kill = (why: Watched['ended']): void => {
      ended = why;
      if (child.pid !== undefined) {
        try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
      }
    };
    const timer = setTimeout(() => kill('timeout'), options.timeoutS * 1000);
    const sampler = setInterval(() => {
      if (child.pid === undefined) return;
      const anon = treeAnonBytes(child.pid);
      peak = Math.max(peak, anon);
      if (options.capBytes !== undefined && anon > options.capBytes) kill('memory cap');
    }, 100);
    child.on('close', (rc) => {
      clearTimeout(timer);
      clearInterval(sampler);
      const lines = stderr.split('\n');
      const watchLine = lines.reverse().find((l) => l.startsWith('{"wall_s"'));
      const timeLine = lines.find((l) => l.startsWith('{"cpu_user"'));
      const cpu = timeLine ? JSON.parse(timeLine) as { cpu_user: number; cpu_sys: number } : undefined;
      const tail = stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('{"wall_s"') && !l.startsWith('{"cpu_user"')).slice(-3).join(' / ');
      done({
        rc, wall: (performance.now() - t0) / 1000, watch: watchLine ? JSON.parse(watchLine) as Watch : undefined,
        cpuSeconds: cpu ? cpu.cpu_user + cpu.cpu_sys : undefined, sampledPeakAnon: peak, ended, stderrTail: tail, stdout,
      });
    });
  });
}

interface MemgridRun {
  readonly watched: Watched;
  readonly searchSeconds: number;
  readonly rowsPerSecond: number;
  /** Rows per CPU second of the whole `memgrid run` process (load on a shared machine stretches wall time, not CPU time). */
  readonly rowsPerCpuSecond: number | undefined;
  readonly cv: Record<string, number[]>;
}

/** `memgrid run` of a ridge grid on `folder`'s X/y; its config, output and stores go under `s.dir/run-<name>`. */
async function memgridRun(name: string, folder: string, alphas: readonly number[], rows: number, s: Settings): Promise<MemgridRun> {
  const work = join(s.dir, `run-${name}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const out = join(work, 'out');
  const config = join(work, `${name}.json`);
  writeFileSync(config, JSON.stringify({
    name, data: { X: join(folder, 'X.npy'), y: join(folder, 'y.npy') }, model: { name: 'ridge', params: {} },
    grid: { alpha: alphas }, cv: { folds: FOLDS, shuffle: false }, scoring: ['r2', 'neg_mean_squared_error'], refit: 'r2',
  }));
  const cli = join(repoRoot(), 'dist', 'src', 'cli', 'main.js');
  const stores = join(work, 'stores');
  mkdirSync(stores, { recursive: true });
  log(`memgrid ${name}: ${rows} rows, ${alphas.length} alphas, ${s.workers} workers`);
  const watched = await runWatched([process.execPath, cli, 'run', config, '--workers', String(s.workers), '--out', out, '--quiet'], {
    cwd: work, env: { ...process.env, TMPDIR: stores }, timeoutS: s.timeoutS,
  });
  if (watched.rc !== 0) throw new Error(`memgrid ${name} failed (${watched.ended}, exit ${watched.rc}): ${watched.stderrTail}`);
  const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { timings: { search: number }; cvResults: Record<string, number[]> };
  rmSync(work, { recursive: true, force: true });
  const searchSeconds = results.timings.search;
  log(`  search ${searchSeconds.toFixed(2)} s, process ${watched.wall.toFixed(1)} s, CPU ${watched.cpuSeconds?.toFixed(1) ?? '?'} s, peak anon ${watched.watch?.peak_anon_mib ?? '?'} MiB`);
  const rowsPerCpuSecond = watched.cpuSeconds === undefined ? undefined : rows / watched.cpuSeconds;
  return { watched, searchSeconds, rowsPerSecond: rows / searchSeconds, rowsPerCpuSecond, cv: results.cvResults };
}

/** Largest relative difference between memgrid's split scores and numpy's reference. */
function maxRelDiff(cv: Record<string, number[]>, ref: { r2: number[][]; mse: number[][] }): number {
  let worst = 0;
  ref.r2.forEach((folds, i) => folds.forEach((expected, k) => {
    const pairs: [number, number][] = [[cv[`split${k}_test_r2`]![i]!, expected], [-cv[`split${k}_test_neg_mean_squared_error`]![i]!, ref.mse[i]![k]!]];
    for (const [a, b] of pairs) worst = Math.max(worst, Math.abs(a - b) / Math.abs(b));
  }));
  return worst;
}

const gib = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(1)} GiB`;

async function main(): Promise<void> {
  const s = settings();
  const before = machine();
  const lines: string[] = [];
  const raw: Record<string, unknown> = { before, settings: s };
  mkdirSync(s.dir, { recursive: true });
  const big = join(s.dir, 'b1');
  try {
    // W1 through the same CLI, for the rows-per-second reference.
    const w1Data = await ensureData(benchDir(), false);
    const w1 = datasetPaths(benchDir(), 'W1', false);
    readOnce(w1.X);
    const w1Run = await memgridRun('W1', w1.folder, ALPHAS, 500_000, s);
    raw.w1 = { data: w1Data, searchSeconds: w1Run.searchSeconds, rowsPerSecond: w1Run.rowsPerSecond, cpuSeconds: w1Run.watched.cpuSeconds, watch: w1Run.watched.watch };

    ensureBig(big, s.rows);
    const xBytes = statSync(join(big, 'X.npy')).size;
    log('numpy reference (chunked)');
    const ref = python(['reference', '--dir', big, '--alphas', BIG_ALPHAS.join(','), '--folds', String(FOLDS)]) as unknown as { r2: number[][]; mse: number[][]; seconds: number };
    const readSeconds = readOnce(join(big, 'X.npy'));
    const b1 = await memgridRun('B1', big, BIG_ALPHAS, s.rows, s);
    const diff = maxRelDiff(b1.cv, ref);
    raw.b1 = {
      xBytes, readSeconds, refSeconds: ref.seconds, searchSeconds: b1.searchSeconds, wall: b1.watched.wall, cpuSeconds: b1.watched.cpuSeconds,
      watch: b1.watched.watch, sampledPeakAnon: b1.watched.sampledPeakAnon, maxRelDiff: diff,
    };
    const cpuRatio = b1.rowsPerCpuSecond !== undefined && w1Run.rowsPerCpuSecond !== undefined
      ? `; per CPU second of the whole process ${(b1.rowsPerCpuSecond / 1e6).toFixed(2)} M vs ${(w1Run.rowsPerCpuSecond / 1e6).toFixed(2)} M rows: ${((100 * b1.rowsPerCpuSecond) / w1Run.rowsPerCpuSecond).toFixed(0)}%`
      : '';
    lines.push(
      `B1: X ${s.rows} × ${COLS} float64 (${gib(xBytes)}), ridge ${BIG_ALPHAS.length} alphas × ${FOLDS}-fold KFold, \`memgrid run --workers ${s.workers}\`:`,
      `- search ${b1.searchSeconds.toFixed(1)} s (process ${b1.watched.wall.toFixed(1)} s), ${(b1.rowsPerSecond / 1e6).toFixed(2)} M rows/s`
      + ` vs W1 ${(w1Run.rowsPerSecond / 1e6).toFixed(2)} M rows/s (${w1Run.searchSeconds.toFixed(2)} s for 500k rows, 25 alphas): ${((100 * b1.rowsPerSecond) / w1Run.rowsPerSecond).toFixed(0)}%${cpuRatio}`,
      `- peak anonymous memory over the process tree ${b1.watched.watch?.peak_anon_mib ?? '?'} MiB (PSS ${b1.watched.watch?.peak_pss_mib ?? '?'} MiB, page cache included)`,
      `- largest relative difference from numpy's chunked reference over ${BIG_ALPHAS.length * FOLDS} (alpha, fold) r2 and MSE scores: ${diff.toExponential(1)}`,
      `- reading X once (page cache warm after the reference): ${readSeconds.toFixed(1)} s`,
    );

    if (s.sklearn) {
      log(`scikit-learn GridSearchCV n_jobs=${s.workers} on the memory-mapped X (cap ${gib(s.capBytes)} anonymous, ${s.timeoutS} s)`);
      const sk = await runWatched([SYSTEM_PYTHON, join(repoRoot(), 'bench', 'big_sklearn.py'), '--dir', big, '--alphas', BIG_ALPHAS.join(','),
        '--folds', String(FOLDS), '--n-jobs', String(s.workers)], { cwd: big, capBytes: s.capBytes, timeoutS: s.timeoutS });
      const result = sk.stdout.trim().split('\n').reverse().find((l) => l.startsWith('{"side"'));
      raw.sklearn = {
        ended: sk.ended, rc: sk.rc, wall: sk.wall, watch: sk.watch, sampledPeakAnon: sk.sampledPeakAnon, cpuSeconds: sk.cpuSeconds,
        result: result ? JSON.parse(result) as unknown : undefined, stderr: sk.stderrTail,
      };
      const peak = sk.watch ? `${sk.watch.peak_anon_mib} MiB` : `${(sk.sampledPeakAnon / 2 ** 20).toFixed(0)} MiB (sampled every 100 ms)`;
      lines.push(result && sk.rc === 0
        ? `- scikit-learn GridSearchCV(n_jobs=${s.workers}): ${(JSON.parse(result) as { wall_s: number }).wall_s} s, peak anonymous ${peak}`
        : `- scikit-learn GridSearchCV(n_jobs=${s.workers}): stopped by ${sk.ended === 'exit' ? `exit ${sk.rc}` : `the harness (${sk.ended})`} after ${sk.wall.toFixed(0)} s,`
          + ` peak anonymous ${peak}${sk.stderrTail && sk.ended === 'exit' ? ` (${sk.stderrTail.slice(0, 200)})` : ''}`);
      log(`  ${lines[lines.length - 1]!}`);
    }
    if (!s.keep) rmSync(big, { recursive: true, force: true });

    if (s.huge) {
      const hugeRows = Math.floor((s.hugeGib * 2 ** 30) / (COLS * 8));
      const huge = join(s.dir, 'b2');
      ensureBig(huge, hugeRows);
      const hugeBytes = statSync(join(huge, 'X.npy')).size;
      const hugeRead = readOnce(join(huge, 'X.npy'));
      const b2 = await memgridRun('B2', huge, BIG_ALPHAS, hugeRows, s);
      raw.b2 = { xBytes: hugeBytes, readSeconds: hugeRead, searchSeconds: b2.searchSeconds, wall: b2.watched.wall, cpuSeconds: b2.watched.cpuSeconds, watch: b2.watched.watch };
      lines.push(
        `B2: X ${hugeRows} × ${COLS} float64 (${gib(hugeBytes)}, more than the machine's RAM), the same grid: search ${b2.searchSeconds.toFixed(0)} s`
        + ` (process ${b2.watched.wall.toFixed(0)} s) against ${hugeRead.toFixed(0)} s to read X once; peak anonymous ${b2.watched.watch?.peak_anon_mib ?? '?'} MiB`,
      );
      if (!s.keep) rmSync(huge, { recursive: true, force: true });
    }
  } finally {
    raw.after = machine();
    writeFileSync(join(s.dir, 'bigdata-run.json'), JSON.stringify(raw, null, 1));
  }
  process.stdout.write([`### Big data, run ${before.slice(0, 16)}`, '', `Machine at start: ${before}  `, `At end: ${String(raw.after)}`, '', ...lines, ''].join('\n'));
}

main().catch((error: unknown) => {
  log(`bench --big: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
