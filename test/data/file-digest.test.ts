/** File hashes and records: what a store's deep check compares. */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileMismatch, fileSha256, recordFile } from '../../src/data/file-digest.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir('memgrid-digest-');

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe('fileSha256', () => {
  it('hashes files longer than a read and shorter, one after another, each by its own bytes', () => {
    // 1 MiB + 3 bytes spans several reads; the short file after it must not see the long one's leftovers.
    const long = Uint8Array.from({ length: 2 ** 20 + 3 }, (_, i) => (i * 31 + 7) & 0xff);
    const short = Uint8Array.from([1, 2, 3]);
    writeFileSync(join(dir, 'long.bin'), long);
    writeFileSync(join(dir, 'short.bin'), short);
    writeFileSync(join(dir, 'empty.bin'), new Uint8Array(0));
    expect(fileSha256(join(dir, 'long.bin'))).toBe(sha256(long));
    expect(fileSha256(join(dir, 'short.bin'))).toBe(sha256(short));
    expect(fileSha256(join(dir, 'empty.bin'))).toBe(sha256(new Uint8Array(0)));
    expect(fileSha256(join(dir, 'long.bin'))).toBe(sha256(long));
  });

  it('names the file it cannot read', () => {
    expect(() => fileSha256(join(dir, 'missing.bin'))).toThrow(/missing\.bin: cannot read the file \(ENOENT\)/);
  });

  it('finds a changed byte in a deep check', () => {
    const bytes = new Uint8Array(300_000).fill(9);
    const path = join(dir, 'checked.bin');
    writeFileSync(path, bytes);
    const record = recordFile(path);
    expect(record.sha256).toBe(sha256(bytes));
    expect(fileMismatch(path, record, { deep: true })).toBeUndefined();
    bytes[299_999] = 8;
    writeFileSync(path, bytes);
    expect(fileMismatch(path, { ...record, mtimeMs: recordFile(path).mtimeMs }, { deep: true })).toMatch(/^has content hash /);
  });
});
