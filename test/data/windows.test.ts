/**
 * Mapping in row windows: tiny window sizes on small files (so windows, alignment and blocks
 * that straddle windows are exercised without gigabytes), and sparse files past 2 GiB and
 * 4 GiB (made with ftruncate, costing no disk) for the 64-bit offset arithmetic.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memmap, MAX_WINDOW_BYTES } from '../../src/data/memmap.js';
import { get, ndarray, rowWindows, toNested, type NdArray } from '../../src/data/ndarray.js';
import { encodeNpyHeader } from '../../src/data/npy-header.js';
import { openNpy, readNpy, saveNpy } from '../../src/data/npy.js';
import { columnMeans, mean, std, sum } from '../../src/data/reduce.js';
import { AccessError, ValueError } from '../../src/errors.js';
import { needs } from '../helpers/optional.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir('memgrid-windows-');
const SYSTEM_PYTHON = '/usr/bin/python3';
const hasNumpy = needs('numpy', ((): boolean => {
  try {
    execFileSync(SYSTEM_PYTHON, ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})(), 'apt-get install python3-numpy, as .ci/run does');

/** A [rows, cols] float64 array whose element (i, j) is i * 1000 + j + 0.5 (every value distinct). */
function grid(rows: number, cols: number): NdArray<'float64'> {
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[i * cols + j] = i * 1000 + j + 0.5;
  return ndarray('float64', [rows, cols], data);
}

/** Writes a `.npy` header for `shape` and extends the file sparsely to hold the data. */
function sparseNpy(file: string, descr: string, shape: number[], fortran = false): number {
  const header = encodeNpyHeader({ descr, order: fortran ? 'F' : 'C', shape });
  const itemBytes = Number(descr.slice(2));
  fs.writeFileSync(file, header);
  fs.truncateSync(file, header.length + shape.reduce((a, b) => a * b, 1) * itemBytes);
  return header.length;
}

