import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DTYPES, descrOf } from '../../src/data/dtypes.js';
import {
  encodeNpyHeader, NPY_ALIGN, NPY_MAGIC, NPY_MAX_HEADER_SIZE, parseNpyHeader, parsePyLiteral, PyTuple,
} from '../../src/data/npy-header.js';
import { openNpy, readNpy } from '../../src/data/npy.js';
import { MemgridError, NpyFormatError } from '../../src/errors.js';
import { uniformSource } from '../helpers/random.js';
import { tempDir } from '../helpers/temp.js';
import { NPY_FIXTURES, npyFixtures } from './helpers.js';

/** A .npy preamble (magic, version, length) in front of `text`, without numpy's padding rules. */
function rawHeader(text: string, major = 1): Uint8Array {
  const lengthBytes = major === 1 ? 2 : 4;
  const out = new Uint8Array(8 + lengthBytes + text.length);
  out.set(NPY_MAGIC, 0);
  out[6] = major;
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, text.length, true);
  else view.setUint32(8, text.length, true);
  for (let i = 0; i < text.length; i++) out[8 + lengthBytes + i] = text.charCodeAt(i);
  return out;
}

describe('parsePyLiteral', () => {
  it('reads the literal forms numpy writes', () => {
    const d = parsePyLiteral("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }") as Map<string, unknown>;
    expect(d.get('descr')).toBe('<f8');
    expect(d.get('fortran_order')).toBe(false);
    expect((d.get('shape') as PyTuple).items).toEqual([3, 4]);
  });

  it('distinguishes (5,) and () from (5), and reads double quotes, True, None, lists and Python 2 longs', () => {
    expect((parsePyLiteral('(5,)') as PyTuple).items).toEqual([5]);
    expect((parsePyLiteral('()') as PyTuple).items).toEqual([]);
    expect(parsePyLiteral('(5)')).toBe(5);
    expect(parsePyLiteral('"a\'b"')).toBe("a'b");
    expect(parsePyLiteral('True')).toBe(true);
    expect(parsePyLiteral('None')).toBe(null);
    expect(parsePyLiteral("[('a', '<f8')]")).toEqual([new PyTuple(['a', '<f8'])]);
    expect((parsePyLiteral('(3L, 4L)') as PyTuple).items).toEqual([3, 4]);
  });

  it('rejects what is not a literal, without evaluating anything', () => {
    for (const bad of ["__import__('os')", '{1: 2}', "{'a': 1", '(1, 2', "'open", '1 2', '{**x}', '99999999999999999999', '((((((((((((((((((1))))))))))))))))))'.replace(/1/, '(1,)')]) {
      expect(() => parsePyLiteral(bad), bad).toThrow(Error);
    }
    expect(() => parsePyLiteral('['.repeat(100) + ']'.repeat(100))).toThrow(/nesting deeper/);
  });
});

describe('encodeNpyHeader', () => {
  it('writes the bytes numpy 1.24 writes, with data starting at a multiple of 64', () => {
    for (const [name, f] of Object.entries(npyFixtures())) {
      if (!f.numpy_save) continue;
      const file = fs.readFileSync(path.join(NPY_FIXTURES, name));
      const head = encodeNpyHeader({ descr: f.descr, order: f.order, shape: f.shape });
      expect(head.length % NPY_ALIGN, name).toBe(0);
      expect(Buffer.from(head).equals(file.subarray(0, head.length)), name).toBe(true);
    }
  });

  it('round-trips through the parser for every dtype, order and a few shapes', () => {
    for (const dtype of DTYPES) {
      for (const shape of [[], [0], [7], [3, 4], [2, 3, 4]]) {
        for (const order of ['C', 'F'] as const) {
          const h = parseNpyHeader(encodeNpyHeader({ descr: descrOf(dtype), order, shape }), 'x.npy');
          expect(h.dtype).toBe(dtype);
          expect(h.shape).toEqual(shape);
          expect(h.order).toBe(shape.filter((s) => s > 1).length > 1 ? order : 'C');
          expect(h.version).toEqual([1, 0]);
        }
      }
    }
  });

  it('switches to version 2.0 only when the header outgrows a uint16 length', () => {
    const shape = Array.from({ length: 5000 }, () => 1_000_000_000_000);
    const head = encodeNpyHeader({ descr: '<f8', order: 'C', shape });
    expect(head[6]).toBe(2);
    expect(head.length % NPY_ALIGN).toBe(0);
  });
});

