import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dump, load, registerDumpType } from '../../src/data/dump.js';
import { ndarray, toNested, type MappedArray, type NdArray } from '../../src/data/ndarray.js';
import { isMapped, openNpy, readNpy, saveNpy } from '../../src/data/npy.js';
import { AccessError, NpyFormatError, ValueError } from '../../src/errors.js';
import { tempDir } from '../helpers/temp.js';
import { FIXTURES } from './helpers.js';

const dir = tempDir();

describe('the seed notebook: joblib-like dump and load with mmap_mode', () => {
  it('dumps {float_zeros, integer_ones} as a manifest plus _01.npy, _02.npy and loads them mapped r+', () => {
    const file = path.join(dir, 'data_structure.pkl');
    const written = dump({
      float_zeros: ndarray('float32', [3, 4]),
      integer_ones: ndarray('int64', [3, 4], new BigInt64Array(12).fill(1n)),
    }, file);
    expect(written).toEqual([file, `${file}_01.npy`, `${file}_02.npy`]);
    // numpy's header is 128 bytes: 128 + 12 * 4 and 128 + 12 * 8 (the notebook's _01.npy is 176 bytes too).
    expect(fs.statSync(`${file}_01.npy`).size).toBe(176);
    expect(fs.statSync(`${file}_02.npy`).size).toBe(224);

    const loaded = load(file, { mmapMode: 'r+' }) as { float_zeros: MappedArray; integer_ones: MappedArray };
    expect(loaded.float_zeros).toMatchObject({ dtype: 'float32', shape: [3, 4], mode: 'r+' });
    expect(toNested(loaded.float_zeros)).toEqual([[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]);
    expect(toNested(loaded.integer_ones)).toEqual(Array.from({ length: 3 }, () => [1n, 1n, 1n, 1n]));
    loaded.float_zeros.data[5] = 2.5;
    expect(readNpy(`${file}_01.npy`).data[5]).toBe(2.5);
  });
});

describe('dump and load', () => {
  it('round-trips nested plain data, special numbers, bigints, typed arrays and NdArrays in memory', () => {
    const value = {
      n: 1.5, nan: NaN, inf: Infinity, minf: -Infinity, negZero: -0, s: 'x', t: true, nil: null, big: 2n ** 70n,
      list: [1, [2, 'three', { four: 4 }], []], empty: {},
      escaped: { __memgrid__: 'ndarray', file: 'nope.npy' },
      weights: new Float64Array([0.5, -1]),
      X: ndarray('float64', [2, 2], new Float64Array([1, 2, 3, 4]), 'F'),
      skipped: undefined,
    };
    const file = path.join(dir, 'nested.json');
    dump(value, file);
    const back = load(file) as typeof value;
    const { skipped: _skipped, ...rest } = value;
    expect(Object.is(back.negZero, -0)).toBe(true);
    expect(back.nan).toBeNaN();
    expect({ ...back, X: toNested(back.X) }).toEqual({ ...rest, X: [[1, 3], [2, 4]], nan: NaN });
    expect(back.X.order).toBe('F');
    expect(back.weights).toBeInstanceOf(Float64Array);
    expect(isMapped(back.X)).toBe(false);
  });

  it('custom types registered with registerDumpType, with arrays inside', () => {
    class Model {
      constructor(readonly coef: NdArray<'float64'>, readonly alpha: number) {}
    }
    registerDumpType('test.model', {
      test: (v) => v instanceof Model,
      encode: (v) => ({ coef: (v as Model).coef, alpha: (v as Model).alpha }),
      decode: (d) => new Model((d as { coef: NdArray<'float64'> }).coef, (d as { alpha: number }).alpha),
    });
    const file = path.join(dir, 'model.json');
    const written = dump({ best: new Model(ndarray('float64', [3], new Float64Array([1, 2, 3])), 0.1) }, file);
    expect(written).toHaveLength(2);
    const back = load(file, { mmapMode: 'r' }) as { best: Model };
    expect(back.best).toBeInstanceOf(Model);
    expect(back.best.alpha).toBe(0.1);
    expect(Array.from(back.best.coef.data)).toEqual([1, 2, 3]);
    expect((back.best.coef as MappedArray).writable).toBe(false);
  });

  it('refuses what it cannot persist, naming the key path', () => {
    class Opaque {}
    expect(() => dump({ a: [1, { f: () => 1 }] }, path.join(dir, 'bad.json'))).toThrow(/cannot persist \$\.a\[1\]\.f, a function/);
    expect(() => dump({ o: new Opaque() }, path.join(dir, 'bad.json'))).toThrow(/cannot persist \$\.o, a Opaque instance \(register it with registerDumpType\)/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => dump(cyclic, path.join(dir, 'bad.json'))).toThrow(/\$\.self refers back to one of its containers/);
    expect(fs.existsSync(path.join(dir, 'bad.json'))).toBe(false);
  });

  it('refuses to overwrite an array file that a read-only mapping in the value maps', () => {
    const file = path.join(dir, 'self.json');
    dump({ a: ndarray('float64', [2]) }, file);
    const mapped = openNpy(`${file}_01.npy`, { mode: 'r' });
    expect(() => dump({ a: mapped }, file)).toThrow(
      new AccessError(`dump ${file}: refusing to write ${file}_01.npy, the file that a read-only ('r') array in the value maps`),
    );
  });

  it('loads a dump that numpy wrote', () => {
    const back = load(path.join(FIXTURES, 'dump', 'numpy_made.json'), { mmapMode: 'c' }) as {
      float_zeros: MappedArray; integer_ones: MappedArray; meta: { name: string; missing: number };
    };
    expect(back.float_zeros).toMatchObject({ dtype: 'float32', shape: [3, 4], mode: 'c' });
    expect(back.integer_ones.data[11]).toBe(1n);
    expect(back.meta.name).toBe('MyDataStructure');
    expect(back.meta.missing).toBeNaN();
  });

  it('refuses array references outside the manifest folder, naming the manifest and the reference', () => {
    const escape = path.join(FIXTURES, 'dump', 'escape.json');
    const folder = path.join(FIXTURES, 'dump');
    expect(() => load(escape)).toThrow(new NpyFormatError(escape, `array reference "../npy/f8_le_c2.npy" points outside the manifest's folder ${folder}`));
    const absolute = path.join(folder, 'absolute.json');
    expect(() => load(absolute, { mmapMode: 'r' })).toThrow(new NpyFormatError(absolute, `array reference "/etc/hostname" points outside the manifest's folder ${folder}`));
  });

  it('reports malformed manifests and unknown custom tags', () => {
    const bad = path.join(dir, 'bad-manifest.json');
    fs.writeFileSync(bad, '{"format": "memgrid-dump", "version": 2, "value": ');
    expect(() => load(bad)).toThrow(/bad-manifest\.json: manifest is not JSON/);
    fs.writeFileSync(bad, '{"format": "other"}');
    expect(() => load(bad)).toThrow(/not a memgrid dump manifest/);
    fs.writeFileSync(bad, '{"format": "memgrid-dump", "version": 2, "value": {"__memgrid__": "custom", "tag": "nobody", "data": 1}}');
    expect(() => load(bad)).toThrow(/no dump type is registered for tag "nobody"/);
    expect(() => load(bad, { mmapMode: 'w+' as never })).toThrow(new ValueError(`load ${bad}: options.mmapMode must be 'r', 'r+' or 'c', found "w+"`));
    expect(() => load(path.join(dir, 'missing.json'))).toThrow(/missing\.json: cannot read the manifest \(ENOENT\)/);
  });
});

describe('load reads only what the manifest records, inside its folder', () => {
  const dumpOne = (name: string): { folder: string; file: string } => {
    const folder = fs.mkdtempSync(path.join(dir, `${name}-`));
    const file = path.join(folder, 'data.json');
    dump({ a: ndarray('float64', [2, 3], new Float64Array([1, 2, 3, 4, 5, 6])), t: new Int32Array([7, 8]) }, file);
    return { folder, file };
  };

  it('records dtype and shape of each array, and refuses a file swapped for another', () => {
    const { file } = dumpOne('swap');
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as { version: number; value: Record<string, unknown> };
    expect(manifest.version).toBe(2);
    expect(manifest.value.a).toEqual({ __memgrid__: 'ndarray', file: 'data.json_01.npy', dtype: 'float64', shape: [2, 3] });
    expect(manifest.value.t).toEqual({ __memgrid__: 'typedarray', file: 'data.json_02.npy', dtype: 'int32', shape: [2] });
    fs.copyFileSync(path.join(FIXTURES, 'npy', 'i2_be_c2.npy'), `${file}_01.npy`);
    for (const mode of [undefined, 'r+'] as const) {
      expect(() => load(file, mode ? { mmapMode: mode } : {})).toThrow(
        `${fs.realpathSync(`${file}_01.npy`)}: the dump manifest ${file} records float64 of shape [2, 3], the file holds int16 of shape [2, 3]; refusing it`,
      );
    }
  });

  it('refuses a manifest of the first format, which recorded no dtypes and shapes', () => {
    const { file } = dumpOne('v1');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"version":2', '"version":1'));
    expect(() => load(file)).toThrow(`${file}: dump format version 1 is not 2 (version 1 did not record array dtypes and shapes): dump the value again`);
  });

  it('refuses a link to a file outside the folder, and a linked folder, even with r+ (the outside file is never written)', () => {
    const outside = path.join(fs.mkdtempSync(path.join(dir, 'outside-')), 'victim.npy');
    saveNpy(outside, ndarray('float64', [2, 3], new Float64Array(6).fill(9)));
    const { folder, file } = dumpOne('link');
    fs.rmSync(`${file}_01.npy`);
    fs.symlinkSync(outside, `${file}_01.npy`);
    expect(() => load(file, { mmapMode: 'r+' })).toThrow(`${file}: array reference "data.json_01.npy" is a link to ${fs.realpathSync(outside)}, outside the manifest's folder ${fs.realpathSync(folder)}; refusing to read it`);

    const linked = dumpOne('sub');
    const manifest = JSON.parse(fs.readFileSync(linked.file, 'utf8')) as { value: { a: { file: string } } };
    manifest.value.a.file = 'sub/victim.npy';
    fs.writeFileSync(linked.file, JSON.stringify(manifest));
    fs.symlinkSync(path.dirname(outside), path.join(linked.folder, 'sub'));
    expect(() => load(linked.file, { mmapMode: 'r+' })).toThrow(/array reference "sub\/victim\.npy" is a link to .*victim\.npy, outside the manifest's folder/);
    expect(Array.from(readNpy(outside).data as Float64Array)).toEqual([9, 9, 9, 9, 9, 9]);
  });

  it('follows links that stay inside the folder, and reads a dump through a linked folder', () => {
    const { folder, file } = dumpOne('inside');
    fs.renameSync(`${file}_01.npy`, path.join(folder, 'real.npy'));
    fs.symlinkSync('real.npy', `${file}_01.npy`);
    expect(toNested((load(file, { mmapMode: 'r' }) as { a: NdArray }).a)).toEqual([[1, 2, 3], [4, 5, 6]]);
    const alias = path.join(dir, 'alias');
    fs.symlinkSync(folder, alias);
    expect((load(path.join(alias, 'data.json')) as { t: Int32Array }).t).toEqual(new Int32Array([7, 8]));
  });
});

describe('dump keys', () => {
  it('a "__proto__" key is data, not a prototype', () => {
    const file = path.join(dir, 'proto.json');
    const value = JSON.parse('{"__proto__": {"polluted": 1}, "ok": 2}') as Record<string, unknown>;
    dump(value, file);
    const back = load(file) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.hasOwn(back, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
