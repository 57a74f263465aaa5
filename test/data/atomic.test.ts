import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendFully, withWriteCalls, writeFileAtomic } from '../../src/data/atomic.js';
import { WriteError } from '../../src/errors.js';
import { formatBytes, toJson } from '../../src/report/atomic.js';
import { CAN_MOUNT, mountSmallDisk } from '../helpers/small-disk.js';
import { tempDir } from '../helpers/temp.js';


const writeSyncReal = (fd: number, bytes: Uint8Array, offset: number, length: number): number => writeSync(fd, bytes, offset, length);
const enospc = (): never => {
  throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
};

describe('writeFileAtomic', () => {
  it('replaces a file whole and leaves no temporary file', () => {
    const dir = tempDir('memgrid-atomic-');
    const path = join(dir, 'results.json');
    writeFileAtomic(path, 'old');
    writeFileAtomic(path, toJson({ score: Number.NaN, best: 1 }));
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ score: null, best: 1 });
    expect(readdirSync(dir)).toEqual(['results.json']);
  });

  it('keeps writing after short writes until every byte is on disk, from chunks as from text', () => {
    const dir = tempDir('memgrid-atomic-');
    const path = join(dir, 'short.bin');
    let calls = 0;
    withWriteCalls({
      writeSync: (fd, bytes, offset, length) => {
        calls++;
        return writeSyncReal(fd, bytes, offset, Math.min(length, 3));
      },
    }, () => writeFileAtomic(path, [Buffer.from('header|'), Buffer.from('0123456789')]));
    expect(readFileSync(path, 'utf8')).toBe('header|0123456789');
    expect(calls).toBe(3 + 4); // 7 bytes in 3 writes, 10 in 4
  });

  it('keeps the old file and cleans up when the rename fails', () => {
    const dir = tempDir('memgrid-atomic-');
    const target = join(dir, 'taken');
    mkdirSync(join(target, 'inside'), { recursive: true }); // a non-empty folder cannot be renamed over
    // The temp file's name carries the pid and a random tag.
    const quoted = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(() => writeFileAtomic(target, 'x')).toThrow(WriteError);
    expect(() => writeFileAtomic(target, 'x')).toThrow(new RegExp(`^${quoted(target)}: cannot write: EISDIR: illegal operation on a directory, `
      + `rename '${quoted(dir)}/\\.taken\\.\\d+\\.[0-9a-f]+\\.tmp' -> '${quoted(target)}'; the file was left as it was$`));
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a write that stops taking bytes is an error naming the file, and the old file stays (injected)', () => {
    const dir = tempDir('memgrid-atomic-');
    const path = join(dir, 'report.html');
    writeFileAtomic(path, '<p>good</p>');
    let first = true;
    const half = (fd: number, bytes: Uint8Array, offset: number, length: number): number => {
      if (!first) return 0;
      first = false;
      return writeSyncReal(fd, bytes, offset, Math.floor(length / 2));
    };
    expect(() => withWriteCalls({ writeSync: half }, () => writeFileAtomic(path, '<p>new and longer</p>')))
      .toThrow(new RegExp(`^${path}: cannot write: short write: 10 of 21 bytes written, then none \\(is the disk full\\?\\); the file was left as it was$`));
    expect(() => withWriteCalls({ writeSync: enospc }, () => writeFileAtomic(path, 'x')))
      .toThrow(`${path}: cannot write: no space left on the device (ENOSPC); the file was left as it was`);
    expect(readFileSync(path, 'utf8')).toBe('<p>good</p>');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe.skipIf(!CAN_MOUNT)(`on a really full disk (a 64 KiB tmpfs)${CAN_MOUNT ? '' : ' (skipped: not root, so no tmpfs can be mounted; the injected-error tests above cover it)'}`, () => {
  it('writeFileAtomic fails with ENOSPC naming the file, keeps the old file and leaves no temp file', () => {
    const disk = mountSmallDisk(64);
    try {
      const path = join(disk.dir, 'results.json');
      writeFileAtomic(path, '{"ok": true}\n');
      expect(() => writeFileAtomic(path, 'x'.repeat(200_000)))
        .toThrow(`${path}: cannot write: no space left on the device (ENOSPC); the file was left as it was`);
      expect(readFileSync(path, 'utf8')).toBe('{"ok": true}\n');
      expect(readdirSync(disk.dir)).toEqual(['results.json']);
    } finally {
      disk.close();
    }
  });

  it('appendFully cuts a torn record back off and reports the file', () => {
    const disk = mountSmallDisk(64);
    try {
      const path = join(disk.dir, 'journal.jsonl');
      writeFileSync(path, '{"type":"header"}\n');
      disk.fill();
      const fd = openSync(path, 'a');
      try {
        const line = Buffer.from(`${JSON.stringify({ type: 'fit', pad: 'y'.repeat(9000) })}\n`);
        expect(() => appendFully(fd, line, path)).toThrow(`${path}: cannot write: no space left on the device (ENOSPC); the file was left as it was`);
      } finally {
        closeSync(fd);
      }
      expect(readFileSync(path, 'utf8')).toBe('{"type":"header"}\n');
    } finally {
      disk.close();
    }
  });
});

describe('appendFully (injected)', () => {
  it('a write that fails halfway leaves the file as it was', () => {
    const dir = tempDir('memgrid-atomic-');
    const path = join(dir, 'journal.jsonl');
    writeFileSync(path, 'line 1\n');
    const fd = openSync(path, 'a');
    let first = true;
    try {
      expect(() => withWriteCalls({
        writeSync: (f, bytes, offset, length) => {
          if (!first) return enospc();
          first = false;
          return writeSyncReal(f, bytes, offset, 3);
        },
      }, () => appendFully(fd, Buffer.from('line 2\n'), path)))
        .toThrow(new WriteError(path, 'cannot write: no space left on the device (ENOSPC); the file was left as it was'));
      appendFully(fd, Buffer.from('line 3\n'), path);
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(path, 'utf8')).toBe('line 1\nline 3\n');
  });
});

describe('formatBytes', () => {
  it('formats byte counts for people', () => {
    expect(formatBytes(9600)).toBe('9.4 KB');
    expect(formatBytes(80 * 2 ** 20)).toBe('80.0 MB');
  });
});