describe('parseNpyHeader', () => {
  it('reads a version 2.0 file written by numpy', () => {
    const h = parseNpyHeader(fs.readFileSync(path.join(NPY_FIXTURES, 'f8_v2.npy')), 'f8_v2.npy');
    expect(h.version).toEqual([2, 0]);
    expect(h.shape).toEqual([4]);
    expect(h.dataOffset % NPY_ALIGN).toBe(0);
  });

  it('reads a version 3.0 (utf8) header', () => {
    const h = parseNpyHeader(rawHeader("{'descr': '<i4', 'fortran_order': True, 'shape': (2, 2), }   \n", 3), 'v3.npy');
    expect(h).toMatchObject({ version: [3, 0], dtype: 'int32', order: 'F', shape: [2, 2], dataBytes: 16 });
  });

  it('refuses a wrong magic, an unknown version, a truncated header and a header bomb, naming the file', () => {
    const good = encodeNpyHeader({ descr: '<f8', order: 'C', shape: [2] });
    const wrongMagic = good.slice();
    wrongMagic[1] = 0x58;
    expect(() => parseNpyHeader(wrongMagic, 'a.npy')).toThrow(/a\.npy: not a \.npy file: expected magic/);
    const v9 = good.slice();
    v9[6] = 9;
    expect(() => parseNpyHeader(v9, 'b.npy')).toThrow(/b\.npy: unsupported \.npy version 9\.0/);
    expect(() => parseNpyHeader(good.subarray(0, 40), 'c.npy')).toThrow(/c\.npy: truncated header: expected 128 bytes, found 40/);
    expect(() => parseNpyHeader(good.subarray(0, 4), 'd.npy')).toThrow(new NpyFormatError('d.npy', 'not a .npy file: expected at least 10 bytes, found 4'));
    const bomb = rawHeader(`{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }${' '.repeat(NPY_MAX_HEADER_SIZE)}\n`, 2);
    expect(() => parseNpyHeader(bomb, 'e.npy')).toThrow(/e\.npy: header is 10058 bytes, more than the 10000 allowed/);
  });

  it('refuses wrong keys, bad shapes, non-bool fortran_order and unsupported dtypes', () => {
    const cases: [string, RegExp][] = [
      ["{'descr': '<f8', 'shape': (2,), }", /header keys: expected \['descr', 'fortran_order', 'shape'\], found \['descr', 'shape'\]/],
      ["{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'x': 1}", /header keys/],
      ["{'descr': '<f8', 'fortran_order': False, 'shape': (-2,), }", /shape: expected non-negative integers, found \(-2,\)/],
      ["{'descr': '<f8', 'fortran_order': False, 'shape': 5, }", /shape: expected a tuple of ints, found 5/],
      ["{'descr': '<f8', 'fortran_order': False, 'shape': [5], }", /shape: expected a tuple/],
      ["{'descr': '<f8', 'fortran_order': 0, 'shape': (5,), }", /fortran_order: expected True or False, found 0/],
      ["{'descr': '<c16', 'fortran_order': False, 'shape': (5,), }", /unsupported dtype descriptor "<c16"/],
      ["{'descr': '|O', 'fortran_order': False, 'shape': (5,), }", /unsupported dtype descriptor "\|O"/],
      ["{'descr': '<U4', 'fortran_order': False, 'shape': (5,), }", /unsupported dtype descriptor "<U4"/],
      ["{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (5,), }", /structured dtypes are not supported/],
      ["[1, 2]", /header is not a dict/],
      ["{'descr': '<f8', 'fortran_order': False, 'shape': (2,), } junk", /cannot parse header/],
    ];
    for (const [text, message] of cases) {
      expect(() => parseNpyHeader(rawHeader(text), 'h.npy'), text).toThrow(message);
      expect(() => parseNpyHeader(rawHeader(text), 'h.npy'), text).toThrow(/^h\.npy: /);
    }
  });
});

