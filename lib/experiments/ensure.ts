/**
 * Reuse-or-run: notebooks and `fer-au figures --run-missing` ask for the results of a config; when a results file
 * with that config already exists (in any task folder: the loss comparison's LSEP run is also the backbone
 * survey's MobileNet-v1 run) it is read, otherwise the run is trained with lib/train's trainTwoStage and written
 * to results/<task>/<runId>.json. So a notebook re-executed on the same tree costs seconds, not minutes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { listResults, readResults, type ResultsFile } from '../results';
import { configDiff, validateConfig, type ExperimentConfig } from '../train/config';
import { portableConfig, runId } from '../train/run_id';
import type { ProgressFn } from '../train/progress';

/** Results folder of this checkout (`<repo>/results`). */
export const DEFAULT_RESULTS_DIR = path.join(__dirname, '..', '..', 'results');
/** Run directories (checkpoints, models; git-ignored) of this checkout (`<repo>/runs`). */
export const DEFAULT_RUNS_DIR = path.join(__dirname, '..', '..', 'runs');

export interface EnsureOptions {
  resultsDir?: string;
  runsDir?: string;
  /** Train even when a matching results file exists. */
  force?: boolean;
  /** Only look: return null instead of training when nothing matches. */
  noRun?: boolean;
  onProgress?: ProgressFn;
  /** Recorded in the results file's meta.command. */
  command?: string;
}

export interface EnsuredRun {
  results: ResultsFile;
  file: string;
  /** true when an existing results file was used. */
  reused: boolean;
}

/** Where the results file of `config` goes: `<resultsDir>/<task>/<runId>.json`. */
export function resultsFileFor(config: ExperimentConfig, resultsDir = DEFAULT_RESULTS_DIR): string {
  return path.join(resultsDir, config.task, `${runId(config)}.json`);
}

/** What must match for a results file to be reused: the portable config (no machine paths) without `task`. */
function withoutTask(c: unknown): unknown {
  const { task: _task, ...rest } = portableConfig(validateConfig(structuredClone(c))) as unknown as Record<string, unknown>;
  return rest;
}

/**
 * An existing results file whose config equals `config` in everything but `task`: its own task folder first,
 * then any other. Files that do not parse as results are skipped (listResults only lists schema files).
 */
export function findExistingRun(config: ExperimentConfig, resultsDir = DEFAULT_RESULTS_DIR): { file: string; results: ResultsFile } | null {
  const own = resultsFileFor(config, resultsDir);
  const candidates = [own, ...(fs.existsSync(resultsDir) ? listResults(resultsDir).filter((f) => f !== own) : [])];
  const want = withoutTask(config);
  for (const file of candidates) {
    if (!fs.existsSync(file)) continue;
    if (path.basename(file) !== `${runId(config)}.json`) continue;
    const results = readResults(file);
    if (configDiff(withoutTask(results.config), want).length === 0) return { file, results };
  }
  return null;
}

/** The results of `config`: read when present (see findExistingRun), trained and written otherwise. */
export async function ensureRun(config: ExperimentConfig, opts: EnsureOptions = {}): Promise<EnsuredRun | null> {
  const resultsDir = opts.resultsDir ?? DEFAULT_RESULTS_DIR;
  if (!opts.force) {
    const found = findExistingRun(config, resultsDir);
    if (found) return { ...found, reused: true };
  }
  if (opts.noRun) return null;
  // Loaded here so that reading results (figures, notebooks) does not load TensorFlow.js.
  const { trainTwoStage } = require('../train/two_stage') as typeof import('../train/two_stage');
  const file = resultsFileFor(config, resultsDir);
  const runDir = path.join(opts.runsDir ?? DEFAULT_RUNS_DIR, config.task, runId(config));
  const r = await trainTwoStage(config, {
    runDir,
    resultsFile: file,
    onProgress: opts.onProgress,
    command: opts.command ?? `ensureRun(${config.task}/${runId(config)})`,
  });
  return { results: r.results, file, reused: false };
}

/** Progress of ensureRuns: which run of how many, and whether it was reused or trained. */
export type RunsProgress = (e: { index: number; total: number; config: ExperimentConfig; status: 'reused' | 'training' | 'trained' | 'missing'; seconds?: number }) => void;

/**
 * ensureRun for each config in order (runs are sequential: one machine's cores are shared by one run).
 * With `noRun`, missing runs are reported and left null. Returns one entry per config, in config order.
 */
export async function ensureRuns(
  configs: ExperimentConfig[],
  opts: EnsureOptions & { onRun?: RunsProgress } = {},
): Promise<(EnsuredRun | null)[]> {
  const out: (EnsuredRun | null)[] = [];
  for (let i = 0; i < configs.length; i++) {
    const c = configs[i];
    const found = opts.force ? null : findExistingRun(c, opts.resultsDir ?? DEFAULT_RESULTS_DIR);
    if (found) {
      opts.onRun?.({ index: i, total: configs.length, config: c, status: 'reused' });
      out.push({ ...found, reused: true });
      continue;
    }
    if (opts.noRun) {
      opts.onRun?.({ index: i, total: configs.length, config: c, status: 'missing' });
      out.push(null);
      continue;
    }
    opts.onRun?.({ index: i, total: configs.length, config: c, status: 'training' });
    const t0 = Date.now();
    const r = await ensureRun(c, { ...opts, force: true });
    opts.onRun?.({ index: i, total: configs.length, config: c, status: 'trained', seconds: (Date.now() - t0) / 1000 });
    out.push(r);
  }
  return out;
}

/**
 * Progress callbacks for ensureRuns that write one line through `update` (a notebook's updating display, or a
 * console line): which run, whether it is reused or training, and the training phase, epoch and step.
 */
export function runsProgress(update: (line: string) => void): { onRun: RunsProgress; onProgress: ProgressFn } {
  let head = '';
  return {
    onRun: (e) => {
      head = `run ${e.index + 1}/${e.total} ${e.config.task}/${runId(e.config)}`;
      const tail = e.status === 'trained' ? `trained in ${e.seconds?.toFixed(0)} s` : e.status === 'reused' ? 'results file present, reused' : e.status;
      update(`${head}: ${tail}`);
    },
    onProgress: (e) => {
      if (e.kind === 'phase') update(`${head}: ${e.phase}${e.detail ? ` (${e.detail})` : ''}`);
      else if (e.kind === 'step') update(`${head}: ${e.phase} ${e.epoch ? `epoch ${e.epoch}/${e.epochs} ` : ''}step ${e.step}/${e.steps}${e.loss !== undefined ? ` loss ${e.loss.toFixed(4)}` : ''}`);
      else if (e.kind === 'epoch') update(`${head}: stage ${e.stage} epoch ${e.epoch}/${e.epochs} loss ${e.loss.toFixed(4)} val loss ${e.valLoss.toFixed(4)} val F1 ${(100 * e.valMeanF1).toFixed(1)} (${e.seconds.toFixed(1)} s)`);
      else if (e.kind === 'done') update(`${head}: done, test mean F1 ${(100 * e.meanF1).toFixed(1)} in ${e.seconds.toFixed(0)} s`);
    },
  };
}

/** The results of ensureRuns' entries that exist (missing ones dropped), in order. */
export function resultsOf(runs: (EnsuredRun | null)[]): ResultsFile[] {
  return runs.filter((r): r is EnsuredRun => r !== null).map((r) => r.results);
}
