/**
 * Check (not a test, not timed): do memgrid's StratifiedKFold(5) folds equal scikit-learn's
 * on a logistic workload's labels? Both sides of the logistic workloads rely on it. Prints
 * one line per workload and exits 1 on the first fold that differs.
 *
 *     npx tsc -p . && node dist/bench/fold-check.js [LD LB ...] [--quick] [--data-dir DIR] [--seed N]
 *
 * Needs the data (`npm run bench -- --only LD --quick` makes it) and /usr/bin/python3.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { openNpy } from '../src/data/index.js';
import { labelsAt } from '../src/search/scorers.js';
import { StratifiedKFold } from '../src/search/splitters.js';
import { benchDir, datasetPaths, isLogisticWorkload, isWorkload } from './common.js';
import { SYSTEM_PYTHON } from './data.js';

const SKLEARN_FOLDS = `
import json, sys
import numpy as np
from sklearn.model_selection import StratifiedKFold
y = np.load(sys.argv[1], mmap_mode='r')
print(json.dumps([test.tolist() for _, test in StratifiedKFold(5).split(np.zeros(len(y)), y)]))
`;

function check(workload: string, yPath: string): boolean {
  const y = labelsAt(openNpy(yPath, { mode: 'r' }));
  const ours = new StratifiedKFold({ nSplits: 5 }).split(y.length, y).map((f) => Array.from(f.test));
  const out = spawnSync(SYSTEM_PYTHON, ['-c', SKLEARN_FOLDS, yPath], { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (out.status !== 0) throw new Error(`scikit-learn's folds for ${yPath}: ${out.stderr.trim().split('\n').pop()}`);
  const theirs = JSON.parse(out.stdout) as number[][];
  const differs = theirs.findIndex((test, k) => test.length !== ours[k]?.length || test.some((row, i) => row !== ours[k]![i]));
  const sizes = theirs.map((t) => t.length).join(', ');
  process.stdout.write(`${workload}: ${y.length} rows, test folds of ${sizes}: ${differs < 0 ? 'identical' : `fold ${differs} differs`}\n`);
  return differs < 0;
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { quick: { type: 'boolean', default: false }, 'data-dir': { type: 'string' }, seed: { type: 'string' } },
  });
  const workloads = positionals.length > 0 ? positionals : ['LD'];
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  for (const workload of workloads) {
    if (!isWorkload(workload) || !isLogisticWorkload(workload)) throw new RangeError(`not a logistic workload: ${JSON.stringify(workload)}`);
    const paths = datasetPaths(values['data-dir'] ?? benchDir(), workload, values.quick, seed);
    if (!check(workload, paths.y)) process.exit(1);
  }
}

main();
