/**
 * The seed notebook (memmapping-notebook.txt), step by step, plus memmap's edge cases.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { memmap } from '../../src/data/memmap.js';
import type { MappedArray } from '../../src/data/ndarray.js';
import { saveNpy } from '../../src/data/npy.js';
import { mean, std, sum } from '../../src/data/reduce.js';
import { AccessError, NpyFormatError, ValueError } from '../../src/errors.js';
import { tempDir } from '../helpers/temp.js';
import { memoryKb } from './helpers.js';

const dir = tempDir();

/** Runs `code` in a separate Node process with `mmap` (memgrid's own native binding) loaded. */
function inChildProcess(code: string): string {
  const addon = fileURLToPath(new URL('../../build/Release/memgrid_mmap.node', import.meta.url));
  const script = path.join(tempDir('memgrid-child-'), 'child.cjs');
  fs.writeFileSync(script, `const mmap = require(${JSON.stringify(addon)});\nconst fs = require('node:fs');\n${code}`);
  return execFileSync(process.execPath, [script], { encoding: 'utf8', timeout: 20_000 });
}

const fileFloats = (file: string): number[] => Array.from(new Float32Array(new Uint8Array(fs.readFileSync(file)).buffer));

/**
 * The notebook up to In [12], on a file of the calling test's own: small.mmap created w+
 * (In [2]), mapped again r+ (In [3]), 42 written through mm_w and 43 through mm_r. Both
 * handles close after the test.
 */
function notebookState(): { file: string; mmW: MappedArray<'float32'>; mmR: MappedArray<'float32'> } {
  const file = path.join(tempDir('memgrid-notebook-'), 'small.mmap');
  const mmW = memmap(file, { dtype: 'float32', shape: 10, mode: 'w+' });
  const mmR = memmap(file, { dtype: 'float32', mode: 'r+' });
  mmW.data[0] = 42;
  mmR.data[1] = 43;
  onTestFinished(() => {
    mmW.close();
    mmR.close();
  });
  return { file, mmW, mmR };
}

