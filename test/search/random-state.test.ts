import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ValueError } from '../../src/errors.js';
import { numpyArgsort } from '../../src/search/numpy-order.js';
import { RandomState } from '../../src/search/random-state.js';

interface Stream {
  seed: number; randomSample: number[]; randint10: number[]; randintBig: number[]; randintOffset: number[];
  randintFull32: number[]; randint2pow32plus: number[]; permutations: Record<string, number[]>; uniform: number[]; after: number;
}
const { streams } = JSON.parse(readFileSync(new URL('../fixtures/search/random.json', import.meta.url), 'utf8')) as { streams: Stream[] };

describe('RandomState (numpy 1.24 legacy, exact)', () => {
  it.each(streams)('draws numpy\'s stream for seed $seed', (s) => {
    const rng = new RandomState(s.seed);
    // Each call consumes the generator as numpy's does: one stream, checked in numpy's call order.
    expect(Array.from({ length: 5 }, () => rng.randomSample())).toEqual(s.randomSample);
    expect(Array.from({ length: 8 }, () => rng.randint(10))).toEqual(s.randint10);
    expect(Array.from({ length: 4 }, () => rng.randint(0, 2 ** 40))).toEqual(s.randintBig);
    expect(Array.from({ length: 4 }, () => rng.randint(-5, 1000))).toEqual(s.randintOffset);
    expect(Array.from({ length: 3 }, () => rng.randint(0, 2 ** 32))).toEqual(s.randintFull32);
    expect(Array.from({ length: 3 }, () => rng.randint(0, 2 ** 32 + 5))).toEqual(s.randint2pow32plus);
    for (const n of [1, 2, 10, 37, 300]) expect(Array.from(rng.permutation(n))).toEqual(s.permutations[String(n)]);
    expect(Array.from({ length: 3 }, () => rng.uniform(-2, 3))).toEqual(s.uniform);
    expect(rng.randomSample()).toBe(s.after);
  });

  it('refuses seeds numpy refuses', () => {
    const message = (v: string): ValueError =>
      new ValueError(`seed must be an integer between 0 and 2**32 - 1 (numpy's random_state), found ${v}`);
    expect(() => new RandomState(-1)).toThrow(message('-1'));
    expect(() => new RandomState(2 ** 32)).toThrow(message('4294967296'));
    expect(() => new RandomState(1.5)).toThrow(message('1.5'));
    expect(() => new RandomState('1' as never)).toThrow(message('"1"'));
  });

  it('shuffles any indexable array and leaves a copy for permutation(values)', () => {
    const values = Int32Array.from([10, 20, 30, 40]);
    const shuffled = new RandomState(3).permutation(values);
    expect(Array.from(values)).toEqual([10, 20, 30, 40]);
    expect(Array.from(shuffled)).toEqual(Array.from(new RandomState(3).permutation(4), (i) => values[i]));
    expect(() => new RandomState(0).randint(5, 5)).toThrow('randint: need integers low < high within 2**53, found low=5, high=5');
  });
});

describe('numpyArgsort', () => {
  const { argsort } = JSON.parse(readFileSync(new URL('../fixtures/search/random.json', import.meta.url), 'utf8')) as {
    argsort: { values: (number | null)[]; order: number[] }[];
  };
  // The last cases are McIlroy adversaries: they drive numpy's introsort into its heapsort fallback.
  it.each(argsort.map((c) => [c.values.length, c] as const))('orders %i values (ties, NaNs, adversaries) as np.argsort', (_n, c) => {
    const values = Float64Array.from(c.values, (v) => v ?? Number.NaN);
    expect(Array.from(numpyArgsort(values))).toEqual(c.order);
  });
});
