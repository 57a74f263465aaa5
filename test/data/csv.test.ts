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

  it('names file, line and column of a feature cell that is not a number, and of an empty cell', () => {
    const file = csv('bad.csv', 'a,y\n1,2\noops,3\n');
    expect(() => importCsv(file, { target: 'y' })).toThrow(new DataError(`${file}: line 3, column "a": expected a number, found "oops"`));
    const empty = csv('empty-cell.csv', 'a,y\n,2\n');
    expect(() => importCsv(empty, { target: 'y' })).toThrow(new DataError(`${empty}: line 2, column "a": empty cell; every value is needed (fill it in or drop the row)`));
    const emptyTarget = csv('empty-target.csv', 'a,y\n1,cat\n2, \n');
    expect(() => importCsv(emptyTarget, { target: 'y' })).toThrow(new DataError(`${emptyTarget}: line 3, column "y": empty cell; every value is needed (fill it in or drop the row)`));
    expect(() => importCsv(csv('ragged.csv', 'a,y\n1,2,3\n'), { target: 'y' })).toThrow(/line 2 has 3 cells, the header has 2/);
    expect(() => importCsv(csv('none.csv', ''), { target: 'y' })).toThrow(/the file is empty/);
    expect(() => importCsv(path.join(dir, 'missing.csv'), { target: 'y' })).toThrow(/missing\.csv: cannot read the CSV file \(ENOENT\)/);
  });

  it('reads a target of text labels as classes, sorted as numpy\'s unique sorts them', () => {
    const file = csv('labels.csv', 'a,species\n1,versicolor\n2,setosa\n3,Virginica\n4,setosa\n5,\u00e9t\u00e9\n6,\u{1F600}\n7,\uFF21\n');
    const { y, classes } = importCsv(file, { target: 'species' });
    // Code-point order: upper case before lower case; U+FF21 before U+1F600 (UTF-16 order would swap them).
    expect(classes).toEqual(['Virginica', 'setosa', 'versicolor', '\u00e9t\u00e9', '\uFF21', '\u{1F600}']);
    expect(Array.from(y.data)).toEqual([2, 1, 0, 1, 3, 5, 4]);
    const mixed = importCsv(csv('mixed.csv', 'a,y\n1,10\n2,cat\n3,9\n'), { target: 'y' });
    expect(mixed.classes).toEqual(['10', '9', 'cat']);
    expect(importCsv(csv('numbers.csv', 'a,y\n1,10\n'), { target: 'y' }).classes).toBeUndefined();
  });

  it('importCsvToStore persists the result, class labels in the manifest (and in the hash)', () => {
    const file = csv('store.csv', 'x,y\n1,2\n3,4\n');
    const store = importCsvToStore(file, { target: 'y', root: path.join(dir, 'stores') });
    expect(store.X.shape).toEqual([2, 1]);
    expect(Array.from(store.y.data as Float64Array)).toEqual([2, 4]);
    expect(store.manifest.classes).toBeUndefined();
    const labelled = importCsvToStore(csv('store-labels.csv', 'x,y\n1,no\n3,yes\n'), { target: 'y', root: path.join(dir, 'stores') });
    expect(labelled.manifest.classes).toEqual(['no', 'yes']);
    const relabelled = importCsvToStore(csv('store-labels2.csv', 'x,y\n1,a\n3,b\n'), { target: 'y', root: path.join(dir, 'stores') });
    expect(Array.from(relabelled.y.data as Float64Array)).toEqual(Array.from(labelled.y.data as Float64Array));
    expect(relabelled.hash).not.toBe(labelled.hash);
  });
});
