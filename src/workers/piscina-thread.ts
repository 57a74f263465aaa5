/**
 * What a pool thread needs from piscina, without importing the package in the thread.
 *
 * Why: `import ... from 'piscina'` in a thread loads piscina's whole pool implementation (its
 * main module and what it requires) into every thread just for `move` and two symbols, all
 * of it before the thread takes its first task. The thread's own piscina runtime (its
 * worker.js) has already loaded the two small modules those come from; requiring the same
 * files reads them from this thread's module cache. With crypto no longer loaded at start as
 * well (data/random-name.ts), two threads reached their first task in 138-165 instead of
 * 163-187 ms (an empty thread: ~80 ms), and the benchmark's searches, five interleaved runs
 * each: LB 1.32-1.43 → 1.28-1.33 s, LW 1.97-2.08 → 1.93-1.98 s. Where piscina's files are not
 * laid out as expected, the package itself is loaded, as before.
 */
import { createRequire } from 'node:module';
import nodePath from 'node:path';

/** The symbols piscina reads a transfer from, and its marking of a result as one. */
export interface PiscinaMarks {
  readonly transferable: symbol;
  readonly value: symbol;
  readonly markMovable: (value: object) => void;
}

/**
 * piscina's marks from its modules in `dist` (default: the installed package's folder), or
 * from the package's public API where they are not there.
 */
export function piscinaMarks(dist?: string): PiscinaMarks {
  const require = createRequire(import.meta.url);
  try {
    dist ??= nodePath.dirname(require.resolve('piscina'));
    const symbols = require(nodePath.join(dist, 'symbols.js')) as { kTransferable?: unknown; kValue?: unknown };
    const common = require(nodePath.join(dist, 'common.js')) as { markMovable?: unknown };
    if (typeof symbols.kTransferable === 'symbol' && typeof symbols.kValue === 'symbol' && typeof common.markMovable === 'function') {
      return { transferable: symbols.kTransferable, value: symbols.kValue, markMovable: common.markMovable as (value: object) => void };
    }
  } catch {
    // Another layout: the package's public API below.
  }
  const piscina = require('piscina') as { transferableSymbol: symbol; valueSymbol: symbol; move: (value: object) => unknown };
  return { transferable: piscina.transferableSymbol, value: piscina.valueSymbol, markMovable: (value) => void piscina.move(value) };
}

const marks = piscinaMarks();

/**
 * `value`, marked for piscina to hand `buffers` over to the caller instead of copying them
 * (what `Piscina.move({ [transferableSymbol]: buffers, [valueSymbol]: value })` returns).
 * @example
 * ```ts
 * return movedWith(result, [result.stats.buffer]);
 * ```
 */
export function movedWith<T extends object>(value: T, buffers: readonly ArrayBuffer[]): T {
  const wrapper = { [marks.transferable]: buffers, [marks.value]: value };
  marks.markMovable(wrapper);
  return wrapper as unknown as T;
}
