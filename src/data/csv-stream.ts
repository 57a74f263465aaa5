/**
 * CSV import that streams: the file is parsed record by record and the rows go straight to
 * `X.npy` and `y.npy` in fixed-size blocks, so a table larger than memory imports in
 * constant memory. The header written first is numpy's for zero rows; numpy pads every
 * header so that the row count can grow in place (np.save leaves room for 21 digits), so the
 * final header, written over it once the rows are counted, has the same length.
 */
import fs from 'node:fs';
import nodePath from 'node:path';
import { parse } from 'csv-parse';
import { DataError, ValueError, WriteError } from '../errors.js';
import { encodeNpyHeader } from './npy-header.js';
import { siblingTempPath, syncFolder } from './atomic.js';
import { cellError, EMPTY_CELL, sortLabels, type ImportCsvOptions } from './csv.js';

/** Rows per block written to the files: 8 MiB of X at 64 columns. */
const BLOCK_ROWS = 16_384;
/** A finite decimal number, as numpy's loadtxt would take it (no hex, no empty cells); importCsv's rule. */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** What {@link importCsvToNpy} wrote. */
export interface StreamedCsv {
  /** [rows, features] of X (y has `rows` values). */
  readonly shape: readonly [number, number];
  readonly featureNames: string[];
  /** When the target holds text labels: the labels, sorted as importCsv sorts them; y holds each row's index into them. */
  readonly classes?: string[];
}

/**
 * Stream the CSV at `csvPath` into float64 `.npy` files: X (C order, every column but the
 * target, in file order) at `out.X`, y at `out.y`. Both are written under temporary names
 * and renamed once complete; on any error neither file is left behind. A target with a cell
 * that is not a number is read as class labels, as importCsv reads it: the file is then read
 * twice more (once for the labels, once to write), so memory stays constant in the rows.
 * @throws ValueError when the target column is missing, DataError for an empty cell, a
 *   feature cell that is not a number or a row of the wrong length (naming file, line and
 *   column), as importCsv.
 * @example
 * ```ts
 * const { shape } = await importCsvToNpy('big.csv', { target: 'price' }, { X: 'data/X.npy', y: 'data/y.npy' });
 * ```
 */
export async function importCsvToNpy(csvPath: string, options: ImportCsvOptions, out: { X: string; y: string }): Promise<StreamedCsv> {
  const numeric = await streamRows(csvPath, options, out, undefined);
  if (numeric !== undefined) return numeric;
  const labels = new Set<string>();
  let targetIndex = -1;
  await eachRecord(csvPath, options, {
    header: (_, target) => { targetIndex = target; },
    row: (record) => {
      const cell = record[targetIndex]?.trim();
      if (cell) labels.add(cell);
    },
  });
  const classes = sortLabels(labels);
  const written = await streamRows(csvPath, options, out, new Map(classes.map((label, k) => [label, k])));
  return { ...written!, classes };
}

/**
 * One pass writing X and y: y's cells as numbers, or through `labels`. Without labels, the
 * first target cell that is not a number stops the pass (nothing is left written) and it
 * returns undefined.
 */
async function streamRows(
  csvPath: string, options: ImportCsvOptions, out: { X: string; y: string }, labels: ReadonlyMap<string, number> | undefined,
): Promise<StreamedCsv | undefined> {
  let writer: RowWriter | undefined;
  let names: string[] = [];
  let targetIndex = -1;
  let textTarget = false;
  try {
    await eachRecord(csvPath, options, {
      header: (header, target) => {
        names = header;
        targetIndex = target;
        writer = new RowWriter(out, names.length - 1);
      },
      row: (record, line) => {
        if (record.length !== names.length) throw new DataError(`${csvPath}: line ${line} has ${record.length} cells, the header has ${names.length}`);
        const row = writer!.nextRow();
        let at = 0;
        for (let c = 0; c < record.length; c++) {
          const cell = record[c]!.trim();
          if (cell === '') throw cellError(csvPath, line, names[c]!, EMPTY_CELL);
          if (c === targetIndex && labels !== undefined) {
            writer!.setTarget(labels.get(cell)!);
          } else if (!NUMBER.test(cell)) {
            if (c !== targetIndex) throw cellError(csvPath, line, names[c]!, `expected a number, found ${JSON.stringify(cell)}`);
            textTarget = true;
            return false;
          } else if (c === targetIndex) {
            writer!.setTarget(Number(cell));
          } else {
            row[at++] = Number(cell);
          }
        }
        return true;
      },
    });
  } catch (error) {
    writer?.abort();
    throw error;
  }
  if (textTarget) {
    writer!.abort();
    return undefined;
  }
  const rows = writer!.finish();
  return { shape: [rows, names.length - 1], featureNames: names.filter((_, i) => i !== targetIndex) };
}

/** What {@link eachRecord} calls: once with the header's column names and the target's index, then per record after it. */
interface RecordVisitor {
  header(names: string[], targetIndex: number): void;
  /** Returning false stops the pass. */
  row(record: string[], line: number): boolean | void;
}

