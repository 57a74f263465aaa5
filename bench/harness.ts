/**
 * Runs the sides of the benchmark's workloads: each side one timed process, then once more
 * under memwatch for its peak memory (see process.ts's runSide), the dataset read into the page
 * cache first. Pair workloads (issue 4's and RW) compare memgrid
 * with one scikit-learn run here; the logistic ones run in bench/logistic-run.ts.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { datasetPaths, repoRoot, SPECS, type PairWorkload, type Workload } from './common.js';
import { SYSTEM_PYTHON } from './data.js';
import { findMemwatch, medianRun, pythonCan, runSide, timedRun, withPeak, type SideRun } from './process.js';
import type { WorkloadOutcome } from './table.js';

/** What `npm run bench` was asked to do. */
export interface Settings {
  readonly workloads: readonly Workload[];
  readonly quick: boolean;
  readonly workers: number;
  readonly speedup: boolean;
  readonly sklearn: boolean;
  readonly memgrid: boolean;
  readonly timeoutS: number;
  /**
   * `--repeat N`: timed runs of each side of a logistic workload, in N interleaved rounds (memgrid,
   * then each contender, then again), judged on each side's median. Why: a side's wall moves
   * 10-30% from run to run on this VM (LB's lbfgs 6.47-8.47 s, memgrid's LW 1.49-1.84 s in four
   * runs of one stop), enough for a single sample to decide a target 4-12% away.
   */
  readonly repeat: number;
  readonly dir: string;
  /** `--seed N`: the seeded synthetic sets come from `<dir>/seed-N/`. */
  readonly seed?: number;
  readonly json: string;
}

export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function describe(run: SideRun): string {
  if (run.status !== 'ok') return `${run.status}: ${run.reason}`;
  const pss = run.watch ? `, peak PSS ${run.watch.peak_pss_mib} MiB` : '';
  return `${run.result.wall_s} s (process ${run.processWall.toFixed(2)} s${pss})`;
}

/** The workload memgrid's side runs: W2b is W2's search, compared with another contender. */
function memgridTarget(workload: Workload): Workload {
  return workload === 'W2b' ? 'W2' : workload;
}

