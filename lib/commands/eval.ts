/**
 * `fer-au eval`: re-evaluates a trained run on its test fold (`--run DIR`), or summarises a folder of results
 * files, averaging each setting over its folds the standard way (`--summary DIR`: per-AU F1 per fold, then the
 * mean over folds; lib/results summarizeFolds), printed from a danfo DataFrame as a table, CSV or JSON.
 */
import { parseCommandArgs } from './args';
import { Command, UsageError } from './types';
import { exitWhenDone } from './train';

const USAGE = `usage: fer-au eval --run DIR [--data-root DIR] [--json]
       fer-au eval --summary RESULTS_DIR [--format table|csv|json]

--run DIR        re-evaluate the model saved in a run directory (from fer-au train) on its config's test fold:
                 per-AU precision / recall / F1 at 0.5 and at thresholds tuned on validation, AP
--data-root DIR  use this dataset copy instead of the one in the run's config
--summary DIR    average every results file under DIR over folds: per-AU F1 per fold, then the mean over folds
--format F       with --summary: table (default), csv (one row per setting: backbone, loss, folds, AUxx...,
                 meanF1, meanAp, tunedMeanF1, allPositiveF1, runs; fractions in [0, 1]) or json (the same rows)
--json           print JSON instead of a table (with --summary: --format json)
`;

function pct(x: number): string {
  return (100 * x).toFixed(1).padStart(5);
}

const FORMATS = ['table', 'csv', 'json'];

/** `--summary DIR`: the fold-averaged sweep as a DataFrame (lib/results foldSummaryFrame), printed as `format`. */
function summary(dir: string, format: string): number {
  if (!FORMATS.includes(format)) throw new UsageError(`--format: expected one of ${FORMATS.join(', ')}, got '${format}'`);
  const { listResults, readResults, foldSummaryFrame, frameCsv, frameRecords } = require('../results') as typeof import('../results');
  const fs = require('fs') as typeof import('fs');
  if (!fs.existsSync(dir)) throw new UsageError(`--summary: ${dir} does not exist`);
  const files = listResults(dir);
  if (!files.length) throw new UsageError(`--summary: no results files under ${dir}`);
  const df = foldSummaryFrame(files.map(readResults));
  if (format === 'csv') {
    process.stdout.write(frameCsv(df));
    return 0;
  }
  const rows = frameRecords(df);
  if (format === 'json') {
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return 0;
  }
  const aus = df.columns.filter((c) => /^AU\d\d$/.test(c));
  const cell = (v: unknown) => (typeof v === 'number' ? pct(v) : '    -');
  process.stdout.write(`F1 (%) averaged over folds (per-AU F1 per fold, then mean over folds), ${files.length} files\n`);
  process.stdout.write(`${'backbone'.padEnd(14)}${'loss'.padEnd(14)}${'folds'.padEnd(8)}${aus.map((a) => a.padStart(6)).join('')}   mean  tuned  all-pos\n`);
  for (const r of rows) {
    process.stdout.write(
      `${String(r.backbone).padEnd(14)}${String(r.loss).padEnd(14)}${String(r.folds).padEnd(8)}${aus.map((a) => ` ${cell(r[a])}`).join('')}  ${cell(r.meanF1)}  ${cell(r.tunedMeanF1)}    ${cell(r.allPositiveF1)}\n`,
    );
  }
  return 0;
}

export const command: Command = {
  name: 'eval',
  summary: 'evaluate a trained run on its test fold, or average a sweep over folds',
  usage: USAGE,
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      run: { type: 'string' },
      'data-root': { type: 'string' },
      summary: { type: 'string' },
      json: { type: 'boolean' },
      format: { type: 'string' },
    });
    if ((values.run === undefined) === (values.summary === undefined)) throw new UsageError('give exactly one of --run DIR or --summary DIR');
    if (values.summary !== undefined) return summary(String(values.summary), values.json ? 'json' : values.format === undefined ? 'table' : String(values.format));
    const { initBackend } = require('../backend') as typeof import('../backend');
    await initBackend();
    const { evaluateRun, createProgressReporter, disposeAuModel } = require('../train') as typeof import('../train');
    const r = await evaluateRun(String(values.run), {
      dataRoot: values['data-root'] !== undefined ? String(values['data-root']) : undefined,
      onProgress: values.json ? undefined : createProgressReporter(),
    });
    disposeAuModel(r.model);
    exitWhenDone();
    if (values.json) {
      process.stdout.write(JSON.stringify({ config: r.config, metrics: r.metrics }, null, 2) + '\n');
      return 0;
    }
    const m = r.metrics;
    process.stdout.write(`AU      P@0.5  R@0.5 F1@0.5  F1@tuned    AP  support\n`);
    for (const au of Object.keys(m.perAu)) {
      const a = m.perAu[au];
      process.stdout.write(
        `${au.padEnd(6)} ${pct(a.precision)}  ${pct(a.recall)}  ${pct(a.f1)}     ${m.tuned ? pct(m.tuned.perAu[au].f1) : '    -'}  ${pct(a.ap)}  ${String(a.support).padStart(7)}\n`,
      );
    }
    process.stdout.write(
      `mean                  ${pct(m.meanF1)}     ${m.tuned ? pct(m.tuned.meanF1) : '    -'}  ${pct(m.meanAp)}   (all-positive baseline F1 ${pct(m.baseline.allPositive.meanF1).trim()})\n`,
    );
    return 0;
  },
};
