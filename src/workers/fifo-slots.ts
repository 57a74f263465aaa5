/**
 * At most N holders at a time, admitted strictly in the order they asked. The thread pool
 * uses it so that tasks start in submission order: piscina, handed more tasks than it has
 * free threads, moves a task it cannot place to the back of its queue, and a plan that puts
 * its longest tasks first (logistic paths) then ends with one thread idle.
 */
import { AbortError } from '../errors.js';

interface Waiter {
  readonly admit: () => void;
  readonly refuse: (error: Error) => void;
}

/**
 * A counting semaphore with a FIFO queue.
 * @example
 * ```ts
 * const slots = new FifoSlots(2);
 * const release = await slots.acquire(signal);
 * try { await work(); } finally { release(); }
 * ```
 */
export class FifoSlots {
  private free: number;
  private readonly waiting: Waiter[] = [];

  constructor(size: number) {
    this.free = size;
  }

  /** Resolves with a release function once a slot is this caller's; rejects if `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(new AbortError('task aborted before it started'));
    if (this.free > 0 && this.waiting.length === 0) {
      this.free--;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        const at = this.waiting.indexOf(waiter);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(new AbortError('task aborted before it started'));
      };
      const waiter: Waiter = {
        admit: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.releaser());
        },
        refuse: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  /** Rejects everyone still waiting (the pool is closing). */
  refuseWaiting(error: Error): void {
    for (const waiter of this.waiting.splice(0)) waiter.refuse(error);
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next.admit();
      else this.free++;
    };
  }
}
