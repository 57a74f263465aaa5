/** Finiteness checks: the flat scan (native over long ranges, JavaScript over short ones) and the addon's scan itself. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstNonFinite, firstNonFiniteJs } from '../../src/data/finite.js';
import { ndarray } from '../../src/data/ndarray.js';
import { openNpy, saveNpy } from '../../src/data/npy.js';
import { nativeMmap } from '../../src/data/native-mmap.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir('memgrid-finite-');
const BAD = [Number.NaN, Infinity, -Infinity];

describe('firstNonFinite', () => {
  it('finds NaN and infinities in any position of any block, float64 and float32, short and long ranges', () => {
    for (const Ctor of [Float64Array, Float32Array]) {
      for (const length of [10_000, 100_000]) {
        for (const at of [0, 3, 4095, 4096, 9999, length - 1]) {
          for (const bad of BAD) {
            const data = new Ctor(length).fill(1.5);
            data[at] = bad;
            expect(firstNonFinite(data)).toBe(at);
            expect(firstNonFinite(data, at + 1)).toBe(-1);
            expect(firstNonFinite(data, 0, at)).toBe(-1);
          }
        }
        expect(firstNonFinite(new Ctor(length).fill(-2))).toBe(-1);
      }
    }
  });

  it('scans a view that starts inside its buffer, and a range inside the view, by element', () => {
    const buffer = new ArrayBuffer(8 * 200_000);
    const view = new Float64Array(buffer, 8 * 1234, 150_000).fill(0.25);
    view[70_000] = Number.NaN;
    expect(firstNonFinite(view)).toBe(70_000);
    expect(firstNonFinite(view, 50_000, 120_000)).toBe(70_000);
    expect(firstNonFinite(view, 70_001, 150_000)).toBe(-1);
    // A bad value just outside the view is not the view's.
    new Float64Array(buffer)[1233] = Infinity;
    view[70_000] = 1;
    expect(firstNonFinite(view)).toBe(-1);
  });

  it('agrees with the JavaScript scan wherever the first bad value lies', () => {
    let seed = 7;
    const next = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    for (let trial = 0; trial < 40; trial++) {
      const data = Float64Array.from({ length: 60_000 }, () => (next() - 0.5) * 1e300);
      const picks = Math.floor(next() * 3);
      for (let p = 0; p < picks; p++) data[Math.floor(next() * data.length)] = BAD[p % 3]!;
      const start = Math.floor(next() * 1000);
      expect(firstNonFinite(data, start)).toBe(firstNonFiniteJs(data, start));
    }
  });

  it('reads a mapped file\'s values through the mapping', () => {
    const path = join(dir, 'x.npy');
    const values = Float64Array.from({ length: 300_000 }, (_, i) => Math.sin(i));
    values[299_999] = Number.NaN;
    saveNpy(path, ndarray('float64', [100_000, 3], values));
    const X = openNpy(path, { mode: 'r' });
    expect(firstNonFinite(X.data as Float64Array)).toBe(299_999);
  });
});

describe('the addon\'s firstNonFinite', () => {
  const scan = nativeMmap().firstNonFinite!;

  it('is exported by the built addon', () => {
    expect(typeof scan).toBe('function');
  });

  it('tells non-finite values from the largest, smallest, subnormal and signed-zero finite ones', () => {
    const finite = [Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, -0, 0, 2.2250738585072014e-308, 1];
    const f64 = new Float64Array(finite);
    expect(scan(f64.buffer, 0, f64.length, 8)).toBe(-1);
    const f32 = new Float32Array([3.4028234663852886e38, -3.4028234663852886e38, 1.401298464324817e-45, -0, 1]);
    expect(scan(f32.buffer, 0, f32.length, 4)).toBe(-1);
    // A NaN with a payload, and a negative NaN, are NaN all the same.
    const bits = new BigUint64Array([0x3ff0000000000000n, 0xfff8000000000001n]);
    expect(scan(bits.buffer, 0, 2, 8)).toBe(1);
    const bits32 = new Uint32Array([0x3f800000, 0x3f800000, 0x7f800001]);
    expect(scan(bits32.buffer, 0, 3, 4)).toBe(2);
  });

  it('finds the first of several bad values across block boundaries, from a byte offset', () => {
    const data = new Float32Array(20_000).fill(2);
    data[4095] = Infinity;
    data[4097] = Number.NaN;
    expect(scan(data.buffer, 0, data.length, 4)).toBe(4095);
    expect(scan(data.buffer, 4 * 4096, data.length - 4096, 4)).toBe(1);
    expect(scan(data.buffer, 4 * 4098, data.length - 4098, 4)).toBe(-1);
  });

  it('refuses ranges past the buffer, misaligned offsets and other item sizes', () => {
    const data = new Float64Array(10);
    expect(() => scan(data.buffer, 0, 11, 8)).toThrow(/past the end/);
    expect(() => scan(data.buffer, 4, 2, 8)).toThrow(/multiple of itemBytes/);
    expect(() => scan(data.buffer, 0, 2, 2 as 8)).toThrow(/8 or 4/);
  });
});
