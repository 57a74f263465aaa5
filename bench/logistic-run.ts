/**
 * One issue-10 logistic workload: the newton-cg reference (computed once, outside the timed
 * runs, cached beside the data), then memgrid and each scikit-learn contender as its own
 * process, timed in interleaved rounds and once more under memwatch.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { isBundled, type LogisticWorkload } from './common.js';
import { SYSTEM_PYTHON } from './data.js';
import { log, memgridLabel, type Harness } from './harness.js';
import { LOGISTIC_SPECS } from './logistic-specs.js';
import type { LogisticOutcome } from './logistic-table.js';
import type { SideRun } from './process.js';
import type { Reference } from './reference.js';

function reference(h: Harness, folder: string): Reference | { error: string } {
  if (!h.pythonHasSklearn) return { error: `${SYSTEM_PYTHON} has no scikit-learn` };
  log('  reference: newton-cg, tol 1e-10 (cached in the data folder) ...');
  const script = join(h.root, 'bench', 'logistic_reference.py');
  const out = spawnSync(SYSTEM_PYTHON, [script, folder, '--n-jobs', String(h.s.workers)], {
    encoding: 'utf8', maxBuffer: 64 << 20, timeout: h.s.timeoutS * 1000,
  });
  const line = out.stdout?.trim().split('\n').pop() ?? '';
  if (out.status !== 0 || !line.startsWith('{')) {
    return { error: `bench/logistic_reference.py failed (exit ${out.status}): ${out.stderr?.trim().split('\n').pop() ?? ''}` };
  }
  const made = JSON.parse(line) as Reference;
  log(`  reference: best #${made.best_index} (took ${made.seconds} s when computed)`);
  return made;
}

/**
 * Runs a logistic workload's sides, memgrid and then scikit-learn's contenders, in `--repeat`
 * interleaved rounds; each side is judged on its median run (Harness.interleaved).
 * @example
 * ```ts
 * const outcome = await runLogistic(harness, 'LB');
 * ```
 */
export async function runLogistic(h: Harness, workload: LogisticWorkload): Promise<LogisticOutcome> {
  const spec = LOGISTIC_SPECS[workload];
  log(`${workload}: ${spec.title}`);
  const data = h.dataset(workload);
  const ref = reference(h, data.folder);
  const sides: { label: string; argv: readonly string[] }[] = [];
  const memgridArgv = h.memgridArgv(workload, h.s.workers);
  if (memgridArgv) sides.push({ label: memgridLabel(workload, h.s.workers), argv: memgridArgv });
  const contenders = h.hasSklearn ? spec.contenders : [];
  const script = join(h.root, 'bench', 'sklearn_logistic.py');
  for (const contender of contenders) {
    const argv = [SYSTEM_PYTHON, script, data.folder, '--workload', workload, '--contender', contender,
      '--n-jobs', String(h.s.workers), ...(h.s.quick ? ['--quick'] : [])];
    sides.push({ label: `scikit-learn ${workload} ${contender}, n_jobs=${h.s.workers}`, argv });
  }
  const runs = await h.interleaved(sides, workload);
  const memgrid: SideRun = memgridArgv ? runs.shift()! : { status: 'skipped', reason: '--skip-memgrid' };
  // A bundled set is whole in a quick run too: its targets are judged.
  const quick = h.s.quick && !isBundled(workload);
  return {
    workload, spec, datasetBytes: data.bytes, rows: data.rows, cols: data.cols, quick, memgrid,
    contenders: contenders.map((contender, i) => ({ contender, run: runs[i]! })), reference: ref,
  };
}
