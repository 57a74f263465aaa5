/** Finiteness checks: the flat scan, and the file-reading check for mapped .npy arrays. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allFiniteInFile, firstNonFinite } from '../../src/data/finite.js';
import { ndarray } from '../../src/data/ndarray.js';
import { openNpy, saveNpy } from '../../src/data/npy.js';
import { memmap } from '../../src/data/memmap.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir('memgrid-finite-');

describe('firstNonFinite', () => {
  it('finds NaN and infinities in any position of any block, float64 and float32', () => {
    for (const Ctor of [Float64Array, Float32Array]) {
      for (const at of [0, 3, 4095, 4096, 9999]) {
        for (const bad of [Number.NaN, Infinity, -Infinity]) {
          const data = new Ctor(10_000).fill(1.5);
          data[at] = bad;
          expect(firstNonFinite(data)).toBe(at);
          expect(firstNonFinite(data, at + 1)).toBe(-1);
        }
      }
      expect(firstNonFinite(new Ctor(5000).fill(-2))).toBe(-1);
    }
  });
});

describe('allFiniteInFile', () => {
  it('answers from the file for native-order float .npy arrays', () => {
    const path = join(dir, 'x.npy');
    const values = Float64Array.from({ length: 3_000_000 }, (_, i) => Math.sin(i));
    saveNpy(path, ndarray('float64', [1_000_000, 3], values));
    expect(allFiniteInFile(openNpy(path, { mode: 'r' }))).toBe(true);
    values[2_999_999] = Number.NaN;
    saveNpy(path, ndarray('float64', [1_000_000, 3], values));
    expect(allFiniteInFile(openNpy(path, { mode: 'r' }))).toBe(false);
  });

  it('reads each file afresh into its one reused buffer: a short file is not judged by a longer one\'s leftovers', () => {
    // The first scan leaves a NaN in the buffer at value 100; the next file holds 10 values, all finite.
    const bad = Float64Array.from({ length: 200_000 }, (_, i) => i);
    bad[100] = Number.NaN;
    saveNpy(join(dir, 'bad.npy'), ndarray('float64', [200_000], bad));
    expect(allFiniteInFile(openNpy(join(dir, 'bad.npy'), { mode: 'r' }))).toBe(false);
    saveNpy(join(dir, 'short.npy'), ndarray('float64', [10], new Float64Array(10).fill(2)));
    expect(allFiniteInFile(openNpy(join(dir, 'short.npy'), { mode: 'r' }))).toBe(true);
    // float32 through the same buffer: values read as float32, a NaN among them found.
    const f32 = new Float32Array(300_001).fill(0.5);
    f32[300_000] = Number.NaN;
    saveNpy(join(dir, 'f32.npy'), ndarray('float32', [300_001], f32));
    expect(allFiniteInFile(openNpy(join(dir, 'f32.npy'), { mode: 'r' }))).toBe(false);
    saveNpy(join(dir, 'f32ok.npy'), ndarray('float32', [7], new Float32Array(7).fill(1)));
    expect(allFiniteInFile(openNpy(join(dir, 'f32ok.npy'), { mode: 'r' }))).toBe(true);
  });

  it('declines (undefined) where the file does not hold the array\'s values as they are', () => {
    const path = join(dir, 'y.npy');
    saveNpy(path, ndarray('float64', [4], new Float64Array([1, 2, 3, 4])));
    expect(allFiniteInFile(openNpy(path, { mode: 'c' }))).toBeUndefined();
    saveNpy(join(dir, 'i.npy'), ndarray('int32', [2], new Int32Array([1, 2])));
    expect(allFiniteInFile(openNpy(join(dir, 'i.npy'), { mode: 'r' }))).toBeUndefined();
    const raw = memmap(join(dir, 'raw.bin'), { dtype: 'float64', shape: [4], mode: 'w+' });
    expect(allFiniteInFile(raw)).toBeUndefined();
  });
});
