/** Temp folders that tests own: made under the test file's private TMPDIR, removed when done. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

/**
 * A fresh folder, removed after the test when called inside a test, else after the test file
 * (or describe block). Not from inside a hook: a hook cannot register the removal.
 * @example
 * ```ts
 * const dir = tempDir('memgrid-report-'); // at the top of a test file, or inside one test
 * ```
 */
export function tempDir(prefix = 'memgrid-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    onTestFinished(remove);
  } catch {
    // Not inside a test (onTestFinished throws there): the folder lives as long as the file.
    afterAll(remove);
  }
  return dir;
}
