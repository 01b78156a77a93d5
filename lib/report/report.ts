/**
 * The main job (`npm start` = `fer-au figures --run-missing`): make sure the runs of every experiment exist
 * (reusing results files, training only what is missing), measure backbone throughput if not measured yet, build
 * every figure from results JSON, export PNG, SVG and HTML to results/figures/, and write results/REPORT.md with
 * the claims table.
 */
import { realFacesSection } from './real_faces';
import * as fs from 'fs';
import * as path from 'path';
import { loadBaselines } from '../metrics/baselines';
import { findChromium, writeFigures, type ExportedFiles } from '../plots';
import type { ResultsFile } from '../results';
import { PRESETS } from '../train/presets';
import type { ExperimentConfig } from '../train/config';
import { runId } from '../train/run_id';
import type { ProgressFn } from '../train/progress';
import { writeFileAtomic } from '../util/fs';
import { checkClaims, type ClaimCheck } from './claims';
import { DEFAULT_RESULTS_DIR, backboneSurveyExperiments, ensureRuns, initialisationExperiments, lossComparisonExperiments, transferStagesExperiments, type EnsuredRun, type ExperimentOptions } from '../experiments';
import { FIGURE_NAMES, backboneLabel, buildFigureSet, datasetLabel, lossLabel, type FigureInputs, type ReportFigure } from './figure_set';
import { claimsTable, f1Table, runsTable, stagesTable, throughputTable } from './markdown';
import { ensureThroughput, readThroughput, type ThroughputReport } from './throughput';

export interface ReportOptions extends ExperimentOptions {
  /** Base preset of every experiment (default PRESETS.quick). */
  base?: ExperimentConfig;
  resultsDir?: string;
  /** Figures folder (default <resultsDir>/figures). */
  outDir?: string;
  /** Report file (default <resultsDir>/REPORT.md). */
  reportFile?: string;
  /** Train the runs that have no results file yet (else figures needing them are skipped and listed). */
  runMissing?: boolean;
  /** Measure throughput: 'missing' (default) only when <outDir>/throughput.json is absent, true always, false never. */
  throughput?: boolean | 'missing';
  /** Static formats (default png, svg, html; PNG and SVG need Chromium). */
  formats?: ('png' | 'svg' | 'html')[];
  /** One line per step (runs, figures). */
  onMessage?: (message: string) => void;
  /** Training progress events of each run. */
  onProgress?: ProgressFn;
  /** Recorded in the report and in new results files. */
  command?: string;
}

/** Seeds whose existing results files the report reads (replicates; only the preset's seed is trained here). */
export const REPORT_SEEDS = [1, 2, 3];

/** The runs and measurements the figures and claims read. */
export interface ReportInputs extends FigureInputs {
  lossComparison: ResultsFile[];
  backboneSurvey: ResultsFile[];
  transferStages: ResultsFile[];
  /** The transfer-stages runs with their random-initialisation twins (never trained here, read when present). */
  initialisation?: ResultsFile[];
  throughput: ThroughputReport | null;
}

/** The experiments of the report (loss comparison, backbone survey, transfer stages) for `opts`. */
export function reportExperiments(opts: ReportOptions = {}): { lossComparison: ExperimentConfig[]; backboneSurvey: ExperimentConfig[]; transferStages: ExperimentConfig[] } {
  const base = opts.base ?? PRESETS.quick;
  return {
    lossComparison: lossComparisonExperiments(base, opts),
    backboneSurvey: backboneSurveyExperiments(base, opts),
    transferStages: transferStagesExperiments(base, opts),
  };
}

