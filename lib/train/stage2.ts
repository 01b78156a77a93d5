/**
 * Stage 2 of the transfer: fine-tuning. Unfreezes all of the backbone or the blocks from
 * `stage2.unfreezeFrom` on (backbone BatchNorm frozen with `stage2.freezeBatchNorm`; the head's BatchNorm as
 * `stage2.headBatchNorm` says, head_batch_norm.ts), creates the optimizer at the fine-tuning rate and trains the
 * whole model on streamed, augmented image batches, optionally accumulating gradients over micro-batches
 * (`stage2.microBatchSize`). Early stopping's baseline is the model before fine-tuning (epoch 0), so when no
 * epoch lowers the validation loss the stage-1 weights are kept.
 */
import * as tf from '@tensorflow/tfjs';
import { imageBatches } from '../data/pipeline';
import { deriveSeed } from '../util/rng';
import { CheckpointCallback, restoreCheckpoint } from './callbacks/checkpoint';
import { ProgressCallback } from './callbacks/progress';
import { RestoreBestCallback } from './callbacks/restore_best';
import { scoreFrames, validationMetrics } from './evaluate';
import { dropoutLayers, fit, optimizerStep, SAMPLE_MEAN_LOSSES, setDropoutSeeds, trainableVariables } from './fit';
import { freezeHeadBatchNorm, recalibrateHeadBatchNorm } from './head_batch_norm';
import { learningRateAt, type LrScheduleConfig } from './lr_schedule';
import { recalibrateBatchNorm } from './precise_batch_norm';
import { explainOutOfMemory, resolveMicroBatch } from './micro_batch';
import type { StageContext } from './stage_context';

/** The stage-2 schedule of a config (absent fields: constant rate). */
function stageSchedule(c: StageContext['c']): LrScheduleConfig {
  return { schedule: c.stage2.schedule ?? 'constant', warmupFraction: c.stage2.warmupFraction ?? 0 };
}

/** Sets which layers train in stage 2 (the head always does; its BatchNorm unless headBatchNorm is 'frozen'). */
function unfreezeForStage2(x: StageContext): void {
  const { c, m } = x;
  const freezeBatchNorm = c.stage2.freezeBatchNorm;
  if (c.stage2.unfreezeFrom === null) m.unfreezeAll({ freezeBatchNorm });
  else m.unfreezeFrom(c.stage2.unfreezeFrom, { freezeBatchNorm });
  if (c.stage2.headBatchNorm === 'frozen') freezeHeadBatchNorm(m);
}

/** One epoch over shuffled, augmented image batches; returns the mean training loss. */
function imageEpoch(x: StageContext, opt: tf.Optimizer, microBatch: number | null): (epoch: number) => Promise<number> {
  const { c, m, d, loss, onProgress } = x;
  const vars = trainableVariables(m.model);
  const drop = dropoutLayers(m.model);
  const steps = Math.ceil(d.train.length / c.stage2.batchSize);
  const sampleMean = SAMPLE_MEAN_LOSSES.includes(c.loss);
  return async (epoch) => {
    let sum = 0;
    let seen = 0;
    let s = 0;
    const batches = imageBatches(d.train, {
      aus: c.aus, inputSize: c.inputSize, batchSize: c.stage2.batchSize, shuffle: true,
      seed: deriveSeed(c.seed, 'order', 2), epoch, augment: c.augment, preprocess: m.preprocess,
    });
    for await (const b of batches) {
      const step = s;
      // the rate of this optimizer step (lib/train/lr_schedule); a function of (epoch, step) only, so a resumed run
      // continues the schedule exactly
      (opt as unknown as { learningRate: number }).learningRate = learningRateAt(
        c.stage2.learningRate, stageSchedule(c), (epoch - 1) * steps + step, c.stage2.epochs * steps,
      );
      const lv = await optimizerStep({
        optimizer: opt, vars, loss, x: b.x, y: b.y, microBatch, sampleMean,
        forward: (t) => m.model.apply(t, { training: true }) as tf.Tensor2D,
        beforeForward: (j) => setDropoutSeeds(drop, c.seed, 2, epoch, step, j),
      }).catch((err: unknown) => {
        throw explainOutOfMemory(err, { what: c.backbone, inputSize: c.inputSize, batch: c.stage2.batchSize, microBatch, setting: 'stage2.microBatchSize (config file)' });
      });
      const nb = b.x.shape[0];
      tf.dispose([b.x, b.y]);
      sum += lv * nb;
      seen += nb;
      s++;
      onProgress({ kind: 'step', phase: 'stage2', epoch, epochs: c.stage2.epochs, step: s, steps, loss: sum / seen });
    }
    return sum / seen;
  };
}

