/** CSV import: a numeric table with a header row becomes float64 X and y. */
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { DataError, ValueError } from '../errors.js';
import { ndarray, type NdArray } from './ndarray.js';
import { persistDataset, type DatasetStore } from './store.js';

/** Options of {@link importCsv}. */
export interface ImportCsvOptions {
  /** Name of the target column (from the header row). */
  readonly target: string;
  /** A column of group labels (read as text, kept out of X): see `groups` in the result. */
  readonly groups?: string;
  /** Field delimiter; default `,`. */
  readonly delimiter?: string;
}

/** What {@link importCsv} returns: X (C order) and y as float64, and X's column names. */
export interface ImportedCsv {
  readonly X: NdArray<'float64'>;
  readonly y: NdArray<'float64'>;
  readonly featureNames: string[];
  /** The `groups` column's cells, trimmed, when asked for. */
  readonly groups?: string[];
}

/** A finite decimal number, as numpy's loadtxt would take it (no hex, no empty cells). */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Read a CSV whose first row names the columns and whose cells are all numbers; the `target`
 * column becomes y, the others X (in file order).
 * @throws ValueError when the target column is missing (listing the columns), DataError for a
 *   cell that is not a number (naming file, line and column).
 * @example
 * ```ts
 * const { X, y, featureNames } = importCsv('diabetes.csv', { target: 'progression' });
 * ```
 */
export function importCsv(csvPath: string, options: ImportCsvOptions): ImportedCsv {
  const rows = parseRows(csvPath, options.delimiter ?? ',');
  const header = rows[0];
  if (!header) throw new DataError(`${csvPath}: the file is empty; expected a header row naming the columns`);
  const names = header.record.map((h) => h.trim());
  const targetIndex = names.indexOf(options.target);
  if (targetIndex < 0) {
    throw new ValueError(`${csvPath}: no target column ${JSON.stringify(options.target)}; the columns are ${names.map((n) => JSON.stringify(n)).join(', ')}`);
  }
  const groupsIndex = options.groups === undefined ? -1 : names.indexOf(options.groups);
  if (options.groups !== undefined && (groupsIndex < 0 || groupsIndex === targetIndex)) {
    throw new ValueError(`${csvPath}: no groups column ${JSON.stringify(options.groups)} besides the target; the columns are ${names.map((n) => JSON.stringify(n)).join(', ')}`);
  }
  const nRows = rows.length - 1;
  const nCols = names.length - (groupsIndex < 0 ? 1 : 2);
  const X = new Float64Array(nRows * nCols);
  const y = new Float64Array(nRows);
  const groups: string[] = [];
  for (let r = 0; r < nRows; r++) {
    const { record, info } = rows[r + 1]!;
    if (record.length !== names.length) {
      throw new DataError(`${csvPath}: line ${info.lines} has ${record.length} cells, the header has ${names.length}`);
    }
    let out = r * nCols;
    for (let c = 0; c < record.length; c++) {
      const cell = record[c]!.trim();
      if (c === groupsIndex) {
        groups.push(cell);
        continue;
      }
      if (!NUMBER.test(cell)) {
        throw new DataError(`${csvPath}: line ${info.lines}, column ${JSON.stringify(names[c])}: expected a number, found ${JSON.stringify(cell)}`);
      }
      if (c === targetIndex) y[r] = Number(cell);
      else X[out++] = Number(cell);
    }
  }
  return {
    X: ndarray('float64', [nRows, nCols], X),
    y: ndarray('float64', [nRows], y),
    featureNames: names.filter((_, i) => i !== targetIndex && i !== groupsIndex),
    ...(groupsIndex < 0 ? {} : { groups }),
  };
}

/**
 * Import a CSV straight into a dataset store (see {@link persistDataset}).
 * @example
 * ```ts
 * const store = importCsvToStore('diabetes.csv', { target: 'progression' });
 * ```
 */
export function importCsvToStore(csvPath: string, options: ImportCsvOptions & { root?: string }): DatasetStore {
  const { X, y } = importCsv(csvPath, options);
  return persistDataset(X, y, options.root === undefined ? {} : { root: options.root });
}

interface Row {
  readonly record: string[];
  readonly info: { readonly lines: number };
}

function parseRows(csvPath: string, delimiter: string): Row[] {
  let text: string;
  try {
    text = fs.readFileSync(csvPath, 'utf8');
  } catch (e) {
    throw new ValueError(`${csvPath}: cannot read the CSV file (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { cause: e });
  }
  try {
    return parse(text, { delimiter, info: true, skip_empty_lines: true, relax_column_count: true, bom: true }) as unknown as Row[];
  } catch (e) {
    throw new DataError(`${csvPath}: cannot parse the CSV: ${(e as Error).message}`, { cause: e });
  }
}
