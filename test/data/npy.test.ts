import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allocate, DTYPES, isBigIntDType, type DType } from '../../src/data/dtypes.js';
import { ndarray, toNested, type NdArray } from '../../src/data/ndarray.js';
import { NPY_MAGIC } from '../../src/data/npy-header.js';
import { openNpy, readNpy, readNpyHeader, saveNpy } from '../../src/data/npy.js';
import { AccessError, NpyFormatError, ValueError } from '../../src/errors.js';
import { uniformSource } from '../helpers/random.js';
import { tempDir } from '../helpers/temp.js';
import { jsonValues, NPY_FIXTURES, npyFixtures } from './helpers.js';

const dir = tempDir();
const fixture = (name: string): string => path.join(NPY_FIXTURES, name);

/** Random values of `dtype` (full range for ints, NaN/inf sprinkled into floats). */
function randomArray(dtype: DType, shape: number[], order: 'C' | 'F', seed: string): NdArray {
  const random = uniformSource(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const data = allocate(dtype, n);
  const bytes = new Uint8Array(data.buffer);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
  if (dtype === 'bool') for (let i = 0; i < n; i++) data[i] = bytes[i]! & 1;
  return ndarray(dtype, shape, data, order);
}

describe('readNpy and openNpy on files numpy wrote', () => {
  const fixtures = Object.entries(npyFixtures());

  it.each(fixtures)('%s: dtype, shape, order and values match numpy', (name, f) => {
    const a = readNpy(fixture(name));
    expect(a.dtype).toBe(f.dtype);
    expect(a.shape).toEqual(f.shape);
    expect(a.order).toBe(f.order);
    expect(jsonValues(a)).toEqual(f.values);
    for (const mode of ['r', 'c'] as const) {
      const m = openNpy(fixture(name), { mode });
      expect(m).toMatchObject({ dtype: f.dtype, shape: f.shape, order: f.order, mode, writable: mode === 'c' });
      expect(jsonValues(m), `${name} ${mode}`).toEqual(f.values);
    }
  });

  it('re-saves every little-endian fixture byte for byte as np.save wrote it', () => {
    for (const [name, f] of fixtures) {
      if (!f.numpy_save) continue;
      const out = path.join(dir, name);
      saveNpy(out, readNpy(fixture(name)));
      expect(fs.readFileSync(out).equals(fs.readFileSync(fixture(name))), name).toBe(true);
    }
  });

  it('swaps big-endian data for r and c but refuses r+ (typed arrays cannot view it)', () => {
    const copy = path.join(dir, 'be.npy');
    fs.copyFileSync(fixture('f8_be_c2.npy'), copy);
    const before = fs.readFileSync(copy);
    const c = openNpy(copy, { mode: 'c' });
    expect(c.data[0]).toBe(-1.5);
    expect(fs.readFileSync(copy).equals(before)).toBe(true);
    expect(() => openNpy(copy, { mode: 'r+' })).toThrow(/non-native byte order >float64; mode 'r\+' cannot map it/);
  });

  it('refuses dtypes memgrid does not support with an error naming the file', () => {
    expect(() => readNpy(fixture('c16.npy'))).toThrow(new NpyFormatError(fixture('c16.npy'),
      'unsupported dtype descriptor "<c16": memgrid reads <f8, <f4, <i8, <i4, <i2, |i1, <u8, <u4, <u2, |u1, |b1 (either byte order)'));
    expect(() => openNpy(fixture('U4.npy'), { mode: 'r' })).toThrow(/U4\.npy: unsupported dtype descriptor "<U4"/);
  });
});

describe('saveNpy', () => {
  it('round-trips random data of every dtype in C and F order, 0-d and empty', () => {
    for (const dtype of DTYPES) {
      for (const [shape, order] of [[[5], 'C'], [[3, 4], 'F'], [[2, 3, 2], 'C'], [[2, 3, 2], 'F'], [[], 'C'], [[0, 3], 'C']] as const) {
        const a = randomArray(dtype, [...shape], order, `${dtype}${shape.join('x')}${order}`);
        const file = path.join(dir, `rt_${dtype}.npy`);
        saveNpy(file, a);
        const b = readNpy(file);
        expect(b.dtype).toBe(dtype);
        expect(b.shape).toEqual(shape);
        expect(Buffer.from(b.data.buffer).equals(Buffer.from(a.data.buffer)), `${dtype} ${shape}`).toBe(true);
        const m = openNpy(file, { mode: 'r' });
        expect(toNested(m)).toEqual(toNested(a));
      }
    }
  });

  it('leaves no temp files and never a half-written file in place', () => {
    const sub = fs.mkdtempSync(path.join(dir, 'atomic-'));
    const file = path.join(sub, 'x.npy');
    saveNpy(file, ndarray('float64', [2], new Float64Array([1, 2])));
    expect(() => saveNpy(file, { dtype: 'float64', shape: [3], order: 'C', data: new Float64Array(2) }))
      .toThrow(new ValueError(`saveNpy ${file}: array.data has 2 elements, shape [3] needs 3`));
    expect(fs.readdirSync(sub)).toEqual(['x.npy']);
    expect(Array.from(readNpy(file).data as Float64Array)).toEqual([1, 2]);
  });

  it('refuses to write into the file a read-only mapping maps, and flushes a shared one instead of replacing it', () => {
    const file = path.join(dir, 'self.npy');
    saveNpy(file, ndarray('float32', [4], new Float32Array([1, 2, 3, 4])));
    const r = openNpy(file, { mode: 'r' });
    expect(() => saveNpy(file, r)).toThrow(new AccessError(`saveNpy ${file}: refusing to write into the file that this read-only ('r') array maps`));
    const rw = openNpy(file, { mode: 'r+' });
    const inode = fs.statSync(file).ino;
    rw.data[0] = 9;
    saveNpy(file, rw);
    expect(fs.statSync(file).ino).toBe(inode);
    expect(readNpy(file).data[0]).toBe(9);
    // Saving the read-only mapping somewhere else is fine.
    saveNpy(path.join(dir, 'copy.npy'), r);
    expect(readNpy(path.join(dir, 'copy.npy')).data[0]).toBe(9);
  });
});

describe('openNpy', () => {
  it('w+ creates a zero-filled .npy numpy can read, like open_memmap', () => {
    const file = path.join(dir, 'new.npy');
    const m = openNpy(file, { mode: 'w+', dtype: 'int32', shape: [3, 4], order: 'F' });
    expect(Array.from(m.data)).toEqual(new Array(12).fill(0));
    m.data[5] = 7;
    m.flush();
    const back = readNpy(file);
    expect(back).toMatchObject({ dtype: 'int32', shape: [3, 4], order: 'F' });
    expect(back.data[5]).toBe(7);
    expect(readNpyHeader(file).dataOffset).toBe(128);
  });

  it('w+ needs dtype and shape; other modes check the dtype/shape they are given', () => {
    expect(() => openNpy(path.join(dir, 'n.npy'), { mode: 'w+', dtype: 'float64' })).toThrow(/mode 'w\+' needs options\.shape/);
    expect(() => openNpy(path.join(dir, 'n.npy'), { mode: 'w+', shape: [2] })).toThrow(/mode 'w\+' needs options\.dtype/);
    expect(() => openNpy(fixture('f8_le_c2.npy'), { mode: 'r', dtype: 'float32' })).toThrow(/dtype: expected float32, found float64/);
    expect(() => openNpy(fixture('f8_le_c2.npy'), { mode: 'r', shape: [6] })).toThrow(/shape: expected \[6\], found \[2, 3\]/);
    expect(() => openNpy(fixture('f8_le_c2.npy'), { mode: 'x' as never }))
      .toThrow(new ValueError(`openNpy ${fixture('f8_le_c2.npy')}: options.mode must be one of r, r+, w+, c, found "x"`));
  });

  it('reports a truncated file and a missing file with the path, expected and found sizes', () => {
    const whole = fs.readFileSync(fixture('f8_le_c2.npy'));
    const cut = path.join(dir, 'cut.npy');
    fs.writeFileSync(cut, whole.subarray(0, whole.length - 5));
    const message = /cut\.npy: truncated data: shape \[2, 3\] of <f8 needs 48 bytes after the 128-byte header, found 43/;
    expect(() => readNpy(cut)).toThrow(message);
    expect(() => openNpy(cut, { mode: 'r' })).toThrow(message);
    fs.writeFileSync(cut, whole.subarray(0, 60));
    expect(() => readNpy(cut)).toThrow(/truncated header: expected 128 bytes, found 60/);
    expect(() => readNpy(path.join(dir, 'nope.npy'))).toThrow(/nope\.npy: cannot open the file for reading \(ENOENT\)/);
  });

  it('reads a file whose data offset is not aligned to the item size, and refuses to map it', () => {
    const text = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }\n";
    const file = path.join(dir, 'odd.npy');
    const head = Buffer.alloc(10 + text.length);
    head.set(NPY_MAGIC, 0);
    head[6] = 1;
    head.writeUInt16LE(text.length, 8);
    head.write(text, 10, 'latin1');
    fs.writeFileSync(file, Buffer.concat([head, Buffer.from(new Float64Array([1.5, -2]).buffer)]));
    expect(Array.from(readNpy(file).data as Float64Array)).toEqual([1.5, -2]);
    expect(() => openNpy(file, { mode: 'r' })).toThrow(/odd\.npy: offset 68 is not a multiple of the 8-byte item size of float64/);
  });

  it('int64 values survive as bigints', () => {
    const a = readNpy(fixture('i8_le_c2.npy'));
    expect(isBigIntDType(a.dtype)).toBe(true);
    expect(a.data[0]).toBe(-(2n ** 63n));
  });
});
