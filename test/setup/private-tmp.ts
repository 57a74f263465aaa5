/**
 * Vitest setup file (runs in every test file): each test file gets its own temp folder as
 * TMPDIR (inside the run's, see run-tmp.ts), so that everything memgrid puts in the OS temp
 * folder (the default dataset store root `<tmpdir>/memgrid-stores`, the children's files) is
 * private to the file and never meets another file's or another run's. After the file,
 * anything left there but that store root fails the file: tests make their folders with
 * `tempDir()` (test/helpers/temp.ts), which removes them. Warnings shown once per process
 * start each test afresh.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach } from 'vitest';
import { forgetWarnings } from '../../src/search/warnings.js';

/** What a test file may leave behind: its own default store root, `memgrid-stores-<uid>` (removed with the folder). */
const ALLOWED = /^memgrid-stores(-\d+)?$/;

const root = mkdtempSync(join(tmpdir(), 'memgrid-test-'));
process.env['TMPDIR'] = root;
// The default store root follows TMPDIR unless the environment moves it: here it must not.
delete process.env['MEMGRID_STORE_ROOT'];

beforeEach(() => forgetWarnings());

afterAll(() => {
  const left = readdirSync(root).filter((name) => !ALLOWED.test(name));
  rmSync(root, { recursive: true, force: true });
  if (left.length > 0) {
    throw new Error(`the test file left ${left.join(', ')} in its temp folder: make folders with tempDir() from test/helpers/temp.ts, which removes them`);
  }
});
