/**
 * The one training loop of lib/train, with callbacks (Keras `Model.fit(callbacks=[...])`, fastai's Learner):
 * `fit` runs epochs of `trainEpoch` (the caller's batch source and optimizer steps), validates after each,
 * appends an EpochRecord to the stage's history and hands both to the callbacks (early stopping with
 * restore-best, checkpoints, progress: lib/train/callbacks). Both stages of trainTwoStage use it: stage 1 over
 * cached features, stage 2 over streamed image batches.
 *
 * `optimizerStep` is the step both stages take: one Adam update from one optimizer batch, optionally accumulated
 * over micro-batches (config stage2.microBatchSize) so the paper's batch of 64 fits a small heap.
 */
import * as tf from '@tensorflow/tfjs';
import type { EpochRecord } from '../results/schema';
import { deriveSeed } from '../util/rng';

/** What the callbacks see and may change during a fit. */
export interface FitState {
  stage: 1 | 2;
  /** Last epoch of the stage (epochs are 1-based). */
  epochs: number;
  /** The model whose weights this stage trains (the head in stage 1, the whole model in stage 2). */
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  /** The stage's history so far (fit appends to it). */
  history: EpochRecord[];
  /** Set by a callback (early stopping) to end the stage after this epoch. */
  stop: boolean;
  /** Whether the epoch just ended improved the monitored value (set by early stopping). */
  improved: boolean;
}

/** Hooks of the loop, called in the order the callbacks are given. */
export interface Callback {
  onEpochEnd?(s: FitState, record: EpochRecord): Promise<void> | void;
  /** After the last epoch (or an early stop); also when the stage had no epoch left to run (resume). */
  onFitEnd?(s: FitState): Promise<void> | void;
}

export interface FitOptions {
  stage: 1 | 2;
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  epochs: number;
  /** First epoch to run (1, or the epoch after a checkpoint's). */
  startEpoch: number;
  /** Recorded per epoch (the optimizer's constant rate). */
  learningRate: number;
  /** The stage's history; fit appends one record per epoch. */
  history: EpochRecord[];
  /** Trains one epoch and returns its mean training loss. */
  trainEpoch: (epoch: number) => Promise<number>;
  /** Loss and mean F1 at 0.5 over the validation subjects (inference mode). */
  validate: () => Promise<{ valLoss: number; valMeanF1: number }>;
  callbacks: Callback[];
  /** True when an earlier session already stopped this stage early (resume): no epoch runs. */
  stopped?: boolean;
}

/** Runs the epochs of one stage; returns the final state (history filled, `stop` if it stopped early). */
export async function fit(o: FitOptions): Promise<FitState> {
  const s: FitState = { stage: o.stage, epochs: o.epochs, model: o.model, optimizer: o.optimizer, history: o.history, stop: Boolean(o.stopped), improved: false };
  for (let epoch = o.startEpoch; epoch <= o.epochs && !s.stop; epoch++) {
    const t0 = Date.now();
    const loss = await o.trainEpoch(epoch);
    const { valLoss, valMeanF1 } = await o.validate();
    const record: EpochRecord = { epoch, loss, valLoss, valMeanF1, lr: o.learningRate, seconds: (Date.now() - t0) / 1000 };
    s.history.push(record);
    s.improved = false;
    for (const cb of o.callbacks) await cb.onEpochEnd?.(s, record);
  }
  for (const cb of o.callbacks) await cb.onFitEnd?.(s);
  return s;
}

/** Dropout layers of a model (their `seed` is set per step so masks are reproducible but differ between steps). */
export function dropoutLayers(model: tf.LayersModel): { seed?: number }[] {
  return model.layers.filter((l) => l.getClassName() === 'Dropout') as unknown as { seed?: number }[];
}

/**
 * Seeds every Dropout layer for one step: tfjs has no global seed, and a Dropout layer's fixed `seed` would give
 * the same mask on every call, so each step (and micro-batch) gets deriveSeed(seed, 'dropout', stage, epoch,
 * step, layer[, micro]).
 */
export function setDropoutSeeds(layers: { seed?: number }[], seed: number, stage: number, epoch: number, step: number, micro?: number): void {
  layers.forEach((l, i) => (l.seed = micro === undefined ? deriveSeed(seed, 'dropout', stage, epoch, step, i) : deriveSeed(seed, 'dropout', stage, epoch, step, i, micro)));
}

/** The trainable variables of a model, in the stable order of model.trainableWeights. */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

