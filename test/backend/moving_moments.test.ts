import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { updateMovingMoments } from '../../lib/backend/ops/moving_moments';
import { Rng } from '../../lib/util/rng';
import { randomTensor, startWasm } from './helpers';

describe('FerMovingMoments gives the bits of moving * m + batch * (1 - m) as stock ops compute it', () => {
  before(async () => {
    await startWasm();
  });

  // 0.99: Keras's default; 0.999: MobileNetV2; 0.75: precise BatchNorm's k / (k + 1); 0: calibration.
  for (const backend of ['wasm', 'cpu']) {
    for (const momentum of [0.99, 0.999, 0.75, 0]) {
      test(`${backend}, momentum ${momentum}`, () => {
        tf.setBackend(backend);
        const rng = new Rng(Math.round(momentum * 1000) + 3);
        const [mm, mv, mean, variance] = [randomTensor(rng, [37]), randomTensor(rng, [37], 0.5, 4), randomTensor(rng, [37]), randomTensor(rng, [37], 0, 2)];
        const got = updateMovingMoments(mm, mv, mean, variance, momentum);
        const want = tf.tidy(() => [tf.add(tf.mul(mm, momentum), tf.mul(mean, 1 - momentum)), tf.add(tf.mul(mv, momentum), tf.mul(variance, 1 - momentum))]);
        assert.deepEqual(got.mean.dataSync(), want[0].dataSync());
        assert.deepEqual(got.variance.dataSync(), want[1].dataSync());
        tf.dispose([mm, mv, mean, variance, got.mean, got.variance, ...want]);
      });
    }
  }
});
