/**
 * Regression: the mmap addon's loader (node-pre-gyp) read the host program's `--dir X` as its
 * own option and looked for the addon under X, so importing memgrid failed in any program
 * run with a `--dir` flag.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';

const index = fileURLToPath(new URL('../../dist/src/index.js', import.meta.url));

describe('loading the mmap addon', () => {
  it('ignores the host program\'s own --dir / --directory arguments', () => {
    const file = join(tempDir('memgrid-argv-'), 'three.bin');
    const script = `import(${JSON.stringify(index)}).then((m) => {
      const a = m.memmap(${JSON.stringify(file)}, { dtype: 'float32', shape: [3], mode: 'w+' });
      a.data[1] = 5; console.log(a.data.join(','));
    })`;
    const out = execFileSync(process.execPath, ['-e', script, '--', '--dir', '/nonexistent', '--directory', '/nope'], { encoding: 'utf8' });
    expect(out.trim()).toBe('0,5,0');
    expect(Array.from(new Float32Array(new Uint8Array(readFileSync(file)).buffer))).toEqual([0, 5, 0]);
  });
});
