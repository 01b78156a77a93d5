/**
 * Two-stage transfer learning (Arsirii & Petrosiuk 2023, "Transfer learning method"; fastai `fine_tune`, the
 * Keras transfer-learning guide):
 *
 * Stage 1 trains the head (BatchNorm -> ReLU -> Dropout -> Dense) on pooled backbone features. The features are
 * computed ONCE per image in inference mode (the backbone's BatchNorm layers use and keep their moving
 * statistics) and cached, so an epoch costs a few matrix products instead of a backbone pass.
 * Stage 2 unfreezes all of the backbone or the blocks from `stage2.unfreezeFrom` on, re-creates the optimizer at
 * the lower fine-tuning rate, trains the whole model on streamed image batches with augmentation, and keeps
 * frozen BatchNorm layers in inference mode (lib/models' BatchNormalization honours `trainable = false`).
 * Both stages stop early on validation loss and end with the best weights restored.
 *
 * The training loop is written out (optimizer.minimize over the model's trainable variables with the lib/losses
 * loss on logits) instead of model.fit, so batches stream from imageBatches and every epoch ends in an exact
 * checkpoint (weights, Adam state, early stopping, history; RNG streams are derived from (seed, stage, epoch)).
 *
 * Protocol: the test subjects are those of fold k (JAA-Net folds); validation subjects are drawn from the
 * training subjects only (subject-exclusive); bce-weighted's class weights come from the training labels only.
 *
 * Reproducibility: every random stream derives from config.seed with deriveSeed(seed, stream, ...):
 * - initialisation: buildAuModel({seed: deriveSeed(seed, 'init')}) seeds every initialiser (tfjs initialisers
 *   take a seed; lib/models derives one per layer name);
 * - data order: stage 1 shuffles with Rng(deriveSeed(seed, 'order', 1, epoch)); stage 2's imageBatches gets
 *   deriveSeed(seed, 'order', 2) and the epoch, and derives the shuffle and each frame's augmentation from them;
 * - validation split: deriveSeed(seed, 'validation-split');
 * - dropout: tfjs has no global seed (an op without a seed draws from Math.random), and a Dropout layer's `seed`
 *   is reused on every call (the same mask every step), so the loop sets each Dropout layer's seed before every
 *   step to deriveSeed(seed, 'dropout', stage, epoch, step, layer).
 * So the same config and seed give the same weights and metrics on the same backend, and a resumed run needs only
 * (stage, epoch) to continue every stream (checkpoint.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { backendInfo, initBackend } from '../backend';
import { FeatureCache } from '../data/feature_cache';
import { imageBatches } from '../data/pipeline';
import type { FrameRecord } from '../data';
import { getLoss, posWeightFromLabels, type LossFn } from '../losses';
import { f1Report } from '../metrics';
import { buildAuModel, saveAuModel, type AuModel } from '../models';
import { SCHEMA_VERSION, gitCommit, hostDescription, writeResults, type EpochRecord, type ResultsFile } from '../results';
import { deriveSeed, Rng } from '../util/rng';
import { writeFileAtomic, writeJsonAtomic, readJson } from '../util/fs';
import {
  assignModelTensors,
  modelTensors,
  optimizerTensors,
  readTensorFile,
  restoreOptimizer,
  RunDir,
  type CheckpointState,
  type NamedTensor,
} from './checkpoint';
import { configDiff, validateConfig, type ExperimentConfig } from './config';
import { dataRootRef, portableConfig, runId as makeRunId } from './run_id';
import { EarlyStopping } from './callbacks/early_stopping';
import { countPositives, evaluateModel, loadExperimentData, predictLogits, scoresCsv, sigmoidArray } from './experiment_data';
import type { ProgressFn } from './progress';

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

/** Dropout layers of a model (their `seed` is set per step so masks are reproducible but differ between steps). */
function dropoutLayers(model: tf.LayersModel): { seed?: number }[] {
  return model.layers.filter((l) => l.getClassName() === 'Dropout') as unknown as { seed?: number }[];
}

function setDropoutSeeds(layers: { seed?: number }[], seed: number, stage: number, epoch: number, step: number): void {
  layers.forEach((l, i) => (l.seed = deriveSeed(seed, 'dropout', stage, epoch, step, i)));
}

