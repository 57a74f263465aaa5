/**
 * Vitest global setup: one temp folder for the whole run, made the TMPDIR of every test file
 * (each makes its own folder inside it, see private-tmp.ts) and removed when the run ends,
 * even after a test file that failed before its own cleanup could run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function runTmp(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'memgrid-run-'));
  process.env['TMPDIR'] = root;
  return () => rmSync(root, { recursive: true, force: true });
}
