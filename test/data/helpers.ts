/** Shared helpers of the data-layer tests. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isFloatDType } from '../../src/data/dtypes.js';
import { toNested, type NdArray } from '../../src/data/ndarray.js';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
export const NPY_FIXTURES = path.join(FIXTURES, 'npy');

/** Nested values in the fixtures' JSON spelling: ints as strings, NaN/inf as 'nan'/'inf'/'-inf'. */
export function jsonValues(a: NdArray): unknown {
  const float = isFloatDType(a.dtype);
  const fix = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(fix);
    if (typeof v === 'boolean') return v;
    if (typeof v === 'bigint') return v.toString();
    const n = v as number;
    if (!float) return String(n);
    if (Number.isNaN(n)) return 'nan';
    if (n === Infinity) return 'inf';
    if (n === -Infinity) return '-inf';
    return n;
  };
  return fix(toNested(a));
}

export interface NpyFixture {
  readonly descr: string;
  readonly dtype: string;
  readonly shape: number[];
  readonly order: 'C' | 'F';
  readonly values: unknown;
  readonly numpy_save?: boolean;
  readonly version_major?: number;
}

export function npyFixtures(): Record<string, NpyFixture> {
  return JSON.parse(fs.readFileSync(path.join(NPY_FIXTURES, 'values.json'), 'utf8')) as Record<string, NpyFixture>;
}

/** Resident and proportional set size of this process in kB (Linux /proc/self/smaps_rollup). */
export function memoryKb(): { rss: number; pss: number } {
  const text = fs.readFileSync('/proc/self/smaps_rollup', 'utf8');
  const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  return { rss: field('Rss'), pss: field('Pss') };
}
