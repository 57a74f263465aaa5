import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCsv, importCsvToStore } from '../../src/data/csv.js';
import { toNested } from '../../src/data/ndarray.js';
import { DataError, ValueError } from '../../src/errors.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir();
function csv(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('importCsv', () => {
  it('reads a header row and numeric cells; the target column becomes y, the rest X in file order', () => {
    const file = csv('ok.csv', 'age,target,bmi\n1,10,0.5\n2,20,-1.5e-1\n\n3,30, .25 \n');
    const { X, y, featureNames } = importCsv(file, { target: 'target' });
    expect(featureNames).toEqual(['age', 'bmi']);
    expect(X).toMatchObject({ dtype: 'float64', shape: [3, 2], order: 'C' });
    expect(toNested(X)).toEqual([[1, 0.5], [2, -0.15], [3, 0.25]]);
    expect(Array.from(y.data)).toEqual([10, 20, 30]);
  });

  it('takes another delimiter and quoted fields', () => {
    const file = csv('semi.csv', '"a";"y"\n"1.5";2\n');
    const { X, y } = importCsv(file, { target: 'y', delimiter: ';' });
    expect([X.data[0], y.data[0]]).toEqual([1.5, 2]);
  });

  it('names the available columns when the target is missing', () => {
    const file = csv('cols.csv', 'a,b\n1,2\n');
    expect(() => importCsv(file, { target: 'y' })).toThrow(new ValueError(`${file}: no target column "y"; the columns are "a", "b"`));
  });

  it('names file, line and column of a cell that is not a number', () => {
    const file = csv('bad.csv', 'a,y\n1,2\n3,oops\n');
    expect(() => importCsv(file, { target: 'y' })).toThrow(new DataError(`${file}: line 3, column "y": expected a number, found "oops"`));
    expect(() => importCsv(csv('empty-cell.csv', 'a,y\n,2\n'), { target: 'y' })).toThrow(/line 2, column "a": expected a number, found ""/);
    expect(() => importCsv(csv('ragged.csv', 'a,y\n1,2,3\n'), { target: 'y' })).toThrow(/line 2 has 3 cells, the header has 2/);
    expect(() => importCsv(csv('none.csv', ''), { target: 'y' })).toThrow(/the file is empty/);
    expect(() => importCsv(path.join(dir, 'missing.csv'), { target: 'y' })).toThrow(/missing\.csv: cannot read the CSV file \(ENOENT\)/);
  });

  it('importCsvToStore persists the result', () => {
    const file = csv('store.csv', 'x,y\n1,2\n3,4\n');
    const store = importCsvToStore(file, { target: 'y', root: path.join(dir, 'stores') });
    expect(store.X.shape).toEqual([2, 1]);
    expect(Array.from(store.y.data as Float64Array)).toEqual([2, 4]);
  });
});
