/** The header row of a CSV file, read without loading the file. */
import { closeSync, openSync, readSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { DataError } from '../errors.js';

/** Headers longer than this are not expected; it bounds what a check reads. */
const MAX_HEADER_BYTES = 1 << 20;
const CHUNK = 64 * 1024;

/**
 * Column names in the first row of `path` (quotes handled as csv-parse reads them; a BOM is dropped).
 * @example
 * ```ts
 * readCsvHeader('experiments/data/diabetes.csv'); // ['age', 'sex', 'bmi', ...]
 * ```
 */
export function readCsvHeader(path: string): string[] {
  const fd = openSync(path, 'r');
  let text = '';
  try {
    const buf = Buffer.alloc(CHUNK);
    let position = 0;
    while (position < MAX_HEADER_BYTES) {
      const n = readSync(fd, buf, 0, CHUNK, position);
      if (n === 0) break;
      text += buf.toString('utf8', 0, n);
      position += n;
      if (text.includes('\n')) break;
    }
  } finally {
    closeSync(fd);
  }
  const rows = parse(text, { to_line: 1, bom: true, relax_column_count: true, relax_quotes: true }) as string[][];
  const header = rows[0];
  if (header === undefined || header.length === 0) throw new DataError(`${path}: the CSV file is empty: expected a header row`);
  return header.map((h) => h.trim());
}
