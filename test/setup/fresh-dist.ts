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

/** The pool threads' bundle (scripts/bundle-worker.mjs), made from `dist/src`. */
const BUNDLE = join(ROOT, 'dist', 'worker', 'memgrid-worker.js');

/** Whether the bundle is missing or older than a `dist/src` JavaScript file it may hold. */
export function staleBundle(root = ROOT, bundle = BUNDLE): boolean {
  if (!existsSync(bundle)) return true;
  const made = statSync(bundle).mtimeMs;
  const newer = (dir: string): boolean => readdirSync(dir, { withFileTypes: true }).some((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? newer(path) : entry.name.endsWith('.js') && statSync(path).mtimeMs > made;
  });
  return newer(join(root, 'dist', 'src'));
}

/** Remakes the bundle; throws with the bundler's output when it fails. */
function bundleWorker(): void {
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'bundle-worker.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`bundling dist/worker failed (exit ${String(build.status)}):\n${build.stdout}${build.stderr}`);
}

/**
 * Builds `dist/` when any output is stale, and the threads' bundle when it is older than what it
 * bundles (a build by `tsc` alone leaves it behind); throws, naming the stale files, when the build fails.
 */
export default function freshDist(): void {
  for (const orphan of orphanOutputs()) rmSync(orphan);
  const stale = staleOutputs();
  if (stale.length === 0) {
    if (staleBundle()) {
      bundleWorker();
      process.stderr.write('memgrid tests: dist/worker was older than dist/src: rebundled it\n');
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
