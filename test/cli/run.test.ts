/**
 * The memgrid binary end to end: data commands, a run that writes every file, `plot`,
 * resume after Ctrl-C with results identical to an uninterrupted run, and refused resumes.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';
import { waitFor } from '../helpers/wait.js';
import { memgrid, startMemgrid } from './memgrid.js';

const dir = tempDir('memgrid-cli-run-');
const DIABETES = new URL('../../experiments/data/diabetes.csv', import.meta.url).pathname;

function writeConfig(name: string, config: unknown): string {
  writeFileSync(join(dir, name), JSON.stringify(config, null, 2));
  return name;
}

const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

/** cvResults without the timing columns, which differ between any two runs. */
function scoresOnly(cvResults: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(cvResults).filter(([k]) => !k.endsWith('_time')));
}

describe('memgrid data', () => {
  it('makes a dataset, describes it, and imports a CSV', () => {
    const made = memgrid(['data', 'make', 'regression', '--samples', '300', '--features', '5', '--noise', '5', '--out', 'reg', '--seed', '1'], dir);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain('"data": { "X": "reg/X.npy", "y": "reg/y.npy" }');

    const info = memgrid(['data', 'info', 'reg/X.npy'], dir);
    expect(info.code, info.stderr).toBe(0);
    expect(info.stdout).toMatch(/shape\s+\[300, 5\]/);
    expect(info.stdout).toMatch(/dtype\s+float64/);
    expect(info.stdout).toMatch(/order\s+C/);
    expect(info.stdout).toMatch(/bytes\s+12128 /); // 128-byte header + 300 * 5 * 8
    expect(info.stdout).toMatch(/version\s+1\.0/);

    const imported = memgrid(['data', 'import', DIABETES, '--target', 'target', '--out', 'diabetes'], dir);
    expect(imported.code, imported.stderr).toBe(0);
    expect(memgrid(['data', 'info', 'diabetes/X.npy'], dir).stdout).toMatch(/shape\s+\[442, 10\]/);
  });

  it('exits 2 naming a file that is not a .npy', () => {
    writeFileSync(join(dir, 'fake.npy'), 'not numpy');
    const r = memgrid(['data', 'info', 'fake.npy'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`memgrid: ${join(dir, 'fake.npy')}: not a .npy file: expected at least 10 bytes, found 9\n`);
  });
});

describe('memgrid run', () => {
  it('runs a halving grid search from the halving key, with its rung columns', () => {
    writeConfig('halving.json', {
      data: { synthetic: { kind: 'regression', nSamples: 400, nFeatures: 4, noise: 5, seed: 3 } }, model: { name: 'ridge' },
      grid: { alpha: [0.001, 0.01, 0.1, 1, 10, 100, 1000, 10000, 1e5] }, halving: { factor: 3, seed: 5 },
    });
    const r = memgrid(['run', 'halving.json', '--workers', '0'], dir);
    expect(r.code, r.stderr).toBe(0);
    const results = readJson(join(dir, 'runs', 'halving', 'results.json'));
    const cv = results.cvResults as Record<string, number[]>;
    expect(results.kind).toBe('halving');
    // 9 candidates, factor 3: rungs of 9 and 3 candidates, then the best one on all 400 rows.
    expect(cv.iter).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 2]);
    expect(cv.n_resources).toEqual([44, 44, 44, 44, 44, 44, 44, 44, 44, 132, 132, 132, 396]);
    expect(cv.params![results.bestIndex as number]).toEqual(results.bestParams);
  });

  it('runs a named splitter on CSV group labels (data.groups), kept out of X', () => {
    const rows = Array.from({ length: 60 }, (_, i) => `${i % 7},${(i * 3) % 11},shop${i % 4},${(i % 7) * 2 + (i % 3)}`);
    writeFileSync(join(dir, 'shops.csv'), ['a,b,shop,sales', ...rows].join('\n'));
    writeConfig('groups.json', {
      data: { csv: 'shops.csv', target: 'sales', groups: 'shop' }, model: { name: 'ridge' }, grid: { alpha: [0.1, 10] },
      cv: { name: 'group_kfold', nSplits: 4 }, learningCurve: { trainSizes: [0.5, 1] },
    });
    const r = memgrid(['run', 'groups.json', '--workers', '0'], dir);
    expect(r.code, r.stderr).toBe(0);
    const cv = readJson(join(dir, 'runs', 'groups', 'results.json')).cvResults as Record<string, number[]>;
    // Four shops, four folds: each fold holds one shop out.
    expect(Object.keys(cv).filter((k) => /^split\d+_test_score$/.test(k))).toHaveLength(4);
    expect(cv.params).toHaveLength(2);
  });

  it('writes results, cv_results.csv, curves, plots and the report; plot re-renders them', () => {
    writeConfig('e2e.json', {
      data: { synthetic: { kind: 'regression', nSamples: 300, nFeatures: 5, noise: 5, seed: 0 } },
      model: { name: 'ridge' },
      grid: { alpha: [0.01, 1, 100], fitIntercept: [true, false] },
      cv: { folds: 3 },
      scoring: ['r2', 'neg_mean_squared_error'], refit: 'r2', returnTrainScore: true,
      learningCurve: { trainSizes: [0.2, 0.6, 1] },
      validationCurve: { param: 'alpha', values: [0.001, 0.1, 10, 1000] },
    });
    const r = memgrid(['run', 'e2e.json', '--workers', '1'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Top candidates by mean r2:');
    const out = join(dir, 'runs', 'e2e');
    for (const f of ['results.json', 'cv_results.csv', 'learning_curve.json', 'validation_curve.json', 'report.html', 'journal.jsonl', 'run.json',
      'plots/learning_curve.svg', 'plots/validation_curve.svg', 'plots/search_heatmap.svg']) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    const results = readJson(join(out, 'results.json'));
    const cv = results.cvResults as Record<string, number[]>;
    expect(results.refit).toBe('r2');
    expect(cv.params).toHaveLength(6);
    expect(results.bestScore).toBe(Math.max(...cv.mean_test_r2!));
    expect(cv.params![cv.rank_test_r2!.indexOf(1)]).toEqual(results.bestParams);
    expect((results.bestEstimator as { coef: number[] }).coef).toHaveLength(5);
    const timings = results.timings as { search: number; total: number };
    expect(timings.total).toBeGreaterThanOrEqual(timings.search);
    expect(timings.search).toBeGreaterThan(0);
    expect(results.memory).toHaveProperty('datasetBytes', 300 * 5 * 8 + 300 * 8);
    const memory = results.memory as { workers: { worker: string; host: string; datasetResident: number; heapUsed: number }[]; hosts: { host: string; totalBytes: number; freeBytes: number }[] };
    expect(memory.workers.length).toBeGreaterThan(0);
    for (const w of memory.workers) {
      expect(w.worker).toMatch(new RegExp(`^${hostname()}/\\d+/\\d+$`));
      expect(w.datasetResident).toBeLessThanOrEqual(300 * 5 * 8 + 300 * 8);
      expect(w.heapUsed).toBeGreaterThan(0);
    }
    expect(memory.hosts.map((h) => h.host)).toEqual([hostname()]);
    expect(memory.hosts[0]!.freeBytes).toBeLessThanOrEqual(memory.hosts[0]!.totalBytes);
    const header = readFileSync(join(out, 'cv_results.csv'), 'utf8').split('\n')[0]!;
    expect(header.split(',')).toEqual(expect.arrayContaining([
      'params', 'param_alpha', 'param_fit_intercept', 'split0_test_r2', 'mean_test_r2', 'rank_test_r2', 'mean_train_neg_mean_squared_error',
    ]));
    // Columns spell params as scikit-learn does; params and bestParams keep the names the model takes.
    expect(Object.keys(cv).filter((k) => k.startsWith('param_'))).toEqual(['param_alpha', 'param_fit_intercept']);
    expect(Object.keys(results.bestParams as object).sort()).toEqual(['alpha', 'fitIntercept']);
    // Every file was written temp-then-rename: nothing half-written is left.
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    rmSync(join(out, 'report.html'));
    rmSync(join(out, 'plots'), { recursive: true });
    const plot = memgrid(['plot', out], dir);
    expect(plot.code, plot.stderr).toBe(0);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    expect(readdirSync(join(out, 'plots')).sort()).toEqual(['learning_curve.svg', 'search_heatmap.svg', 'validation_curve.svg']);
  });

  it('resumes after Ctrl-C and ends with the same results as an uninterrupted run', async () => {
    const config = writeConfig('resume.json', {
      data: { synthetic: { kind: 'classification', nSamples: 2000, nFeatures: 30, seed: 3 } },
      model: { name: 'logistic', params: { maxIter: 300 } },
      grid: { C: Array.from({ length: 16 }, (_, i) => 10 ** (-3 + i * 0.25)), fitIntercept: [true, false] },
      cv: { folds: 5 },
      scoring: ['accuracy', 'neg_log_loss'], refit: 'neg_log_loss',
    });
    const out = join(dir, 'runs', 'resume');
    const journal = join(out, 'journal.jsonl');
    const run = startMemgrid(['run', config, '--workers', '1'], dir);
    // Interrupt as soon as fits are journaled: the header line and the first task's fits (10 more tasks to go).
    await waitFor(() => existsSync(journal) && readFileSync(journal, 'utf8').split('\n').length > 2, 20_000, 'the first journaled fits');
    run.kill('SIGINT');
    const stopped = await run.done;
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stderr).toContain('resume with: memgrid run resume.json --resume');
    const kept = readFileSync(journal, 'utf8').trim().split('\n').length - 1;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(16 * 2 * 5);
    expect(existsSync(join(out, 'results.json'))).toBe(false);

    const resumed = memgrid(['run', config, '--workers', '1', '--resume'], dir, 60_000);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/resuming: \d+ fit\(s\) restored/);
    const full = memgrid(['run', config, '--workers', '1', '--out', 'runs/full'], dir, 60_000);
    expect(full.code, full.stderr).toBe(0);
    const a = readJson(join(out, 'results.json'));
    const b = readJson(join(dir, 'runs', 'full', 'results.json'));
    expect(a.fits).toMatchObject({ total: 16 * 2 * 5, restored: kept });
    const resumedCv = scoresOnly(a.cvResults as Record<string, unknown>);
    const fullCv = scoresOnly(b.cvResults as Record<string, unknown>);
    expect(Object.keys(resumedCv)).toEqual(Object.keys(fullCv));
    expect(resumedCv.params).toEqual(fullCv.params);
    // Identical, not merely close: resumed logistic paths warm-start exactly as the full run's.
    for (const [column, values] of Object.entries(fullCv)) {
      if (!/_test_|_train_/.test(column)) continue;
      expect(resumedCv[column], column).toEqual(values);
    }
    expect(a.bestParams).toEqual(b.bestParams);
  });

  it('refuses to resume after the config or the data changed', () => {
    memgrid(['data', 'make', 'regression', '--samples', '200', '--features', '3', '--out', 'changing', '--seed', '1'], dir);
    const base = { data: { X: 'changing/X.npy', y: 'changing/y.npy' }, model: { name: 'ridge' }, grid: { alpha: [0.1, 1] }, cv: { folds: 3 } };
    writeConfig('changing.json', base);
    expect(memgrid(['run', 'changing.json', '--workers', '0', '--quiet'], dir).code).toBe(0);

    writeConfig('changing.json', { ...base, grid: { alpha: [0.1, 1, 10] } });
    const config = memgrid(['run', 'changing.json', '--workers', '0', '--resume'], dir);
    expect(config.code).toBe(2);
    expect(config.stderr).toMatch(/^memgrid: cannot resume: the config changed since .*journal\.jsonl was written; run without --resume to start over/);

    writeConfig('changing.json', base);
    memgrid(['data', 'make', 'regression', '--samples', '200', '--features', '3', '--out', 'changing', '--seed', '2'], dir);
    const data = memgrid(['run', 'changing.json', '--workers', '0', '--resume'], dir);
    expect(data.code).toBe(2);
    expect(data.stderr).toContain('cannot resume: the data changed');
  });
});
