/** Files written so that a crash or kill never leaves a half-written one behind. */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Write `data` to a temporary file beside `path`, flush it to disk, then rename it over
 * `path`: readers see the old file or the new one, never a truncated one (rename is atomic
 * within a folder on POSIX file systems).
 * @example
 * ```ts
 * writeFileAtomic('runs/quickstart/results.json', JSON.stringify(results));
 * ```
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * JSON text with NaN and ±Infinity written as null (JSON has no such numbers; pandas and
 * Python's json read null as missing), indented for people.
 * @example
 * ```ts
 * toJson({ score: NaN }); // '{\n  "score": null\n}\n'
 * ```
 */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}

/**
 * Bytes for people: KB below one MiB, MB above (binary units, as `top` shows them).
 * @example
 * ```ts
 * formatBytes(9600); // '9.4 KB'
 * ```
 */
export function formatBytes(bytes: number): string {
  return bytes < 2 ** 20 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 2 ** 20).toFixed(1)} MB`;
}
