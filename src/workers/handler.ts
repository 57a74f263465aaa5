/**
 * What runs a task once it reaches a worker. The search layer provides the handler module
 * (workers sit below search and must not import it); executors only move messages.
 */
import type { TaskMessage, TaskResult } from './protocol.js';

/** Runs one task message in the current thread. */
export type TaskHandler = (task: TaskMessage) => Promise<TaskResult> | TaskResult;

/**
 * The module a worker thread imports to run tasks: it must export `handleTask`.
 * Given as a file URL so that worker threads (plain JavaScript) can load the compiled file.
 */
export interface HandlerModule {
  handleTask: TaskHandler;
}
