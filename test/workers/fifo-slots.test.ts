/** The thread pool's admission gate: N at a time, strictly first come first served. */
import { describe, expect, it } from 'vitest';
import { AbortError, ValueError } from '../../src/errors.js';
import { FifoSlots } from '../../src/workers/fifo-slots.js';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('FifoSlots', () => {
  it('admits N at once and the rest in the order they asked', async () => {
    const slots = new FifoSlots(2);
    const admitted: number[] = [];
    const releases = new Map<number, () => void>();
    for (let i = 0; i < 6; i++) {
      void slots.acquire().then((release) => {
        admitted.push(i);
        releases.set(i, release);
      });
    }
    await tick();
    expect(admitted).toEqual([0, 1]);
    releases.get(1)!();
    await tick();
    expect(admitted).toEqual([0, 1, 2]);
    releases.get(0)!();
    releases.get(0)!(); // a second release of the same slot frees nothing more
    await tick();
    expect(admitted).toEqual([0, 1, 2, 3]);
    releases.get(2)!();
    releases.get(3)!();
    await tick();
    expect(admitted).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('drops a waiter whose signal aborts, and rejects one that was aborted already', async () => {
    const slots = new FifoSlots(1);
    const first = await slots.acquire();
    const controller = new AbortController();
    const aborted = slots.acquire(controller.signal);
    const after = slots.acquire();
    controller.abort();
    const notStarted = new AbortError('task aborted before it started');
    await expect(aborted).rejects.toThrow(notStarted);
    await expect(slots.acquire(controller.signal)).rejects.toThrow(notStarted);
    first();
    const release = await after; // the aborted waiter did not take the slot
    release();
  });

  it('refuses everyone still waiting when the pool closes', async () => {
    const slots = new FifoSlots(1);
    await slots.acquire();
    const waiting = slots.acquire();
    slots.refuseWaiting(new ValueError('this executor is closed'));
    await expect(waiting).rejects.toThrow(new ValueError('this executor is closed'));
  });
});
