/**
 * CSV import: a table with a header row becomes float64 X and y. Feature cells must be
 * numbers; the target may hold class labels as text (`setosa`), which become class indices
 * 0..k-1 in the order numpy's `unique` sorts them, with the labels kept.
 */
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { compareCodePoints } from '../code-points.js';
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
  /**
   * When the target holds text labels: the labels, sorted as numpy sorts strings; y holds each
   * row's index into them (class `k` is `classes[k]`).
   */
  readonly classes?: string[];
}

/** A finite decimal number, as numpy's loadtxt would take it (no hex, no empty cells). */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Read a CSV whose first row names the columns; the `target` column becomes y, the others X
 * (in file order). Feature cells must be numbers; a target with any cell that is not a number
 * is read as class labels (see {@link ImportedCsv.classes}).
 * @throws ValueError when the target column is missing (listing the columns), DataError for an
 *   empty cell or a feature cell that is not a number (naming file, line and column).
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
  const targets: string[] = new Array<string>(nRows);
  const groups: string[] = [];
  for (let r = 0; r < nRows; r++) {
    const { record, info } = rows[r + 1]!;
    if (record.length !== names.length) {
      throw new DataError(`${csvPath}: line ${info.lines} has ${record.length} cells, the header has ${names.length}`);
    }
    let out = r * nCols;
    for (let c = 0; c < record.length; c++) {
      const cell = record[c]!.trim();
      if (cell === '') throw cellError(csvPath, info.lines, names[c]!, EMPTY_CELL);
      if (c === groupsIndex) {
        groups.push(cell);
        continue;
      }
      if (c === targetIndex) {
        targets[r] = cell;
        continue;
      }
      if (!NUMBER.test(cell)) throw cellError(csvPath, info.lines, names[c]!, `expected a number, found ${JSON.stringify(cell)}`);
      X[out++] = Number(cell);
    }
  }
  return {
    X: ndarray('float64', [nRows, nCols], X),
    ...targetColumn(targets),
    featureNames: names.filter((_, i) => i !== targetIndex && i !== groupsIndex),
    ...(groupsIndex < 0 ? {} : { groups }),
  };
}

/** What an empty cell's error says (importCsv and the streaming import alike). */
export const EMPTY_CELL = 'empty cell; every value is needed (fill it in or drop the row)';

/**
 * The DataError of one bad cell: file, line, column, then what is wrong.
 * @example
 * ```ts
 * throw cellError('a.csv', 3, 'age', EMPTY_CELL);
 * ```
 */
export function cellError(csvPath: string, line: number, column: string, detail: string): DataError {
  return new DataError(`${csvPath}: line ${line}, column ${JSON.stringify(column)}: ${detail}`);
}

/** y from the target cells: numbers as they are, or, if any cell is not a number, class indices and labels. */
function targetColumn(cells: readonly string[]): { y: NdArray<'float64'>; classes?: string[] } {
  if (cells.every((cell) => NUMBER.test(cell))) return { y: ndarray('float64', [cells.length], Float64Array.from(cells, Number)) };
  const classes = sortLabels(new Set(cells));
  const index = new Map(classes.map((label, k) => [label, k]));
  return { y: ndarray('float64', [cells.length], Float64Array.from(cells, (cell) => index.get(cell)!)), classes };
}

/**
 * Class labels in numpy's string order (`np.unique`), the order class indices follow.
 * @example
 * ```ts
 * sortLabels(new Set(['b', 'a', 'B'])); // ['B', 'a', 'b']
 * ```
 */
export function sortLabels(labels: Iterable<string>): string[] {
  return [...labels].sort(compareCodePoints);
}


/**
 * Import a CSV straight into a dataset store (see {@link persistDataset}).
 * @example
 * ```ts
 * const store = importCsvToStore('diabetes.csv', { target: 'progression' });
 * ```
 */
export function importCsvToStore(csvPath: string, options: ImportCsvOptions & { root?: string }): DatasetStore {
  const { X, y, classes } = importCsv(csvPath, options);
  return persistDataset(X, y, { ...(options.root === undefined ? {} : { root: options.root }), ...(classes ? { classes } : {}) });
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
