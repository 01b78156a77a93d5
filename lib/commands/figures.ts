/**
 * `fer-au figures`: regenerates every figure (results/figures/*.{png,svg,html}) and results/REPORT.md from the
 * results files; with --run-missing it first trains the runs that have no results file yet (`npm start`).
 */
import * as path from 'path';
import { parseCommandArgs } from './args';
import { UsageError, type Command } from './types';

const USAGE = `usage: fer-au figures [--run-missing] [--preset quick|paper] [--disfa-root DIR] [options]

Builds every figure of the report from the results files (results/<task>/<runId>.json), writes PNG and SVG
(headless Chromium: FER_CHROMIUM, else chromium, chromium-browser, google-chrome or google-chrome-stable on PATH,
else Playwright's cache, else the standard macOS/Windows install) and standalone HTML to results/figures/, and
results/REPORT.md with the paper's claims checked against the results. Runs come from the experiments of the
notebooks: loss comparison (MobileNet-v1 x 4 losses), backbone survey (4 backbones, LSEP), transfer stages.

  --run-missing        train the runs that have no results file yet (otherwise their figures are skipped)
  --preset NAME        base preset of every experiment: quick (default, synthetic data, minutes on 2 cores) or paper
  --disfa-root DIR     a licensed DISFA copy in DISFA's layout (default: the synthetic set of the preset)
  --folds LIST         test folds, comma-separated (default: the preset's fold)
  --results DIR        results folder (default: results/ of this checkout)
  --out DIR            figures folder (default: <results>/figures)
  --report FILE        report file (default: <results>/REPORT.md)
  --formats LIST       png,svg,html (default all three)
  --throughput         measure backbone throughput again (default: only when <out>/throughput.json is missing)
  --no-throughput      never measure throughput`;

export const command: Command = {
  name: 'figures',
  summary: 'regenerate every figure and results/REPORT.md (--run-missing trains what is missing)',
  usage: USAGE,
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      'run-missing': { type: 'boolean' },
      preset: { type: 'string' },
      'disfa-root': { type: 'string' },
      folds: { type: 'string' },
      results: { type: 'string' },
      out: { type: 'string' },
      report: { type: 'string' },
      formats: { type: 'string' },
      throughput: { type: 'boolean' },
      'no-throughput': { type: 'boolean' },
    });
    const { PRESETS } = require('../train/presets') as typeof import('../train/presets');
    const presetName = String(values.preset ?? 'quick');
    if (!(presetName in PRESETS)) throw new UsageError(`--preset must be one of ${Object.keys(PRESETS).join(', ')}; got '${presetName}'`);
    const folds = values.folds === undefined ? undefined : String(values.folds).split(',').map((s) => {
      const k = Number(s.trim());
      if (k !== 1 && k !== 2 && k !== 3) throw new UsageError(`--folds takes 1, 2 and 3, got '${s}'`);
      return k as 1 | 2 | 3;
    });
    const formats = values.formats === undefined ? undefined : String(values.formats).split(',').map((s) => {
      const f = s.trim();
      if (f !== 'png' && f !== 'svg' && f !== 'html') throw new UsageError(`--formats takes png, svg and html, got '${f}'`);
      return f as 'png' | 'svg' | 'html';
    });
    if (values.throughput && values['no-throughput']) throw new UsageError('--throughput and --no-throughput exclude each other');
    const disfaRoot = values['disfa-root'] === undefined ? null : path.resolve(String(values['disfa-root']));
    const { generateReport } = require('../report') as typeof import('../report');
    const { createProgressReporter } = require('../train/progress') as typeof import('../train/progress');
    const t0 = Date.now();
    const r = await generateReport({
      base: PRESETS[presetName as keyof typeof PRESETS],
      disfaRoot,
      folds,
      resultsDir: values.results === undefined ? undefined : path.resolve(String(values.results)),
      outDir: values.out === undefined ? undefined : path.resolve(String(values.out)),
      reportFile: values.report === undefined ? undefined : path.resolve(String(values.report)),
      runMissing: Boolean(values['run-missing']),
      throughput: values['no-throughput'] ? false : values.throughput ? true : 'missing',
      formats,
      onMessage: (m) => process.stderr.write(`figures: ${m}\n`),
      onProgress: createProgressReporter(),
      command: ['fer-au', 'figures', ...argv].join(' '),
    });
    process.stdout.write(`wrote ${r.figures.length} figures and ${r.reportFile} in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
    for (const c of r.claims) process.stdout.write(`  ${c.status.padEnd(24)} ${c.claim}\n`);
    for (const m of r.missing) process.stdout.write(`  not generated: ${m}\n`);
    return 0;
  },
};
