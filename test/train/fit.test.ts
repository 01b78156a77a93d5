import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/backend';
import { getLoss, LOSS_NAMES } from '../../lib/losses';
import { buildAuModel, type AuModel } from '../../lib/models';
import { disposeAuModel, fit, freezeHeadBatchNorm, optimizerStep, PRESETS, RestoreBestCallback, SAMPLE_MEAN_LOSSES, trainableVariables, type Callback } from '../../lib/train';

const c = PRESETS.tiny;

/**
 * MobileNet-v1 with the embedded weights at the tiny preset's 32 px (random quarter-width features are all zero
 * after the frozen BatchNorms, so no backbone gradient would be checked), fine-tuning from conv_dw_13 with every
 * BatchNorm in inference mode and no dropout.
 */
async function tinyModel(): Promise<AuModel> {
  const m = await buildAuModel({ backbone: c.backbone, inputSize: c.inputSize, numAus: c.aus.length, aus: c.aus, weights: 'embedded', dropout: 0, seed: 7, alpha: 1 });
  m.unfreezeFrom('conv_dw_13', { freezeBatchNorm: true });
  freezeHeadBatchNorm(m);
  return m;
}

function weightsOf(m: AuModel): Float32Array[] {
  return trainableVariables(m.model).map((v) => (v.dataSync() as Float32Array).slice());
}

test('an accumulated step over micro-batches equals the whole-batch step for every loss (SGD, so weight change = gradient)', async () => {
  await initBackend();
  const n = 16;
  const x = tf.randomUniform([n, c.inputSize, c.inputSize, 3], -1, 1, 'float32', 3);
  // labels with positives and negatives in every row for LSEP, different rows differ
  const y = tf.tensor2d(Array.from({ length: n * 8 }, (_, i) => ((i * 7 + Math.floor(i / 8) * 3) % 5 < 2 ? 1 : 0)), [n, 8]);
  for (const name of LOSS_NAMES) {
    const loss = getLoss(name, name === 'bce-weighted' ? { posWeight: [1, 2, 3, 1, 2, 3, 1, 2] } : {});
    const run = async (microBatch: number | null, sampleMean = SAMPLE_MEAN_LOSSES.includes(name)) => {
      const m = await tinyModel();
      const opt = tf.train.sgd(0.5);
      const before = weightsOf(m);
      const value = await optimizerStep({
        optimizer: opt, vars: trainableVariables(m.model), loss, x, y, microBatch, sampleMean,
        forward: (t) => m.model.apply(t, { training: true }) as tf.Tensor2D,
      });
      const delta = weightsOf(m).map((w, i) => w.map((v, j) => v - before[i][j]));
      opt.dispose();
      disposeAuModel(m);
      return { value, delta };
    };
    const whole = await run(null);
    const acc = await run(5); // micro-batches of 5, 5, 5, 1
    assert.ok(Math.abs(acc.value - whole.value) < 1e-5, `${name}: loss ${acc.value} vs ${whole.value}`);
    let maxDiff = 0;
    let maxDelta = 0;
    whole.delta.forEach((d, i) => {
      let moved = 0;
      d.forEach((v, j) => {
        maxDiff = Math.max(maxDiff, Math.abs(v - acc.delta[i][j]));
        maxDelta = Math.max(maxDelta, Math.abs(v));
        moved = Math.max(moved, Math.abs(v));
      });
      assert.ok(moved > 0, `${name}: trainable variable ${i} did not move`);
    });
    assert.ok(maxDiff < 1e-5, `${name}: accumulated step differs from the whole-batch step by ${maxDiff} (max |delta| ${maxDelta})`);
    if (name === 'pr') {
      // ...and the check can fail: averaging L_pr over micro-batches (its P and R are batch sums) is another step
      const wrong = await run(5, true);
      let off = 0;
      whole.delta.forEach((d, i) => d.forEach((v, j) => (off = Math.max(off, Math.abs(v - wrong.delta[i][j])))));
      assert.ok(off > 1e-4, `micro-batch-averaged L_pr should differ from the whole-batch step, differs by ${off}`);
    }
  }
  tf.dispose([x, y]);
});

test('fit runs epochs, stops early after `patience` non-improving epochs and restores the best weights', async () => {
  const v = tf.variable(tf.scalar(0));
  const model = { weights: [{ originalName: 'v', shape: [], read: () => v }] } as unknown as tf.LayersModel;
  const losses = [3, 1, 2, 2.5, 0.5];
  const seen: number[] = [];
  const best = new RestoreBestCallback(model, { patience: 2, minDelta: 0 });
  const log: Callback = { onEpochEnd: (s, r) => void seen.push(r.epoch) };
  const s = await fit({
    stage: 1, model, optimizer: tf.train.sgd(1), epochs: 5, startEpoch: 1, learningRate: 1, history: [],
    trainEpoch: async (epoch) => {
      v.assign(tf.scalar(epoch)); // the "weights" after epoch k are k
      return 0;
    },
    validate: async () => ({ valLoss: losses[seen.length], valMeanF1: 0 }),
    callbacks: [best, log],
  });
  assert.deepEqual(seen, [1, 2, 3, 4]); // epochs 3 and 4 did not improve on epoch 2: stop
  assert.equal(s.stop, true);
  assert.deepEqual(s.history.map((h) => h.valLoss), [3, 1, 2, 2.5]);
  assert.equal(v.dataSync()[0], 2, 'the weights of the best epoch (2) are restored');
  assert.equal(best.state.bestEpoch, 2);
  v.dispose();
});
