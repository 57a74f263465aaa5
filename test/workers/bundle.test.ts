/**
 * The pool threads' bundle (dist/worker/memgrid-worker.js, `npm run build`): a search's threads
 * run it when it was built, with the same numbers as the plain modules and one copy of each
 * module (the entry's store cache is the handler's); without it they load the plain modules.
 */
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeClassification, makeRegression } from '../../src/data/synthetic.js';
import { gramModuleBytes } from '../../src/models/kernels/wasm/module.js';
import { LogisticRegression } from '../../src/models/logistic.js';
import { Ridge } from '../../src/models/ridge.js';
import { GridSearch } from '../../src/search/grid-search.js';
import type { WorkerMemory } from '../../src/search/options.js';
import { StratifiedKFold } from '../../src/search/splitters.js';
import { builtInHandlerModule, THREAD_ENTRY, threadEntryFor, WORKER_BUNDLE } from '../../src/workers/bundle.js';
import { compiledModuleUrl } from '../../src/workers/compiled-url.js';
import { ThreadPoolExecutor } from '../../src/workers/thread-executor.js';
import { tempDir } from '../helpers/temp.js';

const PLAIN_HANDLER = compiledModuleUrl('../../src/search/task-runner.js', import.meta.url);

describe('the pool threads\' bundle', () => {
  it('is what a search\'s threads run once built, and the plain handler where it is missing', () => {
    expect(existsSync(fileURLToPath(WORKER_BUNDLE))).toBe(true);
    expect(WORKER_BUNDLE).toMatch(/\/dist\/worker\/memgrid-worker\.js$/);
    expect(builtInHandlerModule()).toBe(WORKER_BUNDLE);
    const dir = tempDir('memgrid-bundle-');
    const missing = pathToFileURL(join(dir, 'memgrid-worker.js')).href;
    expect(builtInHandlerModule(missing)).toBe(PLAIN_HANDLER);
    expect(PLAIN_HANDLER).toMatch(/\/dist\/src\/search\/task-runner\.js$/);
    // The bundle starts from itself; any other handler module from the plain entry, which imports it.
    expect(threadEntryFor(WORKER_BUNDLE)).toBe(WORKER_BUNDLE);
    expect(threadEntryFor(PLAIN_HANDLER)).toBe(THREAD_ENTRY);
  });

  it('carries the wasm kernel module the plain modules emit, byte for byte, and does not emit it again', () => {
    const source = readFileSync(fileURLToPath(WORKER_BUNDLE), 'utf8');
    const carried = /function kernelModuleBytes\(\) \{\s*return Buffer\.from\("([A-Za-z0-9+/=]+)", "base64"\);/.exec(source);
    expect(carried).not.toBeNull();
    expect(Buffer.from(carried![1]!, 'base64').equals(Buffer.from(gramModuleBytes()))).toBe(true);
  });

  it('gives the plain modules\' numbers to the bit, and its entry reports the handler\'s mappings', async () => {
    const classification = makeClassification({ nSamples: 600, nFeatures: 5, nInformative: 3, seed: 4 });
    const regression = makeRegression({ nSamples: 300, nFeatures: 4, noise: 1, seed: 2 });
    const run = async (handlerModule: string) => {
      const executor = new ThreadPoolExecutor({ threads: 2, handlerModule });
      const memory: WorkerMemory[] = [];
      try {
        const logistic = await new GridSearch(new LogisticRegression({ tol: 1e-8 }), { C: [0.01, 0.1, 1, 10] }, {
          cv: new StratifiedKFold({ nSplits: 3 }), scoring: ['accuracy', 'neg_log_loss'], refit: 'neg_log_loss', executor,
          onProgress: (p) => memory.push(...(p.workers ?? [])),
        }).fit(classification.X, classification.y);
        const ridge = await new GridSearch(new Ridge(), { alpha: [0.1, 10] }, { cv: 3, executor }).fit(regression.X, regression.y);
        return { logistic: logistic.cvResults, ridge: ridge.cvResults, coef: [...logistic.bestEstimator!.coef], memory };
      } finally {
        await executor.close();
      }
    };
    const bundled = await run(WORKER_BUNDLE);
    const plain = await run(PLAIN_HANDLER);
    for (const key of ['mean_test_accuracy', 'mean_test_neg_log_loss', 'split0_test_neg_log_loss', 'rank_test_neg_log_loss']) {
      expect(bundled.logistic[key]).toEqual(plain.logistic[key]);
    }
    expect(bundled.ridge['mean_test_score']).toEqual(plain.ridge['mean_test_score']);
    expect(bundled.coef).toEqual(plain.coef);
    // The entry's report of the data a thread has mapped comes from the store cache the handler filled:
    // a second copy of that module in the thread would report none.
    expect(bundled.memory.length).toBeGreaterThan(0);
    expect(bundled.memory.every((m) => m.datasetResident > 0)).toBe(true);
  });
});

describe('a bundle older than the last tsc build', () => {
  it('is passed over for the plain handler (it would run older code); a packed install has no build record', () => {
    const dir = tempDir('memgrid-bundle-age-');
    const bundle = join(dir, 'memgrid-worker.js');
    const info = join(dir, 'tsconfig.tsbuildinfo');
    writeFileSync(bundle, 'export {};');
    writeFileSync(info, '{}');
    const at = (path: string, ms: number): void => utimesSync(path, new Date(ms), new Date(ms));
    const url = (path: string): string => pathToFileURL(path).href;
    at(info, 1_000_000);
    at(bundle, 2_000_000);
    expect(builtInHandlerModule(url(bundle), url(info))).toBe(url(bundle));
    at(info, 3_000_000);
    expect(builtInHandlerModule(url(bundle), url(info))).toBe(PLAIN_HANDLER);
    expect(builtInHandlerModule(url(bundle), url(join(dir, 'none.tsbuildinfo')))).toBe(url(bundle));
  });
});
