/**
 * `npm run bench`: issue 4's workloads, memgrid and scikit-learn side by side in one run.
 *
 *     node dist/bench/run.js [--only W1,W3] [--quick] [--workers 2] [--skip-speedup]
 *                            [--skip-sklearn] [--skip-memgrid] [--timeout 1800] [--data-dir DIR] [--json FILE]
 *     node dist/bench/run.js --big [...]   issue 12's big-data workloads (see bigdata.ts)
 *
 * For each workload: memgrid (N workers), then scikit-learn (n_jobs=N, when /usr/bin/python3
 * has it), then memgrid with 1 worker for the speed-up, each under memwatch.py so peak PSS is
 * summed over the side's processes. Before each side the dataset's files are read once, so
 * every side starts with them in the page cache (this VM's DAMON pages out file cache left
 * idle for about a minute, and a side that ran after a long one found half of W1 on disk).
 * Progress goes to stderr; the markdown for BENCHMARKS.md
 * goes to stdout, and every raw result to --json (default DIR/last-run[-quick].json).
 */
import { closeSync, openSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchDir, datasetPaths, isWorkload, repoRoot, SPECS, WORKLOADS, type Workload } from './common.js';
import { ensureData, SYSTEM_PYTHON } from './data.js';
import { findMemwatch, pythonCan, runSide, type SideRun } from './process.js';
import { detailTable, summaryTable, type WorkloadOutcome } from './table.js';

interface Settings {
  readonly workloads: readonly Workload[];
  readonly quick: boolean;
  readonly workers: number;
  readonly speedup: boolean;
  readonly sklearn: boolean;
  readonly memgrid: boolean;
  readonly timeoutS: number;
  readonly dir: string;
  readonly json: string;
}

function settings(): Settings {
  const { values } = parseArgs({
    options: {
      only: { type: 'string', multiple: true }, quick: { type: 'boolean', default: false },
      workers: { type: 'string', default: '2' }, 'skip-speedup': { type: 'boolean', default: false },
      'skip-sklearn': { type: 'boolean', default: false }, 'skip-memgrid': { type: 'boolean', default: false },
      timeout: { type: 'string', default: '1800' }, 'data-dir': { type: 'string' }, json: { type: 'string' },
    },
  });
  const only = (values.only ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  const unknown = only.find((w) => !isWorkload(w));
  if (unknown !== undefined) throw new RangeError(`--only must name workloads among ${WORKLOADS.join(', ')}, found ${JSON.stringify(unknown)}`);
  const workers = Number(values.workers);
  const timeoutS = Number(values.timeout);
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`--workers must be a positive integer, found ${values.workers}`);
  if (!(timeoutS > 0)) throw new RangeError(`--timeout must be a positive number of seconds, found ${values.timeout}`);
  const dir = values['data-dir'] ?? benchDir();
  return {
    workloads: only.length > 0 ? WORKLOADS.filter((w) => only.includes(w)) : WORKLOADS, quick: values.quick,
    workers, speedup: !values['skip-speedup'], sklearn: !values['skip-sklearn'], memgrid: !values['skip-memgrid'],
    timeoutS, dir, json: values.json ?? join(dir, `last-run${values.quick ? '-quick' : ''}.json`),
  };
}