describe('the seed notebook: numpy.memmap modes', () => {
  it('w+ creates the file zero-filled', () => {
    // In [2]: mm_w = np.memmap(path, shape=10, dtype=np.float32, mode='w+')
    const file = path.join(tempDir('memgrid-notebook-'), 'small.mmap');
    const mmW = memmap(file, { dtype: 'float32', shape: 10, mode: 'w+' });
    expect(Array.from(mmW.data)).toEqual(new Array(10).fill(0));
    expect(fs.statSync(file).size).toBe(40);
    expect(fileFloats(file)).toEqual(new Array(10).fill(0));
    expect(mmW).toMatchObject({ mode: 'w+', writable: true, shape: [10], dtype: 'float32', offset: 0 });
    mmW.close();
  });

  it('r+ maps the same buffer: a write through one handle is seen by the other', () => {
    const file = path.join(tempDir('memgrid-notebook-'), 'small.mmap');
    const mmW = memmap(file, { dtype: 'float32', shape: 10, mode: 'w+' });
    // In [3]: mm_r = np.memmap('files/small.mmap', dtype=np.float32, mode='r+')
    const mmR = memmap(file, { dtype: 'float32', mode: 'r+' });
    expect(mmR.shape).toEqual([10]);
    expect(Array.from(mmR.data)).toEqual(new Array(10).fill(0));
    mmW.data[0] = 42; // In [4]
    expect(mmR.data[0]).toBe(42); // In [5]
    mmR.data[1] = 43; // In [12]
    expect(Array.from(mmW.data.subarray(0, 3))).toEqual([42, 43, 0]);
    expect(fileFloats(file).slice(0, 2)).toEqual([42, 43]); // same page cache, even before flush()
    mmR.flush();
    mmW.close();
    mmR.close();
  });

  it('reductions give numpy\'s float32 answers: sum=85.0, mean=8.5, std=17.0014705657959', () => {
    // In [14]: "sum={0}, mean={1}, std={2}".format(mm_r.sum(), np.mean(mm_r), np.std(mm_r))
    const { mmR } = notebookState();
    expect(sum(mmR)).toBe(85);
    expect(mean(mmR)).toBe(8.5);
    expect(std(mmR)).toBe(Math.fround(17.0014705657959));
    expect(std(mmR)).toBeCloseTo(17.0014705657959, 12);
  });

  it('another process sees the writes, and this process sees the other\'s', () => {
    const { file, mmW, mmR } = notebookState();
    const out = inChildProcess(`
      const fd = fs.openSync(${JSON.stringify(file)}, 'r+');
      const f = new Float32Array(mmap.map(fd, 0, 40, true), 0, 10);
      f[2] = 44;
      console.log(JSON.stringify(Array.from(f.subarray(0, 3))));
    `);
    expect(JSON.parse(out)).toEqual([42, 43, 44]);
    expect(mmR.data[2]).toBe(44);
    expect(mmW.data[2]).toBe(44);
  });

  it('r: a write through the handle stays private, never reaches the file or another handle, and does not crash', () => {
    const { file, mmW, mmR } = notebookState();
    const ro = memmap(file, { dtype: 'float32', mode: 'r' });
    const other = memmap(file, { dtype: 'float32', mode: 'r' });
    expect(ro.writable).toBe(false);
    ro.data[0] = -1;
    ro.data.fill(5, 5);
    expect(ro.data[0]).toBe(-1);
    expect(other.data[0]).toBe(42);
    expect(mmR.data[0]).toBe(42);
    expect(fileFloats(file)).toEqual([42, 43, 0, 0, 0, 0, 0, 0, 0, 0]);
    // Pages it never wrote still follow the file.
    mmW.data[9] = 1;
    expect(other.data[9]).toBe(1);
    mmW.data[9] = 0;
    expect(() => ro.flush()).toThrow(new AccessError(`${file}: cannot flush a read-only ('r') mapping`));
    expect(() => saveNpy(file, ro)).toThrow(new AccessError(`saveNpy ${file}: refusing to write into the file that this read-only ('r') array maps`));
    expect(fileFloats(file)).toEqual([42, 43, 0, 0, 0, 0, 0, 0, 0, 0]);
    ro.close();
    other.close();
  });

  it('c: copy-on-write, writable, and the file never changes', () => {
    const { file, mmR } = notebookState();
    const cow = memmap(file, { dtype: 'float32', mode: 'c' });
    expect(cow.writable).toBe(true);
    cow.data[3] = 7;
    cow.flush();
    expect(cow.data[3]).toBe(7);
    expect(mmR.data[3]).toBe(0);
    expect(fileFloats(file)[3]).toBe(0);
    cow.close();
  });

  it('close() drops the handle\'s view', () => {
    const { file } = notebookState();
    const h = memmap(file, { dtype: 'float32', mode: 'r' });
    h.close();
    expect(() => h.data).toThrow(new AccessError(`${file}: this mapped array was closed`));
  });
});

describe('the seed notebook: an 80 MB memmap costs almost no memory', () => {
  it('w+ of 10,000,000 float64 and a second r+ handle add far less than 80 MB of resident memory', () => {
    const bigPath = path.join(dir, 'big.mmap');
    const before = memoryKb();
    const big = memmap(bigPath, { dtype: 'float64', shape: 10_000_000, mode: 'w+' });
    const again = memmap(bigPath, { dtype: 'float64', mode: 'r+' });
    const after = memoryKb();
    if (process.env.MEMGRID_VERBOSE) console.info(`80 MB w+ map: Rss +${after.rss - before.rss} kB, Pss +${after.pss - before.pss} kB`);
    expect(fs.statSync(bigPath).size).toBe(80_000_000);
    expect(again.shape).toEqual([10_000_000]);
    // Tolerance: 8 MB (a tenth of the mapping) for allocator noise; measured ~0-200 kB.
    expect(after.rss - before.rss).toBeLessThan(8 * 1024);
    expect(after.pss - before.pss).toBeLessThan(8 * 1024);
    // In [19]: np.sum(big_mmap) reads it all: zeros.
    expect(sum(again)).toBe(0);
    big.close();
    again.close();
  });
});

