/**
 * report.html in a real headless browser (Debian's chromium, driven by playwright-core):
 * it loads offline with no console errors and shows every plot at a nonzero size.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { writeRunFiles } from '../../src/report/write.js';
import { needs } from '../helpers/optional.js';
import { tempDir } from '../helpers/temp.js';
import { oneParam, twoParams } from './contents.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const hasChromium = needs('chromium', existsSync(CHROMIUM), 'apt-get install chromium, as .ci/run does');
if (!hasChromium) console.warn(`skipped: report.html browser test needs ${CHROMIUM} (apt-get install chromium)`);

const dir = tempDir('memgrid-browser-');

describe.skipIf(!hasChromium)('report.html in chromium', () => {
  it.each([['one-param', oneParam, 2], ['two-params', twoParams, 1]] as const)(
    'loads the %s report with no console errors and visible plots', async (name, contents, plots) => {
      const runDir = join(dir, name);
      await writeRunFiles(runDir, contents);
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
      try {
        const page = await browser.newPage();
        const problems: string[] = [];
        page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`); });
        page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
        // Everything is inline: any request beyond the page itself is a bug.
        page.on('request', (r) => { if (!r.url().endsWith('report.html')) problems.push(`request: ${r.url()}`); });
        await page.goto(pathToFileURL(join(runDir, 'report.html')).href, { waitUntil: 'load' });
        const sizes = await page.$$eval('figure svg', (svgs) => svgs.map((s) => {
          const box = s.getBoundingClientRect();
          return { width: box.width, height: box.height, marks: s.querySelectorAll('path, rect, text').length };
        }));
        expect(problems).toEqual([]);
        expect(sizes).toHaveLength(plots);
        for (const s of sizes) {
          expect(s.width).toBeGreaterThan(150);
          expect(s.height).toBeGreaterThan(80);
          expect(s.marks).toBeGreaterThan(10);
        }
        expect(await page.locator('table tr').count()).toBe(contents.results.cvResults!.params.length + 1);
        expect(await page.title()).toBe('memgrid: report-test');
      } finally {
        await browser.close();
      }
    });
});
