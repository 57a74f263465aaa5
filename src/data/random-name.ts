/**
 * Random hex for temporary file and folder names. Web Crypto's getRandomValues (a global in
 * Node 20) rather than `node:crypto`'s randomBytes: importing `node:crypto` at the top of a
 * module that pool threads load made every thread compile Node's crypto modules at start,
 * before its first task, though threads rarely write a file (see workers/piscina-thread.ts for
 * what the thread start-up costs measured).
 */

/**
 * `bytes` random bytes as 2·bytes lowercase hex digits.
 * @example
 * ```ts
 * `.${name}.${process.pid}.${randomHex(4)}.tmp`; // e.g. ".X.npy.4242.9f03c2aa.tmp"
 * ```
 */
export function randomHex(bytes: number): string {
  const values = globalThis.crypto.getRandomValues(new Uint8Array(bytes));
  let hex = '';
  for (const v of values) hex += v.toString(16).padStart(2, '0');
  return hex;
}
