#!/usr/bin/env node
/**
 * Bundles what a pool thread runs (dist/src/workers/worker-entry.js: the thread entry and the
 * task handler, and every memgrid module they import) into dist/worker/memgrid-worker.js, so a
 * thread loads one module instead of ~100 (src/workers/bundle.ts says why). Runs after `tsc` in
 * `npm run build`. The package's dependencies and Node's built-ins stay imports: one copy of
 * each, resolved from the package as before. The wasm kernel module's bytes go in as a constant
 * (see __MEMGRID_GRAM_MODULE__ in models/kernels/wasm/kernel.ts).
 *
 *     node scripts/bundle-worker.mjs
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'rolldown';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const dependencies = Object.keys(pkg.dependencies ?? {});
const external = (id) => id.startsWith('node:') || builtinModules.includes(id)
  || dependencies.some((name) => id === name || id.startsWith(`${name}/`));

// The wasm kernel module's bytes, emitted once here instead of in every thread at its first fit
// (models/kernels/wasm/kernel.ts reads them from this constant).
const { gramModuleBytes } = await import(pathToFileURL(join(root, 'dist', 'src', 'models', 'kernels', 'wasm', 'module.js')).href);
const gramModule = Buffer.from(gramModuleBytes()).toString('base64');

await build({
  input: join(root, 'dist', 'src', 'workers', 'worker-entry.js'),
  platform: 'node',
  external,
  transform: { define: { __MEMGRID_GRAM_MODULE__: JSON.stringify(gramModule) } },
  logLevel: 'warn',
  output: { file: join(root, 'dist', 'worker', 'memgrid-worker.js'), format: 'esm', sourcemap: true },
});
