import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  choice, loguniform, parseDistribution, randint, sampleCandidates, sampleValue, uniform, type ParamDistributions,
} from '../../src/search/distributions.js';
import { parameterGrid } from '../../src/search/grid.js';
import { RandomState } from '../../src/search/random-state.js';

afterEach(() => vi.restoreAllMocks());

describe('distributions', () => {
  it('are plain JSON objects that round-trip', () => {
    const d = { alpha: loguniform(1e-3, 1e3), l1: uniform(0, 1), k: randint(1, 4), solver: choice(['a', 'b', null]) };
    expect(d.alpha).toEqual({ dist: 'loguniform', low: 1e-3, high: 1e3 });
    const back = JSON.parse(JSON.stringify(d)) as Record<string, unknown>;
    for (const [key, value] of Object.entries(back)) expect(parseDistribution(value, key)).toEqual(d[key as keyof typeof d]);
  });

  it('sample within their support', () => {
    const rng = new RandomState(3);
    const counts = new Map<unknown, number>();
    for (let i = 0; i < 2000; i++) {
      const u = sampleValue(uniform(-2, 3), rng) as number;
      expect(u >= -2 && u < 3).toBe(true);
      const l = sampleValue(loguniform(1e-4, 1e2), rng) as number;
      expect(l >= 1e-4 && l <= 1e2).toBe(true);
      const k = sampleValue(randint(1, 4), rng);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([1, 2, 3]); // high is exclusive
    for (const c of counts.values()) expect(c).toBeGreaterThan(550); // ~667 each
  });

  it('loguniform is uniform in log space', () => {
    const rng = new RandomState(11);
    let below = 0;
    for (let i = 0; i < 4000; i++) if ((sampleValue(loguniform(1e-3, 1e3), rng) as number) < 1) below++;
    expect(below / 4000).toBeGreaterThan(0.46);
    expect(below / 4000).toBeLessThan(0.54);
  });

  it('refuse bad parameters, naming them', () => {
    expect(() => uniform(1, 1)).toThrow(/uniform.high must be greater than low \(1\), found 1/);
    expect(() => loguniform(0, 1)).toThrow(/loguniform.low must be > 0 for loguniform, found 0/);
    expect(() => randint(0.5, 3)).toThrow(/randint.low must be an integer/);
    expect(() => choice([])).toThrow(/choice.values must be a non-empty list/);
    expect(() => parseDistribution({ dist: 'normal', low: 0 }, 'distributions.alpha')).toThrow(
      /distributions.alpha.dist must be one of uniform, loguniform, randint, choice, found "normal"/);
  });
});

describe('sampleCandidates', () => {
  const space = { alpha: loguniform(1e-3, 1e3), fitIntercept: [true, false], k: randint(0, 10) };

  it('is deterministic per seed and draws keys in sorted order', () => {
    const a = sampleCandidates(space, 8, 42);
    expect(a).toEqual(sampleCandidates(space, 8, 42));
    expect(a).not.toEqual(sampleCandidates(space, 8, 43));
    expect(a).toHaveLength(8);
    for (const p of a) expect(Object.keys(p)).toEqual(['alpha', 'fitIntercept', 'k']);
  });

  it('samples an all-list space without replacement, capped at the grid size with a warning', () => {
    const lists = { a: [1, 2, 3], b: ['x', 'y'] };
    const grid = parameterGrid(lists);
    const some = sampleCandidates(lists, 4, 0);
    expect(new Set(some.map((p) => JSON.stringify(p))).size).toBe(4);
    for (const p of some) expect(grid).toContainEqual(p);
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const all = sampleCandidates(lists, 10, 0);
    expect(all).toHaveLength(6);
    expect([...all].sort((p, q) => JSON.stringify(p).localeCompare(JSON.stringify(q))))
      .toEqual([...grid].sort((p, q) => JSON.stringify(p).localeCompare(JSON.stringify(q))));
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/total space of parameters 6 is smaller than nIter=10/), { type: 'UserWarning' });
  });

  it('accepts a list of spaces and JSON-parsed distributions', () => {
    const spaces = JSON.parse(JSON.stringify([{ alpha: [1, 2] }, { C: uniform(1, 2) }])) as never;
    const got = sampleCandidates(spaces, 50, 1);
    expect(got.some((p) => 'alpha' in p)).toBe(true);
    expect(got.some((p) => 'C' in p)).toBe(true);
  });

  it('names the entry at fault', () => {
    expect(() => sampleCandidates({ alpha: [] }, 3, 0)).toThrow(/distributions.alpha must be a non-empty list/);
    expect(() => sampleCandidates({ alpha: 0.5 as never }, 3, 0)).toThrow(/distributions.alpha must be a distribution object or a list of values, found 0.5/);
    expect(() => sampleCandidates(space, 0, 0)).toThrow(/nIter must be an integer >= 1, found 0/);
    expect(() => sampleCandidates(space, 2, NaN)).toThrow("seed must be an integer between 0 and 2**32 - 1 (numpy's random_state), found NaN");
  });
});

describe('sampleCandidates equals scikit-learn 1.2 ParameterSampler', () => {
  interface SamplerCase { name: string; seed: number; nIter: number; grid?: Record<string, unknown[]>; candidates: Record<string, unknown>[] }
  const { sampler } = JSON.parse(readFileSync(new URL('../fixtures/search/random.json', import.meta.url), 'utf8')) as { sampler: SamplerCase[] };
  // The fixture script's spaces, in memgrid's terms (scipy's uniform(loc, scale) is uniform(loc, loc + scale)).
  const spaces: Record<string, ParamDistributions | ParamDistributions[]> = {
    'uniform and lists': { alpha: uniform(0.5, 2.5), fit_intercept: [true, false], solver: ['a', 'b', 'c'] },
    loguniform: { C: loguniform(1e-3, 1e3), tol: loguniform(1e-6, 1e-2) },
    randint: { max_iter: randint(10, 500), big: randint(0, 2 ** 40), one: randint(3, 4) },
    mixed: { C: loguniform(1e-4, 1e2), l1_ratio: uniform(0, 1), n: randint(1, 11), penalty: ['l1', 'l2'] },
    'list of spaces': [{ a: uniform(0, 1), b: ['x', 'y'] }, { a: randint(0, 5), c: [1, 2, 3] }, { d: [true] }],
  };

  it.each(sampler.map((c) => [c.name, c.seed, c] as const))('%s, seed %i', (_name, seed, c) => {
    vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const got = sampleCandidates((c.grid ?? spaces[c.name]) as never, c.nIter, seed);
    expect(got.map((p) => Object.keys(p))).toEqual(c.candidates.map((p) => Object.keys(p).sort()));
    got.forEach((params, i) => {
      for (const [key, want] of Object.entries(c.candidates[i]!)) {
        const value = params[key];
        // numpy's pow (loguniform) differs between CPUs in the last bits; every other draw is exact.
        if (c.name.includes('loguniform') || (c.name === 'mixed' && key === 'C')) expect(Math.abs((value as number) / (want as number) - 1)).toBeLessThan(1e-15);
        else expect(value).toBe(want);
      }
    });
  });
});
