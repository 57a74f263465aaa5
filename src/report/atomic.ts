/** Text helpers of the run files: JSON for people and pandas, byte counts for people. */

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