/** Finds (and with runMissing, trains) the report's runs; reads or measures throughput. */
export async function gatherReportInputs(opts: ReportOptions = {}): Promise<ReportInputs> {
  const resultsDir = opts.resultsDir ?? DEFAULT_RESULTS_DIR;
  const say = opts.onMessage ?? (() => undefined);
  const exps = reportExperiments(opts);
  const all = [...exps.lossComparison, ...exps.backboneSurvey, ...exps.transferStages];
  const found = await ensureRuns(all, {
    resultsDir,
    noRun: !opts.runMissing,
    onProgress: opts.onProgress,
    command: opts.command,
    onRun: (e) => {
      const what = `${e.config.task}: ${backboneLabel(e.config.backbone)} + ${lossLabel(e.config.loss)}, fold ${e.config.fold}`;
      if (e.status === 'trained') say(`[${e.index + 1}/${e.total}] ${what}: trained in ${e.seconds?.toFixed(0)} s`);
      else say(`[${e.index + 1}/${e.total}] ${what}: ${e.status === 'reused' ? 'results file present, reused' : e.status}`);
    },
  });
  const n1 = exps.lossComparison.length;
  const n2 = n1 + exps.backboneSurvey.length;
  const pick = (from: number, to: number) => found.slice(from, to).filter((f): f is EnsuredRun => f !== null).map((f) => f.results);
  const throughputFile = path.join(opts.outDir ?? path.join(resultsDir, 'figures'), 'throughput.json');
  const inputSize = (opts.base ?? PRESETS.quick).inputSize;
  let throughput = readThroughput(throughputFile);
  if (opts.throughput === true || (opts.throughput !== false && (!throughput || throughput.inputSize !== inputSize))) {
    say('measuring backbone throughput');
    throughput = await ensureThroughput({ file: throughputFile, inputSize, force: true, onProgress: (m) => say(`  ${m}`) });
  }
  // Without explicit folds, the runs of the other test folds and of the replicate seeds join the report when their
  // results files exist (the DISFA protocol averages over folds; claims pair fold x seed units), but only the
  // preset's fold and seed are ever trained here.
  const others = { lossComparison: [] as ResultsFile[], backboneSurvey: [] as ResultsFile[], transferStages: [] as ResultsFile[] };
  const lookup = opts.folds ? { ...opts } : { ...opts, folds: [1, 2, 3] as (1 | 2 | 3)[], seeds: opts.seeds ?? REPORT_SEEDS };
  const existing = async (cs: ExperimentConfig[]) =>
    (await ensureRuns(cs, { resultsDir, noRun: true })).filter((f): f is EnsuredRun => f !== null).map((f) => f.results);
  if (!opts.folds) {
    const more = reportExperiments(lookup);
    for (const key of ['lossComparison', 'backboneSurvey', 'transferStages'] as const) others[key] = await existing(more[key]);
  }
  const uniq = (rs: ResultsFile[]) => [...new Map(rs.map((r) => [`${runId(r.config as unknown as ExperimentConfig)} ${String(r.config.task)}`, r])).values()];
  const transferStages = uniq([...pick(n2, found.length), ...others.transferStages]);
  const random = await existing(initialisationExperiments(opts.base ?? PRESETS.quick, lookup));
  return {
    lossComparison: uniq([...pick(0, n1), ...others.lossComparison]),
    backboneSurvey: uniq([...pick(n1, n2), ...others.backboneSurvey]),
    transferStages,
    initialisation: [...transferStages, ...random],
    throughput,
    baselines: loadBaselines(),
  };
}

/**
 * The git commits the runs were made at (meta.gitCommit, 12 hex digits, '-dirty' kept), most runs first:
 * 'made at git 4715839a1b2c (12 runs), b1476a3f0e9d-dirty (8 runs)'.
 */
export function resultsProvenance(runs: ResultsFile[]): string {
  if (!runs.length) return 'none';
  const counts = new Map<string, number>();
  for (const r of runs) {
    const c = r.meta.gitCommit === null ? 'unknown' : r.meta.gitCommit.replace(/^([0-9a-f]{12})[0-9a-f]*/, '$1');
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  const parts = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c, n]) => `${c} (${n} run${n === 1 ? '' : 's'})`);
  return `made at git ${parts.join(', ')}`;
}