export interface StepOptions {
  optimizer: tf.Optimizer;
  vars: tf.Variable[];
  /** The model's logits in training mode, [n, K]. */
  forward: (x: tf.Tensor) => tf.Tensor2D;
  /** The loss of a batch (a scalar). */
  loss: (labels: tf.Tensor2D, logits: tf.Tensor2D) => tf.Scalar;
  x: tf.Tensor;
  y: tf.Tensor2D;
  /** Micro-batch size; null/undefined or >= the batch: one whole-batch step (optimizer.minimize). */
  microBatch?: number | null;
  /**
   * True when the loss is a mean of per-sample terms (BCE, weighted BCE, LSEP): then the batch loss is the
   * size-weighted mean of the micro-batch losses. False (the soft 1 - P*R, whose precision and recall are sums
   * over the whole batch): the exact two-pass scheme below.
   */
  sampleMean: boolean;
  /** Called before every forward pass of micro-batch j (or of the whole batch, j = undefined): seeds dropout. */
  beforeForward?: (micro?: number) => void;
}

/** Losses that are a mean of per-sample terms (lib/losses): bce and bce-weighted over batch x labels, lsep over samples. */
export const SAMPLE_MEAN_LOSSES: readonly string[] = ['bce', 'bce-weighted', 'lsep'];

/**
 * One optimizer update from one batch; returns the batch loss.
 *
 * With micro-batches (gradient accumulation) the gradients of the micro-batches are summed with tf.variableGrads
 * and applied once with optimizer.applyGradients, so the update equals the whole-batch update up to float
 * rounding, provided that no BatchNorm layer runs in training mode: a BatchNorm in training mode normalises each
 * micro-batch with its own statistics (as in PyTorch or Keras accumulation), so with stage2.freezeBatchNorm false
 * or headBatchNorm 'train'/'recalibrate' an accumulated step is a different (still deterministic) step.
 * - sample-mean losses: loss_j weighted by n_j / n, so sum_j grad(loss_j n_j / n) = grad(loss);
 * - other losses (L_pr): pass 1 runs every micro-batch forward to get all logits Z, G = dL/dZ on the whole batch;
 *   pass 2 takes, per micro-batch, the gradient of sum(G_j * logits_j) (chain rule), one extra forward per step.
 * Dropout masks are drawn per micro-batch (beforeForward(j)), identically in both passes.
 */
export async function optimizerStep(o: StepOptions): Promise<number> {
  const n = o.x.shape[0];
  const mb = o.microBatch ?? n;
  if (mb >= n) {
    o.beforeForward?.();
    const l = o.optimizer.minimize(() => o.loss(o.y, o.forward(o.x)), true, o.vars)!;
    const v = (await l.data())[0];
    l.dispose();
    return v;
  }
  const starts = Array.from({ length: Math.ceil(n / mb) }, (_, j) => j * mb);
  const slice = (t: tf.Tensor, s: number) => tf.slice(t, [s, ...t.shape.slice(1).map(() => 0)], [Math.min(mb, n - s), ...t.shape.slice(1).map(() => -1)]);
  const sum: Record<string, tf.Tensor> = {};
  const add = (grads: tf.NamedTensorMap) => {
    for (const [k, g] of Object.entries(grads)) {
      if (sum[k]) {
        const t = tf.add(sum[k], g);
        tf.dispose([sum[k], g]);
        sum[k] = t;
      } else sum[k] = g;
    }
  };
  let lossValue: number;
  if (o.sampleMean) {
    lossValue = 0;
    for (const [j, s] of starts.entries()) {
      const xj = slice(o.x, s);
      const yj = slice(o.y, s) as tf.Tensor2D;
      o.beforeForward?.(j);
      const { value, grads } = tf.variableGrads(() => tf.mul(o.loss(yj, o.forward(xj)), xj.shape[0] / n) as tf.Scalar, o.vars);
      lossValue += (await value.data())[0];
      tf.dispose([value, xj, yj]);
      add(grads);
    }
  } else {
    // pass 1: logits of every micro-batch (no gradients), then dL/dlogits over the whole batch
    const logits = starts.map((s, j) => {
      o.beforeForward?.(j);
      return tf.tidy(() => o.forward(slice(o.x, s)));
    });
    const all = tf.concat(logits, 0) as tf.Tensor2D;
    tf.dispose(logits);
    const { value, grad } = tf.valueAndGrad((z: tf.Tensor) => o.loss(o.y, z as tf.Tensor2D))(all);
    lossValue = (await value.data())[0];
    tf.dispose([value, all]);
    // pass 2: per micro-batch, the gradient of sum(G_j * logits_j) with respect to the variables
    for (const [j, s] of starts.entries()) {
      const xj = slice(o.x, s);
      const gj = slice(grad, s);
      o.beforeForward?.(j);
      const { value: v, grads } = tf.variableGrads(() => tf.sum(tf.mul(gj, o.forward(xj))) as tf.Scalar, o.vars);
      tf.dispose([v, xj, gj]);
      add(grads);
    }
    grad.dispose();
  }
  o.optimizer.applyGradients(sum);
  tf.dispose(Object.values(sum));
  return lossValue;
}
