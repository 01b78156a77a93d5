/**
 * `fer-au figures`: regenerates every figure (results/figures/*.{png,svg,html}) and results/REPORT.md from the
 * results files; with --run-missing it first trains the runs that have no results file yet (`npm start`).
 */
import * as path from 'path';
import { parseCommandArgs } from './args';
import { checkRuns, parseWeights } from './run_check';
import { UsageError, type Command } from './types';

const USAGE = `usage: fer-au figures [--run-missing] [--preset quick|paper] [--data-root DIR] [options]

Builds every figure of the report from the results files (results/<task>/<runId>.json), writes PNG and SVG
(headless Chromium: FER_CHROMIUM, else chromium, chromium-browser, google-chrome or google-chrome-stable on PATH,
else Playwright's cache, else the standard macOS/Windows install) and standalone HTML to results/figures/, and
results/REPORT.md with the paper's claims checked against the results. Runs come from the experiments of the
notebooks: loss comparison (MobileNet-v1 x 4 losses), backbone survey (4 backbones, LSEP), transfer stages.

  --run-missing        train the runs that have no results file yet (otherwise their figures are skipped)
  --preset NAME        base preset of every experiment: quick (default, synthetic data, minutes on 2 cores) or paper
  --data-root DIR      a licensed DISFA copy in DISFA's layout, or its prepared set (default: the synthetic set of
                       the preset); --disfa-root is the old name, still accepted with a warning
  --weights SOURCE     embedded | none | FILE.h5 | FILE/model.json for the base backbone, or per backbone
                       B=SOURCE[,B=SOURCE] (densenet121=FILE.h5 gives the survey's DenseNets ImageNet weights)
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
      'data-root': { type: 'string' },
      'disfa-root': { type: 'string' },
      weights: { type: 'string' },
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
    if (values['disfa-root'] !== undefined) {
      if (values['data-root'] !== undefined) throw new UsageError('give --data-root only (--disfa-root is its deprecated name)');
      process.stderr.write('figures: --disfa-root is deprecated; use --data-root (the same flag as train)\n');
    }
    const rootArg = values['data-root'] ?? values['disfa-root'];
    const disfaRoot = rootArg === undefined ? null : path.resolve(String(rootArg));
    const choice = parseWeights(values.weights);
    let base = PRESETS[presetName as keyof typeof PRESETS];
    const densenetWeights: Record<string, string> = {};
    if (choice) {
      const w = choice[base.backbone] !== undefined ? choice[base.backbone] : choice['*'];
      if (w !== undefined) base = { ...base, weights: w };
      for (const [b, src] of Object.entries(choice)) {
        if (b.startsWith('densenet') && src) densenetWeights[b] = src;
        else if (b !== '*' && b !== base.backbone) throw new UsageError(`--weights: figures takes per-backbone weights only for ${base.backbone} and the DenseNets, got ${b}`);
      }
    }
    const { allExperiments } = require('../experiments') as typeof import('../experiments');
    const plannedOpts = { disfaRoot, folds, densenetWeights };
    checkRuns(allExperiments(base, plannedOpts as Parameters<typeof allExperiments>[1]));
    const { generateReport } = require('../report') as typeof import('../report');
    const { createProgressReporter } = require('../train/progress') as typeof import('../train/progress');
    const { portableCommand } = require('../results/portable') as typeof import('../results/portable');
    const t0 = Date.now();
    const r = await generateReport({
      base,
      disfaRoot,
      ...({ densenetWeights } as object),
      folds,
      resultsDir: values.results === undefined ? undefined : path.resolve(String(values.results)),
      outDir: values.out === undefined ? undefined : path.resolve(String(values.out)),
      reportFile: values.report === undefined ? undefined : path.resolve(String(values.report)),
      runMissing: Boolean(values['run-missing']),
      throughput: values['no-throughput'] ? false : values.throughput ? true : 'missing',
      formats,
      onMessage: (m) => process.stderr.write(`figures: ${m}\n`),
      onProgress: createProgressReporter(),
      // REPORT.md is committed: absolute path arguments are recorded relative to the working folder
      command: portableCommand(['fer-au', 'figures', ...argv]),
    });
    process.stdout.write(`wrote ${r.figures.length} figures and ${r.reportFile} in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
    for (const c of r.claims) process.stdout.write(`  ${c.status.padEnd(24)} ${c.claim}\n`);
    for (const m of r.missing) process.stdout.write(`  not generated: ${m}\n`);
    return 0;
  },
};
