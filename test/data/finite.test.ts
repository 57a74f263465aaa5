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