/**
 * Row-major [n, D] pooled features of `frames` from the backbone in inference mode (`features.predict`: the
 * backbone's BatchNorm layers normalise with, and never update, their moving statistics). With pretrained
 * weights they go through lib/data's content-addressed FeatureCache, so a sweep computes them once per image.
 */
async function extractFeatures(
  m: AuModel,
  frames: FrameRecord[],
  c: ExperimentConfig,
  cache: FeatureCache | null,
  onProgress: ProgressFn,
  what: string,
): Promise<Float32Array> {
  const dim = m.featureDim;
  const out = new Float32Array(frames.length * dim);
  const got = cache ? cache.getMany(frames.map((f) => f.image)) : frames.map(() => null);
  const todo: number[] = [];
  got.forEach((v, i) => (v ? out.set(v, i * dim) : todo.push(i)));
  if (todo.length) {
    const sub = todo.map((i) => frames[i]);
    const computed = new Float32Array(sub.length * dim);
    const steps = Math.ceil(sub.length / c.evalBatchSize);
    let step = 0;
    onProgress({ kind: 'step', phase: 'features', epoch: 0, epochs: 0, step, steps });
    const batches = imageBatches(sub, { aus: c.aus, inputSize: c.inputSize, batchSize: c.evalBatchSize, shuffle: false, seed: 0, augment: null, preprocess: m.preprocess });
    for await (const b of batches) {
      const f = m.features.predict(b.x) as tf.Tensor2D; // [batch, featureDim]
      const data = (await f.data()) as Float32Array;
      b.index.forEach((j, r) => computed.set(data.subarray(r * dim, (r + 1) * dim), j * dim));
      tf.dispose([f, b.x, b.y]);
      onProgress({ kind: 'step', phase: 'features', epoch: 0, epochs: 0, step: ++step, steps });
    }
    todo.forEach((i, j) => out.set(computed.subarray(j * dim, (j + 1) * dim), i * dim));
    cache?.putMany(sub.map((f) => f.image), computed);
  }
  onProgress({ kind: 'phase', phase: 'features', detail: `${what}: ${frames.length} frames (${todo.length} computed, ${frames.length - todo.length} from the cache)` });
  return out;
}

/** Logits of features through the head in inference mode. */
function predictHead(m: AuModel, features: Float32Array, n: number, batchSize: number): Float32Array {
  const dim = features.length / Math.max(n, 1);
  const K = m.numAus;
  const out = new Float32Array(n * K);
  for (let s = 0; s < n; s += batchSize) {
    const e = Math.min(n, s + batchSize);
    tf.tidy(() => {
      const x = tf.tensor2d(features.subarray(s * dim, e * dim), [e - s, dim]);
      out.set((m.head.predict(x) as tf.Tensor).dataSync() as Float32Array, s * K);
    });
  }
  return out;
}

/** Validation loss (the training loss over the whole validation set) and mean F1 at 0.5. */
function validationMetrics(loss: LossFn, labels: Float32Array, logits: Float32Array, aus: string[]): { valLoss: number; valMeanF1: number } {
  const K = aus.length;
  const n = labels.length / K;
  const valLoss = tf.tidy(() => loss(tf.tensor2d(labels, [n, K]), tf.tensor2d(logits, [n, K])).dataSync()[0]);
  const valMeanF1 = f1Report(labels, sigmoidArray(logits), { numLabels: K, names: aus }).meanF1;
  return { valLoss, valMeanF1 };
}

function cloneTensors(ts: NamedTensor[]): NamedTensor[] {
  return ts.map((t) => ({ name: t.name, tensor: t.tensor.clone() }));
}

/**
 * Starts the head's BatchNorm moving statistics at the population mean and (biased) variance of the training
 * features instead of Keras's 0 and 1. In stage 1 the features are fixed, so these are exactly the values the
 * moving averages converge to; from 0/1 with momentum 0.99 they would need ~500 steps, and until then the
 * inference-mode head (validation, early stopping, test) would normalise very differently from the training-mode
 * head (batch statistics). Restored checkpoints overwrite them, so resuming is unaffected.
 */
