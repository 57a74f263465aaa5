import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ndarray } from '../../src/data/ndarray.js';
import { ValueError } from '../../src/errors.js';
import { LogisticRegression } from '../../src/models/logistic.js';
import { Ridge } from '../../src/models/ridge.js';
import { loguniform } from '../../src/search/distributions.js';
import { HalvingGridSearch, HalvingRandomSearch } from '../../src/search/halving.js';
import { halvingSchedule, subsampleFolds, topK } from '../../src/search/halving-schedule.js';
import { pyLog } from '../../src/search/py-math.js';
import { KFold } from '../../src/search/splitters.js';
import type { FitKey } from '../../src/search/options.js';
import type { FitRecord, LogisticPathTask } from '../../src/workers/protocol.js';
import { makeClassification } from '../../src/data/synthetic.js';
import { createExecutor } from '../../src/search/engine.js';
import { CountingExecutor } from '../helpers/counting-executor.js';

interface Schedule {
  n_candidates: number; factor: number; n_samples: number; n_splits: number; classes?: number;
  min_resources?: 'exhaust' | 'smallest' | number; max_resources?: 'auto' | number; aggressive?: boolean;
  nResources: number[]; nCandidates: number[]; nIterations: number; nPossibleIterations: number; nRequiredIterations: number;
  minResources: number; maxResources: number;
}
interface Run {
  kind: 'grid' | 'random'; model: 'ridge' | 'logistic'; seed: number; factor: number; minResources?: 'exhaust' | 'smallest' | number;
  cvSplits?: number; params: Record<string, number | boolean>[]; iter: number[]; nResourcesColumn: number[];
  meanTestScore: number[]; rankTestScore: number[]; meanTrainScore: number[]; nResources: number[]; nCandidates: number[];
  bestIndex: number; bestParams: Record<string, number | boolean>; bestScore: number;
}
const fixtures = JSON.parse(readFileSync(new URL('../fixtures/search/halving.json', import.meta.url), 'utf8')) as {
  schedules: Schedule[]; subsample: { seed: number; n: number; fraction: number; base: string; folds: { train: number[]; test: number[] }[] }[];
  logs: [number, number, number][];
  searches: { X: number[][]; y: number[]; yClass: number[]; alphas: number[]; runs: Run[] };
};

describe('halving schedule equals scikit-learn 1.2', () => {
  it.each(fixtures.schedules.map((s, i) => [i, s] as const))('case %i', (_i, s) => {
    const smallest = s.n_splits * 2 * (s.classes ?? 1);
    const min = s.min_resources ?? 'exhaust';
    const got = halvingSchedule({
      nCandidates: s.n_candidates, factor: s.factor, minResources: typeof min === 'number' ? min : smallest,
      maxResources: s.max_resources === undefined || s.max_resources === 'auto' ? s.n_samples : s.max_resources,
      exhaust: min === 'exhaust', aggressive: s.aggressive ?? false,
    });
    expect(got).toEqual({
      nResources: s.nResources, nCandidates: s.nCandidates, nIterations: s.nIterations, nPossibleIterations: s.nPossibleIterations,
      nRequiredIterations: s.nRequiredIterations, minResources: s.minResources, maxResources: s.maxResources,
    });
  });

  it("computes Python's math.log(x, base) to the last bit", () => {
    for (const [x, base, want] of fixtures.logs) expect(pyLog(x, base)).toBe(want);
    expect(fixtures.logs.length).toBeGreaterThan(1000);
  });

  it.each(fixtures.subsample.map((c, i) => [i, c] as const))('subsamples rung %i as _SubsampleMetaSplitter', (_i, c) => {
    const base = c.base.startsWith('KFold(n_splits=4') ? new KFold({ nSplits: 4, shuffle: true, seed: 3 })
      : new KFold({ nSplits: c.base.startsWith('KFold(n_splits=3') ? 3 : 5 });
    const got = subsampleFolds(base.split(c.n), c.fraction, c.seed);
    expect(got.map((f) => ({ train: [...f.train], test: [...f.test] }))).toEqual(c.folds);
  });

  it('keeps the best in _top_k order: worst kept first, NaN never ahead of a score', () => {
    expect(topK([0.5, 0.9, 0.1, 0.7], 2)).toEqual([3, 1]);
    expect(topK([Number.NaN, 0.2, 0.3], 2)).toEqual([1, 2]);
    expect(topK([Number.NaN, Number.NaN, 0.3], 2)).toEqual([1, 2]);
  });
});

