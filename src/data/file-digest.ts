/**
 * What a stored file looked like when it was written (size, mtime, SHA-256 of its bytes), and
 * checks that it still does. The hash reads the file in fixed-size chunks through one buffer,
 * so a file of any size is hashed without holding it in memory.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { ValueError } from '../errors.js';

/** Bytes read per step while hashing a file. */
const HASH_CHUNK_BYTES = 256 * 2 ** 10;

/**
 * The one buffer every hash reads into, made on first use: a fresh buffer per file cost its
 * first touch each time (a search's fold set is ten files, 4 MB of indices for 200,000 rows,
 * checked in every process that did not write it), and fresh memory costs far more here than
 * reading the file (~2.8 ms a MB against ~0.1). 256 KiB reads keep the syscalls few.
 */
let hashChunk: Buffer | undefined;

/** A file's recorded size (bytes), modification time (whole ms) and content hash (hex SHA-256). */
export interface FileRecord {
  readonly size: number;
  readonly mtimeMs: number;
  readonly sha256: string;
}

/**
 * SHA-256 (hex) of the file at `path`, read in chunks.
 * @throws ValueError naming the file when it cannot be read.
 * @example
 * ```ts
 * fileSha256('/tmp/memgrid-stores-1000/3fa9/X.npy'); // '9f86d0...'
 * ```
 */
export function fileSha256(path: string): string {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (error) {
    throw new ValueError(`${path}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
  try {
    const hash = createHash('sha256');
    const buffer = (hashChunk ??= Buffer.allocUnsafeSlow(HASH_CHUNK_BYTES));
    for (;;) {
      const n = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
    }
    return hash.digest('hex');
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The record of the file at `path` as it is now (hashing it).
 * @example
 * ```ts
 * const record = recordFile('X.npy'); // { size: 160128, mtimeMs: 1764540000123, sha256: '...' }
 * ```
 */
export function recordFile(path: string): FileRecord {
  const sha256 = fileSha256(path);
  const stat = fs.statSync(path);
  return { size: stat.size, mtimeMs: Math.trunc(stat.mtimeMs), sha256 };
}

/**
 * Why the file at `path` no longer matches `record`, or undefined when it does. Size and mtime
 * are always compared; the content hash when they differ or when `deep` is set (a file written
 * by another process, which may have changed it and kept its mtime).
 * @example
 * ```ts
 * fileMismatch('X.npy', manifest.X, { deep: true }); // 'content hash 1f2e... differs from the recorded 9f86...'
 * ```
 */
export function fileMismatch(path: string, record: FileRecord, options: { deep: boolean }): string | undefined {
  const stat = fs.statSync(path, { throwIfNoEntry: false });
  if (!stat) return 'is missing';
  if (!stat.isFile()) return 'is not a regular file';
  if (stat.size !== record.size) return `is ${stat.size} bytes, ${record.size} were written`;
  const touched = Math.trunc(stat.mtimeMs) !== record.mtimeMs;
  if (!touched && !options.deep) return undefined;
  const found = fileSha256(path);
  if (found === record.sha256) return undefined;
  return `has content hash ${found.slice(0, 16)}…, ${record.sha256.slice(0, 16)}… was written${touched ? ' (and it was modified since)' : ''}`;
}

/**
 * True for an object shaped like a {@link FileRecord}.
 * @example
 * ```ts
 * isFileRecord({ size: 1, mtimeMs: 2, sha256: 'ab' }); // true
 * ```
 */
export function isFileRecord(value: unknown): value is FileRecord {
  const r = value as Partial<FileRecord> | null;
  return r !== null && typeof r === 'object' && Number.isSafeInteger(r.size) && Number.isFinite(r.mtimeMs)
    && typeof r.sha256 === 'string' && /^[0-9a-f]{64}$/.test(r.sha256);
}