function initHeadBatchNorm(m: AuModel, features: Float32Array, dim: number): void {
  const n = features.length / dim;
  const mean = new Float64Array(dim);
  const sq = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) {
      const v = features[i * dim + j];
      mean[j] += v;
      sq[j] += v * v;
    }
  }
  const mu = Float32Array.from(mean, (s) => s / n);
  const variance = Float32Array.from(sq, (s, j) => Math.max(0, s / n - mu[j] * mu[j]));
  const stats = m.head.weights.filter((w) => /moving_(mean|variance)$/.test(w.originalName) && w.shape[0] === dim);
  if (stats.length !== 2) throw new Error(`initHeadBatchNorm: expected the head's moving_mean and moving_variance of size ${dim}, found ${stats.length}`);
  for (const w of stats) {
    const t = tf.tensor1d(w.originalName.endsWith('moving_mean') ? mu : variance);
    (w.read() as tf.Variable).assign(t);
    t.dispose();
  }
}

/** Sets which layers train in stage 2 (the head always does). */
function unfreezeForStage2(m: AuModel, c: ExperimentConfig): void {
  const freezeBatchNorm = c.stage2.freezeBatchNorm;
  if (c.stage2.unfreezeFrom === null) m.unfreezeAll({ freezeBatchNorm });
  else m.unfreezeFrom(c.stage2.unfreezeFrom, { freezeBatchNorm });
}