describe('HalvingGridSearch and HalvingRandomSearch equal scikit-learn 1.2', () => {
  const { X: rows, y: targets, yClass, alphas, runs } = fixtures.searches;
  const X = ndarray('float64', [rows.length, rows[0]!.length], Float64Array.from(rows.flat()));
  const y = ndarray('float64', [targets.length], Float64Array.from(targets));
  const yc = ndarray('float64', [yClass.length], Float64Array.from(yClass));

  it.each(runs.map((r, i) => [`${r.kind} ${r.model} seed=${r.seed} factor=${r.factor} min=${String(r.minResources ?? '-')}`, i, r] as const))(
    '%s', async (_name, _i, run) => {
      const common = { factor: run.factor, seed: run.seed, workers: 0, cv: run.cvSplits ?? 5 };
      const search = run.model === 'logistic'
        ? new HalvingGridSearch(new LogisticRegression(), { C: run.params.slice(0, run.nCandidates[0]!).map((p) => p['C'] as number).sort((a, b) => a - b) }, common)
        : run.kind === 'grid'
          ? new HalvingGridSearch(new Ridge(), { alpha: alphas }, { ...common, minResources: run.minResources! })
          : new HalvingRandomSearch(new Ridge(), { alpha: loguniform(1e-3, 1e3), fitIntercept: [true] }, { ...common, nCandidates: 20 });
      await search.fit(X, run.model === 'logistic' ? yc : y);
      const results = search.cvResults;
      expect(search.nCandidates).toEqual(run.nCandidates);
      expect(search.nResources).toEqual(run.nResources);
      expect(results['iter']).toEqual(run.iter);
      expect(results['n_resources']).toEqual(run.nResourcesColumn);
      const key = run.model === 'logistic' ? 'C' : 'alpha';
      // loguniform draws agree to a few ulps (numpy's pow); grid values exactly.
      results.params.forEach((p, i) => expect(Math.abs((p[key] as number) / (run.params[i]![key] as number) - 1)).toBeLessThan(1e-14));
      expect(results['rank_test_score']).toEqual(run.rankTestScore);
      // Ridge scores to 1e-9; logistic accuracy is a count over the test rows, so exact.
      (results['mean_test_score'] as number[]).forEach((m, i) => expect(m).toBeCloseTo(run.meanTestScore[i]!, 9));
      (results['mean_train_score'] as number[]).forEach((m, i) => expect(m).toBeCloseTo(run.meanTrainScore[i]!, run.model === 'logistic' ? 9 : 9));
      expect(search.bestIndex).toBe(run.bestIndex);
      expect(search.bestScore).toBeCloseTo(run.bestScore, 9);
    });
});

describe('halving options', () => {
  it('are checked with the option named', () => {
    expect(() => new HalvingGridSearch(new Ridge(), { alpha: [1] }, { factor: 1 })).toThrow(new ValueError('options.factor must be a number > 1, found 1'));
    expect(() => new HalvingGridSearch(new Ridge(), { alpha: [1] }, { resource: 'alpha' as never })).toThrow(
      "options.resource: only 'n_samples' is supported, found \"alpha\"");
    expect(() => new HalvingGridSearch(new Ridge(), { alpha: [1] }, { minResources: 0 })).toThrow('options.minResources must be an integer >= 1, found 0');
    expect(() => new HalvingRandomSearch(new Ridge(), { alpha: loguniform(1, 2) }, { minResources: 'exhaust' })).toThrow(
      "options.nCandidates and options.minResources cannot both be 'exhaust'");
    expect(() => new HalvingGridSearch(new Ridge(), { alpha: [1] }, { scoring: ['r2'] as never })).toThrow(
      'options.scoring: halving searches take one scorer name, as scikit-learn');
  });

  it('refuses a first rung larger than the data', async () => {
    const X = ndarray('float64', [20, 1], Float64Array.from({ length: 20 }, (_, i) => i));
    const y = ndarray('float64', [20], Float64Array.from({ length: 20 }, (_, i) => 2 * i));
    await expect(new HalvingGridSearch(new Ridge(), { alpha: [1, 2] }, { minResources: 30, workers: 0 }).fit(X, y)).rejects.toThrow(
      'minResources=30 is greater than maxResources=20');
  });
});

describe('halving resumes from a journal', () => {
  it('reruns only the fits the journal lacks, and keeps the same rungs and results', async () => {
    const { X: rows, y: targets, alphas } = fixtures.searches;
    const X = ndarray('float64', [rows.length, rows[0]!.length], Float64Array.from(rows.flat()));
    const y = ndarray('float64', [targets.length], Float64Array.from(targets));
    const journal = new Map<string, FitRecord>();
    // Keyed as the CLI's journal keys them: the fold set tells one rung's folds from another's.
    const keyOf = (k: FitKey): string => JSON.stringify([k.folds, k.params, k.fold]);
    const options = { factor: 2, minResources: 'smallest', cv: 4, seed: 3, workers: 0 } as const;
    const full = await new HalvingGridSearch(new Ridge(), { alpha: alphas }, {
      ...options, onRecord: (record, key) => journal.set(keyOf(key), record),
    }).fit(X, y);
    const kept = new Map([...journal].filter((_, i) => i % 3 !== 0));
    let rerun = 0;
    const resumed = await new HalvingGridSearch(new Ridge(), { alpha: alphas }, {
      ...options, completed: (key) => kept.get(keyOf(key)), onRecord: () => rerun++,
    }).fit(X, y);
    expect(rerun).toBe(journal.size - kept.size);
    const scores = (r: typeof full.cvResults): unknown => Object.fromEntries(Object.entries(r).filter(([k]) => !k.endsWith('_time')));
    expect(scores(resumed.cvResults)).toEqual(scores(full.cvResults));
    expect(resumed.nCandidates).toEqual(full.nCandidates);
  });
});