/** How the log names memgrid's side: "memgrid LB, 2 workers", "memgrid W1, 1 worker, warm pool". */
export function memgridLabel(workload: Workload, workers: number, warm = false): string {
  return `memgrid ${memgridTarget(workload)}, ${workers} worker${workers === 1 ? '' : 's'}${warm ? ', warm pool' : ''}`;
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

/** A workload's dataset: its files and what bench/data.py made of it. */
export interface DatasetInfo {
  readonly X: string;
  readonly y: string;
  readonly folder: string;
  readonly bytes: number;
  readonly rows: number;
  readonly cols: number;
}

/** Runs the sides of every workload in order, reusing memgrid's W2 run for W2b. */
export class Harness {
  private readonly memgridRuns = new Map<string, SideRun>();
  readonly root = repoRoot();
  private readonly memwatch = findMemwatch(this.root);
  /** /usr/bin/python3 has scikit-learn: the logistic references are computed even with --skip-sklearn. */
  readonly pythonHasSklearn = pythonCan(SYSTEM_PYTHON, 'import sklearn');
  /** The scikit-learn sides run. */
  readonly hasSklearn: boolean;

  constructor(readonly s: Settings) {
    this.hasSklearn = s.sklearn && this.pythonHasSklearn;
    if (!this.memwatch) log('memwatch.py not found (set MEMGRID_MEMWATCH): no memory columns');
    if (s.sklearn && !this.hasSklearn) log(`${SYSTEM_PYTHON} has no scikit-learn: the scikit-learn side is skipped`);
  }

  dataset(workload: Workload): DatasetInfo {
    const paths = datasetPaths(this.s.dir, workload, this.s.quick, this.s.seed);
    const header = readFileSync(paths.X).subarray(0, 256).toString('latin1');
    const shape = /'shape':\s*\((\d+),\s*(\d+)\)/.exec(header);
    return { ...paths, bytes: statSync(paths.X).size + statSync(paths.y).size, rows: Number(shape?.[1] ?? 0), cols: Number(shape?.[2] ?? 0) };
  }

  /** One side as a timed process (and a second, watched one for memory), after reading the workload's data into the page cache. */
  async side(label: string, argv: readonly string[], workload: Workload): Promise<SideRun> {
    this.readData(workload);
    log(`  ${label} ...`);
    const run = await runSide(argv, { cwd: this.root, memwatch: this.memwatch, timeoutS: this.s.timeoutS });
    log(`  ${label}: ${describe(run)}`);
    return run;
  }

  /** The command of memgrid's side of `workload`, undefined under --skip-memgrid. */
  memgridArgv(workload: Workload, workers: number, warm = false): string[] | undefined {
    if (!this.s.memgrid) return undefined;
    const target = memgridTarget(workload);
    const script = fileURLToPath(new URL('./memgrid-side.js', import.meta.url));
    return [process.execPath, script, target, '--workers', String(workers), '--data-dir', this.s.dir,
      ...(this.s.quick ? ['--quick'] : []), ...(warm ? ['--warm'] : []), ...(this.s.seed === undefined ? [] : ['--seed', String(this.s.seed)])];
  }

  async memgridSide(workload: Workload, workers: number, warm = false): Promise<SideRun> {
    const argv = this.memgridArgv(workload, workers, warm);
    if (!argv) return { status: 'skipped', reason: '--skip-memgrid' };
    const key = `${memgridTarget(workload)}/${workers}/${warm}`;
    const cached = this.memgridRuns.get(key);
    if (cached) return cached;
    const run = await this.side(memgridLabel(workload, workers, warm), argv, workload);
    this.memgridRuns.set(key, run);
    return run;
  }

  /**
   * Sides compared with each other, timed in `--repeat` interleaved rounds (each run after
   * reading the data into the page cache), each judged on its median run; then each side once
   * more under memwatch for its peak memory. Returns one run per side, in order.
   */
  async interleaved(sides: readonly { label: string; argv: readonly string[] }[], workload: Workload): Promise<SideRun[]> {
    const runs: SideRun[][] = sides.map(() => []);
    for (let round = 1; round <= this.s.repeat; round++) {
      for (const [i, side] of sides.entries()) {
        this.readData(workload);
        const run = await timedRun(side.argv, { cwd: this.root, timeoutS: this.s.timeoutS });
        runs[i]!.push(run);
        log(`  ${side.label}${this.s.repeat > 1 ? ` (round ${round} of ${this.s.repeat})` : ''}: ${describe(run)}`);
      }
    }
    const judged: SideRun[] = [];
    for (const [i, side] of sides.entries()) {
      this.readData(workload);
      judged.push(await withPeak(medianRun(runs[i]!), side.argv, { cwd: this.root, memwatch: this.memwatch, timeoutS: this.s.timeoutS }));
    }
    return judged;
  }

  /** Reads the workload's X and y into the page cache, as every side finds them. */
  private readData(workload: Workload): void {
    const paths = datasetPaths(this.s.dir, workload, this.s.quick, this.s.seed);
    readThrough([paths.X, paths.y]);
  }

  private async sklearnSide(workload: PairWorkload): Promise<SideRun | undefined> {
    if (!this.hasSklearn) return undefined;
    const argv = [SYSTEM_PYTHON, join(this.root, 'bench', 'sklearn_side.py'), workload, '--n-jobs', String(this.s.workers),
      '--folder', this.dataset(workload).folder, ...(this.s.quick ? ['--quick'] : [])];
    return this.side(`scikit-learn ${workload}, n_jobs=${this.s.workers}`, argv, workload);
  }

  async pairWorkload(workload: PairWorkload): Promise<WorkloadOutcome> {
    const spec = SPECS[workload];
    log(`${workload}: ${spec.title}`);
    const data = this.dataset(workload);
    const memgrid = await this.memgridSide(workload, this.s.workers);
    const sklearn = await this.sklearnSide(workload);
    // No 1-worker run when the N-worker one could not run: it would fail the same way.
    const scaling = memgrid.status === 'ok' && this.s.speedup && spec.scaling && this.s.workers !== 1;
    const single = scaling ? await this.memgridSide(workload, 1) : undefined;
    const warm = scaling ? { n: await this.memgridSide(workload, this.s.workers, true), one: await this.memgridSide(workload, 1, true) } : undefined;
    return {
      workload, spec, datasetBytes: data.bytes, rows: data.rows, cols: data.cols, quick: this.s.quick, memgrid, sklearn, memgridSingle: single,
      ...(warm ? { memgridWarm: warm.n, memgridWarmSingle: warm.one } : {}),
    };
  }
}
