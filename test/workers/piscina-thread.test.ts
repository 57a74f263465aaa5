/**
 * What pool threads take from piscina without importing the package (workers/piscina-thread.ts):
 * results marked for transfer exactly as Piscina.move marks them, and a thread bundle that
 * loads neither piscina nor node:crypto when a thread starts.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { describe, expect, it } from 'vitest';
import { movedWith, piscinaMarks } from '../../src/workers/piscina-thread.js';
import { WORKER_BUNDLE } from '../../src/workers/bundle.js';
import { randomHex } from '../../src/data/random-name.js';

const require = createRequire(import.meta.url);
/** piscina's own test for "hand these buffers over" (what its thread runtime checks a result with). */
const { isMovable } = require(join(dirname(require.resolve('piscina')), 'common.js')) as { isMovable: (v: unknown) => boolean };

describe('a thread\'s result marked for transfer', () => {
  it('is movable to piscina, holding the value and the buffers under piscina\'s symbols', () => {
    const stats = new Float64Array(4);
    const result = { kind: 'ridge-stats', stats };
    const moved = movedWith(result, [stats.buffer]) as unknown as Record<symbol, unknown>;
    expect(isMovable(moved)).toBe(true);
    expect(moved[Piscina.valueSymbol]).toBe(result);
    expect(moved[Piscina.transferableSymbol]).toEqual([stats.buffer]);
    // The same marking as piscina's own move, and a plain wrapper is not taken for one.
    expect(isMovable(Piscina.move({ [Piscina.transferableSymbol]: [stats.buffer], [Piscina.valueSymbol]: result }))).toBe(true);
    expect(isMovable({ [Piscina.transferableSymbol]: [stats.buffer], [Piscina.valueSymbol]: result })).toBe(false);
  });
});

describe('piscina\'s marks', () => {
  it('come from its modules where they are, else from the package, the same either way', () => {
    for (const marks of [piscinaMarks(), piscinaMarks(join(tmpdir(), 'memgrid-no-piscina-here'))]) {
      expect(marks.transferable).toBe(Piscina.transferableSymbol);
      expect(marks.value).toBe(Piscina.valueSymbol);
      const wrapper = { [marks.transferable]: [], [marks.value]: 1 };
      marks.markMovable(wrapper);
      expect(isMovable(wrapper)).toBe(true);
    }
  });
});

describe('the thread bundle\'s start-up imports', () => {
  it('leave out piscina and node:crypto (each thread would load them before its first task)', () => {
    const source = readFileSync(fileURLToPath(WORKER_BUNDLE), 'utf8');
    const imports = source.split('\n').filter((line) => /^import\b/.test(line));
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((line) => /["']piscina["']|["']node:crypto["']/.test(line))).toEqual([]);
  });
});

describe('random names', () => {
  it('are 2 hex digits per byte, fresh each time', () => {
    expect(randomHex(4)).toMatch(/^[0-9a-f]{8}$/);
    expect(randomHex(1)).toMatch(/^[0-9a-f]{2}$/);
    const seen = new Set(Array.from({ length: 50 }, () => randomHex(8)));
    expect(seen.size).toBe(50);
  });
});
