/**
 * Entry module of each pool thread: imports the handler once, then runs tasks with it.
 * Plain data in, plain data out; the handler maps stores itself (see store-cache.ts).
 */
import { move, transferableSymbol, valueSymbol, workerData } from 'piscina';
import type { HandlerModule, TaskHandler } from './handler.js';
import { workerMemory } from './memory.js';
import type { TaskMessage, TaskResult } from './protocol.js';
import { mappedFiles } from './store-cache.js';

let handler: Promise<TaskHandler> | undefined;

function loadHandler(): Promise<TaskHandler> {
  const url = (workerData as { handlerModule: string }).handlerModule;
  handler ??= (import(url) as Promise<HandlerModule>).then((m) => m.handleTask);
  return handler;
}

/** Piscina calls the default export for every task; results carry this worker's memory. */
export default async function runTask(task: TaskMessage): Promise<TaskResult> {
  const handle = await loadHandler();
  const result: TaskResult = { ...(await handle(task)), worker: workerMemory(mappedFiles(task.store)) };
  // Statistics can be megabytes (a learning curve's cells): hand their buffer over, don't copy it.
  if (!result.stats) return result;
  return move({ [transferableSymbol]: [result.stats.buffer], [valueSymbol]: result }) as unknown as TaskResult;
}
