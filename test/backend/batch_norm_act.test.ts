import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { batchNormActInference, batchNormActTraining, batchNormActTrainingComposed, BnActivation } from '../../lib/backend/ops/batch_norm_act';
import { Rng } from '../../lib/util/rng';
import { randomTensor as rand, startWasm, tensorRelError as maxRel } from './helpers';

/** The reference: Keras's training-mode BatchNormalization written as plain tf ops, differentiated by tfjs. */
function reference(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number, act: BnActivation) {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const { mean, variance } = tf.moments(x, axes);
  const y = tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), gamma), beta);
  return { y: act === 'relu' ? tf.relu(y) : act === 'relu6' ? tf.relu6(y) : y, mean, variance };
}

type Impl = typeof batchNormActTraining;

/** Value and gradients (w.r.t. x, gamma, beta) of sum(w * act(bn(x))) with a fixed random weighting w. */
function valueAndGrads(impl: Impl | 'reference', x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, w: tf.Tensor, act: BnActivation) {
  return tf.tidy(() => {
    let stats: Float32Array[] = [];
    const f = (xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => {
      const r = impl === 'reference' ? reference(xx, gg, bb, 1e-3, act) : impl(xx, gg as tf.Tensor1D, bb as tf.Tensor1D, 1e-3, act);
      stats = [r.mean.dataSync() as Float32Array, r.variance.dataSync() as Float32Array]; // f's tensors die with its scope
      return tf.sum(tf.mul(r.y, w)) as tf.Scalar;
    };
    const { value, grads } = tf.valueAndGrads(f)([x, gamma, beta]);
    return [value, ...grads, ...stats.map((s) => tf.tensor1d(s))];
  });
}

const SHAPES = [[2, 5, 4, 3], [3, 4, 4, 8], [6, 7]];
const ACTS: BnActivation[] = ['linear', 'relu', 'relu6'];

describe('batchNormActTraining (fused, custom gradient) equals the plain composition', () => {
  before(async () => {
    await startWasm();
  });
  after(async () => {
    await startWasm();
  });

  for (const backend of ['cpu', 'wasm']) {
    for (const shape of SHAPES) {
      for (const act of ACTS) {
        test(`${backend} ${JSON.stringify(shape)} ${act}: output, moments and gradients of x, gamma, beta`, () => {
          tf.setBackend(backend);
          const rng = new Rng(shape.length * 10 + ACTS.indexOf(act));
          const c = shape[shape.length - 1];
          // Scale so that relu6 clips some values at 6 and relu at 0.
          const x = tf.mul(rand(rng, shape, -1, 1.5), 4);
          const gamma = rand(rng, [c], 0.5, 2);
          const beta = rand(rng, [c], -1, 1);
          const w = rand(rng, shape);
          const ref = valueAndGrads('reference', x, gamma, beta, w, act);
          for (const impl of [batchNormActTraining, batchNormActTrainingComposed]) {
            const before0 = tf.memory().numTensors;
            const got = valueAndGrads(impl, x, gamma, beta, w, act);
            assert.equal(tf.memory().numTensors, before0 + got.length, 'no tensor leaks');
            const names = ['value', 'dx', 'dgamma', 'dbeta', 'mean', 'variance'];
            got.forEach((g, i) => assert.ok(maxRel(g, ref[i]) < 1e-4, `${impl.name} ${names[i]}: ${maxRel(g, ref[i])}`));
            tf.dispose(got);
          }
          tf.dispose([...ref, x, gamma, beta, w]);
        });
      }
    }
  }

  test('a realistic MobileNet-sized layer on wasm matches the cpu backend (native SIMD path, 64 channels)', () => {
    const rng = new Rng(9);
    const x = tf.add(tf.mul(rand(rng, [4, 16, 16, 64]), 3), 0.5);
    const gamma = rand(rng, [64], 0.5, 2);
    const beta = rand(rng, [64], -1, 1);
    const w = rand(rng, [4, 16, 16, 64]);
    tf.setBackend('cpu');
    const ref = valueAndGrads('reference', x, gamma, beta, w, 'relu6');
    tf.setBackend('wasm');
    const got = valueAndGrads(batchNormActTraining, x, gamma, beta, w, 'relu6');
    got.forEach((g, i) => assert.ok(maxRel(g, ref[i]) < 1e-4, `output ${i}: ${maxRel(g, ref[i])}`));
    tf.dispose([...ref, ...got, x, gamma, beta, w]);
  });

  test('inference mode is act(gamma * (x - mean) / sqrt(var + eps) + beta)', () => {
    tf.setBackend('wasm');
    const x = tf.tensor2d([[-3, 0.5, 9], [1, 2, -1]]);
    const y = batchNormActInference(x, tf.tensor1d([1, 0, 2]), tf.tensor1d([4, 1, 0.25]), tf.tensor1d([2, 1, 1]), tf.tensor1d([0, 1, -1]), 0, 'relu6');
    // column 0: 2*(x-1)/2; column 1: (x-0)/1 + 1; column 2: (x-2)/0.5 - 1; then clipped to [0, 6]
    const expected = [0, 1.5, 6, 0, 3, 0];
    Array.from(y.dataSync()).forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-6, `${i}: ${v}`));
  });
});
