import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { batchNormActTraining, BnActivation } from '../../lib/backend/ops/batch_norm_act';
import { Rng } from '../../lib/util/rng';
import { startWasm } from './helpers';

/** Keras BatchNormalization (training) + activation as plain tf ops: the reference the fused op must match. */
function plainBnAct(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, act: BnActivation): tf.Tensor {
  const { mean, variance } = tf.moments(x, x.shape.slice(0, -1).map((_, i) => i));
  const y = tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-3))), gamma), beta);
  return act === 'relu6' ? tf.relu6(y) : act === 'relu' ? tf.relu(y) : y;
}

const SHAPES: Record<string, number[]> = {
  conv1: [3, 3, 3, 8], bn1g: [8], bn1b: [8],
  dw1: [3, 3, 8, 1], bn2g: [8], bn2b: [8],
  pw1: [1, 1, 8, 12], bn3g: [12], bn3b: [12],
  dw2: [3, 3, 12, 2], bn4g: [24], bn4b: [24],
  conv3: [3, 3, 24, 16], bn5g: [16], bn5b: [16],
  dense: [16, 5], bias: [5],
};

/**
 * A small MobileNet-style network: conv 3x3/2 (Keras zero padding then valid), depthwise 3x3/1 same, pointwise 1x1,
 * depthwise 3x3/2 with channel multiplier 2, conv 3x3/1 valid, each followed by BatchNorm + ReLU6 (ReLU last),
 * max pooling, global average pooling, dense. Returns the sigmoid cross-entropy loss.
 */
function loss(p: Record<string, tf.Tensor>, x: tf.Tensor4D, y: tf.Tensor, fused: boolean): tf.Scalar {
  const bnAct = (t: tf.Tensor, g: string, b: string, act: BnActivation) =>
    fused ? batchNormActTraining(t, p[g] as tf.Tensor1D, p[b] as tf.Tensor1D, 1e-3, act).y : plainBnAct(t, p[g], p[b], act);
  const pad01 = (t: tf.Tensor4D) => tf.pad(t, [[0, 0], [0, 1], [0, 1], [0, 0]]);
  let h = bnAct(tf.conv2d(pad01(x), p.conv1 as tf.Tensor4D, 2, 'valid'), 'bn1g', 'bn1b', 'relu6') as tf.Tensor4D;
  h = bnAct(tf.depthwiseConv2d(h, p.dw1 as tf.Tensor4D, 1, 'same'), 'bn2g', 'bn2b', 'relu6') as tf.Tensor4D;
  h = bnAct(tf.conv2d(h, p.pw1 as tf.Tensor4D, 1, 'same'), 'bn3g', 'bn3b', 'relu6') as tf.Tensor4D;
  h = bnAct(tf.depthwiseConv2d(pad01(h), p.dw2 as tf.Tensor4D, 2, 'valid'), 'bn4g', 'bn4b', 'relu6') as tf.Tensor4D;
  h = bnAct(tf.conv2d(h, p.conv3 as tf.Tensor4D, 1, 'valid'), 'bn5g', 'bn5b', 'relu') as tf.Tensor4D;
  h = tf.maxPool(h, 2, 1, 'same');
  const pooled = tf.mean(h, [1, 2]) as tf.Tensor2D;
  const logits = tf.add(tf.matMul(pooled, p.dense as tf.Tensor2D), p.bias);
  return tf.losses.sigmoidCrossEntropy(y, logits) as tf.Scalar;
}

function gradients(backend: string, fused: boolean, values: Record<string, Float32Array>, xv: Float32Array, yv: Float32Array): Record<string, Float32Array> {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const names = Object.keys(SHAPES);
    const params = names.map((n) => tf.tensor(values[n], SHAPES[n]));
    const x = tf.tensor4d(xv, [4, 20, 20, 3]);
    const y = tf.tensor2d(yv, [4, 5]);
    const grads = tf.grads((...ps: tf.Tensor[]) => loss(Object.fromEntries(names.map((n, i) => [n, ps[i]])), x, y, fused))(params);
    return Object.fromEntries(names.map((n, i) => [n, grads[i].dataSync() as Float32Array]));
  });
}

describe('MobileNet-style network gradient', () => {
  before(async () => {
    await startWasm();
  });

  test('wasm (project kernels, fused BatchNorm+ReLU6) equals cpu (stock kernels, plain BatchNorm) for every weight', () => {
    const rng = new Rng(42);
    const values: Record<string, Float32Array> = {};
    for (const [n, s] of Object.entries(SHAPES)) {
      const size = s.reduce((a, b) => a * b, 1);
      const isGamma = /g$/.test(n) && n.startsWith('bn');
      values[n] = Float32Array.from({ length: size }, () => (isGamma ? rng.uniform(0.5, 1.5) : rng.normal(0, 0.5)));
    }
    const xv = Float32Array.from({ length: 4 * 20 * 20 * 3 }, () => rng.uniform(-1, 1));
    const yv = Float32Array.from({ length: 20 }, () => (rng.next() < 0.5 ? 1 : 0));
    const ref = gradients('cpu', false, values, xv, yv);
    const got = gradients('wasm', true, values, xv, yv);
    for (const n of Object.keys(SHAPES)) {
      let num = 0;
      let den = 0;
      for (let i = 0; i < ref[n].length; i++) {
        num = Math.max(num, Math.abs(got[n][i] - ref[n][i]));
        den = Math.max(den, Math.abs(ref[n][i]));
      }
      assert.ok(den > 0, `${n}: reference gradient is all zero`);
      assert.ok(num / den < 1e-4, `${n}: relative error ${num / den}`);
    }
  });
});
