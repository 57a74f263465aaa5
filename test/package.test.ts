/**
 * The package users install: `npm pack` on a fresh copy of the sources (no dist/: the build
 * runs in prepack) gives a tarball that installs into an empty app, where ESM `import`,
 * `require`, `tsc` on a consumer .ts file, a search on worker threads and `npx memgrid
 * --version` all work. Offline: the app's lockfile pins the versions this repo's lockfile
 * pins, so `npm ci --offline` takes every dependency from the npm cache `npm ci` filled (the
 * mmap addon builds from source, as on a user's machine).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers/temp.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };

/** The environment without the outer `npm test`'s lifecycle variables, which would confuse an inner npm. */
const ENV = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_(lifecycle|package)_/.test(key)));

function run(command: string, args: readonly string[], cwd: string, timeoutMs = 120_000): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: 'utf8', env: ENV, timeout: timeoutMs });
}

const output = (r: SpawnSyncReturns<string>): string => `exit ${String(r.status)}\n${r.stdout}\n${r.stderr}`;

/**
 * The sources a clone holds (no dist/), with this repo's node_modules (the dev tools prepack
 * needs). Not bench/: it is not packed, and `npm test`'s own build compiles it.
 */
function freshCopy(dir: string): string {
  const clone = join(dir, 'clone');
  for (const entry of ['package.json', 'package-lock.json', 'tsconfig.json', 'LICENSE', 'README.md', 'binding.gyp', 'native', 'src', 'scripts/bundle-worker.mjs']) {
    cpSync(join(ROOT, entry), join(clone, entry), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'));
  return clone;
}

/** An empty app depending on the tarball, locked to the versions this repo's lockfile pins (dev tools left out). */
function emptyApp(dir: string, tarball: string): string {
  const app = join(dir, 'app');
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const dependency = `file:${tarball}`;
  const manifest = {
    name: 'app', version: '1.0.0', private: true, type: 'module', dependencies: { memgrid: dependency },
    // What README.md tells users to add for npm 11 (memgrid's mapping addon builds on install).
    allowScripts: { memgrid: true, 'msgpackr-extract': false },
  };
  const packages: Record<string, unknown> = {
    '': { name: 'app', version: '1.0.0', dependencies: { memgrid: dependency } },
    'node_modules/memgrid': {
      version: pkg.version, resolved: dependency, license: 'MIT', dependencies: pkg.dependencies,
      bin: { memgrid: 'dist/src/cli/main.js' }, engines: { node: '>=20.19' }, hasInstallScript: true,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) if (path.startsWith('node_modules/') && !entry.dev) packages[path] = entry;
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(app, 'package-lock.json'), JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 1));
  return app;
}

/** A consumer's TypeScript: real types, not \`any\` (each @ts-expect-error must meet an error, or tsc fails). */
const CONSUMER_TS = `import { GridSearch, KFold, makeRegression, Ridge, type CvResults, type NdArray } from 'memgrid';
import { RedisExecutor, type RedisExecutorOptions } from 'memgrid/redis';

const { X, y }: { X: NdArray<'float64'>; y: NdArray<'float64'> } = makeRegression({ nSamples: 200, nFeatures: 3, seed: 0 });
const search = await new GridSearch(new Ridge(), { alpha: [0.1, 1] }, { cv: new KFold({ nSplits: 3 }), workers: 0 }).fit(X, y);
const results: CvResults = search.cvResults;
const best: number = search.bestScore;
// @ts-expect-error bestScore is a number
const wrong: string = search.bestScore;
// @ts-expect-error Ridge takes alpha, not C
new Ridge({ C: 1 });
const options: RedisExecutorOptions = { url: 'redis://127.0.0.1:6379' };
// @ts-expect-error a url is required
const incomplete: RedisExecutorOptions = {};
export { results, best, wrong, options, incomplete, RedisExecutor };
`;

const ESM_CHECK = `import { GridSearch, Ridge, makeRegression } from 'memgrid';
const { X, y } = makeRegression({ nSamples: 300, nFeatures: 4, noise: 1, seed: 2 });
const search = await new GridSearch(new Ridge(), { alpha: [0.1, 10] }, { cv: 3, workers: 2 }).fit(X, y);
console.log(JSON.stringify({ params: search.cvResults.params, best: search.bestIndex }));`;

const REQUIRE_CHECK = `const memgrid = require('memgrid');
const { RedisExecutor } = require('memgrid/redis');
console.log(typeof memgrid.GridSearch, typeof memgrid.openNpy, typeof RedisExecutor);`;

describe('the npm package', () => {
  it('packs from a fresh clone and installs offline into an empty app where import, require, tsc and the bin work', () => {
    const dir = tempDir('memgrid-package-');
    const clone = freshCopy(dir);
    const pack = run('npm', ['pack', '--pack-destination', dir, '--json'], clone);
    expect(pack.status, output(pack)).toBe(0);
    const tarball = join(dir, `memgrid-${pkg.version}.tgz`);
    const files = (JSON.parse(pack.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'dist/src/index.js', 'dist/src/index.d.ts',
      'dist/src/redis.js', 'dist/src/cli/main.js', 'dist/src/search/task-runner.js', 'dist/src/workers/thread-entry.js']));
    // Only the build ships (with the pool threads' bundle), and the addon's sources it builds on
    // install (no TypeScript sources, benchmarks or build state); its source maps carry their sources.
    expect(files.filter((f) => !/^dist\/src\/.*\.(js|d\.ts|js\.map)$/.test(f)).sort())
      .toEqual(['LICENSE', 'README.md', 'binding.gyp', 'dist/worker/memgrid-worker.js', 'dist/worker/memgrid-worker.js.map',
        'native/folds.c', 'native/folds.h', 'native/mmap.c', 'native/napi-helpers.h', 'native/rows.c', 'native/rows.h', 'package.json']);
    const map = JSON.parse(readFileSync(join(clone, 'dist', 'src', 'index.js.map'), 'utf8')) as { sourcesContent?: string[] };
    expect(map.sourcesContent?.[0]).toContain('registerEstimatorDumpType');

    const app = emptyApp(dir, tarball);
    const install = run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], app, 150_000);
    expect(install.status, output(install)).toBe(0);

    const esm = run(process.execPath, ['--input-type=module', '-e', ESM_CHECK], app);
    expect(esm.status, output(esm)).toBe(0);
    expect(JSON.parse(esm.stdout)).toEqual({ params: [{ alpha: 0.1 }, { alpha: 10 }], best: 0 });

    const cjs = run(process.execPath, ['-e', REQUIRE_CHECK], app);
    expect(cjs.status, output(cjs)).toBe(0);
    expect(cjs.stdout.trim()).toBe('function function function');

    writeFileSync(join(app, 'consumer.ts'), CONSUMER_TS);
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true,
        types: ['node'], typeRoots: [join(ROOT, 'node_modules', '@types')], skipLibCheck: true,
      },
      files: ['consumer.ts'],
    }));
    const tsc = run(process.execPath, [TSC, '-p', 'tsconfig.json'], app);
    expect(tsc.status, output(tsc)).toBe(0);

    const bin = run('npx', ['--no', '--', 'memgrid', '--version'], app);
    expect(bin.status, output(bin)).toBe(0);
    expect(bin.stdout.trim()).toBe(pkg.version);
    expect(readdirSync(join(app, 'node_modules', '.bin'))).toContain('memgrid');
  }, 300_000);
});
