import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cvResultsToCsv } from '../../src/report/csv.js';
import { planPlots } from '../../src/report/plots.js';
import { isLogSpaced } from '../../src/report/specs.js';
import { formatTable, topCandidates } from '../../src/report/table.js';
import { readRunContents, writeReport, writeRunFiles } from '../../src/report/write.js';
import { tempDir } from '../helpers/temp.js';
import { oneParam, twoParams } from './contents.js';

const dir = tempDir('memgrid-report-');

describe('plots', () => {
  it('plans a learning curve and score vs alpha for a one-parameter grid', () => {
    expect(planPlots(oneParam).map((p) => p.file)).toEqual(['learning_curve.svg', 'search_alpha.svg']);
  });

  it('plans a heatmap for a two-parameter grid', () => {
    expect(planPlots(twoParams).map((p) => p.file)).toEqual(['search_heatmap.svg']);
  });

  it('plans a scatter per sampled parameter for a random search, coloured by a few-valued one', () => {
    const cv = { ...twoParams.results.cvResults! } as Record<string, unknown[]>;
    cv.param_alpha = cv.param_alpha!.map((_, i) => 10 ** (i / 3 - 2)); // ten distinct sampled values
    const plans = planPlots({ results: { ...twoParams.results, kind: 'random', cvResults: cv as never } });
    expect(plans.map((p) => p.file)).toEqual(['search_alpha.svg']);
    expect(JSON.stringify(plans[0]!.spec)).toContain('"title":"fit_intercept"');
  });

  it('uses a log axis only for log-spaced values', () => {
    expect(isLogSpaced([0.01, 0.1, 1, 10])).toBe(true);
    expect(isLogSpaced([1, 2, 4, 8])).toBe(true);
    expect(isLogSpaced([1, 2, 3, 4])).toBe(false);
    expect(isLogSpaced([0, 1, 10, 100])).toBe(false);
    const spec = JSON.stringify(planPlots(oneParam)[1]!.spec);
    expect(spec).toContain('"type":"log"');
  });
});

describe('files', () => {
  it('writes cv_results.csv with scikit-learn columns and params as JSON', () => {
    const csv = cvResultsToCsv(twoParams.results.cvResults!);
    const [header, first] = csv.split('\n');
    expect(header).toBe('mean_fit_time,std_fit_time,mean_score_time,std_score_time,param_alpha,param_fit_intercept,params,'
      + 'split0_test_score,split1_test_score,split2_test_score,mean_test_score,std_test_score,rank_test_score,mean_train_score,std_train_score');
    expect(first).toContain(',0.01,true,"{""alpha"":0.01,""fitIntercept"":true}",');
  });

  it('writes results, plots and a report, and re-renders them from the saved files', async () => {
    const written = await writeRunFiles(dir, oneParam);
    for (const name of ['results.json', 'cv_results.csv', 'learning_curve.json', 'plots/learning_curve.svg', 'plots/search_alpha.svg', 'report.html']) {
      expect(written).toContain(join(dir, name));
    }
    const svg = readFileSync(join(dir, 'plots/learning_curve.svg'), 'utf8');
    expect(svg).toMatch(/^<svg [^>]*width="\d+" height="\d+"/);
    expect(svg).toContain('Training examples');
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(html).not.toContain('<script');
    expect((html.match(/<svg /g) ?? []).length).toBe(2);
    expect(html).toContain('<dt>Memory</dt><dd>dataset 9.4 KB mapped once and shared; per worker: node-1/4242/1 dataset resident 9.4 KB + own heap 4.8 MB</dd>');
    expect(html).toContain('<dt>Hosts</dt><dd>node-1 8192.0 MB available of 16384.0 MB</dd>');

    rmSync(join(dir, 'report.html'));
    const contents = readRunContents(dir);
    expect(contents.results.bestParams).toEqual({ alpha: 1 });
    await writeReport(dir, contents);
    expect(existsSync(join(dir, 'report.html'))).toBe(true);
    // Atomic writes leave no temporary files behind.
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('formats the top candidates as a text table', () => {
    const table = formatTable(topCandidates(oneParam.results.cvResults!, ['r2'], 'r2', 3));
    expect(table.split('\n')).toEqual([
      'rank  params          test r2          fit time (s)',
      '----  --------------  ---------------  ------------',
      '1     {"alpha":1}     0.9350 ± 0.0082  0.0020',
      '2     {"alpha":0.1}   0.9310 ± 0.0082  0.0020',
      '3     {"alpha":0.01}  0.9300 ± 0.0082  0.0020',
    ]);
  });
});
