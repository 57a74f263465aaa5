/**
 * The streaming CSV import (`memgrid data import`): the same arrays and errors as importCsv,
 * written block by block into files identical to np.save's, and nothing left on failure.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCsv } from '../../src/data/csv.js';
import { importCsvToNpy } from '../../src/data/csv-stream.js';
import { readNpy, saveNpy } from '../../src/data/npy.js';
import { DataError, ValueError } from '../../src/errors.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir('memgrid-csv-stream-');

function csv(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

function outputs(name: string): { X: string; y: string } {
  const folder = path.join(dir, name);
  fs.mkdirSync(folder, { recursive: true });
  return { X: path.join(folder, 'X.npy'), y: path.join(folder, 'y.npy') };
}

describe('importCsvToNpy', () => {
  it('writes what importCsv reads, byte for byte as saveNpy (np.save) would, across many blocks', async () => {
    // 40,000 rows: two full 16,384-row blocks and a partial one.
    const lines = ['a,target,b'];
    for (let i = 0; i < 40_000; i++) lines.push(`${i * 0.5},${(i % 97) - 3.25},${-i}e-3`);
    const file = csv('many.csv', `${lines.join('\n')}\n`);
    const out = outputs('many');
    const streamed = await importCsvToNpy(file, { target: 'target' }, out);
    expect(streamed).toEqual({ shape: [40_000, 2], featureNames: ['a', 'b'] });
    const { X, y } = importCsv(file, { target: 'target' });
    const expected = outputs('expected');
    saveNpy(expected.X, X);
    saveNpy(expected.y, y);
    expect(fs.readFileSync(out.X).equals(fs.readFileSync(expected.X))).toBe(true);
    expect(fs.readFileSync(out.y).equals(fs.readFileSync(expected.y))).toBe(true);
    expect(readNpy(out.X).shape).toEqual([40_000, 2]);
  });

  it('takes another delimiter, quoted fields and a header-only file', async () => {
    const out = outputs('semi');
    await importCsvToNpy(csv('semi.csv', '"a";"y"\n"1.5";2\n'), { target: 'y', delimiter: ';' }, out);
    expect([readNpy(out.X).data[0], readNpy(out.y).data[0]]).toEqual([1.5, 2]);
    const header = outputs('header');
    expect(await importCsvToNpy(csv('header.csv', 'a,b,y\n'), { target: 'y' }, header)).toEqual({ shape: [0, 2], featureNames: ['a', 'b'] });
    expect(readNpy(header.X).shape).toEqual([0, 2]);
  });

  it('reads a target of text labels as importCsv does, when the first label comes after blocks were written', async () => {
    // 20,000 rows of labels that look like numbers, then text: the numeric pass has flushed a block when it stops.
    const lines = ['a,kind'];
    for (let i = 0; i < 40_000; i++) lines.push(`${i},${i < 20_000 ? i % 3 : ['cat', 'dog', '2'][i % 3]}`);
    const file = csv('labels.csv', `${lines.join('\n')}\n`);
    const out = outputs('labels');
    const streamed = await importCsvToNpy(file, { target: 'kind' }, out);
    const { y, classes } = importCsv(file, { target: 'kind' });
    expect(classes).toEqual(['0', '1', '2', 'cat', 'dog']);
    expect(streamed).toEqual({ shape: [40_000, 1], featureNames: ['a'], classes });
    const expected = outputs('labels-expected');
    saveNpy(expected.y, y);
    expect(fs.readFileSync(out.y).equals(fs.readFileSync(expected.y))).toBe(true);
    expect(fs.readdirSync(path.dirname(out.X)).sort()).toEqual(['X.npy', 'y.npy']);
  });

  it('fails as importCsv does, naming file, line and column, and leaves no file behind', async () => {
    const lines = ['a,y'];
    for (let i = 0; i < 20_000; i++) lines.push(`${i},${i}`);
    lines.push('oops,3');
    const cases: [string, string, Error][] = [
      ['bad.csv', `${lines.join('\n')}\n`, new DataError(`${path.join(dir, 'bad.csv')}: line 20002, column "a": expected a number, found "oops"`)],
      ['empty.csv', 'a,y\n1,cat\n2, \n', new DataError(`${path.join(dir, 'empty.csv')}: line 3, column "y": empty cell; every value is needed (fill it in or drop the row)`)],
      ['ragged.csv', 'a,y\n1,2,3\n', new DataError(`${path.join(dir, 'ragged.csv')}: line 2 has 3 cells, the header has 2`)],
      ['none.csv', '', new DataError(`${path.join(dir, 'none.csv')}: the file is empty; expected a header row naming the columns`)],
      ['cols.csv', 'a,b\n1,2\n', new ValueError(`${path.join(dir, 'cols.csv')}: no target column "y"; the columns are "a", "b"`)],
    ];
    for (const [name, text, error] of cases) {
      const out = outputs(`failed-${name}`);
      const promise = importCsvToNpy(csv(name, text), { target: 'y' }, out);
      await expect(promise).rejects.toThrow(error);
      await expect(promise).rejects.toBeInstanceOf(error.constructor);
      expect(fs.readdirSync(path.dirname(out.X))).toEqual([]);
    }
    await expect(importCsvToNpy(path.join(dir, 'missing.csv'), { target: 'y' }, outputs('missing'))).rejects.toThrow(
      new ValueError(`${path.join(dir, 'missing.csv')}: cannot read the CSV file (ENOENT)`),
    );
  });
});