/** One parse of the file, record by record; errors of reading and parsing become memgrid errors naming the file. */
async function eachRecord(csvPath: string, options: ImportCsvOptions, visit: RecordVisitor): Promise<void> {
  const input = openReadStream(csvPath);
  const parser = input.pipe(parse({ delimiter: options.delimiter ?? ',', info: true, skip_empty_lines: true, relax_column_count: true, bom: true }));
  let header = false;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!header) {
        const names = record.map((h) => h.trim());
        const targetIndex = names.indexOf(options.target);
        if (targetIndex < 0) {
          throw new ValueError(`${csvPath}: no target column ${JSON.stringify(options.target)}; the columns are ${names.map((n) => JSON.stringify(n)).join(', ')}`);
        }
        visit.header(names, targetIndex);
        header = true;
        continue;
      }
      if (visit.row(record, info.lines) === false) break;
    }
    if (!header) throw new DataError(`${csvPath}: the file is empty; expected a header row naming the columns`);
  } catch (error) {
    if (error instanceof DataError || error instanceof ValueError || error instanceof WriteError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') throw new ValueError(`${csvPath}: cannot read the CSV file (${code})`, { cause: error });
    throw new DataError(`${csvPath}: cannot parse the CSV: ${(error as Error).message}`, { cause: error });
  } finally {
    input.destroy();
  }
}

function openReadStream(csvPath: string): fs.ReadStream {
  // Open now, so a missing file is the same ValueError as importCsv's, not a stream error later.
  let fd: number;
  try {
    fd = fs.openSync(csvPath, 'r');
  } catch (e) {
    throw new ValueError(`${csvPath}: cannot read the CSV file (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { cause: e });
  }
  return fs.createReadStream(csvPath, { fd, highWaterMark: 1 << 20 });
}

/** Writes rows of X and values of y block by block into temp `.npy` files, then renames them. */
class RowWriter {
  private readonly x: BlockFile;
  private readonly y: BlockFile;
  private rows = 0;
  private row: Float64Array;

  constructor(out: { X: string; y: string }, private readonly nCols: number) {
    this.x = new BlockFile(out.X, (n) => [n, nCols], nCols);
    try {
      this.y = new BlockFile(out.y, (n) => [n], 1);
    } catch (e) {
      this.x.abort();
      throw e;
    }
    this.row = this.x.slot();
  }

  /** The next row's X values, to be filled in place. */
  nextRow(): Float64Array {
    if (this.rows > 0) {
      this.x.advance();
      this.y.advance();
    }
    this.rows++;
    this.row = this.x.slot();
    return this.row;
  }

  setTarget(value: number): void {
    this.y.slot()[0] = value;
  }

  /** Writes what is buffered and the final headers, renames both files into place; returns the row count. */
  finish(): number {
    if (this.rows > 0) {
      this.x.advance();
      this.y.advance();
    }
    this.x.finish(this.rows);
    this.y.finish(this.rows);
    return this.rows;
  }

  abort(): void {
    this.x.abort();
    this.y.abort();
  }
}

/** One `.npy` being written: a block buffer of `BLOCK_ROWS` rows, flushed in order after the header. */
class BlockFile {
  private readonly temp: string;
  private readonly fd: number;
  private readonly headerLength: number;
  private readonly block: Float64Array;
  private inBlock = 0;
  private written = 0;
  private closed = false;

  constructor(private readonly path: string, private readonly shapeOf: (rows: number) => number[], private readonly rowLength: number) {
    // A hidden sibling, renamed over `path` once complete (as data/atomic.ts's writers do).
    this.temp = siblingTempPath(path);
    this.fd = this.attempt(() => fs.openSync(this.temp, 'wx', 0o644));
    const header = encodeNpyHeader({ descr: '<f8', order: 'C', shape: shapeOf(0) });
    this.headerLength = header.length;
    this.block = new Float64Array(BLOCK_ROWS * Math.max(1, rowLength));
    this.attempt(() => writeAll(this.fd, header, 0));
  }

  /** The current row's place in the block. */
  slot(): Float64Array {
    return this.block.subarray(this.inBlock * this.rowLength, (this.inBlock + 1) * this.rowLength);
  }

  /** The current row is complete. */
  advance(): void {
    if (++this.inBlock === BLOCK_ROWS) this.flush();
  }

  finish(rows: number): void {
    this.flush();
    const header = encodeNpyHeader({ descr: '<f8', order: 'C', shape: this.shapeOf(rows) });
    // numpy pads the growth axis for 21 digits, so no row count changes the header's length.
    if (header.length !== this.headerLength) throw new Error(`npy header grew from ${this.headerLength} to ${header.length} bytes`);
    this.attempt(() => {
      writeAll(this.fd, header, 0);
      fs.fsyncSync(this.fd);
      fs.closeSync(this.fd);
      this.closed = true;
      fs.renameSync(this.temp, this.path);
    });
    syncFolder(nodePath.dirname(this.path));
  }

  abort(): void {
    if (!this.closed) fs.closeSync(this.fd);
    this.closed = true;
    fs.rmSync(this.temp, { force: true });
  }

  private flush(): void {
    const bytes = new Uint8Array(this.block.buffer, 0, this.inBlock * this.rowLength * 8);
    this.attempt(() => writeAll(this.fd, bytes, this.headerLength + this.written));
    this.written += bytes.length;
    this.inBlock = 0;
  }

  /** Runs a file operation; a failure (a full disk, ...) is a WriteError naming the file being written. */
  private attempt<T>(op: () => T): T {
    try {
      return op();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === 'ENOSPC' ? 'no space left on the device' : error instanceof Error ? error.message : String(error);
      throw new WriteError(this.path, `cannot write: ${reason}; nothing was written`, { cause: error });
    }
  }
}

function writeAll(fd: number, bytes: Uint8Array, position: number): void {
  let done = 0;
  while (done < bytes.length) {
    const n = fs.writeSync(fd, bytes, done, bytes.length - done, position + done);
    if (n <= 0) throw new Error(`short write: ${done} of ${bytes.length} bytes written, then none (is the disk full?)`);
    done += n;
  }
}
