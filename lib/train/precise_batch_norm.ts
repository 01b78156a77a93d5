/**
 * Precise BatchNorm (Wu & Johnson 2021, "Rethinking 'Batch' in BatchNorm", sec. 3): before a model in training
 * mode is scored in inference mode, replace every training BatchNorm's moving mean and variance by the average of
 * its batch statistics over un-augmented training batches, so inference normalises as training does now instead of
 * with an exponential average that lags behind (Keras's momentum 0.99 needs ~500 steps to forget its start).
 *
 * How: forward passes in training mode with each layer's momentum set to k / (k + 1) for the k-th batch (k from 0),
 * which makes the moving statistics the running mean of the batch means and batch variances. Only layers that
 * train (trainable, i.e. would use batch statistics) are touched; frozen ones keep theirs. Momentum is restored
 * afterwards, so training continues as configured. Dropout draws in these passes do not reach any weight.
 */
import * as tf from '@tensorflow/tfjs';
import type { FrameRecord } from '../data';
import { imageBatches } from '../data/pipeline';
import { BatchNormalization, type AuModel } from '../models';
import type { ExperimentConfig } from './config';

/** BatchNorm layers of `model` that run on batch statistics in training mode (nested models included). */
export function trainingBatchNormLayers(model: tf.LayersModel): BatchNormalization[] {
  const out: BatchNormalization[] = [];
  const walk = (layers: tf.layers.Layer[]): void => {
    for (const l of layers) {
      const nested = (l as unknown as { layers?: tf.layers.Layer[] }).layers;
      if (nested) walk(nested);
      else if (l instanceof BatchNormalization && l.trainable) out.push(l);
    }
  };
  walk(model.layers);
  return out;
}

/**
 * Sets the moving statistics of every training BatchNorm of `model` to the averages of their batch statistics over
 * `batches` (forward passes in training mode). Returns the number of layers recalibrated.
 */
export async function recalibrateBatchNormOn(model: tf.LayersModel, batches: AsyncIterable<tf.Tensor> | Iterable<tf.Tensor>): Promise<number> {
  const layers = trainingBatchNormLayers(model);
  if (!layers.length) return 0;
  const saved = layers.map((l) => l.momentum);
  const setMomentum = (v: number) => layers.forEach((l) => ((l as { momentum: number }).momentum = v));
  try {
    let k = 0;
    for await (const x of batches) {
      setMomentum(k / (k + 1));
      tf.tidy(() => {
        model.apply(x, { training: true });
      });
      k++;
    }
  } finally {
    layers.forEach((l, i) => ((l as { momentum: number }).momentum = saved[i]));
  }
  return layers.length;
}

/**
 * Precise BatchNorm of `m.model` from up to `maxBatches` batches of `frames`, taken at an even stride over the
 * frames (every subject contributes), un-augmented.
 */
export async function recalibrateBatchNorm(
  m: AuModel,
  frames: FrameRecord[],
  c: Pick<ExperimentConfig, 'aus' | 'inputSize' | 'evalBatchSize'>,
  maxBatches = 8,
): Promise<number> {
  const want = maxBatches * c.evalBatchSize;
  const stride = Math.max(1, Math.ceil(frames.length / want));
  const pick = frames.filter((_, i) => i % stride === 0).slice(0, want);
  async function* images(): AsyncGenerator<tf.Tensor> {
    for await (const b of imageBatches(pick, { aus: c.aus, inputSize: c.inputSize, batchSize: c.evalBatchSize, shuffle: false, seed: 0, augment: null, preprocess: m.preprocess })) {
      try {
        yield b.x;
      } finally {
        tf.dispose([b.x, b.y]);
      }
    }
  }
  return recalibrateBatchNormOn(m.model, images());
}
