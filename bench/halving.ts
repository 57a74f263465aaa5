/**
 * Successive halving against the full grid on a 100-candidate logistic grid: how many fits
 * and how much time halving saves, and whether it keeps the grid's best candidate.
 *
 *     npm run build && node dist/bench/halving.js [--samples 20000] [--features 20] [--workers 2] [--seed 0] [--scoring neg_log_loss]
 *
 * Both searches use the same data, 5 stratified folds and a warm pool of `--workers` threads.
 * Prints a markdown table for BENCHMARKS.md.
 */
import { parseArgs } from 'node:util';
import { makeClassification } from '../src/data/synthetic.js';
import { LogisticRegression } from '../src/models/logistic.js';
import { createExecutor } from '../src/search/engine.js';
import { GridSearch } from '../src/search/grid-search.js';
import { HalvingGridSearch } from '../src/search/halving.js';
import type { CvResults } from '../src/search/options.js';
import type { FitRecord } from '../src/workers/protocol.js';

const { values } = parseArgs({
  options: {
    samples: { type: 'string', default: '20000' }, features: { type: 'string', default: '20' },
    workers: { type: 'string', default: '2' }, seed: { type: 'string', default: '0' }, scoring: { type: 'string', default: 'neg_log_loss' },
  },
});
const nSamples = Number(values.samples);
const nFeatures = Number(values.features);
const workers = Number(values.workers);
const seed = Number(values.seed);

// 100 candidates: 50 values of C (1e-4 .. 1e2) with and without an intercept.
const Cs = Array.from({ length: 50 }, (_, i) => 10 ** (-4 + (6 * i) / 49));
const grid = { C: Cs, fitIntercept: [true, false] };
// Log loss ranks candidates smoothly; accuracy ties across half the grid on small rungs.
const scoring = values.scoring!;
const { X, y } = makeClassification({ nSamples, nFeatures, seed: 7 });

const executor = createExecutor(workers);
try {
  // Warm the pool (threads load their modules and map the store) so neither side pays for it.
  await new GridSearch(new LogisticRegression(), { C: [1, 2] }, { cv: 5, executor }).fit(X, y);

  let t0 = performance.now();
  const full = await new GridSearch(new LogisticRegression(), grid, { cv: 5, scoring, executor }).fit(X, y);
  const fullSeconds = (performance.now() - t0) / 1000;

  t0 = performance.now();
  const halving = await new HalvingGridSearch(new LogisticRegression(), grid, { cv: 5, scoring, factor: 3, seed, executor }).fit(X, y);
  const halvingSeconds = (performance.now() - t0) / 1000;

  const foldRows = Math.floor((nSamples * 4) / 5);
  const fullFits = Cs.length * 2 * 5;
  const halvingFits = halving.nCandidates.reduce((a, b) => a + b, 0) * 5;
  const halvingRows = halving.nCandidates.reduce((sum, c, i) => sum + c * Math.floor((halving.nResources[i]! * 4) / 5), 0) * 5;
  const rankInFull = rankOf(full.cvResults, halving.bestParams);
  const rungRows = halving.cvResults['n_resources'] as number[];
  const fullWork = rowPasses(full.fitRecords, () => foldRows);
  const halvingWork = rowPasses(halving.fitRecords, (c) => Math.floor((rungRows[c]! * 4) / 5));
  console.log(`| search | fits | training rows fitted | rows read by the solver (passes × rows) | seconds | best params | best params' rank in the full grid |`);
  console.log(`|---|---:|---:|---:|---:|---|---:|`);
  console.log(`| GridSearch | ${fullFits} | ${(fullFits * foldRows).toLocaleString('en')} | ${fullWork.toLocaleString('en')} | ${fullSeconds.toFixed(2)} | ${show(full.bestParams)} | 1 |`);
  console.log(`| HalvingGridSearch (factor 3) | ${halvingFits} | ${halvingRows.toLocaleString('en')} | ${halvingWork.toLocaleString('en')} | ${halvingSeconds.toFixed(2)} | ${show(halving.bestParams)} | ${rankInFull} |`);
  console.log(`\nNewton steps per fit by rung: ${stepsByRung(halving.fitRecords, halving.cvResults['iter'] as number[]).join(', ')}`);
  console.log(`\n${nSamples} x ${nFeatures}, ${workers} workers; rungs: ${halving.nResources.join(', ')} rows with ${halving.nCandidates.join(', ')} candidates;`
    + ` time ratio ${(fullSeconds / halvingSeconds).toFixed(1)}x; full-grid CV score of each best: `
    + `${scoreOf(full.cvResults, full.bestParams).toPrecision(7)} vs ${scoreOf(full.cvResults, halving.bestParams).toPrecision(7)} (${scoring})`);
} finally {
  await executor.close();
}

/** Rows the solver read: each fit's passes over its training rows (gradient and Hessian) times those rows. */
function rowPasses(records: readonly FitRecord[], rowsOf: (candidate: number) => number): number {
  return records.reduce((sum, r) => sum + (r.solver ? (r.solver.gradientPasses ?? 0) + (r.solver.hessianPasses ?? 0) : 0) * rowsOf(r.candidate), 0);
}

/** Mean Newton steps per fit in each rung. */
function stepsByRung(records: readonly FitRecord[], iterOf: readonly number[]): string[] {
  const sums: { steps: number; fits: number }[] = [];
  for (const r of records) {
    const rung = (sums[iterOf[r.candidate]!] ??= { steps: 0, fits: 0 });
    rung.steps += r.solver?.nIter ?? 0;
    rung.fits++;
  }
  return sums.map((s) => (s.steps / s.fits).toFixed(2));
}

function show(params: Record<string, unknown>): string {
  return Object.entries(params).map(([k, v]) => `${k}=${typeof v === 'number' ? v.toPrecision(3) : String(v)}`).join(', ');
}

function indexOf(results: CvResults, params: Record<string, unknown>): number {
  return results.params.findIndex((p) => Object.entries(params).every(([k, v]) => p[k] === v));
}

function rankOf(results: CvResults, params: Record<string, unknown>): number {
  return (results['rank_test_score'] as number[])[indexOf(results, params)]!;
}

function scoreOf(results: CvResults, params: Record<string, unknown>): number {
  return (results['mean_test_score'] as number[])[indexOf(results, params)]!;
}
