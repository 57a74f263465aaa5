/**
 * A really full disk for the fault tests: a small tmpfs mounted for one test file when the
 * tests run as root (as CI does), so writes fail with the kernel's own ENOSPC. Without root
 * no file system can be mounted; tests then inject the write error in-process instead
 * (see `withWriteCalls` in src/data/atomic.ts) and say so in their titles.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, fstatSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** tmpfs allocates whole pages. */
const PAGE = 4096;

/** True when this process may mount a tmpfs (root). */
export const CAN_MOUNT = typeof process.getuid === 'function' && process.getuid() === 0;

/** A mounted small tmpfs. */
export interface SmallDisk {
  readonly dir: string;
  /** Write a file that takes every byte left but `leaveBytes` (rounded to pages), so bigger writes fail with ENOSPC. */
  fill(leaveBytes?: number): void;
  /** Unmount and remove the mount point. */
  close(): void;
}

/** Mounts a tmpfs of `kib` KiB on a fresh folder; throws (failing the test) if root cannot mount. */
export function mountSmallDisk(kib: number): SmallDisk {
  const dir = mkdtempSync(join(tmpdir(), 'memgrid-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kib}k,mode=0700`, 'tmpfs', dir]);
  return {
    dir,
    fill: (leaveBytes = 0) => {
      const fd = openSync(join(dir, '.filler'), 'a');
      const chunk = Buffer.alloc(PAGE);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      }
      try {
        const size = fstatSync(fd).size;
        ftruncateSync(fd, Math.max(0, Math.floor(size / PAGE) * PAGE - Math.ceil(leaveBytes / PAGE) * PAGE));
      } finally {
        closeSync(fd);
      }
    },
    close: () => {
      execFileSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
