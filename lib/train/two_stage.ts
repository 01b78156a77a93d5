/**
 * Two-stage transfer learning (Arsirii & Petrosiuk 2023, "Transfer learning method"; fastai `fine_tune`, the
 * Keras transfer-learning guide), as a short composition:
 *   data (experiment_data.ts) -> model -> stage 1: the head on cached features (stage1.ts, features.ts)
 *   -> stage 2: fine-tuning on images (stage2.ts) -> one evaluation (evaluate.ts) -> results (results_file.ts).
 * Both stages run lib/train's one loop (fit.ts) with callbacks: early stopping with restore-best, exact
 * checkpoints, progress (callbacks/). Both stop early on validation loss and end with the best weights restored.
 *
 * Protocol: the test subjects are those of fold k (ME-GraphAU numbering, lib/data folds.ts); validation subjects
 * are drawn from the training subjects only (subject-exclusive); bce-weighted's class weights come from the
 * training labels only.
 *
 * Reproducibility: every random stream derives from config.seed with deriveSeed(seed, stream, ...):
 * - initialisation: buildAuModel({seed: deriveSeed(seed, 'init')}) seeds every initialiser;
 * - data order: stage 1 shuffles with Rng(deriveSeed(seed, 'order', 1, epoch)); stage 2's imageBatches gets
 *   deriveSeed(seed, 'order', 2) and the epoch, and derives the shuffle and each frame's augmentation from them;
 * - validation split: deriveSeed(seed, 'validation-split');
 * - dropout: seeded per step (fit.ts setDropoutSeeds), since tfjs has no global seed.
 * So the same config and seed give the same weights and metrics on the same backend, and a resumed run needs only
 * (stage, epoch) to continue every stream (checkpoint.ts).
 */
import * as path from 'path';
import { backendInfo, initBackend } from '../backend';
import { getLoss } from '../losses';
import { buildAuModel, saveAuModel, type AuModel } from '../models';
import { writeResults, type ResultsFile } from '../results';
import { writeFileAtomic } from '../util/fs';
import { deriveSeed } from '../util/rng';
import { openRunDir, RunDir } from './checkpoint';
import type { RunState } from './callbacks/checkpoint';
import { validateConfig, type ExperimentConfig } from './config';
import { evaluateModel } from './evaluate';
import { loadExperimentData } from './experiment_data';
import type { ProgressFn } from './progress';
import { buildResults, scoresCsv } from './results_file';
import { runId as makeRunId } from './run_id';
import { trainStage1 } from './stage1';
import { fineTune } from './stage2';
import { runPosWeight, scoreShift, shiftOutputBias } from './score_correction';

export interface TrainOptions {
  /** Run directory (default `runs/<runId>` under the working directory). */
  runDir?: string;
  /** Continue from the run directory's last checkpoint (the config must be the same). */
  resume?: boolean;
  onProgress?: ProgressFn;
  /** Also write the results file here (e.g. results/loss-comparison/<runId>.json). */
  resultsFile?: string;
  /** Recorded in meta.command. */
  command?: string;
  /** Cache root for the synthetic set and features (default lib/data defaultCacheDir). */
  cacheDir?: string;
}

export interface TrainResult {
  runDir: string;
  results: ResultsFile;
  model: AuModel;
}

/**
 * Frees an AuModel's weights. `model.dispose()` alone leaves the head's weights alive: the head layers are also
 * applied in the separate `head` model, so their reference count is 2.
 */
export function disposeAuModel(m: AuModel): void {
  m.model.dispose();
  m.head.dispose();
}

async function modelFor(c: ExperimentConfig, onProgress: ProgressFn): Promise<AuModel> {
  const m = await buildAuModel({
    backbone: c.backbone, inputSize: c.inputSize, numAus: c.aus.length, aus: c.aus, weights: c.weights,
    dropout: c.dropout, seed: deriveSeed(c.seed, 'init'), alpha: c.alpha,
  });
  onProgress({ kind: 'phase', phase: 'model', detail: `${c.backbone} alpha ${c.alpha} @ ${c.inputSize}px, weights: ${m.weights ? m.weights.description : 'random init'}` });
  return m;
}

/**
 * Runs the two-stage transfer of `config` (validated first) and evaluates it on the test fold.
 * Writes a run directory (config, per-epoch checkpoints, history, final model, test scores, results file) and
 * returns the results file (schema: lib/results).
 */
export async function trainTwoStage(configIn: ExperimentConfig, opts: TrainOptions = {}): Promise<TrainResult> {
  const t0 = Date.now();
  const c = validateConfig(structuredClone(configIn));
  const onProgress: ProgressFn = opts.onProgress ?? (() => undefined);
  const id = makeRunId(c);
  const run = new RunDir(path.resolve(opts.runDir ?? path.join('runs', id)));
  const backend = backendInfo() ?? (await initBackend());
  const ckpt = openRunDir(run, c, id, { resume: opts.resume, onProgress });
  const state: RunState = {
    history: ckpt ? structuredClone(ckpt.history) : { stage1: [], stage2: [] },
    stage1Metrics: ckpt?.stage1Metrics ?? null,
    elapsed: () => (ckpt?.elapsedS ?? 0) + (Date.now() - t0) / 1000,
  };
  const d = await loadExperimentData(c, { cacheDir: opts.cacheDir, onProgress });
  const m = await modelFor(c, onProgress);
  const posWeight = runPosWeight(c, d.trainLabels);
  const loss = getLoss(c.loss, posWeight ? { posWeight } : {});
  const x = { c, m, d, loss, scoreShift: scoreShift(c, posWeight), run, runId: id, ckpt, state, onProgress, cacheDir: opts.cacheDir };
  await trainStage1(x);
  await fineTune(x);
  if (x.scoreShift) shiftOutputBias(m, x.scoreShift); // the saved model gives the corrected scores (score_correction.ts)

  const { metrics, curves, testScores } = await evaluateModel(m, d, c, { onProgress });
  writeFileAtomic(run.testScores, scoresCsv(d.test, testScores, d.testLabels, c.aus));
  await saveAuModel(m, run.model);
  const results = buildResults({ c, runId: id, d, state, metrics, curves, backend, weights: m.weights, command: opts.command ?? `trainTwoStage(${c.name})` });
  writeResults(run.results, results);
  if (opts.resultsFile) writeResults(opts.resultsFile, results);
  onProgress({ kind: 'done', meanF1: metrics.meanF1, seconds: state.elapsed() });
  return { runDir: run.dir, results, model: m };
}
