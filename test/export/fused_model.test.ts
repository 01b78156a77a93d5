import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { fuseModel, samePad } from '../../lib/export/page/fused_model';

/** Random moving statistics, gamma and beta for every BatchNormalization (fresh ones are the identity). */
function randomiseBatchNorms(model: tf.LayersModel, seed: number): void {
  for (const l of model.layers) {
    if (l.getClassName() !== 'BatchNormalization') continue;
    const c = l.getWeights()[0].shape[0];
    l.setWeights(l.getWeights().map((w, i) => {
      const name = l.weights[i].originalName;
      if (name.endsWith('moving_variance')) return tf.randomUniform([c], 0.2, 3, 'float32', seed + i);
      if (name.endsWith('gamma')) return tf.randomUniform([c], 0.5, 2, 'float32', seed + i);
      return tf.randomNormal([c], 0, 0.5, 'float32', seed + i);
    }));
  }
}

/** MobileNet-v1's block shapes as exported (stock BatchNormalization + Activation), small. */
function mobileNetLike(firstPad: [[number, number], [number, number]]): tf.LayersModel {
  const input = tf.input({ shape: [16, 16, 3] });
  let x = tf.layers.zeroPadding2d({ padding: firstPad, name: 'conv1_pad' }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'valid', useBias: false, name: 'conv1' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ epsilon: 1e-3, name: 'conv1_bn' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.activation({ activation: 'relu6', name: 'conv1_relu' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false, name: 'conv_dw_1' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'conv_dw_1_bn' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU({ maxValue: 6, name: 'conv_dw_1_relu' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.zeroPadding2d({ padding: [[0, 1], [0, 1]], name: 'conv_pad_2' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'valid', depthMultiplier: 2, useBias: false, name: 'conv_dw_2' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'conv_dw_2_bn' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.activation({ activation: 'relu', name: 'conv_dw_2_relu' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ filters: 12, kernelSize: 1, useBias: true, name: 'conv_pw_2' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'conv_pw_2_bn' }).apply(x) as tf.SymbolicTensor; // no activation after it
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 5, name: 'logits' }).apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  randomiseBatchNorms(model, 7);
  return model;
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

test('samePad is TF same padding: (0, 1) for a 3x3 stride-2 window on an even size, (1, 1) for stride 1', () => {
  assert.deepEqual(samePad(128, 3, 2), [0, 1]);
  assert.deepEqual(samePad(127, 3, 2), [1, 1]);
  assert.deepEqual(samePad(16, 3, 1), [1, 1]);
  assert.deepEqual(samePad(16, 1, 1), [0, 0]);
});

test('the fused plan computes what the layers model computes, with every convolution fused and both same-like pads folded', () => {
  const model = mobileNetLike([[0, 1], [0, 1]]);
  const plan = fuseModel(model);
  const x = tf.randomUniform([2, 16, 16, 3], -1, 1, 'float32', 3);
  const want = model.predict(x) as tf.Tensor;
  const got = plan.predict(x);
  assert.deepEqual(got.shape, [2, 5]);
  assert.ok(maxAbsDiff(got, want) < 1e-4, `largest difference ${maxAbsDiff(got, want)}`);
  assert.equal(plan.fused, 4);
  // left as themselves: global average pooling and the dense layer (pads, BatchNorms, activations absorbed)
  assert.equal(plan.plain, 2);
  plan.dispose();
});

test('a ZeroPadding2D that is not TF same padding stays a layer of its own, and the result is unchanged', () => {
  const model = mobileNetLike([[1, 1], [1, 1]]); // symmetric: TF same would pad (0, 1) on 16 px with stride 2
  const plan = fuseModel(model);
  const x = tf.randomUniform([1, 16, 16, 3], -1, 1, 'float32', 4);
  assert.ok(maxAbsDiff(plan.predict(x), model.predict(x) as tf.Tensor) < 1e-4);
  assert.equal(plan.fused, 4);
  assert.equal(plan.plain, 3);
  plan.dispose();
});

test('a BatchNorm whose output has two consumers is not folded', () => {
  const input = tf.input({ shape: [8, 8, 2] });
  const c = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', useBias: false }).apply(input) as tf.SymbolicTensor;
  const bn = tf.layers.batchNormalization({}).apply(c) as tf.SymbolicTensor;
  const a = tf.layers.activation({ activation: 'relu6' }).apply(bn) as tf.SymbolicTensor;
  const out = tf.layers.add().apply([a, bn]) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  randomiseBatchNorms(model, 11);
  const plan = fuseModel(model);
  const x = tf.randomUniform([1, 8, 8, 2], -1, 1, 'float32', 5);
  assert.ok(maxAbsDiff(plan.predict(x), model.predict(x) as tf.Tensor) < 1e-4);
  assert.equal(plan.fused, 1); // conv + BatchNorm; the activation and the add run as layers
  assert.equal(plan.plain, 2);
});