/** Runs (or, after a finished stage 2, restores) fine-tuning. */
export async function fineTune(x: StageContext): Promise<void> {
  const { c, m, d, ckpt, state, run, onProgress } = x;
  if (c.stage2.epochs === 0) return;
  if (ckpt?.stage === 2 && ckpt.stageDone) {
    await restoreCheckpoint(run, ckpt, m.model, null);
    return;
  }
  unfreezeForStage2(x);
  const opt = tf.train.adam(c.stage2.learningRate);
  const resumed = ckpt?.stage === 2 ? ckpt : null;
  const best = new RestoreBestCallback(m.model, {
    patience: c.stage2.patience, minDelta: c.stage2.minDelta, state: resumed?.earlyStopping, monitor: c.stage2.monitor,
    best: resumed ? await restoreCheckpoint(run, resumed, m.model, opt) : null,
  });
  const validate = async () => {
    // precise BN: the restored best weights carry the statistics recalibrated at their epoch
    if (c.stage2.preciseBatchNorm) await recalibrateBatchNorm(m, d.train, c);
    if (c.stage2.headBatchNorm === 'recalibrate') await recalibrateHeadBatchNorm(m, d.train, c);
    return validationMetrics(x.loss, d.valLabels, await scoreFrames(m, { frames: d.val }, c, onProgress), c.aus);
  };
  if (!resumed) {
    const v0 = await validate();
    best.baseline(v0);
    onProgress({ kind: 'phase', phase: 'stage 2', detail: `before fine-tuning: val_loss ${v0.valLoss.toFixed(4)} val_meanF1 ${v0.valMeanF1.toFixed(4)}` });
  }
  // null on wasm: chosen from the heap ceiling (micro_batch.ts); the step equals the whole-batch step when no
  // BatchNorm trains, so the choice changes memory, not the result
  const mb = resolveMicroBatch(c.stage2.microBatchSize, m.model, c.stage2.batchSize, c.inputSize, c.backbone);
  const auto = mb !== null && c.stage2.microBatchSize == null ? ' (chosen from the wasm heap)' : '';
  onProgress({
    kind: 'phase', phase: 'stage 2',
    detail: `fine-tuning ${m.trainableParamCount()} parameters (from ${c.stage2.unfreezeFrom ?? 'the first layer'}), lr ${c.stage2.learningRate}, head BatchNorm ${c.stage2.headBatchNorm}${mb ? `, micro-batches of ${mb}${auto}` : ''}`,
  });
  await fit({
    stage: 2, model: m.model, optimizer: opt, epochs: c.stage2.epochs, startEpoch: resumed ? resumed.epoch + 1 : 1,
    learningRate: c.stage2.learningRate, history: state.history.stage2, stopped: resumed?.earlyStopping.stopped,
    trainEpoch: imageEpoch(x, opt, mb),
    validate,
    callbacks: [best, new ProgressCallback(onProgress), new CheckpointCallback(run, x.runId, c.seed, 2, state, best, onProgress, resumed?.bestFile ?? null)],
  });
  opt.dispose();
}
