/**
 * Which code a search's pool threads load. `npm run build` bundles the thread entry and memgrid's
 * task handler, with every module they import, into one file (scripts/bundle-worker.mjs): a
 * thread that loaded the ~100 compiled modules one by one spent ~100 ms of CPU resolving,
 * reading and compiling them, at the moment the search's own thread checks its input on the
 * same two cores, and the first task waited for it (LB, 200,000 × 32 on 2 workers, 8 interleaved
 * cold runs: median 1.88 → 1.68 s). Without the bundle, or with one older than the last `tsc`
 * build (`tsc` alone rebuilt dist/src after it), the threads load the modules themselves, as before.
 */
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compiledModuleUrl } from './compiled-url.js';

/** The plain entry of a pool thread: imports the handler module it is given. */
export const THREAD_ENTRY = compiledModuleUrl('./thread-entry.js', import.meta.url);

/** memgrid's task handler as a module of its own (dist/src/search/task-runner.js). */
const PLAIN_HANDLER = compiledModuleUrl('../search/task-runner.js', import.meta.url);

/** The bundle: dist/worker/memgrid-worker.js beside dist/src (the entry and the handler in one). */
export const WORKER_BUNDLE = new URL('../../worker/memgrid-worker.js', THREAD_ENTRY).href;

/** tsc's record of its last build of dist/src (a checkout's; a packed install has none). */
const BUILD_INFO = new URL('../../tsconfig.tsbuildinfo', THREAD_ENTRY).href;

/**
 * The handler module a search's threads run: the bundle when the build made it, unless `tsc`
 * has built dist/src since (the bundle would run older code), else the plain handler. The
 * arguments are for tests.
 * @example
 * ```ts
 * new ThreadPoolExecutor({ threads: 2, handlerModule: builtInHandlerModule() });
 * ```
 */
export function builtInHandlerModule(bundle = WORKER_BUNDLE, buildInfo = BUILD_INFO): string {
  const made = statSync(fileURLToPath(bundle), { throwIfNoEntry: false })?.mtimeMs;
  const built = statSync(fileURLToPath(buildInfo), { throwIfNoEntry: false })?.mtimeMs;
  return made !== undefined && (built === undefined || built <= made) ? bundle : PLAIN_HANDLER;
}

/**
 * The module a pool thread starts from for `handlerModule`: the bundle itself when that is the
 * handler (its entry imports its own handler, one copy of every module), else the plain entry.
 */
export function threadEntryFor(handlerModule: string): string {
  return handlerModule === WORKER_BUNDLE ? WORKER_BUNDLE : THREAD_ENTRY;
}