describe('logistic halving rungs warm-start from the previous rung', () => {
  const { X, y } = makeClassification({ nSamples: 900, nFeatures: 6, nInformative: 4, seed: 5 });
  const grid = { C: [1e-3, 1e-2, 0.1, 1, 10, 100, 1e3, 1e4, 1e5] };
  const options = { cv: 3, factor: 3, seed: 1, scoring: 'neg_log_loss', minResources: 100 } as const;
  const pathTasks = (executor: CountingExecutor): LogisticPathTask[] =>
    executor.tasks.filter((t): t is LogisticPathTask => t.kind === 'logistic-path');

  it('starts every path of a later rung from its first candidate\'s solution on the same fold of the rung before', async () => {
    const executor = new CountingExecutor();
    const search = await new HalvingGridSearch(new LogisticRegression(), grid, { ...options, executor }).fit(X, y);
    expect(search.nIterations).toBe(3);
    const tasks = pathTasks(executor);
    // One fold set per rung, in rung order.
    const rungOf = new Map([...new Set(tasks.map((t) => t.foldSet))].map((id, i) => [id, i]));
    expect(rungOf.size).toBe(3);
    for (const task of tasks) {
      const rung = rungOf.get(task.foldSet)!;
      expect(task.keepSolutions === true).toBe(rung < 2); // the last rung's solutions are not needed
      if (rung === 0) {
        expect(task.start).toBeUndefined();
        continue;
      }
      // The same params on the same fold, one rung earlier: its record's solution is the start.
      const before = tasks.filter((t) => rungOf.get(t.foldSet) === rung - 1 && t.fold === task.fold)
        .flatMap((t) => executor.results.get(t)!.records.map((r) => ({ r, params: t.candidates.find((c) => c.id === r.candidate)!.params })))
        .find(({ params }) => params.C === task.candidates[0]!.params.C)!;
      expect(task.start).toHaveLength(X.shape[1]! + 1);
      expect(task.start).toEqual(before.r.solution);
    }
    // The search's own records keep scores, not coefficients.
    expect(search.fitRecords.some((r) => r.solution !== undefined)).toBe(false);
  });

  it('reaches the optimum a cold start reaches (within 1e-8, the default tol\'s promise), in fewer Newton steps', async () => {
    const executor = new CountingExecutor();
    await new HalvingGridSearch(new LogisticRegression(), grid, { ...options, executor }).fit(X, y);
    const warm = pathTasks(executor).filter((t) => t.start !== undefined);
    const inline = createExecutor(0);
    let warmSteps = 0;
    let coldSteps = 0;
    for (const task of warm) {
      const { start: _start, ...coldTask } = task;
      const cold = await inline.run(coldTask);
      const hot = executor.results.get(task)!;
      hot.records.forEach((r, i) => {
        const metric = task.scoring[0]!;
        expect(r.test[metric]).toBeCloseTo(cold.records[i]!.test[metric]!, 8);
        expect(Number.isFinite(r.test[metric])).toBe(true);
        warmSteps += r.solver!.nIter;
        coldSteps += cold.records[i]!.solver!.nIter;
      });
    }
    await inline.close();
    expect(warmSteps).toBeLessThan(coldSteps);
  });

  it('resumes from a journal with the same numbers as an uninterrupted run: the solutions travel in the records', async () => {
    const journal = new Map<string, FitRecord>();
    const keyOf = (k: FitKey): string => JSON.stringify([k.folds, k.params, k.fold]);
    const full = await new HalvingGridSearch(new LogisticRegression(), grid, {
      ...options, workers: 0, onRecord: (record, key) => journal.set(keyOf(key), JSON.parse(JSON.stringify(record)) as FitRecord),
    }).fit(X, y);
    // Lose the later rungs' fits: they are fitted again, from the journaled solutions of the rungs before.
    const rungs = [...new Set([...journal.keys()].map((k) => (JSON.parse(k) as unknown[])[0]))];
    const kept = new Map([...journal].filter(([k]) => (JSON.parse(k) as unknown[])[0] === rungs[0] || (JSON.parse(k) as unknown[])[2] !== 0));
    let rerun = 0;
    const resumed = await new HalvingGridSearch(new LogisticRegression(), grid, {
      ...options, workers: 0, completed: (key) => kept.get(keyOf(key)), onRecord: () => rerun++,
    }).fit(X, y);
    expect(rerun).toBeGreaterThan(0);
    const scores = (r: typeof full.cvResults): unknown => Object.fromEntries(Object.entries(r).filter(([k]) => !k.endsWith('_time')));
    expect(scores(resumed.cvResults)).toEqual(scores(full.cvResults));
  });
});