describe('fuzzing the header parser and the readers', () => {
  const DESCRS = ['<f8', '>f4', '|u1', '<i8', '|b1', '<c16', '|O', '<U4', '>u2'];

  function randomHeaderText(random: () => number): string {
    const pieces = ["{", "}", "(", ")", ",", ":", "'descr'", "'shape'", "'fortran_order'", 'True', 'False', 'None', "'", '"', '3', '-1', '0', ' ', '\n', '[', ']', ...DESCRS.map((d) => `'${d}'`)];
    let s = '';
    const n = Math.floor(random() * 30);
    for (let i = 0; i < n; i++) s += pieces[Math.floor(random() * pieces.length)];
    return s;
  }

  function mutate(bytes: Uint8Array, random: () => number): Uint8Array {
    const out = bytes.slice();
    const kind = Math.floor(random() * 4);
    if (kind === 0) {
      for (let k = 0; k < 1 + random() * 4; k++) out[Math.floor(random() * out.length)] = Math.floor(random() * 256);
      return out;
    }
    if (kind === 1) return out.subarray(0, Math.floor(random() * out.length));
    if (kind === 2) {
      // Point the header-length field somewhere random.
      out[8] = Math.floor(random() * 256);
      out[9] = Math.floor(random() * 256);
      return out;
    }
    const at = 10 + Math.floor(random() * (out.length - 10));
    out[at] = "{}(),:'\"0123456789-LTFN"[Math.floor(random() * 23)]!.charCodeAt(0);
    return out;
  }

  function validHeader(random: () => number): Uint8Array {
    const shape = Array.from({ length: Math.floor(random() * 4) }, () => Math.floor(random() * 5));
    return encodeNpyHeader({ descr: DESCRS[Math.floor(random() * 5)]!, order: random() < 0.5 ? 'C' : 'F', shape });
  }

  it('gives a valid header or a memgrid error for 4000 random and mutated headers', () => {
    const random = uniformSource('npy-fuzz');
    let ok = 0;
    for (let i = 0; i < 4000; i++) {
      const kind = i % 4;
      const bytes = kind === 0 ? validHeader(random)
        : kind === 1 ? mutate(validHeader(random), random)
          : rawHeader(randomHeaderText(random), random() < 0.8 ? 1 : 2);
      try {
        const h = parseNpyHeader(bytes, 'fuzz.npy');
        expect(DTYPES).toContain(h.dtype);
        for (const d of h.shape) expect(Number.isSafeInteger(d) && d >= 0).toBe(true);
        expect(h.dataOffset).toBeLessThanOrEqual(bytes.length);
        ok++;
      } catch (e) {
        if (!(e instanceof MemgridError)) throw e;
      }
    }
    expect(ok).toBeGreaterThan(1000);
  });

  it('reads mutated files with readNpy and openNpy without crashing or throwing non-memgrid errors', () => {
    const dir = tempDir();
    const random = uniformSource('file-fuzz');
    const base = fs.readFileSync(path.join(NPY_FIXTURES, 'f8_le_c2.npy'));
    for (let i = 0; i < 300; i++) {
      const file = path.join(dir, `f${i}.npy`);
      fs.writeFileSync(file, mutate(base, random));
      for (const read of [() => readNpy(file), () => openNpy(file, { mode: 'r' })]) {
        try {
          const a = read();
          expect(a.data.length).toBe(a.shape.reduce((x, y) => x * y, 1));
        } catch (e) {
          if (!(e instanceof MemgridError)) throw e;
        }
      }
    }
  });
});

describe('header text shown to people is escaped', () => {
  // ESC ] 0 ; ... BEL retitles a terminal; ESC [ 31 m colours it; 0x9b is CSI on 8-bit terminals.
  const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
  it.each([
    ['a descr', "{'descr': '\u001b[31m<f8\u0007', 'fortran_order': False, 'shape': (2,), }", /unsupported dtype descriptor "\\u001b\[31m<f8\\u0007"/],
    ['a key', "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), '\u001b]0;pwned\u0007': 1, }", /found \['\\x1b\]0;pwned\\x07', 'descr', 'fortran_order', 'shape'\]/],
    ['a shape', "{'descr': '<f8', 'fortran_order': False, 'shape': ('\u009b2J',), }", /shape: expected non-negative integers, found \('\\x9b2J',\)/],
    ['an unparsable header', "{'descr': '<f8'\u001b[2J", /cannot parse header "\{'descr': '<f8'\\u001b\[2J"/],
  ])('%s', (_what, text, message) => {
    let error: Error | undefined;
    try {
      parseNpyHeader(rawHeader(text), 'evil.npy');
    } catch (e) {
      error = e as Error;
    }
    expect(error).toBeInstanceOf(NpyFormatError);
    expect(error!.message).toMatch(message);
    expect(error!.message).not.toMatch(CONTROL);
  });
});
