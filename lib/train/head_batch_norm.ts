/**
 * The head's BatchNorm (head: BatchNorm -> ReLU -> Dropout -> Dense on the pooled features) and how stage 2
 * treats it (config stage2.headBatchNorm):
 * - 'train': training mode during fine-tuning (batch statistics; moving statistics updated with momentum 0.99);
 * - 'frozen': trainable = false once the backbone is unfrozen: inference mode with the stage-1 moving
 *   statistics, gamma and beta fixed (lib/models' BatchNormalization honours trainable = false);
 * - 'recalibrate': training mode, but before every validation and evaluation the moving mean and variance are
 *   recomputed from the training frames' pooled features with the backbone in inference mode (precise BN,
 *   Wu & Johnson 2021 "Rethinking 'Batch' in BatchNorm"): the statistics match the features the fine-tuned
 *   backbone produces now instead of lagging behind them.
 */
import * as tf from '@tensorflow/tfjs';
import type { FrameRecord } from '../data';
import { HEAD_LAYER_PREFIX, type AuModel } from '../models';
import type { ExperimentConfig } from './config';
import { computeFeatures } from './features';

/** The head's BatchNorm layer (exactly one). */
export function headBatchNormLayer(m: AuModel): tf.layers.Layer {
  const bn = m.model.layers.filter((l) => l.name.startsWith(HEAD_LAYER_PREFIX) && /BatchNormalization$/.test(l.getClassName()));
  if (bn.length !== 1) throw new Error(`headBatchNormLayer: expected one BatchNorm layer named ${HEAD_LAYER_PREFIX}*, found ${bn.length}`);
  return bn[0];
}

/**
 * Sets the head BatchNorm's moving statistics to the population mean and (biased) variance of `features`
 * ([n, featureDim] row-major). Before stage 1 this starts them where they converge to (the features are fixed)
 * instead of at Keras's 0 and 1, which momentum 0.99 would take ~500 steps to leave; until then the
 * inference-mode head (validation, early stopping, test) would normalise very differently from the
 * training-mode head. Restored checkpoints overwrite them, so resuming is unaffected.
 */
export function setHeadBatchNormStats(m: AuModel, features: Float32Array): void {
  const dim = m.featureDim;
  const n = features.length / dim;
  // two passes in float64 (centred sum of squares: no cancellation for features far from 0)
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mean[j] += features[i * dim + j];
  for (let j = 0; j < dim; j++) mean[j] /= n;
  const sq = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) {
      const dv = features[i * dim + j] - mean[j];
      sq[j] += dv * dv;
    }
  }
  const mu = Float32Array.from(mean);
  const variance = Float32Array.from(sq, (s) => s / n);
  const stats = headBatchNormLayer(m).weights.filter((w) => /moving_(mean|variance)$/.test(w.originalName));
  if (stats.length !== 2) throw new Error(`setHeadBatchNormStats: expected the head's moving_mean and moving_variance, found ${stats.length}`);
  for (const w of stats) {
    const t = tf.tensor1d(w.originalName.endsWith('moving_mean') ? mu : variance);
    (w.read() as tf.Variable).assign(t);
    t.dispose();
  }
}

/** stage2.headBatchNorm 'frozen': inference mode and no gamma/beta updates (call after unfreezing, before listing variables). */
export function freezeHeadBatchNorm(m: AuModel): void {
  headBatchNormLayer(m).trainable = false;
}

/** stage2.headBatchNorm 'recalibrate': the precise-BN pass over `trainFrames` (un-augmented, backbone in inference mode). */
export async function recalibrateHeadBatchNorm(m: AuModel, trainFrames: FrameRecord[], c: Pick<ExperimentConfig, 'aus' | 'inputSize' | 'evalBatchSize'>): Promise<void> {
  setHeadBatchNormStats(m, await computeFeatures(m, trainFrames, c));
}
