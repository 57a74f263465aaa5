/**
 * Entry module of each pool thread: imports the handler once, then runs tasks with it.
 * Plain data in, plain data out; the handler maps stores itself (see store-cache.ts).
 */
import { workerData } from 'node:worker_threads';
import type { HandlerModule, TaskHandler } from './handler.js';
import { workerMemory } from './memory.js';
import { movedWith } from './piscina-thread.js';
import type { TaskMessage, TaskResult } from './protocol.js';
import { mappedArrays } from './store-cache.js';

// piscina hands each thread the pool's workerData unchanged.
const data = workerData as { handlerModule: string; name?: string };
// Import the handler as soon as the thread starts, not with its first task: the search sends
// tasks only after checking its input, and the import overlaps that work.
const handler: Promise<TaskHandler> = (import(data.handlerModule) as Promise<HandlerModule>)
  .then((m) => m.handleTask);
// A failed import is reported by the first task that awaits it, not as an unhandled rejection.
handler.catch(() => undefined);

/** Piscina calls the default export for every task; results carry this worker's memory. */
export default async function runTask(task: TaskMessage): Promise<TaskResult> {
  const handle = await handler;
  const result: TaskResult = { ...(await handle(task)), worker: workerMemory(mappedArrays(task.store), data.name) };
  // Statistics can be megabytes (a learning curve's cells): hand their buffer over, don't copy it.
  if (!result.stats) return result;
  return movedWith(result, [result.stats.buffer as ArrayBuffer]);
}