describe('memmap edge cases', () => {
  it('maps from an offset, inside the first page and beyond it', () => {
    const file = path.join(dir, 'offset.bin');
    const values = new Float64Array(1100).map((_, i) => i);
    fs.writeFileSync(file, Buffer.from(values.buffer));
    const a = memmap(file, { dtype: 'float64', mode: 'r', offset: 16 });
    expect(a.shape).toEqual([1098]);
    expect(a.data[0]).toBe(2);
    const b = memmap(file, { dtype: 'float64', mode: 'r', offset: 4096 + 8, shape: [3, 2] });
    expect(Array.from(b.data)).toEqual([513, 514, 515, 516, 517, 518]);
    const f = memmap(file, { dtype: 'float64', mode: 'r', shape: [2, 3], order: 'F' });
    expect(f.order).toBe('F');
  });

  it('an empty file or shape gives an empty array instead of a failed mmap', () => {
    const file = path.join(dir, 'empty.bin');
    fs.writeFileSync(file, '');
    expect(memmap(file, { dtype: 'float32', mode: 'r' }).data.length).toBe(0);
    expect(memmap(file, { dtype: 'int64', mode: 'r+' }).shape).toEqual([0]);
    expect(memmap(path.join(dir, 'empty2.bin'), { dtype: 'float64', mode: 'w+', shape: [0, 5] }).data.length).toBe(0);
  });

  it('rejects bad sizes, offsets and options with errors naming the file, expected and found', () => {
    const file = path.join(dir, 'ten.bin');
    fs.writeFileSync(file, Buffer.alloc(10));
    const notMultiple = new NpyFormatError(file, `10 bytes after offset 0 is not a multiple of the 8-byte item size of float64; give options.shape to map part of it`);
    expect(() => memmap(file, { dtype: 'float64', mode: 'r' })).toThrow(notMultiple);
    expect(() => memmap(file, { dtype: 'float64', mode: 'c' })).toThrow(notMultiple);
    expect(() => memmap(file, { dtype: 'int16', mode: 'r', shape: [8] }))
      .toThrow(new NpyFormatError(file, `file too small for shape [8] of int16: expected 16 bytes (16 from offset 0), found 10`));
    expect(() => memmap(file, { dtype: 'int16', mode: 'r', offset: 1 }))
      .toThrow(new NpyFormatError(file, `9 bytes after offset 1 is not a multiple of the 2-byte item size of int16; give options.shape to map part of it`));
    expect(() => memmap(file, { dtype: 'int16', mode: 'r', offset: 12 })).toThrow(new NpyFormatError(file, `offset 12 is past the end of the file (10 bytes)`));
    const noShape = path.join(dir, 'noshape.bin');
    expect(() => memmap(noShape, { dtype: 'float32', mode: 'w+' }))
      .toThrow(new ValueError(`memmap ${noShape}: mode 'w+' needs options.shape (the file is created), found none`));
    expect(fs.existsSync(noShape)).toBe(false);
    const missing = path.join(dir, 'missing.bin');
    expect(() => memmap(missing, { dtype: 'float32', mode: 'r' })).toThrow(new ValueError(`${missing}: cannot open the file for reading (ENOENT)`));
    expect(() => memmap(file, { dtype: 'complex128' as never, mode: 'r' }))
      .toThrow(new ValueError(`memmap ${file}: options.dtype must be a dtype name, found "complex128"`));
    expect(() => memmap(file, { dtype: 'uint8', mode: 'rw' as never }))
      .toThrow(new ValueError(`memmap ${file}: options.mode must be one of r, r+, w+, c, found "rw"`));
    expect(() => memmap(file, { dtype: 'uint8', mode: 'r', shape: [-1] }))
      .toThrow(new ValueError(`memmap ${file}: options.shape must hold non-negative integers, found [-1]`));
  });

  it('w+ over a file another handle maps replaces it instead of truncating under the mapping', () => {
    const file = path.join(dir, 'replace.bin');
    const old = memmap(file, { dtype: 'float64', shape: 4096, mode: 'w+' });
    old.data[4000] = 3;
    memmap(file, { dtype: 'float64', shape: 1, mode: 'w+' });
    // Reading beyond a truncated file's end would kill the process with SIGBUS.
    expect(old.data[4000]).toBe(3);
    expect(fs.statSync(file).size).toBe(8);
  });
});