/** The trainable variables of a model, in the stable order of model.trainableWeights. */
function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
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

  // ---- run directory: fresh start or resume
  let ckpt: CheckpointState | null = null;
  if (opts.resume) {
    if (fs.existsSync(run.config)) {
      const diff = configDiff(validateConfig(readJson(run.config), run.config), c);
      if (diff.length) throw new Error(`${run.config}: cannot resume with a different config (differs in: ${diff.join(', ')})`);
    }
    ckpt = run.readCheckpoint();
    if (ckpt) onProgress({ kind: 'phase', phase: 'resume', detail: `stage ${ckpt.stage} epoch ${ckpt.epoch}${ckpt.stageDone ? ' (stage done)' : ''} from ${run.checkpoint}` });
  } else {
    run.clear(id);
  }
  fs.mkdirSync(run.dir, { recursive: true });
  writeJsonAtomic(run.config, c);
  const priorElapsed = ckpt?.elapsedS ?? 0;
  const elapsed = () => priorElapsed + (Date.now() - t0) / 1000;

  // ---- data: fold split, subject-exclusive validation split from the training subjects only
  const d = await loadExperimentData(c, { cacheDir: opts.cacheDir, onProgress });
  const { train: trainFrames, val: valFrames, test: testFrames, trainLabels, valLabels, testLabels } = d;
  const K = c.aus.length;

  // Class weights from the training labels only.
  const loss = getLoss(c.loss, c.loss === 'bce-weighted' ? { posWeight: posWeightFromLabels(trainLabels, K) } : {});

  // ---- model
  const m = await buildAuModel({
    backbone: c.backbone,
    inputSize: c.inputSize,
    numAus: K,
    aus: c.aus,
    weights: c.weights,
    dropout: c.dropout,
    seed: deriveSeed(c.seed, 'init'),
    alpha: c.alpha,
  });
  onProgress({ kind: 'phase', phase: 'model', detail: `${c.backbone} alpha ${c.alpha} @ ${c.inputSize}px, weights: ${m.weights ? m.weights.description : 'random init'}` });

  const history: { stage1: EpochRecord[]; stage2: EpochRecord[] } = ckpt ? structuredClone(ckpt.history) : { stage1: [], stage2: [] };
  let best: NamedTensor[] | null = null;

  // Tensor file holding the best weights of the current stage (named in every checkpoint until the stage ends).
  let bestFile: string | null = ckpt?.bestFile ?? null;
  /** True when `best` changed since the last checkpoint (it is then written with the next one). */
  let bestDirty = false;
  const saveCheckpoint = async (
    stage: 1 | 2,
    epoch: number,
    stageDone: boolean,
    es: EarlyStopping,
    opt: tf.AdamOptimizer | null,
  ) => {
    const bestChanged = bestDirty;
    bestDirty = false;
    const tag = `s${stage}-e${String(epoch).padStart(3, '0')}${stageDone ? '-done' : ''}`;
    if (stageDone) bestFile = null;
    else if (bestChanged) bestFile = `ckpt/${tag}.best.tensors`;
    const state: CheckpointState = {
      version: 1,
      runId: id,
      stage,
      epoch,
      stageDone,
      history,
      earlyStopping: es.state,
      rng: { seed: c.seed, next: stageDone ? { stage: 2, epoch: 1 } : { stage, epoch: epoch + 1 } },
      stateFile: `ckpt/${tag}.state.tensors`,
      bestFile,
      elapsedS: elapsed(),
    };
    // Stage 1 changes only the head (the backbone is frozen and rebuilt identically from the config), so its
    // checkpoints hold the head's weights; stage 2 checkpoints hold the whole model.
    const tensors = [...modelTensors(stage === 1 ? m.head : m.model), ...(opt && !stageDone ? await optimizerTensors(opt) : [])];
    await run.writeCheckpoint(state, tensors, bestChanged && !stageDone ? best : null);
    // getWeights() makes a fresh scalar for Adam's iteration count on every call; everything else is borrowed
    tensors.filter((t) => /^opt\/\d+\/iter$/.test(t.name)).forEach((t) => t.tensor.dispose());
    onProgress({ kind: 'checkpoint', stage, epoch, dir: run.dir });
  };

  const restoreFromCheckpoint = async (opt: tf.AdamOptimizer | null) => {
    const saved = readTensorFile(run.resolve(ckpt!.stateFile));
    const target = ckpt!.stage === 1 ? m.head : m.model;
    const nModel = target.weights.length;
    assignModelTensors(target, saved.slice(0, nModel), ckpt!.stateFile);
    if (opt && saved.length > nModel) await restoreOptimizer(opt, saved.slice(nModel));
    tf.dispose(saved.map((s) => s.tensor));
    if (ckpt!.bestFile) best = readTensorFile(run.resolve(ckpt!.bestFile));
  };

  /** One epoch loop shared by both stages; `runEpoch` trains one epoch and returns the mean training loss. */
  const fitStage = async (
    stage: 1 | 2,
    sc: ExperimentConfig['stage1'],
    trained: tf.LayersModel,
    opt: tf.AdamOptimizer,
    startEpoch: number,
    es: EarlyStopping,
    runEpoch: (epoch: number) => Promise<number>,
    validate: () => Promise<{ valLoss: number; valMeanF1: number }>,
  ) => {
    for (let epoch = startEpoch; epoch <= sc.epochs && !es.state.stopped; epoch++) {
      const te = Date.now();
      const trainLoss = await runEpoch(epoch);
      const { valLoss, valMeanF1 } = await validate();
      const { improved, stop } = es.update(epoch, valLoss);
      if (improved) {
        if (best) tf.dispose(best.map((b) => b.tensor));
        best = cloneTensors(modelTensors(trained));
        bestDirty = true;
      }
      const seconds = (Date.now() - te) / 1000;
      history[stage === 1 ? 'stage1' : 'stage2'].push({ epoch, loss: trainLoss, valLoss, valMeanF1, lr: sc.learningRate, seconds });
      onProgress({ kind: 'epoch', stage, epoch, epochs: sc.epochs, loss: trainLoss, valLoss, valMeanF1, seconds, improved, stop });
      await saveCheckpoint(stage, epoch, false, es, opt);
    }
    // restore the best weights of the stage (Keras restore_best_weights)
    if (best) {
      assignModelTensors(trained, best, `best weights of stage ${stage}`);
      tf.dispose(best.map((b) => b.tensor));
      best = null;
    }
    await saveCheckpoint(stage, history[stage === 1 ? 'stage1' : 'stage2'].length, true, es, null);
  };

  // ---- stage 1: the head on cached pooled features
  const stage1Done = ckpt !== null && (ckpt.stage === 2 || ckpt.stageDone);
  if (!stage1Done && c.stage1.epochs > 0) {
    m.freezeBackbone();
    // Random backbones are not cached (nothing identifies them but the seed); pretrained ones by weights and input.
    const w = m.weights;
    const cache = w
      ? new FeatureCache(
          { backbone: `${c.backbone}@alpha${c.alpha}`, weightsId: `${w.id}|${w.source}|${w.checksum?.md5 ?? ''}`, inputSize: c.inputSize, preprocessing: m.preprocessing, featureDim: m.featureDim },
          { cacheDir: opts.cacheDir },
        )
      : null;
    const trainF = await extractFeatures(m, trainFrames, c, cache, onProgress, 'train');
    const valF = await extractFeatures(m, valFrames, c, cache, onProgress, 'validation');
    cache?.close();
    const dim = trainF.length / trainFrames.length;
    initHeadBatchNorm(m, trainF, dim);
    const opt = tf.train.adam(c.stage1.learningRate);
    const es = new EarlyStopping(c.stage1.patience, c.stage1.minDelta, ckpt?.stage === 1 ? ckpt.earlyStopping : undefined);
    if (ckpt?.stage === 1) await restoreFromCheckpoint(opt);
    const vars = trainableVariables(m.head);
    const drop = dropoutLayers(m.head);
    const n = trainFrames.length;
    const bs = c.stage1.batchSize;
    const steps = Math.ceil(n / bs);
    onProgress({ kind: 'phase', phase: 'stage 1', detail: `head on cached features, ${m.head.countParams()} parameters (${vars.length} trainable tensors), lr ${c.stage1.learningRate}` });
    await fitStage(
      1,
      c.stage1,
      m.head,
      opt,
      ckpt?.stage === 1 ? ckpt.epoch + 1 : 1,
      es,
      async (epoch) => {
        const order = new Rng(deriveSeed(c.seed, 'order', 1, epoch)).shuffle(Array.from({ length: n }, (_, i) => i));
        let sum = 0;
        for (let s = 0; s < steps; s++) {
          const idx = order.slice(s * bs, (s + 1) * bs);
          const xb = new Float32Array(idx.length * dim);
          const yb = new Float32Array(idx.length * K);
          idx.forEach((i, r) => {
            xb.set(trainF.subarray(i * dim, (i + 1) * dim), r * dim);
            yb.set(trainLabels.subarray(i * K, (i + 1) * K), r * K);
          });
          setDropoutSeeds(drop, c.seed, 1, epoch, s);
          const l = tf.tidy(() => {
            const x = tf.tensor2d(xb, [idx.length, dim]);
            const y = tf.tensor2d(yb, [idx.length, K]);
            return opt.minimize(() => loss(y, m.head.apply(x, { training: true }) as tf.Tensor2D), true, vars)!;
          });
          const lv = (await l.data())[0];
          l.dispose();
          sum += lv * idx.length;
          onProgress({ kind: 'step', phase: 'stage1', epoch, epochs: c.stage1.epochs, step: s + 1, steps, loss: sum / Math.min(n, (s + 1) * bs) });
        }
        return sum / n;
      },
      async () => validationMetrics(loss, valLabels, predictHead(m, valF, valFrames.length, c.evalBatchSize), c.aus),
    );
    opt.dispose();
  } else if (ckpt) {
    // stage 1 finished in an earlier session: its final weights are in the checkpoint
    if (ckpt.stage === 1) await restoreFromCheckpoint(null);
  }

  // ---- stage 2: fine-tuning
  const stage2Done = ckpt !== null && ckpt.stage === 2 && ckpt.stageDone;
  if (c.stage2.epochs > 0 && !stage2Done) {
    unfreezeForStage2(m, c);
    const opt = tf.train.adam(c.stage2.learningRate);
    const es = new EarlyStopping(c.stage2.patience, c.stage2.minDelta, ckpt?.stage === 2 ? ckpt.earlyStopping : undefined);
    const validate2 = async () => validationMetrics(loss, valLabels, await predictLogits(m, valFrames, c, onProgress), c.aus);
    if (ckpt?.stage === 2) await restoreFromCheckpoint(opt);
    else {
      // Early stopping's baseline is the model before fine-tuning (epoch 0, Keras EarlyStopping(baseline=...)):
      // if no fine-tuning epoch lowers the validation loss, the stage-1 weights are kept.
      const v0 = await validate2();
      es.update(0, v0.valLoss);
      best = cloneTensors(modelTensors(m.model));
      bestDirty = true;
      onProgress({ kind: 'phase', phase: 'stage 2', detail: `before fine-tuning: val_loss ${v0.valLoss.toFixed(4)} val_meanF1 ${v0.valMeanF1.toFixed(4)}` });
    }
    const vars = trainableVariables(m.model);
    const drop = dropoutLayers(m.model);
    const bs = c.stage2.batchSize;
    const steps = Math.ceil(trainFrames.length / bs);
    const trainableCount = m.trainableParamCount();
    onProgress({ kind: 'phase', phase: 'stage 2', detail: `fine-tuning ${trainableCount} parameters (from ${c.stage2.unfreezeFrom ?? 'the first layer'}), lr ${c.stage2.learningRate}` });
    await fitStage(
      2,
      c.stage2,
      m.model,
      opt,
      ckpt?.stage === 2 ? ckpt.epoch + 1 : 1,
      es,
      async (epoch) => {
        let sum = 0;
        let seen = 0;
        let s = 0;
        const batches = imageBatches(trainFrames, {
          aus: c.aus,
          inputSize: c.inputSize,
          batchSize: bs,
          shuffle: true,
          seed: deriveSeed(c.seed, 'order', 2),
          epoch,
          augment: c.augment,
          preprocess: m.preprocess,
        });
        for await (const b of batches) {
          setDropoutSeeds(drop, c.seed, 2, epoch, s);
          const l = opt.minimize(() => loss(b.y, m.model.apply(b.x, { training: true }) as tf.Tensor2D), true, vars)!;
          const lv = (await l.data())[0];
          const nb = b.x.shape[0];
          tf.dispose([l, b.x, b.y]);
          sum += lv * nb;
          seen += nb;
          s++;
          onProgress({ kind: 'step', phase: 'stage2', epoch, epochs: c.stage2.epochs, step: s, steps, loss: sum / seen });
        }
        return sum / seen;
      },
      validate2,
    );
    opt.dispose();
  } else if (ckpt && ckpt.stage === 2) {
    await restoreFromCheckpoint(null);
  }

  // ---- evaluation on the test fold; thresholds tuned on validation
  const { metrics, curves, testScores } = await evaluateModel(m, d, c, onProgress);
  writeFileAtomic(run.testScores, scoresCsv(testFrames, testScores, testLabels, c.aus));
  await saveAuModel(m, run.model);

  const results: ResultsFile = {
    schemaVersion: SCHEMA_VERSION,
    meta: {
      runId: id,
      date: new Date().toISOString(),
      gitCommit: gitCommit(),
      command: opts.command ?? `trainTwoStage(${c.name})`,
      backend: `${backend.name}${backend.name === 'wasm' ? ` (${backend.threads} threads${backend.simd ? ', simd' : ''})` : ''}`,
      tfjsVersion: backend.tfjsVersion,
      host: hostDescription(),
      elapsedS: elapsed(),
      weights: m.weights ? `${m.weights.description} [${m.weights.id}]` : null,
    },
    config: portableConfig(c) as unknown as Record<string, unknown>,
    data: {
      dataset: d.index.dataset,
      root: dataRootRef(c.dataset.root),
      synthetic: d.synthetic,
      fold: c.fold,
      trainSubjects: d.trainSubjects,
      valSubjects: d.valSubjects,
      testSubjects: d.testSubjects,
      counts: {
        trainFrames: trainFrames.length,
        valFrames: valFrames.length,
        testFrames: testFrames.length,
        trainPositives: countPositives(trainLabels, c.aus),
        valPositives: countPositives(valLabels, c.aus),
        testPositives: countPositives(testLabels, c.aus),
      },
    },
    history,
    metrics,
    curves,
  };
  writeResults(run.results, results);
  if (opts.resultsFile) writeResults(opts.resultsFile, results);
  onProgress({ kind: 'done', meanF1: metrics.meanF1, seconds: elapsed() });
  return { runDir: run.dir, results, model: m };
}
