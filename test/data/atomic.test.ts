import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatBytes, toJson, writeFileAtomic } from '../../src/report/atomic.js';

const dir = mkdtempSync(join(tmpdir(), 'memgrid-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('replaces a file whole and leaves no temporary file', () => {
    const path = join(dir, 'results.json');
    writeFileAtomic(path, 'old');
    writeFileAtomic(path, toJson({ score: Number.NaN, best: 1 }));
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ score: null, best: 1 });
    expect(readdirSync(dir)).toEqual(['results.json']);
  });

  it('keeps the old file and cleans up when the rename fails', () => {
    const target = join(dir, 'taken');
    mkdirSync(join(target, 'inside'), { recursive: true }); // a non-empty folder cannot be renamed over
    expect(() => writeFileAtomic(target, 'x')).toThrow();
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('formats byte counts for people', () => {
    expect(formatBytes(9600)).toBe('9.4 KB');
    expect(formatBytes(80 * 2 ** 20)).toBe('80.0 MB');
  });
});
