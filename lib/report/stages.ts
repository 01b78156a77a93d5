/**
 * What freezing changes (notebook 02): trainable parameters in each stage, and the BatchNorm subtlety shown on a
 * single layer: a frozen Keras BatchNorm normalises with its moving statistics and never updates them, even under
 * `training: true`; tfjs's stock layer normalises with the batch statistics and updates its moving averages.
 */
import * as tf from '@tensorflow/tfjs';
import { backendInfo, initBackend } from '../backend';
import { BatchNormalization, buildAuModel } from '../models';
import type { ExperimentConfig } from '../train/config';
import { mdTable } from './markdown';

/** Trainable parameters of the AU model of `config`: stage 1 (head only) and stage 2 (from stage2.unfreezeFrom, or all). */
export async function stageTrainableParams(config: ExperimentConfig): Promise<{ stage1: number; stage2: number; total: number }> {
  if (!backendInfo()) await initBackend();
  const m = await buildAuModel({ backbone: config.backbone, inputSize: config.inputSize, numAus: config.aus.length, weights: null, alpha: config.alpha, seed: 1 });
  try {
    const count = () => m.model.trainableWeights.reduce((a, w) => a + w.shape.reduce<number>((p, d) => p * (d ?? 1), 1), 0);
    const total = m.model.countParams();
    m.freezeBackbone();
    const stage1 = count();
    if (config.stage2.unfreezeFrom === null) m.unfreezeAll({ freezeBatchNorm: config.stage2.freezeBatchNorm });
    else m.unfreezeFrom(config.stage2.unfreezeFrom, { freezeBatchNorm: config.stage2.freezeBatchNorm });
    return { stage1, stage2: count(), total };
  } finally {
    m.model.dispose();
  }
}

/** One frozen BatchNorm layer called with training=true on a batch far from its moving statistics. */
export interface FrozenBnCase {
  layer: string;
  /** Mean of the layer's output over the batch (0 = batch statistics used; about the batch mean = moving ones). */
  outputMean: number;
  movingMeanBefore: number;
  movingMeanAfter: number;
}

/**
 * Calls a frozen (trainable = false) BatchNorm layer with training=true on a batch of mean 5 while its moving mean
 * is 0: the project's layer (Keras semantics) and tfjs's stock tf.layers.batchNormalization.
 */
export function frozenBatchNormDemo(): { cases: FrozenBnCase[]; table: string } {
  const x = tf.tidy(() => tf.add(tf.randomNormal([64, 4], 0, 1, 'float32', 7), 5)) as tf.Tensor2D;
  const run = (name: string, layer: tf.layers.Layer): FrozenBnCase => {
    layer.build([null, 4]);
    layer.trainable = false;
    const mm = () => (layer.getWeights()[2].dataSync() as Float32Array)[0];
    const before = mm();
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    const outputMean = tf.tidy(() => tf.mean(y).dataSync()[0]);
    y.dispose();
    const after = mm();
    for (const w of layer.weights) w.dispose(); // never connected in a model, so Layer.dispose() refuses
    return { layer: name, outputMean, movingMeanBefore: before, movingMeanAfter: after };
  };
  const cases = [
    run('fer-au BatchNormalization (Keras semantics)', new BatchNormalization({ name: 'demo_bn', momentum: 0.9 })),
    run('tfjs tf.layers.batchNormalization', tf.layers.batchNormalization({ name: 'demo_bn_stock', momentum: 0.9 })),
  ];
  x.dispose();
  const table = mdTable(
    ['Frozen layer, called with training=true', 'Output mean (batch mean is 5)', 'Moving mean before', 'Moving mean after'],
    cases.map((c) => [c.layer, c.outputMean.toFixed(3), c.movingMeanBefore.toFixed(3), c.movingMeanAfter.toFixed(3)]),
  );
  return { cases, table };
}
