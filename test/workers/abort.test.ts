/**
 * Aborting a search while plain cross-validation tasks run on two threads: queued tasks are
 * cancelled, running ones finish (their results are dropped or journaled), the warm threads
 * stay, and nothing surfaces as an uncaught exception (piscina used to throw "Unexpected
 * message from Worker" when it terminated a thread that was posting a result). Each round
 * aborts at an event (the first finished task), never after a sleep.
 */
import { describe, expect, it } from 'vitest';
import { makeClassification } from '../../src/data/synthetic.js';
import { AbortError } from '../../src/errors.js';
import { LogisticRegression } from '../../src/models/logistic.js';
import { createExecutor } from '../../src/search/engine.js';
import { GridSearch } from '../../src/search/grid-search.js';

const ROUNDS = 20;
const data = makeClassification({ nSamples: 1_500, nFeatures: 6, seed: 4 });
// One C and several tols: no warm-started path applies, so every task is a plain `cv` task.
const grid = { tol: [1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10] };

describe('aborting plain cross-validation on two threads', () => {
  it(`cancels queued tasks, keeps the threads and never throws uncaught (${ROUNDS} rounds)`, async () => {
    const executor = createExecutor(2);
    const uncaught: unknown[] = [];
    // Worker ids name the thread: a thread terminated to abort its task would come back as a new id.
    const threads = new Set<string>();
    const onUncaught = (error: unknown): void => { uncaught.push(error); };
    process.on('uncaughtException', onUncaught);
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const controller = new AbortController();
        let finished = 0;
        const search = new GridSearch(new LogisticRegression({ maxIter: 200 }), grid, {
          cv: 5, executor, signal: controller.signal,
          onProgress: (p) => {
            finished = p.done;
            for (const w of p.workers ?? []) threads.add(w.worker);
            controller.abort();
          },
        }).fit(data.X, data.y);
        await expect(search).rejects.toBeInstanceOf(AbortError);
        expect(finished).toBeLessThan(40);
      }
      // The same warm pool still runs a whole search afterwards.
      const after = await new GridSearch(new LogisticRegression(), { tol: [1e-4, 1e-6] }, {
        cv: 3, executor, onProgress: (p) => { for (const w of p.workers ?? []) threads.add(w.worker); },
      }).fit(data.X, data.y);
      expect(after.cvResults.params).toHaveLength(2);
      expect(threads.size).toBe(2);
    } finally {
      process.off('uncaughtException', onUncaught);
      await executor.close();
    }
    expect(uncaught).toEqual([]);
  });
});
