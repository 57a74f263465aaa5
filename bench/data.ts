/**
 * Makes sure the benchmark datasets exist: bench/data.py with Debian's numpy + scikit-learn,
 * or, when /usr/bin/python3 lacks them, memgrid's own generators (the scikit-learn side is
 * then skipped anyway).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadGenerators, SkipSide } from './api.js';
import { repoRoot, type Dataset } from './common.js';
import { pythonCan } from './process.js';

/**
 * Debian's interpreter: the one with numpy 1.24 + scikit-learn 1.2 (the `python3` on PATH has
 * neither). `MEMGRID_BENCH_PYTHON` points elsewhere (a venv, or a numpy-less one to try the fallback).
 */
export const SYSTEM_PYTHON = process.env['MEMGRID_BENCH_PYTHON'] || '/usr/bin/python3';

// The same sizes and generator settings as bench/data.py (REGRESSION, CLASSIFICATION, ROWS).
const ROWS = { full: { w1: 500_000, w2: 200_000 }, quick: { w1: 50_000, w2: 20_000 } } as const;
const REGRESSION = { nFeatures: 64, nInformative: 16, noise: 100, seed: 4 };
const CLASSIFICATION = { nFeatures: 32, nInformative: 12, nRedundant: 4, nRepeated: 0, nClasses: 2, flipY: 0.01, classSep: 1, seed: 4 };

/** Where the data came from, for the report. */
export interface DataSource { readonly generator: 'scikit-learn' | 'memgrid'; readonly note: string }

function complete(folder: string): boolean {
  return ['X.npy', 'y.npy', 'meta.json'].every((f) => existsSync(join(folder, f)));
}

async function generateWithMemgrid(dir: string, size: 'full' | 'quick', datasets: readonly Dataset[]): Promise<string> {
  const others = datasets.filter((d) => d !== 'w1' && d !== 'w2');
  if (others.length > 0) throw new Error(`no benchmark data: ${others.join(', ')} need bench/data.py, and ${SYSTEM_PYTHON} lacks numpy/scikit-learn`);
  const made: string[] = [];
  for (const kind of ['w1', 'w2'] as const) {
    if (!datasets.includes(kind)) continue;
    const folder = join(dir, size, kind);
    if (complete(folder)) continue;
    const api = await loadGenerators();
    const options = { ...(kind === 'w1' ? REGRESSION : CLASSIFICATION), nSamples: ROWS[size][kind] };
    const { X, y } = kind === 'w1' ? api.makeRegression(options) : api.makeClassification(options);
    mkdirSync(folder, { recursive: true });
    // Temporary names, then rename: an interrupted run must not leave a file that looks finished.
    for (const [name, array] of [['X', X], ['y', y]] as const) {
      api.saveNpy(join(folder, `.${name}.tmp.npy`), array);
      renameSync(join(folder, `.${name}.tmp.npy`), join(folder, `${name}.npy`));
    }
    writeFileSync(join(folder, 'meta.json'), JSON.stringify({ generator: `memgrid.${kind === 'w1' ? 'makeRegression' : 'makeClassification'}`, params: options }, null, 1));
    made.push(kind);
  }
  return made.length > 0 ? `generated ${made.join(', ')} with memgrid` : 'cached';
}

/**
 * Generates whichever of `datasets` (issue 4's w1 and w2 unless given) is missing
 * (bench/data.py's layout; `seed` as its `--seed`); existing files are kept. Only w1 and w2
 * can be made without numpy.
 * @example
 * ```ts
 * const source = await ensureData('.cache/bench', true, ['w1', 'lb']);
 * ```
 */
export async function ensureData(
  dir: string, quick: boolean, datasets: readonly Dataset[] = ['w1', 'w2'], seed?: number,
): Promise<DataSource> {
  const size = quick ? 'quick' : 'full';
  if (pythonCan(SYSTEM_PYTHON, 'import numpy, sklearn')) {
    const args = [join(repoRoot(), 'bench', 'data.py'), '--out', dir, '--datasets', datasets.join(','),
      ...(quick ? ['--quick'] : []), ...(seed === undefined ? [] : ['--seed', String(seed)])];
    const out = spawnSync(SYSTEM_PYTHON, args, { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`bench/data.py failed (exit ${out.status}): ${out.stderr.trim().split('\n').pop()}`);
    return { generator: 'scikit-learn', note: out.stdout.trim() };
  }
  try {
    return { generator: 'memgrid', note: await generateWithMemgrid(dir, size, datasets) };
  } catch (error) {
    if (error instanceof SkipSide) {
      throw new Error(`no benchmark data: ${SYSTEM_PYTHON} lacks numpy/scikit-learn and ${error.message}`);
    }
    throw error;
  }
}
