import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { BatchNormalization } from '../../lib/models';
import { recalibrateBatchNormOn, trainingBatchNormLayers } from '../../lib/train/precise_batch_norm';

/** input [3] -> BatchNorm (trains) -> Dense(2, fixed) -> BatchNorm (frozen). */
function model(): { m: tf.LayersModel; bn: BatchNormalization; frozen: BatchNormalization } {
  const input = tf.input({ shape: [3] });
  const bn = new BatchNormalization({ name: 'bn_a', momentum: 0.99 });
  const dense = tf.layers.dense({ units: 2, useBias: false, kernelInitializer: 'ones', name: 'd' });
  const frozen = new BatchNormalization({ name: 'bn_b', momentum: 0.99 });
  const out = frozen.apply(dense.apply(bn.apply(input))) as tf.SymbolicTensor;
  const m = tf.model({ inputs: input, outputs: out });
  frozen.trainable = false;
  return { m, bn, frozen };
}

const BATCHES = [
  [[1, 2, 3], [3, 2, 1], [5, 0, -1]],
  [[0, 0, 0], [2, 4, 6]],
  [[10, -10, 1], [-2, 2, 7], [4, 4, 4], [0, 1, 0]],
];

/** Mean over batches of the per-batch mean and biased variance of each column (what precise BN must set). */
function expected(): { mean: number[]; variance: number[] } {
  const mean = [0, 0, 0];
  const variance = [0, 0, 0];
  for (const b of BATCHES) {
    for (let j = 0; j < 3; j++) {
      const col = b.map((r) => r[j]);
      const mu = col.reduce((a, v) => a + v, 0) / col.length;
      const v = col.reduce((a, x) => a + (x - mu) ** 2, 0) / col.length;
      mean[j] += mu / BATCHES.length;
      variance[j] += v / BATCHES.length;
    }
  }
  return { mean, variance };
}

function stats(l: BatchNormalization): { mean: number[]; variance: number[] } {
  const w = l.getWeights(); // gamma, beta, moving_mean, moving_variance (Keras order)
  return { mean: Array.from(w[2].dataSync()), variance: Array.from(w[3].dataSync()) };
}

test('precise BatchNorm sets the moving statistics to the average batch statistics, frozen layers untouched, momentum restored', async () => {
  const { m, bn, frozen } = model();
  assert.deepEqual(trainingBatchNormLayers(m), [bn]);
  const before = stats(frozen);
  const n = await recalibrateBatchNormOn(m, BATCHES.map((b) => tf.tensor2d(b)));
  assert.equal(n, 1);
  const got = stats(bn);
  const want = expected();
  for (let j = 0; j < 3; j++) {
    assert.ok(Math.abs(got.mean[j] - want.mean[j]) < 1e-5, `mean[${j}] ${got.mean[j]} vs ${want.mean[j]}`);
    assert.ok(Math.abs(got.variance[j] - want.variance[j]) < 1e-4, `variance[${j}] ${got.variance[j]} vs ${want.variance[j]}`);
  }
  assert.deepEqual(stats(frozen), before);
  assert.equal(bn.momentum, 0.99);
});

test('without recalibration, momentum 0.99 leaves the moving statistics near their start (the lag it fixes)', () => {
  const { m, bn } = model();
  for (const b of BATCHES) tf.tidy(() => void m.apply(tf.tensor2d(b), { training: true }));
  const got = stats(bn);
  // after 3 steps the moving variance still holds ~97% of its initial 1
  assert.ok(got.variance.every((v) => v > 0.9 && v < 2), `variance ${got.variance}`);
  assert.ok(Math.abs(got.mean[0] - expected().mean[0]) > 1);
});
