/**
 * Entry module of each pool thread: imports the handler once, then runs tasks with it.
 * Plain data in, plain data out; the handler maps stores itself (see store-cache.ts).
 */
import { workerData } from 'piscina';
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
  const result = await handle(task);
  return { ...result, worker: workerMemory(mappedFiles(task.store)) };
}
