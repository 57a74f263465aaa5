/**
 * Probe (not a test, not part of `npm run bench`): times single estimator fits, three runs
 * each, on seeded synthetic data: Ridge on 200,000 x 64 and LogisticRegression on
 * 200,000 x 32 (float64, C order). For a quick look at one model's fit speed without the
 * search harness; the numbers that count go through `npm run bench` into BENCHMARKS.md.
 *
 *   npm run build && node dist/bench/fit-timing.js
 */
import { makeClassification, makeRegression } from '../src/data/synthetic.js';
import { LogisticRegression } from '../src/models/logistic.js';
import { Ridge } from '../src/models/ridge.js';

const N = 200_000;
const RUNS = 3;

function time<T>(label: string, fn: () => T): T {
  const t0 = performance.now();
  const out = fn();
  console.log(`${label}: ${(performance.now() - t0).toFixed(0)} ms`);
  return out;
}

const regression = makeRegression({ nSamples: N, nFeatures: 64, noise: 1, bias: 3, seed: 1 });
for (let run = 1; run <= RUNS; run++) {
  time(`Ridge fit ${N}x64 (run ${run})`, () => new Ridge({ alpha: 1 }).fit(regression.X, regression.y));
}

const classification = makeClassification({ nSamples: N, nFeatures: 32, seed: 4 });
for (let run = 1; run <= RUNS; run++) {
  const model = time(`LogisticRegression fit ${N}x32 (run ${run})`, () => new LogisticRegression().fit(classification.X, classification.y));
  console.log(`  nIter ${model.nIter}`);
}
