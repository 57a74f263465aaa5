/**
 * The logic of `memgrid store list | verify | prune`: the library's store administration
 * (data/store-admin.ts) with durations and sizes as people write them, and lines to print.
 */
import { listStores, pruneStores, verifyStores, type StoreInfo } from '../data/store-admin.js';
import { ValueError } from '../errors.js';

const DURATION_UNITS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3600_000, d: 86400_000, w: 7 * 86400_000 };
const SIZE_UNITS: Readonly<Record<string, number>> = { '': 1, B: 1, KB: 2 ** 10, MB: 2 ** 20, GB: 2 ** 30, TB: 2 ** 40 };

/**
 * Milliseconds of a duration such as `7d`, `12h`, `30m`, `45s` or `2w`.
 * @throws ValueError naming `flag` for anything else.
 * @example
 * ```ts
 * parseDuration('7d', '--older-than'); // 604800000
 * ```
 */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)([smhdw])$/.exec(text.trim());
  if (!match) throw new ValueError(`${flag} must be a number with a unit s, m, h, d or w (e.g. 7d), found ${JSON.stringify(text)}`);
  return Number(match[1]) * DURATION_UNITS[match[2]!]!;
}

/**
 * Bytes of a size such as `10GB`, `500MB`, `0` (binary units: 1 GB = 2^30 bytes).
 * @throws ValueError naming `flag` for anything else.
 * @example
 * ```ts
 * parseSize('10GB', '--max-size'); // 10737418240
 * ```
 */
export function parseSize(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB)?$/i.exec(text.trim());
  if (!match) throw new ValueError(`${flag} must be a size such as 0, 500MB or 10GB, found ${JSON.stringify(text)}`);
  return Math.floor(Number(match[1]) * SIZE_UNITS[(match[2] ?? '').toUpperCase()]!);
}

/**
 * Lines of `memgrid store list`: a header, then hash, size, last use and source per store.
 * @example
 * ```ts
 * storeListLines('/tmp/memgrid-stores-1000').join('\n');
 * ```
 */
export function storeListLines(root?: string): string[] {
  const stores = listStores(root);
  if (stores.length === 0) return [`no stores in ${root ?? 'the default store root'}`];
  const total = stores.reduce((n, s) => n + s.bytes, 0);
  return [
    `${'hash'.padEnd(32)}  ${'size'.padStart(9)}  ${'last used'.padEnd(20)}  source`,
    ...stores.map(row),
    `${stores.length} store(s), ${humanBytes(total)}`,
  ];
}

/**
 * Lines of `memgrid store verify`, and whether every store passed.
 * @example
 * ```ts
 * const { lines, ok } = storeVerifyLines(undefined, '3fa9');
 * ```
 */
export function storeVerifyLines(root?: string, hash?: string): { lines: string[]; ok: boolean } {
  const checks = verifyStores(root, hash);
  const lines = checks.flatMap((c) => (c.problems.length === 0 ? [`ok   ${c.hash}`] : [`BAD  ${c.hash}`, ...c.problems.map((p) => `     ${p}`)]));
  const bad = checks.filter((c) => c.problems.length > 0).length;
  lines.push(bad === 0
    ? `${checks.length} store(s) verified`
    : `${bad} of ${checks.length} store(s) failed verification: a run on the same data rebuilds a store; \`memgrid store prune --max-size 0\` removes them all`);
  return { lines, ok: bad === 0 };
}

/**
 * Lines of `memgrid store prune`.
 * @example
 * ```ts
 * storePruneLines(undefined, { olderThan: '7d', maxSize: '10GB' });
 * ```
 */
export function storePruneLines(root: string | undefined, flags: { olderThan?: string; maxSize?: string }): string[] {
  if (flags.olderThan === undefined && flags.maxSize === undefined) {
    throw new ValueError('memgrid store prune needs --older-than DURATION and/or --max-size SIZE (--max-size 0 removes every store)');
  }
  const outcome = pruneStores(root, {
    ...(flags.olderThan === undefined ? {} : { olderThanMs: parseDuration(flags.olderThan, '--older-than') }),
    ...(flags.maxSize === undefined ? {} : { maxBytes: parseSize(flags.maxSize, '--max-size') }),
  });
  return [
    ...outcome.removed.map((s) => `removed ${row(s)}`),
    `removed ${outcome.removed.length} store(s) (${humanBytes(outcome.freedBytes)}); kept ${outcome.kept.length}`,
  ];
}

function row(s: StoreInfo): string {
  const used = s.lastUsed.toISOString().slice(0, 19).replace('T', ' ');
  return `${s.hash.padEnd(32)}  ${humanBytes(s.bytes).padStart(9)}  ${used.padEnd(20)}  ${s.problem === undefined ? s.source : `unreadable: ${s.problem}`}`;
}

function humanBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}
