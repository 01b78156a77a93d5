/**
 * The paper preset's stage-2 optimizer step as a bench network: what `fer-au train --preset paper` runs per batch
 * (PRESETS.paper: MobileNet-v1 with the embedded weights at 224 px, every layer trainable with BatchNorm in
 * inference mode, the head's BatchNorm frozen, dropout 0.2, L_pr, Adam at 1e-5, batch 64), through lib/train's
 * optimizerStep with the micro-batch that training would use (on wasm: chosen from the heap ceiling).
 */
import * as tf from '@tensorflow/tfjs';
import { getLoss } from '../losses/registry';
import { buildAuModel } from '../models/au_model';
import { optimizerStep, SAMPLE_MEAN_LOSSES, trainableVariables } from '../train/fit';
import { freezeHeadBatchNorm } from '../train/head_batch_norm';
import { resolveMicroBatch } from '../train/micro_batch';
import { PRESETS } from '../train/presets';
import type { Runnable } from './networks';

/** The paper preset's step at `inputSize` (the preset's 224 unless a bench size overrides it). */
export async function paperStepNet(inputSize: number, batch: number, microBatch?: number | null): Promise<Runnable> {
  const c = PRESETS.paper;
  const m = await buildAuModel({ backbone: c.backbone, inputSize, numAus: c.aus.length, aus: c.aus, weights: c.weights, dropout: c.dropout, seed: c.seed, alpha: c.alpha });
  m.unfreezeAll({ freezeBatchNorm: c.stage2.freezeBatchNorm });
  if (c.stage2.headBatchNorm === 'frozen') freezeHeadBatchNorm(m);
  const opt = tf.train.adam(c.stage2.learningRate);
  const vars = trainableVariables(m.model);
  const loss = getLoss(c.loss);
  const mb = resolveMicroBatch(microBatch ?? c.stage2.microBatchSize, m.model, batch, inputSize, c.backbone);
  return {
    microBatch: mb,
    forward: (x) => m.model.apply(x, { training: false }) as tf.Tensor,
    trainStep: async (x, y) => {
      await optimizerStep({
        optimizer: opt, vars, loss, x, y: y as tf.Tensor2D, microBatch: mb, sampleMean: SAMPLE_MEAN_LOSSES.includes(c.loss),
        forward: (t) => m.model.apply(t, { training: true }) as tf.Tensor2D,
      });
    },
    // the embedded weights carry real statistics: nothing to calibrate
    calibrate: () => undefined,
    dispose: () => {
      opt.dispose();
      m.model.dispose();
      m.head.dispose();
    },
  };
}