/** REPORT.md text from the inputs, the figures written and the claims. */
export function renderReport(
  inputs: ReportInputs,
  figures: { figure: ReportFigure; files: ExportedFiles }[],
  claims: ClaimCheck[],
  missing: string[],
  meta: { command: string; reportDir: string },
): string {
  const runs = [...new Map([...inputs.lossComparison, ...inputs.backboneSurvey, ...inputs.transferStages].map((r) => [r.meta.runId + r.config.task, r])).values()];
  const synthetic = runs.length > 0 && runs.every((r) => r.data.synthetic);
  const rel = (p: string) => path.relative(meta.reportDir, p).split(path.sep).join('/');
  const out: string[] = [];
  out.push('# fer-au report: reproducing Arsirii & Petrosiuk (2023)', '');
  // What the report was built from, not when: an unchanged tree rebuilds it byte for byte (a clean git status).
  out.push(`Built by \`${meta.command}\` from ${runs.length} results file${runs.length === 1 ? '' : 's'} (${resultsProvenance(runs)}).`);
  out.push('Every number below comes from the results files under `results/` (one JSON per run, schema in shared/design.md) or from the published-facts manifests under `data-manifests/`; nothing is typed in by hand.', '');
  if (synthetic) {
    out.push(
      '> **Data: synthetic DISFA** (the embedded default: procedurally drawn faces in DISFA\'s layout, label statistics shaped like the paper\'s Table 1).',
      '> The runs check the method end to end; their F1 values are not DISFA results and do not compare with the published DISFA numbers shown beside them.',
      '> Point `fer-au figures --data-root DIR` at a licensed DISFA copy (and use `--preset paper`) to reproduce the paper\'s setting.',
      '',
    );
  }
  out.push('## Claims', '', claimsTable(claims), '');
  out.push('## Figures', '');
  for (const { figure, files } of figures) {
    out.push(`### ${figure.name}`, '');
    if (files.png) out.push(`![${figure.caption}](${rel(files.png)})`, '');
    const links = [files.svg && `[SVG](${rel(files.svg)})`, files.html && `[interactive HTML](${rel(files.html)})`].filter(Boolean);
    out.push(`${figure.caption}${links.length ? ` ${links.join(', ')}.` : ''}`, '');
  }
  if (runs.length) {
    out.push('## Runs', '', runsTable(runs), '');
  }
  if (inputs.backboneSurvey.length) {
    out.push('## Per-AU F1: backbone survey (LSEP) and published DISFA results', '');
    out.push(f1Table(inputs.backboneSurvey.map((r) => ({ label: `${backboneLabel(r.config.backbone)} (${datasetLabel(r)}, fold ${r.data.fold})`, run: r })), inputs.baselines), '');
    const note = inputs.baselines?.rows.find((r) => r.averageNote && r.perAu)?.averageNote;
    if (note) out.push(`Note (EAC-Net): ${note}`, '');
  }
  if (inputs.lossComparison.length) {
    out.push('## Per-AU F1: loss comparison', '');
    out.push(f1Table(inputs.lossComparison.map((r) => ({ label: `${lossLabel(r.config.loss)} (fold ${r.data.fold})`, run: r }))), '');
  }
  const ts = inputs.transferStages[0];
  if (ts) {
    out.push('## Transfer stages', '', stagesTable(ts), '');
    if (ts.metrics.tuned) {
      out.push('Threshold tuning (thresholds chosen per AU on the validation subjects, applied to the test fold):', '');
      out.push(f1Table([{ label: 'threshold 0.5', run: ts }, { label: 'tuned thresholds', run: ts, tuned: true }]), '');
    }
  }
  if (inputs.throughput) {
    const t = inputs.throughput;
    out.push('## Backbone throughput', '', `Measured on ${t.backend}, ${t.inputSize}x${t.inputSize} input, forward batch ${t.batchSize} (mean of ${t.iterations} iterations), training step batch ${t.trainBatchSize} (fine-tuning the top blocks and the head, as stage 2 of the quick preset; mean of 2 steps), each after a warm-up (${t.date}).`, '');
    out.push(throughputTable(t), '');
  }
  if (missing.length) out.push('## Not generated', '', ...missing.map((m) => `- ${m}`), '');
  return out.join('\n');
}

/** Runs the whole job; returns what was written. */
export async function generateReport(opts: ReportOptions = {}): Promise<{ reportFile: string; figures: { name: string; files: ExportedFiles }[]; claims: ClaimCheck[]; missing: string[] }> {
  const resultsDir = opts.resultsDir ?? DEFAULT_RESULTS_DIR;
  const outDir = opts.outDir ?? path.join(resultsDir, 'figures');
  const reportFile = opts.reportFile ?? path.join(resultsDir, 'REPORT.md');
  const say = opts.onMessage ?? (() => undefined);
  const inputs = await gatherReportInputs(opts);
  const { figures, missing } = buildFigureSet(inputs);
  let formats = opts.formats ?? ['png', 'svg', 'html'];
  if (!findChromium() && formats.some((f) => f !== 'html')) {
    missing.push('PNG and SVG: no Chromium found (see `fer-au figures --help` for where it is looked for and how to get one); HTML only');
    formats = formats.filter((f) => f === 'html');
  }
  // PNG/SVG are rendered only when their figure JSON changed (lib/plots writeFigures, results/figures/figures.json).
  const files = await writeFigures(figures.map((f) => ({ name: f.name, figure: f.figure })), outDir, {
    formats,
    onFigure: (name, status) => say(`figure ${name}${status === 'unchanged' ? ' (unchanged)' : ''}`),
  });
  const written = figures.map((figure, i) => ({ figure, files: files[i].files }));
  // A figure whose runs are gone (e.g. the preset changed) must not linger beside the new report.
  const made = new Set(figures.map((f) => f.name));
  for (const name of FIGURE_NAMES) {
    if (made.has(name)) continue;
    for (const ext of ['png', 'svg', 'html']) fs.rmSync(path.join(outDir, `${name}.${ext}`), { force: true });
  }
  const claims = checkClaims(inputs);
  const md = renderReport(inputs, written, claims, missing, { command: opts.command ?? 'fer-au figures', reportDir: path.dirname(reportFile) });
  const realFaces = realFacesSection(resultsDir, path.dirname(reportFile));
  writeFileAtomic(reportFile, [md, ...realFaces].join('\n') + '\n');
  say(`wrote ${reportFile}`);
  return { reportFile, figures: written.map((w) => ({ name: w.figure.name, files: w.files })), claims, missing };
}