/** CPU model, core count, load and versions: the context a number in BENCHMARKS.md needs. */
function machine(): string {
  const cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
  const load = loadavg().map((l) => l.toFixed(2)).join(', ');
  return `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · ${availableParallelism()} × ${cpu} · Node ${process.versions.node} · load average ${load}`;
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function describe(run: SideRun): string {
  if (run.status !== 'ok') return `${run.status}: ${run.reason}`;
  const pss = run.watch ? `, peak PSS ${run.watch.peak_pss_mib} MiB` : '';
  return `${run.result.wall_s} s (process ${run.processWall.toFixed(2)} s${pss})`;
}

/** Runs the sides of every workload in order, reusing memgrid's W2 run for W2b. */
class Harness {
  private readonly memgridRuns = new Map<string, SideRun>();
  private readonly root = repoRoot();
  private readonly memwatch = findMemwatch(this.root);
  private readonly hasSklearn: boolean;

  constructor(private readonly s: Settings) {
    this.hasSklearn = s.sklearn && pythonCan(SYSTEM_PYTHON, 'import sklearn');
    if (!this.memwatch) log('memwatch.py not found (set MEMGRID_MEMWATCH): no memory columns');
    if (s.sklearn && !this.hasSklearn) log(`${SYSTEM_PYTHON} has no scikit-learn: the scikit-learn side is skipped`);
  }

  private async side(label: string, argv: readonly string[], workload: Workload): Promise<SideRun> {
    const paths = datasetPaths(this.s.dir, workload, this.s.quick);
    readThrough([paths.X, paths.y]);
    log(`  ${label} ...`);
    const run = await runSide(argv, { cwd: this.root, memwatch: this.memwatch, timeoutS: this.s.timeoutS });
    log(`  ${label}: ${describe(run)}`);
    return run;
  }

  private async memgridSide(workload: Workload, workers: number, warm = false): Promise<SideRun> {
    const target = workload === 'W2b' ? 'W2' : workload;
    const key = `${target}/${workers}/${warm}`;
    const cached = this.memgridRuns.get(key);
    if (cached) return cached;
    const script = fileURLToPath(new URL('./memgrid-side.js', import.meta.url));
    const argv = [process.execPath, script, target, '--workers', String(workers), '--data-dir', this.s.dir,
      ...(this.s.quick ? ['--quick'] : []), ...(warm ? ['--warm'] : [])];
    const run = await this.side(`memgrid ${target}, ${workers} worker${workers === 1 ? '' : 's'}${warm ? ', warm pool' : ''}`, argv, workload);
    this.memgridRuns.set(key, run);
    return run;
  }

  private async sklearnSide(workload: Workload): Promise<SideRun | undefined> {
    if (!this.hasSklearn) return undefined;
    const argv = [SYSTEM_PYTHON, join(this.root, 'bench', 'sklearn_side.py'), workload, '--n-jobs', String(this.s.workers),
      '--data-dir', this.s.dir, ...(this.s.quick ? ['--quick'] : [])];
    return this.side(`scikit-learn ${workload}, n_jobs=${this.s.workers}`, argv, workload);
  }

  async workload(workload: Workload): Promise<WorkloadOutcome> {
    log(`${workload}: ${SPECS[workload].title}`);
    const paths = datasetPaths(this.s.dir, workload, this.s.quick);
    const header = readFileSync(paths.X).subarray(0, 256).toString('latin1');
    const shape = /'shape':\s*\((\d+),\s*(\d+)\)/.exec(header);
    const skipped: SideRun = { status: 'skipped', reason: '--skip-memgrid' };
    const memgrid = this.s.memgrid ? await this.memgridSide(workload, this.s.workers) : skipped;
    const sklearn = await this.sklearnSide(workload);
    // No 1-worker run when the N-worker one could not run: it would fail the same way.
    const scaling = memgrid.status === 'ok' && this.s.speedup && workload !== 'W2b' && this.s.workers !== 1;
    const single = scaling ? await this.memgridSide(workload, 1) : undefined;
    const warm = scaling ? { n: await this.memgridSide(workload, this.s.workers, true), one: await this.memgridSide(workload, 1, true) } : undefined;
    return {
      workload, spec: SPECS[workload], datasetBytes: statSync(paths.X).size + statSync(paths.y).size,
      rows: Number(shape?.[1] ?? 0), cols: Number(shape?.[2] ?? 0), quick: this.s.quick, memgrid, sklearn, memgridSingle: single,
      ...(warm ? { memgridWarm: warm.n, memgridWarmSingle: warm.one } : {}),
    };
  }
}

/** Reads files start to end (into a reused buffer), so that their pages are in the page cache. */
function readThrough(files: readonly string[]): void {
  const buffer = new Uint8Array(8 << 20);
  for (const file of files) {
    const fd = openSync(file, 'r');
    try {
      while (readSync(fd, buffer, 0, buffer.length, null) > 0);
    } finally {
      closeSync(fd);
    }
  }
}

async function main(): Promise<void> {
  // Issue 12's big-data workloads are a harness of their own (tens of GB, run on demand).
  if (process.argv.includes('--big')) {
    await import('./bigdata.js');
    return;
  }
  const s = settings();
  const before = machine();
  log(`memgrid benchmark (${s.quick ? 'quick' : 'full'}), data in ${s.dir}`);
  const data = await ensureData(s.dir, s.quick);
  log(`data: ${data.generator}: ${data.note}`);
  const harness = new Harness(s);
  const outcomes: WorkloadOutcome[] = [];
  for (const workload of s.workloads) outcomes.push(await harness.workload(workload));
  const after = machine();
  writeFileSync(s.json, JSON.stringify({ before, after, settings: s, data, outcomes }, null, 1));
  const title = `## Run ${before.slice(0, 16)}${s.quick ? ' (quick: 1/10 of the rows)' : ''}`;
  process.stdout.write([
    title, '', `Machine at start: ${before}  `, `At end: ${after}  `,
    `Command: \`npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\`; raw results in ${s.json}`, '',
    summaryTable(outcomes), '', ...outcomes.map((o) => `${detailTable(o)}\n`),
  ].join('\n'));
}

main().catch((error: unknown) => {
  log(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
