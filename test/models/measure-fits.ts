/**
 * Not a test: times one Ridge fit on 200,000 x 64 and one LogisticRegression fit on
 * 200,000 x 32 (float64, C order), as reported to the lead. Run from the repo root:
 *   npx tsc --outDir /tmp/mg-measure --module nodenext --moduleResolution nodenext \
 *     --target es2022 --skipLibCheck test/models/measure-fits.ts
 *   echo '{"type":"module"}' > /tmp/mg-measure/package.json
 *   ln -sf "$PWD/node_modules" /tmp/mg-measure/node_modules
 *   node /tmp/mg-measure/test/models/measure-fits.js
 */
import { ndarray } from '../../src/data/ndarray.js';
import { LogisticRegression } from '../../src/models/logistic.js';
import { Ridge } from '../../src/models/ridge.js';

/** Standard normal deviates from a seeded LCG + Box–Muller (deterministic, no dependencies). */
function normals(n: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  let s = seed >>> 0;
  const uniform = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 2 ** 32;
  };
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  return out;
}

function time<T>(label: string, fn: () => T): T {
  const t0 = performance.now();
  const out = fn();
  console.log(`${label}: ${(performance.now() - t0).toFixed(0)} ms`);
  return out;
}

const n = 200_000;
{
  const d = 64;
  const X = ndarray('float64', [n, d], normals(n * d, 1));
  const w = normals(d, 2);
  const y = new Float64Array(n);
  const noise = normals(n, 3);
  for (let i = 0; i < n; i++) {
    let s = 3 + noise[i]!;
    for (let j = 0; j < d; j++) s += X.data[i * d + j]! * w[j]!;
    y[i] = s;
  }
  for (let rep = 0; rep < 3; rep++) time(`Ridge fit ${n}x${d} (run ${rep + 1})`, () => new Ridge({ alpha: 1 }).fit(X, ndarray('float64', [n], y)));
}
{
  const d = 32;
  const X = ndarray('float64', [n, d], normals(n * d, 4));
  const w = normals(d, 5);
  const u = normals(n, 6);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = 0.5;
    for (let j = 0; j < d; j++) z += X.data[i * d + j]! * w[j]! * 0.3;
    y[i] = z + u[i]! > 0 ? 1 : 0;
  }
  for (let rep = 0; rep < 3; rep++) {
    const m = time(`LogisticRegression fit ${n}x${d} (run ${rep + 1})`, () => new LogisticRegression().fit(X, ndarray('float64', [n], y)));
    console.log(`  nIter ${m.nIter}`);
  }
}
