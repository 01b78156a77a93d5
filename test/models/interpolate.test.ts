// WiSE-FT weight interpolation (lib/models/interpolate.ts): exact values derived by hand. Every operand is a small
// dyadic rational, so float32 computes (1 - alpha) * a + alpha * b without rounding and equality is exact.
import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/backend';
import { assignInterpolated, compareWeights, interpolateWeights, type WeightTensor } from '../../lib/models/interpolate';

before(async () => {
  await initBackend('wasm');
});

const w = (name: string, values: number[], shape: number[]): WeightTensor => ({ name, tensor: tf.tensor(values, shape) });
const values = (ws: WeightTensor[]) => ws.map((x) => Array.from(x.tensor.dataSync()));

test('interpolateWeights gives (1 - alpha) * from + alpha * to, exactly: alpha 0.25 of [0, 4, -8] and [4, 8, 8] is [1, 5, -4]', () => {
  const from = [w('k', [0, 4, -8], [3]), w('b', [2], [1])];
  const to = [w('k', [4, 8, 8], [3]), w('b', [6], [1])];
  // k: 0.75*0 + 0.25*4 = 1, 0.75*4 + 0.25*8 = 5, 0.75*(-8) + 0.25*8 = -4; b: 0.75*2 + 0.25*6 = 3
  assert.deepEqual(values(interpolateWeights(from, to, 0.25)), [[1, 5, -4], [3]]);
  // alpha 0.5 is the mean: k [2, 6, 0], b 4
  assert.deepEqual(values(interpolateWeights(from, to, 0.5)), [[2, 6, 0], [4]]);
});

test('interpolateWeights at alpha 0 is exactly the pretrained weights and at alpha 1 exactly the fine-tuned ones', () => {
  const from = [w('k', [0.1, -0.3, 7.7], [3])];
  const to = [w('k', [1e-8, 2.5, -3.3], [3])];
  assert.deepEqual(values(interpolateWeights(from, to, 0)), values(from));
  assert.deepEqual(values(interpolateWeights(from, to, 1)), values(to));
});

test('interpolateWeights copies unselected weights from the fine-tuned side (the head stays fine-tuned)', () => {
  const from = [w('conv1/kernel', [0, 0], [2]), w('head_logits/kernel', [0, 0], [2])];
  const to = [w('conv1/kernel', [4, 8], [2]), w('head_logits/kernel', [4, 8], [2])];
  const out = interpolateWeights(from, to, 0.5, { select: (name) => !name.startsWith('head_') });
  assert.deepEqual(values(out), [[2, 4], [4, 8]]);
  assert.notEqual(out[1].tensor, to[1].tensor); // a copy the caller may dispose
});

test('interpolateWeights pairs weights by name, not position (a loaded model lists its trainable weights first), in the fine-tuned order', () => {
  const from = [w('bn/moving_mean', [8], [1]), w('conv/kernel', [0, 4], [2])];
  const to = [w('conv/kernel', [4, 8], [2]), w('bn/moving_mean', [0], [1])];
  const out = interpolateWeights(from, to, 0.5);
  assert.deepEqual(out.map((x) => x.name), ['conv/kernel', 'bn/moving_mean']);
  assert.deepEqual(values(out), [[2, 6], [4]]);
});

test('interpolateWeights refuses weight lists of different architectures, naming the weight', () => {
  assert.throws(() => interpolateWeights([w('a', [1], [1])], [], 0.5), /1 weights to interpolate from, 0 to/);
  assert.throws(() => interpolateWeights([w('a', [1, 2], [2])], [w('a', [1, 2], [1, 2])], 0.5), /weight a is \[2\] float32 in one model, \[1,2\]/);
  assert.throws(() => interpolateWeights([w('a', [1], [1])], [w('b', [1], [1])], 0.5), /weight b has no namesake/);
  assert.throws(() => interpolateWeights([w('a', [1], [1]), w('a', [2], [1])], [w('a', [1], [1]), w('b', [1], [1])], 0.5), /a occurs twice/);
  assert.throws(() => interpolateWeights([w('a', [1], [1])], [w('a', [1], [1])], NaN), /alpha must be a finite number/);
});

test('assignInterpolated writes the mix into a third model and leaves both sources unchanged', () => {
  const make = (k: number[], b: number) => {
    // the same layer name in each model: weights pair by name
    const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2], name: 'logits' })] });
    m.setWeights([tf.tensor2d(k, [2, 1]), tf.tensor1d([b])]);
    return m;
  };
  const from = make([0, 4], 2);
  const to = make([4, 8], 6);
  const target = make([9, 9], 9);
  assert.equal(assignInterpolated(target, from, to, 0.75), 2);
  // 0.25*0 + 0.75*4 = 3, 0.25*4 + 0.75*8 = 7; bias 0.25*2 + 0.75*6 = 5
  assert.deepEqual(target.getWeights().map((t) => Array.from(t.dataSync())), [[3, 7], [5]]);
  assert.deepEqual(from.getWeights().map((t) => Array.from(t.dataSync())), [[0, 4], [2]]);
  assert.deepEqual(to.getWeights().map((t) => Array.from(t.dataSync())), [[4, 8], [6]]);
});

test('compareWeights lists bitwise identical weights and the relative change ||to - from|| / ||from|| of the others', () => {
  // k: ||[3, 4] - [0, 0]|| / ||[3, 4]|| with from [3, 4], to [0, 0] is 5 / 5 = 1; mean: identical
  const r = compareWeights([w('k', [3, 4], [2]), w('mean', [1], [1])], [w('mean', [1], [1]), w('k', [0, 0], [2])]);
  assert.deepEqual(r, { identical: ['mean'], changed: [{ name: 'k', relativeChange: 1 }] });
});
