/**
 * Vitest global setup: worker threads, the CLI and the packaging tests run `dist/`, not `src/`,
 * so a run after an edit without a rebuild would compare new code with stale code and pass.
 * Before any test: every `src/**\/*.ts` must have a `dist/src/**\/*.js` at least as new. If some
 * do not, the (incremental) build runs; if it fails, the run fails naming the stale files.
 * Outputs whose source is gone (a moved or deleted module) are removed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtInHandlerModule, WORKER_BUNDLE } from '../../src/workers/bundle.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A source file whose compiled output is missing or older than it. */
export interface StaleOutput {
  readonly source: string;
  readonly output: string;
}

/** Every `src` TypeScript file whose `dist` JavaScript is missing or older than it. */
export function staleOutputs(root = ROOT): StaleOutput[] {
  const stale: StaleOutput[] = [];
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        const output = join(root, 'dist', relative(root, path)).replace(/\.ts$/, '.js');
        if (!existsSync(output) || statSync(output).mtimeMs < statSync(path).mtimeMs) stale.push({ source: path, output });
      }
    }
  };
  visit(join(root, 'src'));
  return stale;
}

/** `dist/src` files (.js, .d.ts, .js.map) whose `src` TypeScript file no longer exists. */
export function orphanOutputs(root = ROOT): string[] {
  const orphans: string[] = [];
  const visit = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else {
        const source = join(root, relative(join(root, 'dist'), path)).replace(/(\.d\.ts|\.js\.map|\.js)$/, '.ts');
        if (source.endsWith('.ts') && !existsSync(source)) orphans.push(path);
      }
    }
  };
  visit(join(root, 'dist', 'src'));
  return orphans;
}

/** Remakes the bundle; throws with the bundler's output when it fails. */
function bundleWorker(): void {
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'bundle-worker.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`bundling dist/worker failed (exit ${String(build.status)}):\n${build.stdout}${build.stderr}`);
}

/**
 * Builds `dist/` when any output is stale, and the threads' bundle when it is missing or older
 * than the last `tsc` build (which a build by `tsc` alone leaves it); throws, naming the stale files, when the build fails.
 */
export default function freshDist(): void {
  for (const orphan of orphanOutputs()) rmSync(orphan);
  const stale = staleOutputs();
  if (stale.length === 0) {
    // The runtime's own rule: a bundle missing or older than the last tsc build is passed over.
    if (builtInHandlerModule() !== WORKER_BUNDLE) {
      bundleWorker();
      process.stderr.write('memgrid tests: dist/worker was missing or older than the last tsc build: rebundled it\n');
    }
    return;
  }
  const names = stale.map((s) => relative(ROOT, s.source));
  const shown = names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ');
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) {
    throw new Error(`dist/ is older than ${shown}, and the build failed (exit ${String(build.status)}):\n${build.stdout}${build.stderr}`);
  }
  // tsc does not re-emit a file whose output would not change (an edit undone, a touch):
  // the build vouches for those outputs, so mark them current and the next run skips the build.
  const now = new Date();
  for (const { output } of stale) if (existsSync(output)) utimesSync(output, now, now);
  bundleWorker();
  process.stderr.write(`memgrid tests: dist/ was older than ${shown}: rebuilt it\n`);
}
