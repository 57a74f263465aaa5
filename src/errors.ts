/** Characters a terminal may act on: C0 controls but tab and newline, DEL, C1 controls, and bidi overrides. */
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` with every character that could drive a terminal (ESC, BEL, CSI, bidi overrides, ...)
 * written as an escape (`\x1b`, `\u202e`), so text from a file (a `.npy` header, a path) can
 * be shown without acting on the terminal.
 * @example
 * ```ts
 * printable('\u001b[31mred\u0007'); // '\\x1b[31mred\\x07'
 * ```
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * memgrid's error family. Every error names the thing at fault (a file, a config key,
 * a parameter) and, where it helps, what was expected and what was found.
 *
 * @example
 * ```ts
 * try { openNpy('x.npy', { mode: 'r' }); }
 * catch (e) { if (e instanceof NpyFormatError) console.error(e.path, e.message); }
 * ```
 */
export class MemgridError extends Error {
  /** A stable tag so callers (and the CLI) can branch without `instanceof` across realms. */
  readonly code: string = 'MEMGRID_ERROR';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A `.npy` file, raw memmap or dump manifest that is malformed or does not match its header. */
export class NpyFormatError extends MemgridError {
  override readonly code = 'NPY_FORMAT';
  constructor(readonly path: string, detail: string, options?: { cause?: unknown }) {
    super(`${path}: ${detail}`, options);
  }
}

/** A dtype descriptor or dtype name memgrid does not support. */
export class DTypeError extends MemgridError {
  override readonly code = 'DTYPE';
}

/** A bad argument value or option given to a public function (names the option and the value found). */
export class ValueError extends MemgridError {
  override readonly code = 'VALUE';
}

/** An array whose shape, length or contents do not fit the operation (X/y mismatch, NaN, ...). */
export class DataError extends MemgridError {
  override readonly code = 'DATA';
}

/** Something a read-only mapping or a closed array cannot do. */
export class AccessError extends MemgridError {
  override readonly code = 'ACCESS';
}

/** An experiment config that does not validate; `issues` lists every problem with its key path. */
export class ConfigError extends MemgridError {
  override readonly code = 'CONFIG';
  constructor(readonly path: string, readonly issues: readonly string[]) {
    super(`${path}: invalid config\n${issues.map((i) => `  - ${i}`).join('\n')}`);
  }
}

/** A fit, a task or a whole search that failed. */
export class FitError extends MemgridError {
  override readonly code = 'FIT';
}

/** A search aborted by its `signal`. */
export class AbortError extends MemgridError {
  override readonly code = 'ABORT';
}

/** A task queue (Redis) that cannot be reached, refused a task, or lost it; names the queue or URL at fault. */
export class QueueError extends MemgridError {
  override readonly code = 'QUEUE';
}

/**
 * A file that could not be written (a full disk, a quota, an I/O or permission error); names
 * the file. The file's old content, if any, is kept.
 */
export class WriteError extends MemgridError {
  override readonly code = 'WRITE';
  constructor(readonly path: string, detail: string, options?: { cause?: unknown }) {
    super(`${path}: ${detail}`, options);
  }
}
