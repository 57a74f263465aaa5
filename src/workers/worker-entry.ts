/**
 * What a pool thread runs, as one module: the thread's entry (the default export piscina calls)
 * and memgrid's task handler. `npm run build` bundles this file and everything it imports into
 * dist/worker/memgrid-worker.js (scripts/bundle-worker.mjs; see bundle.ts for why).
 */
export { default } from './thread-entry.js';
export { handleTask } from '../search/task-runner.js';
