/**
 * Probe (not a test): what one binary logistic pass costs on memgrid's kernel, to compare with
 * the floor a native pass reaches on the same shape (bench/native/pass-floor.c). Opens X.npy and y.npy
 * of any folder as a search's thread does (mapped), builds the problem on fold 0's training rows
 * of a 5-fold StratifiedKFold (rows kept in the kernel, as a pool thread keeps them), and times
 * `--passes` gradient passes and `--hessians` Hessian passes at a fixed point; prints each
 * kind's median and the rate it reads the rows at. Run two at once to see a search's two threads
 * share the memory bus:
 *
 *   npm run build && node dist/bench/pass-probe.js DIR [--passes 40] [--hessians 8]
 *   (node dist/bench/pass-probe.js DIR & node dist/bench/pass-probe.js DIR; wait)
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openNpy } from '../src/data/npy.js';
import type { FloatMatrix } from '../src/models/estimator.js';
import { matrixWindows, targetValues } from '../src/models/checks.js';
import { encodeLabels } from '../src/models/logistic-labels.js';
import { fitting, logisticProblem } from '../src/models/logistic-problem.js';
import { rowSegments } from '../src/models/segments.js';
import { StratifiedKFold } from '../src/search/splitters.js';

/** The median of `count` timings of `run`, in milliseconds. */
function medianMs(count: number, run: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { passes: { type: 'string', default: '40' }, hessians: { type: 'string', default: '8' } },
  });
  const dir = positionals[0] ?? join(process.cwd(), '.cache', 'bench', 'full', 'lw');
  const X = openNpy(join(dir, 'X.npy'), { mode: 'r' }) as FloatMatrix;
  const y = targetValues(openNpy(join(dir, 'y.npy'), { mode: 'r' }), X.shape[0]!);
  const rows = new StratifiedKFold({ nSplits: 5 }).split(X.shape[0]!, y)[0]!.train;
  const problem = logisticProblem({ segments: rowSegments(matrixWindows(X), rows), labels: encodeLabels(y, rows), fitIntercept: true });
  if (problem.k !== 1) throw new Error(`${dir}: pass-probe times binary problems; this y has ${problem.k} classes`);
  // A point off zero, where exp and log1p do real work: small alternating weights.
  const beta = Float64Array.from({ length: problem.size }, (_, j) => 0.01 * ((j % 7) - 3));
  const grad = new Float64Array(problem.size);
  const hess = new Float64Array(problem.size * problem.size);
  const bytes = rows.length * X.shape[1]! * 8;
  fitting(() => {
    problem.evaluate(beta, grad, undefined); // loads the kept rows: not timed
    const gradient = medianMs(Number(values.passes), () => problem.evaluate(beta, grad, undefined));
    const hessian = medianMs(Number(values.hessians), () => problem.evaluate(beta, grad, hess));
    const rate = (ms: number): string => `${(bytes / ms / 1e6).toFixed(1)} GB/s`;
    console.log(`${dir}: ${rows.length} × ${X.shape[1]} rows (${(bytes / 2 ** 20).toFixed(0)} MiB as float64)`);
    console.log(`  gradient pass ${gradient.toFixed(2)} ms (${rate(gradient)}), Hessian pass ${hessian.toFixed(2)} ms (${rate(hessian)})`);
  });
}

main();