describe('row windows on a small file', () => {
  const file = path.join(dir, 'grid.npy');
  const X = grid(37, 3);
  saveNpy(file, X);

  it.each([
    ['5 rows per window (120 bytes)', 120, 5],
    ['4 rows per window (100 bytes: not a whole number of rows)', 100, 4],
    ['1 row per window (a window smaller than a row)', 1, 1],
  ])('%s: whole rows, in order, each viewing its own rows of the file', (_name, windowBytes, perWindow) => {
    const mapped = openNpy(file, { mode: 'r', windowBytes });
    const windows = rowWindows(mapped);
    expect(windows).toHaveLength(Math.ceil(37 / perWindow));
    windows.forEach((w, k) => {
      expect(w.rowStart).toBe(k * perWindow);
      expect(w.rowEnd).toBe(Math.min(37, (k + 1) * perWindow));
      expect(Array.from(w.data)).toEqual(Array.from(X.data.subarray(w.rowStart * 3, w.rowEnd * 3)));
    });
    expect(toNested(mapped)).toEqual(toNested(X));
    expect(get(mapped, 36, 2)).toBe(36_002.5);
    expect(get(mapped, 17, 0)).toBe(17_000.5);
  });

  it('data throws an AccessError that says the array is in windows, and spreading the array drops it', () => {
    const mapped = openNpy(file, { mode: 'r', windowBytes: 120 });
    expect(() => mapped.data).toThrow(AccessError);
    expect(() => mapped.data).toThrow(
      `${file}: shape [37, 3] of float64 is mapped as 8 row windows (more than one typed array can hold): read it through \`windows\` (rowWindows()), not \`data\``,
    );
    expect(Object.keys({ ...mapped })).not.toContain('data');
    const whole = openNpy(file, { mode: 'r' });
    expect(whole.data).toHaveLength(111);
    expect(Object.keys({ ...whole })).toContain('data');
  });

  it('reductions equal the one-window answers bit for bit (numpy blocks straddle windows)', () => {
    // 20,000 float32 values: numpy's 8192-element blocks cross the 1,027-element windows.
    const values = new Float32Array(20_000);
    for (let i = 0; i < values.length; i++) values[i] = Math.sin(i) * 1000 + i / 7;
    const flat = path.join(dir, 'flat.npy');
    saveNpy(flat, ndarray('float32', [values.length], values));
    const one = openNpy(flat, { mode: 'r' });
    const many = openNpy(flat, { mode: 'r', windowBytes: 4108 });
    expect(rowWindows(many).length).toBe(20);
    expect(sum(many)).toBe(sum(one));
    expect(mean(many)).toBe(mean(one));
    expect(std(many, { ddof: 1 })).toBe(std(one, { ddof: 1 }));
    const small = openNpy(file, { mode: 'r', windowBytes: 100 });
    expect(Array.from(columnMeans(small))).toEqual(Array.from(columnMeans(X)));
  });

  it('r+ and w+ windows share the file: writes reach another mapping and, after flush, the file', () => {
    const out = path.join(dir, 'w.npy');
    const w = openNpy(out, { mode: 'w+', dtype: 'float64', shape: [10, 4], windowBytes: 64 });
    const windows = rowWindows(w);
    expect(windows).toHaveLength(5);
    windows.forEach(({ rowStart, data }) => data.fill(rowStart + 0.25));
    const other = openNpy(out, { mode: 'r+', windowBytes: 96 });
    expect(get(other, 9, 3)).toBe(8.25);
    rowWindows(other)[1]!.data[0] = -7; // row 3, column 0
    expect(get(w, 3, 0)).toBe(-7);
    w.flush();
    other.flush();
    const back = readNpy(out);
    expect(back.shape).toEqual([10, 4]);
    expect(Array.from(back.data.subarray(0, 16))).toEqual([0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 2.25, 2.25, 2.25, 2.25, -7, 2.25, 2.25, 2.25]);
  });

  it('r and c windows keep writes private: the file and other mappings never see them', () => {
    const before = fs.readFileSync(file);
    const r = openNpy(file, { mode: 'r', windowBytes: 120 });
    const c = openNpy(file, { mode: 'c', windowBytes: 120 });
    const other = openNpy(file, { mode: 'r', windowBytes: 120 });
    expect([r.writable, c.writable]).toEqual([false, true]);
    for (const w of rowWindows(r)) w.data.fill(-1);
    rowWindows(c)[3]!.data[1] = -2;
    expect(get(r, 36, 2)).toBe(-1);
    expect(get(c, 15, 1)).toBe(-2);
    expect(get(other, 15, 1)).toBe(15_001.5);
    expect(get(other, 36, 2)).toBe(36_002.5);
    expect(() => r.flush()).toThrow(AccessError);
    c.flush();
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('big-endian data is swapped window by window (r copies, c private mappings)', () => {
    const be = path.join(dir, 'be.npy');
    const header = encodeNpyHeader({ descr: '>f8', order: 'C', shape: [9, 2] });
    const body = Buffer.alloc(9 * 2 * 8);
    for (let i = 0; i < 18; i++) body.writeDoubleBE(i * 1.5, i * 8);
    fs.writeFileSync(be, Buffer.concat([header, body]));
    for (const mode of ['r', 'c'] as const) {
      const a = openNpy(be, { mode, windowBytes: 32 });
      expect(rowWindows(a)).toHaveLength(5);
      expect(toNested(a)).toEqual(Array.from({ length: 9 }, (_, i) => [i * 3, i * 3 + 1.5]));
    }
    expect(Array.from(readNpy(be).data)).toEqual(Array.from({ length: 18 }, (_, i) => i * 1.5));
  });

  it('an F-order array is one window whatever the window size', () => {
    const f = path.join(dir, 'f.npy');
    saveNpy(f, ndarray('float64', [6, 2], new Float64Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), 'F'));
    const a = openNpy(f, { mode: 'r', windowBytes: 8 });
    expect(rowWindows(a)).toHaveLength(1);
    expect(get(a, 5, 1)).toBe(12);
  });

  it('a bad window size is a ValueError naming the option and the value', () => {
    expect(() => openNpy(file, { mode: 'r', windowBytes: 0 })).toThrow(
      new ValueError(`memmap ${file}: options.windowBytes must be an integer from 1 to ${MAX_WINDOW_BYTES}, found 0`),
    );
  });

  it('MEMGRID_MAP_WINDOW_BYTES sets the window size of every mapping made without the option', () => {
    const saved = process.env.MEMGRID_MAP_WINDOW_BYTES;
    try {
      process.env.MEMGRID_MAP_WINDOW_BYTES = '240';
      expect(rowWindows(openNpy(file, { mode: 'r' }))).toHaveLength(4);
      process.env.MEMGRID_MAP_WINDOW_BYTES = 'big';
      expect(() => openNpy(file, { mode: 'r' })).toThrow(`MEMGRID_MAP_WINDOW_BYTES must be an integer from 1 to ${MAX_WINDOW_BYTES}, found "big"`);
    } finally {
      if (saved === undefined) delete process.env.MEMGRID_MAP_WINDOW_BYTES;
      else process.env.MEMGRID_MAP_WINDOW_BYTES = saved;
    }
  });
});

describe('sparse files past 2 GiB and 4 GiB', () => {
  // [5 * 2^24 + 20, 8] float64: just over 5 GiB of data after a 128-byte header, all holes.
  const rows = 5 * 2 ** 24 + 20;
  const big = path.join(dir, 'big.npy');
  const dataOffset = sparseNpy(big, '<f8', [rows, 8]);
  /** Rows whose bytes start just below and past 2^31 and 2^32, and the last row. */
  const probes = [Math.floor((2 ** 31 - dataOffset) / 64) - 1, Math.ceil((2 ** 31 - dataOffset) / 64), Math.ceil((2 ** 32 - dataOffset) / 64), rows - 1];

  /** Writes row + 0.5 into column 7 of each probe row through an r+ mapping (each test does it: tests run in any order). */
  function writeProbes(): ReturnType<typeof rowWindows> {
    const a = openNpy(big, { mode: 'r+' });
    const windows = rowWindows(a);
    for (const row of probes) {
      const w = windows.find((x) => row >= x.rowStart && row < x.rowEnd)!;
      w.data[(row - w.rowStart) * 8 + 7] = row + 0.5;
    }
    a.flush();
    return windows;
  }

  it('maps as 1 GiB windows of whole rows, and writes land at their 64-bit file offsets', () => {
    const windows = writeProbes();
    expect(windows).toHaveLength(6);
    expect(windows.map((w) => w.rowEnd - w.rowStart)).toEqual([2 ** 24, 2 ** 24, 2 ** 24, 2 ** 24, 2 ** 24, 20]);
    const fd = fs.openSync(big, 'r');
    try {
      const cell = Buffer.alloc(8);
      for (const row of probes) {
        fs.readSync(fd, cell, 0, 8, dataOffset + row * 64 + 56);
        expect(cell.readDoubleLE(0)).toBe(row + 0.5);
      }
    } finally {
      fs.closeSync(fd);
    }
    const again = openNpy(big, { mode: 'r' });
    expect(probes.map((row) => get(again, row, 7))).toEqual(probes.map((row) => row + 0.5));
    expect(get(again, probes[2]!, 6)).toBe(0);
  });

  it.skipIf(!hasNumpy)('numpy reads the values memgrid wrote past the 4 GiB offset', () => {
    writeProbes();
    const script = `import numpy as np, json, sys\na = np.load(sys.argv[1], mmap_mode='r')\nprint(json.dumps([list(a.shape)] + [float(a[int(r), 7]) for r in sys.argv[2:]]))`;
    const out = execFileSync(SYSTEM_PYTHON, ['-c', script, big, ...probes.map(String)], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([[rows, 8], ...probes.map((row) => row + 0.5)]);
  });

  it('memmap maps a raw file from an offset past 4 GiB', () => {
    const raw = path.join(dir, 'raw.bin');
    fs.writeFileSync(raw, '');
    fs.truncateSync(raw, 2 ** 32 + 3 * 4096);
    const w = memmap(raw, { dtype: 'int32', mode: 'r+', offset: 2 ** 32 + 4100, shape: [3] });
    w.data.set([7, 8, 9]);
    w.flush();
    const cell = Buffer.alloc(12);
    const fd = fs.openSync(raw, 'r');
    fs.readSync(fd, cell, 0, 12, 2 ** 32 + 4100);
    fs.closeSync(fd);
    expect([cell.readInt32LE(0), cell.readInt32LE(4), cell.readInt32LE(8)]).toEqual([7, 8, 9]);
    fs.rmSync(raw);
  });

  it('readNpy refuses data past the typed-array limit, naming it and pointing to openNpy', () => {
    expect(() => readNpy(big)).toThrow(
      `readNpy ${big}: ${rows * 64} bytes of data is more than one in-memory array can hold (${MAX_WINDOW_BYTES} bytes, Node's typed-array limit); map it with openNpy(path, { mode: 'r' }), which reads it window by window`,
    );
  });

  it('an F-order array past the typed-array limit is refused, naming the limit and the fix', () => {
    const f = path.join(dir, 'big-f.npy');
    sparseNpy(f, '<f8', [300_000_000, 2], true);
    expect(() => openNpy(f, { mode: 'r' })).toThrow(
      `memmap ${f}: an F-order array is mapped as one window, at most ${MAX_WINDOW_BYTES} bytes (Node's typed-array limit), and this one has 4800000000; `
      + 'save it in C order (numpy: np.save(path, np.ascontiguousarray(a))) to map it in row windows',
    );
    fs.rmSync(f);
  });
});
