// The Keras-compatible BatchNormalization layer: Keras's weights, Keras's update rule, and Keras TF2's rule that a
// frozen layer runs in inference mode even when called with training=true. Expected values derived by hand.
import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/backend';
import { BatchNormalization, FusedActivation } from '../../lib/models';

before(async () => {
  await initBackend('cpu');
});

function close(actual: ArrayLike<number>, expected: number[], tol = 1e-5): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `[${i}] ${actual[i]} vs ${expected[i]}`);
}

/** A layer on 1 channel with gamma 2, beta 0.5, moving mean 1, moving variance 4. */
function layer(args: ConstructorParameters<typeof BatchNormalization>[0] = {}): BatchNormalization {
  const bn = new BatchNormalization({ name: 'bn', momentum: 0.9, epsilon: 1e-3, ...args });
  bn.build([null, 1]);
  bn.setWeights([tf.tensor1d([2]), tf.tensor1d([0.5]), tf.tensor1d([1]), tf.tensor1d([4])]);
  return bn;
}

test("weights are Keras's: gamma, beta (trainable), moving_mean, moving_variance (not), each [channels]", () => {
  const bn = new BatchNormalization({ name: 'conv1_bn' });
  bn.apply(tf.input({ shape: [8, 8, 16] })); // built inside the layer's name scope, as in a model
  assert.deepEqual(bn.weights.map((w) => w.originalName), ['conv1_bn/gamma', 'conv1_bn/beta', 'conv1_bn/moving_mean', 'conv1_bn/moving_variance']);
  assert.deepEqual(bn.trainableWeights.map((w) => w.originalName), ['conv1_bn/gamma', 'conv1_bn/beta']);
  assert.ok(bn.weights.every((w) => w.shape.length === 1 && w.shape[0] === 16));
});

test('inference uses the moving statistics: y = gamma (x - mean) / sqrt(var + eps) + beta', () => {
  const y = layer().apply(tf.tensor2d([[1], [5]]), { training: false }) as tf.Tensor;
  const s = 2 / Math.sqrt(4 + 1e-3);
  close(y.dataSync(), [0.5, s * 4 + 0.5]);
});

test('a trainable layer called with training=true normalises with the batch moments and updates the moving ones (momentum 0.9)', () => {
  const bn = layer();
  const y = bn.apply(tf.tensor2d([[1], [5]]), { training: true }) as tf.Tensor;
  // batch mean 3, biased variance 4
  const s = 2 / Math.sqrt(4 + 1e-3);
  close(y.dataSync(), [s * -2 + 0.5, s * 2 + 0.5]);
  const [, , mean, variance] = bn.getWeights();
  close(mean.dataSync(), [0.9 * 1 + 0.1 * 3]);
  close(variance.dataSync(), [0.9 * 4 + 0.1 * 4]);
});

test('a frozen layer called with training=true runs in inference mode and leaves its statistics alone', () => {
  const bn = layer();
  bn.trainable = false;
  const y = bn.apply(tf.tensor2d([[1], [5]]), { training: true }) as tf.Tensor;
  const s = 2 / Math.sqrt(4 + 1e-3);
  close(y.dataSync(), [0.5, s * 4 + 0.5]);
  const [, , mean, variance] = bn.getWeights();
  close(mean.dataSync(), [1]);
  close(variance.dataSync(), [4]);
});

test('a fused relu6 clips the normalised output to [0, 6]', () => {
  const bn = layer({ activation: 'relu6' });
  const y = bn.apply(tf.tensor2d([[-3], [1], [9]]), { training: false }) as tf.Tensor;
  const s = 2 / Math.sqrt(4 + 1e-3);
  close(y.dataSync(), [0, 0.5, 6]);
  assert.ok(s * 8 + 0.5 > 6);
});

test('an unknown fused activation is rejected with the valid ones', () => {
  assert.throws(() => new BatchNormalization({ activation: 'gelu' as never }), /activation 'gelu' is not one of linear, relu, relu6/);
});

test('a model with the custom layers saves and loads back through tf.serialization with the same outputs', async () => {
  const input = tf.input({ shape: [4, 4, 3] });
  const h = new BatchNormalization({ name: 'b', epsilon: 1.001e-5, momentum: 0.999, activation: 'relu' }).apply(input) as tf.SymbolicTensor;
  const out = new FusedActivation({ name: 'b_relu', activation: 'relu' }).apply(h) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  model.getLayer('b').setWeights([tf.fill([3], 1.5), tf.fill([3], -0.2), tf.fill([3], 0.1), tf.fill([3], 2)]);
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(tf.io.withSaveHandler(async (a) => {
    saved = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
  const bn = loaded.getLayer('b') as BatchNormalization;
  assert.ok(bn instanceof BatchNormalization);
  assert.deepEqual([bn.epsilon, bn.momentum, bn.activation], [1.001e-5, 0.999, 'relu']);
  const x = tf.randomNormal([2, 4, 4, 3], 0, 1, 'float32', 1);
  close((loaded.predict(x) as tf.Tensor).dataSync(), Array.from((model.predict(x) as tf.Tensor).dataSync()), 1e-6);
});
