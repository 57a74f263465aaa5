/**
 * The one way memgrid writes a file: whole or not at all. Every writer (results, CSV, plots,
 * report, journal header, store manifests, fold sets, dumps, `.npy` files) goes through
 * {@link writeFileAtomic}; the journal's appends go through {@link appendFully}. A full disk,
 * a quota or an I/O error becomes a {@link WriteError} naming the file, and the file that was
 * there before is left as it was.
 *
 * @example
 * ```ts
 * writeFileAtomic('runs/q/results.json', text);          // the old results.json, or the new one
 * writeFileAtomic('X.npy', [header, bytes]);             // chunks written back to back
 * ```
 */
import fs from 'node:fs';
import nodePath from 'node:path';
import { WriteError } from '../errors.js';
import { randomHex } from './random-name.js';

/** What a file can be written from: text (UTF-8), bytes, or chunks of bytes produced one by one. */
export type FileContent = string | Uint8Array | Iterable<Uint8Array>;

/** File-system calls writes go through; tests swap one to inject a failure where no small disk can be mounted. */
export interface WriteCalls {
  writeSync: (fd: number, bytes: Uint8Array, offset: number, length: number) => number;
}

/** Bytes per write call: Node's fs.writeSync takes at most 2 GiB - 1 at a time, and arrays can be bigger. */
const MAX_WRITE_BYTES = 2 ** 30;

const calls: WriteCalls = { writeSync: (fd, bytes, offset, length) => fs.writeSync(fd, bytes, offset, length) };

/**
 * Replace the write call for the duration of `fn` (tests only: the fault tests use a real small
 * tmpfs when they can mount one, and this when they cannot).
 * @example
 * ```ts
 * withWriteCalls({ writeSync: () => { throw Object.assign(new Error('full'), { code: 'ENOSPC' }); } }, () => save());
 * ```
 */
export function withWriteCalls<T>(replacement: Partial<WriteCalls>, fn: () => T): T {
  const saved = calls.writeSync;
  if (replacement.writeSync) calls.writeSync = replacement.writeSync;
  try {
    return fn();
  } finally {
    calls.writeSync = saved;
  }
}

/**
 * Write `content` to a temporary file beside `path`, looping until every byte is written,
 * flush it to disk (fsync), rename it over `path`, and flush the folder so the rename itself
 * survives a crash. Readers see the old file or the new one, never a part of either.
 * On any failure the temporary file is removed and `path` keeps its old content.
 * @throws WriteError naming `path` and the system's reason (ENOSPC, EDQUOT, EIO, EACCES, ...).
 * @example
 * ```ts
 * writeFileAtomic('runs/quickstart/results.json', JSON.stringify(results));
 * ```
 */
export function writeFileAtomic(path: string, content: FileContent, options: { mode?: number } = {}): void {
  replaceFile(path, (fd) => {
    for (const chunk of chunksOf(content)) writeAllTo(fd, chunk);
  }, options);
}

/**
 * A hidden, fresh name beside `path` for the temporary file a writer renames over it once
 * complete: same folder (so the rename is atomic), this process's id and random hex (so
 * concurrent writers never share one).
 * @example
 * ```ts
 * siblingTempPath('/runs/a/results.csv'); // '/runs/a/.results.csv.4242.9f86d081.tmp'
 * ```
 */
export function siblingTempPath(path: string): string {
  return nodePath.join(nodePath.dirname(path), `.${nodePath.basename(path)}.${process.pid}.${randomHex(4)}.tmp`);
}

/**
 * {@link writeFileAtomic} for writers that fill the file themselves: `fill` gets the open
 * temporary file (a sparse file is made with `ftruncateSync`, say); the rest is the same.
 * @throws WriteError naming `path`.
 * @example
 * ```ts
 * replaceFile('big.npy', (fd) => { writeAllTo(fd, header); fs.ftruncateSync(fd, total); });
 * ```
 */
export function replaceFile(path: string, fill: (fd: number) => void, options: { mode?: number } = {}): void {
  const dir = nodePath.dirname(path);
  const temp = siblingTempPath(path);
  let fd: number | undefined;
  try {
    fd = fs.openSync(temp, 'wx', options.mode ?? 0o644);
    fill(fd);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temp, path);
  } catch (error) {
    if (fd !== undefined) closeQuietly(fd);
    fs.rmSync(temp, { force: true });
    throw asWriteError(error, path);
  }
  syncFolder(dir);
}

/**
 * Append `bytes` at the end of the open file `fd` (opened with `'a'`), all of them or none:
 * a short or failed write is cut back off so the file never keeps a torn record.
 * @throws WriteError naming `path`.
 * @example
 * ```ts
 * appendFully(fd, Buffer.from(`${line}\n`), 'runs/q/journal.jsonl');
 * ```
 */
export function appendFully(fd: number, bytes: Uint8Array, path: string): void {
  const before = fs.fstatSync(fd).size;
  try {
    writeAllTo(fd, bytes);
  } catch (error) {
    try {
      fs.ftruncateSync(fd, before);
    } catch {
      // The write error is the one to report; a file we cannot even truncate is past saving.
    }
    throw asWriteError(error, path);
  }
}

/**
 * Flush a folder's entries (a rename or a new file in it) to disk. File systems that cannot
 * sync a folder (some network mounts) say so with EINVAL, which is not an error here.
 * @example
 * ```ts
 * syncFolder('runs/quickstart');
 * ```
 */
export function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EISDIR' && code !== 'EBADF') {
      throw asWriteError(error, dir, 'its new entries may not survive a crash');
    }
  } finally {
    if (fd !== undefined) closeQuietly(fd);
  }
}

function* chunksOf(content: FileContent): Iterable<Uint8Array> {
  if (typeof content === 'string') yield Buffer.from(content, 'utf8');
  else if (content instanceof Uint8Array) yield content;
  else yield* content;
}

/**
 * Write every byte of `bytes` at the current position of `fd`: a write may take fewer bytes
 * than asked (a full disk, a signal), so it loops, and a write that takes none is an error.
 * @example
 * ```ts
 * writeAllTo(fd, header);
 * ```
 */
export function writeAllTo(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) {
    const n = calls.writeSync(fd, bytes, done, Math.min(MAX_WRITE_BYTES, bytes.length - done));
    if (n <= 0) throw new Error(`short write: ${done} of ${bytes.length} bytes written, then none (is the disk full?)`);
    done += n;
  }
}

function asWriteError(error: unknown, path: string, outcome = 'the file was left as it was'): WriteError {
  if (error instanceof WriteError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === 'ENOSPC' ? 'no space left on the device'
    : code === 'EDQUOT' ? 'disk quota exceeded'
      : error instanceof Error ? error.message : String(error);
  const tag = code !== undefined && !reason.includes(code) ? ` (${code})` : '';
  return new WriteError(path, `cannot write: ${reason}${tag}; ${outcome}`, { cause: error });
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // Closing after a failed write may fail too; the first error is the one to report.
  }
}
