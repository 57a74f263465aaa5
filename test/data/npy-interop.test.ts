/**
 * Files memgrid writes, checked by numpy: this file writes .npy files (every dtype, C and F
 * order, 0-d, empty, open_memmap-style w+, a dump) plus expected.json into a temp folder (or
 * $MEMGRID_NPY_OUT, to keep them), then runs scripts/npy_check.py on them with Debian's numpy
 * (/usr/bin/python3). Without numpy that part skips; under MEMGRID_REQUIRE_ALL=1 (CI) it fails.
 * By hand:
 *   MEMGRID_NPY_OUT=/tmp/memgrid-npy npx vitest run test/data/npy-interop.test.ts
 *   /usr/bin/python3 scripts/npy_check.py /tmp/memgrid-npy
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/data/dump.js';
import { allocate, descrOf, DTYPES, type DType } from '../../src/data/dtypes.js';
import { ndarray, type NdArray, type Order } from '../../src/data/ndarray.js';
import { openNpy, readNpy, saveNpy } from '../../src/data/npy.js';
import { needs } from '../helpers/optional.js';
import { uniformSource } from '../helpers/random.js';
import { tempDir } from '../helpers/temp.js';
import { jsonValues } from './helpers.js';

const out = process.env['MEMGRID_NPY_OUT'] ?? tempDir('memgrid-npy-');
const PYTHON = '/usr/bin/python3';
const CHECK = fileURLToPath(new URL('../../scripts/npy_check.py', import.meta.url));
const hasNumpy = needs('numpy', spawnSync(PYTHON, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0,
  'apt-get install python3-numpy, as .ci/run does');

function valuesFor(dtype: DType, shape: number[], order: Order, seed: string): NdArray {
  const random = uniformSource(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const data = allocate(dtype, n);
  for (let i = 0; i < n; i++) {
    if (dtype === 'float64' || dtype === 'float32') data[i] = i === 1 ? NaN : (random() - 0.5) * 1e6;
    else if (dtype === 'int64') (data as BigInt64Array)[i] = BigInt(Math.floor((random() - 0.5) * 2 ** 53)) * 1024n;
    else if (dtype === 'uint64') (data as BigUint64Array)[i] = BigInt(Math.floor(random() * 2 ** 53)) * 2048n;
    else if (dtype === 'bool') data[i] = random() < 0.5 ? 1 : 0;
    else data[i] = Math.floor(random() * 2 ** 31);
  }
  return ndarray(dtype, shape, data, order);
}

/** Writes every file into `out` with expected.json; returns how many files expected.json lists. */
function writeFiles(): number {
  fs.mkdirSync(out, { recursive: true });
  const expected: Record<string, unknown> = {};
  const record = (file: string, a: NdArray): void => {
    const fortran = a.order === 'F' && a.shape.filter((s) => s > 1).length > 1;
    expected[file] = { descr: descrOf(a.dtype), shape: a.shape, fortran_order: fortran, values: jsonValues(a) };
  };
  for (const dtype of DTYPES) {
    for (const [tag, shape, order] of [['c2', [3, 4], 'C'], ['f2', [3, 4], 'F'], ['f3', [2, 3, 4], 'F'], ['c1', [7], 'C']] as const) {
      const file = `${dtype}_${tag}.npy`;
      const a = valuesFor(dtype, [...shape], order, `${dtype}-${tag}`);
      saveNpy(path.join(out, file), a);
      record(file, a);
    }
  }
  for (const [file, a] of [
    ['scalar.npy', ndarray('float64', [], new Float64Array([2.5]))],
    ['empty.npy', ndarray('int32', [0, 3])],
  ] as const) {
    saveNpy(path.join(out, file), a);
    record(file, a);
  }
  const w = openNpy(path.join(out, 'memmap_w.npy'), { mode: 'w+', dtype: 'float32', shape: [2, 5], order: 'F' });
  w.data.set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  w.flush();
  record('memmap_w.npy', w);
  w.close();
  const parts = dump({ float_zeros: ndarray('float32', [3, 4]), nested: { ones: ndarray('int64', [3, 4], new BigInt64Array(12).fill(1n)) } }, path.join(out, 'dumped.json'));
  record(path.basename(parts[1]!), readNpy(parts[1]!));
  record(path.basename(parts[2]!), readNpy(parts[2]!));
  fs.writeFileSync(path.join(out, 'expected.json'), JSON.stringify({ files: expected, dumps: ['dumped.json'] }, null, 1));
  return Object.keys(expected).length;
}

describe('files memgrid writes for numpy', () => {
  let written = 0;
  beforeAll(() => {
    written = writeFiles();
  });

  it('writes every dtype in C and F order, 0-d, empty, a w+ memmap and a dump, and reads them back', () => {
    expect(written).toBe(DTYPES.length * 4 + 5);
    const { files } = JSON.parse(fs.readFileSync(path.join(out, 'expected.json'), 'utf8')) as { files: Record<string, { values: unknown }> };
    for (const [file, want] of Object.entries(files)) expect(jsonValues(readNpy(path.join(out, file))), file).toEqual(want.values);
  });

  it.skipIf(!hasNumpy)(`numpy loads each with its dtype, shape, order and values, byte-identical to np.save${hasNumpy ? '' : ' (skipped: no numpy for /usr/bin/python3)'}`, () => {
    const check = spawnSync(PYTHON, [CHECK, out], { encoding: 'utf8' });
    expect(check.stdout + check.stderr).toContain(`checked ${written} files and 1 dumps with numpy`);
    expect(check.stdout.split('\n').filter((line) => line.startsWith('MISMATCH'))).toEqual([]);
    expect(check.status, check.stderr).toBe(0);
  });
});
