/**
 * Stage 1 of the transfer: the head (BatchNorm -> ReLU -> Dropout -> Dense) on pooled features of the frozen
 * backbone. The features are computed once per image in inference mode and cached (features.ts), so an epoch
 * costs a few matrix products instead of a backbone pass. Ends with the best epoch's weights restored and the
 * stage-1 model's test metrics recorded (results metrics.stage1).
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed, Rng } from '../util/rng';
import { CheckpointCallback, restoreCheckpoint } from './callbacks/checkpoint';
import { ProgressCallback } from './callbacks/progress';
import { RestoreBestCallback } from './callbacks/restore_best';
import { evaluateModel, scoreFrames, stage1Summary, validationMetrics } from './evaluate';
import { withShiftedOutput } from './score_correction';
import { extractFeatures, featureCacheFor } from './features';
import { dropoutLayers, fit, optimizerStep, setDropoutSeeds, trainableVariables, type Callback } from './fit';
import { setHeadBatchNormStats } from './head_batch_norm';
import type { StageContext } from './stage_context';

/** Features of the training, validation and test frames (training ones only when stage 1 trains). */
async function stageFeatures(x: StageContext): Promise<{ train: Float32Array | null; val: Float32Array; test: Float32Array }> {
  const { c, m, d, onProgress } = x;
  const cache = featureCacheFor(m, c, x.cacheDir);
  try {
    const train = c.stage1.epochs > 0 ? await extractFeatures(m, d.train, c, cache, onProgress, 'train') : null;
    const val = await extractFeatures(m, d.val, c, cache, onProgress, 'validation');
    const test = await extractFeatures(m, d.test, c, cache, onProgress, 'test');
    return { train, val, test };
  } finally {
    cache?.close();
  }
}

/** One epoch over the training features in a seeded order; returns the mean training loss. */
function featureEpoch(x: StageContext, opt: tf.Optimizer, trainF: Float32Array): (epoch: number) => Promise<number> {
  const { c, m, d, loss, onProgress } = x;
  const K = c.aus.length;
  const dim = m.featureDim;
  const n = d.train.length;
  const bs = c.stage1.batchSize;
  const steps = Math.ceil(n / bs);
  const vars = trainableVariables(m.head);
  const drop = dropoutLayers(m.head);
  return async (epoch) => {
    const order = new Rng(deriveSeed(c.seed, 'order', 1, epoch)).shuffle(Array.from({ length: n }, (_, i) => i));
    let sum = 0;
    for (let s = 0; s < steps; s++) {
      const idx = order.slice(s * bs, (s + 1) * bs);
      const xb = new Float32Array(idx.length * dim);
      const yb = new Float32Array(idx.length * K);
      idx.forEach((i, r) => {
        xb.set(trainF.subarray(i * dim, (i + 1) * dim), r * dim);
        yb.set(d.trainLabels.subarray(i * K, (i + 1) * K), r * K);
      });
      const xt = tf.tensor2d(xb, [idx.length, dim]);
      const yt = tf.tensor2d(yb, [idx.length, K]);
      const lv = await optimizerStep({
        optimizer: opt, vars, loss, x: xt, y: yt, sampleMean: true,
        forward: (t) => m.head.apply(t, { training: true }) as tf.Tensor2D,
        beforeForward: () => setDropoutSeeds(drop, c.seed, 1, epoch, s),
      });
      tf.dispose([xt, yt]);
      sum += lv * idx.length;
      onProgress({ kind: 'step', phase: 'stage1', epoch, epochs: c.stage1.epochs, step: s + 1, steps, loss: sum / Math.min(n, (s + 1) * bs) });
    }
    return sum / n;
  };
}

/** Runs (or, after a finished stage 1, restores) stage 1 and sets x.state.stage1Metrics. */
export async function trainStage1(x: StageContext): Promise<void> {
  const { c, m, d, ckpt, state, run, onProgress } = x;
  if (ckpt !== null && (ckpt.stage === 2 || ckpt.stageDone)) {
    // stage 1 finished in an earlier session: its final weights are in the checkpoint (or in stage 2's)
    if (ckpt.stage === 1) await restoreCheckpoint(run, ckpt, m.head, null);
    if (!ckpt.stage1Metrics) throw new Error(`${run.checkpoint}: a version ${ckpt.version} checkpoint past stage 1 without the stage-1 test metrics; rerun without --resume`);
    state.stage1Metrics = ckpt.stage1Metrics;
    return;
  }
  m.freezeBackbone();
  const f = await stageFeatures(x);
  const evaluateStage1 = async () => {
    const ev = await withShiftedOutput(m, x.scoreShift, () => evaluateModel(m, d, c, { onProgress, features: { val: f.val, test: f.test } }));
    state.stage1Metrics = stage1Summary(ev.metrics);
    onProgress({ kind: 'phase', phase: 'stage 1', detail: `stage-1 model on the test fold: mean F1 ${ev.metrics.meanF1.toFixed(4)}, mean AP ${ev.metrics.meanAp.toFixed(4)}` });
  };
  if (!f.train) {
    await evaluateStage1(); // no stage-1 epochs: the stage-1 model is the untrained head
    return;
  }
  setHeadBatchNormStats(m, f.train);
  const opt = tf.train.adam(c.stage1.learningRate);
  const resumed = ckpt?.stage === 1 ? ckpt : null;
  const best = new RestoreBestCallback(m.head, {
    patience: c.stage1.patience, minDelta: c.stage1.minDelta, state: resumed?.earlyStopping,
    best: resumed ? await restoreCheckpoint(run, resumed, m.head, opt) : null,
  });
  onProgress({ kind: 'phase', phase: 'stage 1', detail: `head on cached features, ${m.head.countParams()} parameters, lr ${c.stage1.learningRate}` });
  const evaluation: Callback = { onFitEnd: evaluateStage1 };
  await fit({
    stage: 1, model: m.head, optimizer: opt, epochs: c.stage1.epochs, startEpoch: resumed ? resumed.epoch + 1 : 1,
    learningRate: c.stage1.learningRate, history: state.history.stage1, stopped: resumed?.earlyStopping.stopped,
    trainEpoch: featureEpoch(x, opt, f.train),
    validate: async () => validationMetrics(x.loss, d.valLabels, await scoreFrames(m, { features: f.val }, c), c.aus),
    // order matters: restore the best weights, evaluate them, then write the stage's final checkpoint
    callbacks: [best, new ProgressCallback(onProgress), evaluation, new CheckpointCallback(run, x.runId, c.seed, 1, state, best, onProgress, resumed?.bestFile ?? null)],
  });
  opt.dispose();
}
