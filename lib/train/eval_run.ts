/**
 * Re-evaluating a finished run: loads its saved model and config, rebuilds the same split (optionally from
 * another copy of the dataset) and recomputes the test-fold metrics.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadAuModel, type AuModel } from '../models';
import type { Curve, ResultsMetrics } from '../results/schema';
import { readJson } from '../util/fs';
import { RunDir } from './checkpoint';
import { validateConfig, type ExperimentConfig } from './config';
import { evaluateModel } from './evaluate';
import { loadExperimentData } from './experiment_data';
import type { ProgressFn } from './progress';

export interface EvalRunResult {
  config: ExperimentConfig;
  model: AuModel;
  metrics: ResultsMetrics;
  curves: Record<string, Curve>;
}

/** Evaluates the model saved in run directory `dir` on its config's test fold (`dataRoot` overrides the dataset). */
export async function evaluateRun(
  dir: string,
  opts: { dataRoot?: string; cacheDir?: string; onProgress?: ProgressFn } = {},
): Promise<EvalRunResult> {
  const run = new RunDir(path.resolve(dir));
  if (!fs.existsSync(run.config)) throw new Error(`${run.dir}: not a run directory (no config.json)`);
  if (!fs.existsSync(path.join(run.model, 'fer-au.json'))) throw new Error(`${run.dir}: the run has no saved model yet (${run.model})`);
  const c = validateConfig(readJson(run.config), run.config);
  if (opts.dataRoot) c.dataset = { ...c.dataset, root: path.resolve(opts.dataRoot) };
  const model = await loadAuModel(run.model);
  const d = await loadExperimentData(c, { cacheDir: opts.cacheDir, onProgress: opts.onProgress });
  const { metrics, curves } = await evaluateModel(model, d, c, { onProgress: opts.onProgress });
  return { config: c, model, metrics, curves };
}
