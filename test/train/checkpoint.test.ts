import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { optimizerTensors, readTensorFile, restoreOptimizer, writeTensorFile } from '../../lib/train/checkpoint';

test('tensor files round-trip values bit-exactly, with names, dtypes and order', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-au-ckpt-'));
  const file = path.join(dir, 'a.tensors');
  const a = tf.tensor2d([[1.1, -2.2, 3.3e-8], [Math.PI, 0, -0]]);
  const b = tf.scalar(7, 'int32');
  await writeTensorFile(file, [{ name: 'z/a', tensor: a }, { name: 'b', tensor: b }]);
  const back = readTensorFile(file);
  assert.deepEqual(back.map((t) => t.name), ['z/a', 'b']);
  assert.deepEqual(back[0].tensor.shape, [2, 3]);
  assert.equal(back[1].tensor.dtype, 'int32');
  assert.deepEqual(Array.from(back[0].tensor.dataSync()), Array.from(a.dataSync()));
  assert.equal(back[1].tensor.dataSync()[0], 7);
  fs.writeFileSync(file, 'garbage!garbage!');
  assert.throws(() => readTensorFile(file), /not a fer-au tensor file/);
  fs.rmSync(dir, { recursive: true, force: true });
  tf.dispose([a, b, ...back.map((t) => t.tensor)]);
});

test('Adam restored from a checkpoint continues bit-identically to an uninterrupted optimizer', async () => {
  const x = tf.tensor2d([[0.3, -1.2], [2.0, 0.7], [-0.4, 0.1]]);
  const y = tf.tensor2d([[1], [0], [1]]);
  const run = async (steps: number, w0: tf.Tensor, opt: tf.AdamOptimizer, w: tf.Variable) => {
    w.assign(w0);
    for (let i = 0; i < steps; i++) {
      opt.minimize(() => tf.losses.sigmoidCrossEntropy(y, tf.matMul(x, w)) as tf.Scalar, false, [w]);
    }
  };
  const init = tf.tensor2d([[0.5], [-0.25]]);
  // uninterrupted: 7 steps
  const wA = tf.variable(init.clone());
  const optA = tf.train.adam(0.05);
  await run(7, init, optA, wA);
  // interrupted after 3 steps, state saved and restored into fresh objects, 4 more steps
  const wB = tf.variable(init.clone());
  const optB = tf.train.adam(0.05);
  await run(3, init, optB, wB);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-au-adam-'));
  const file = path.join(dir, 's.tensors');
  await writeTensorFile(file, [{ name: 'w', tensor: wB }, ...(await optimizerTensors(optB))]);
  const saved = readTensorFile(file);
  const wC = tf.variable(saved[0].tensor.clone());
  const optC = tf.train.adam(0.05);
  await restoreOptimizer(optC, saved.slice(1));
  await run(4, saved[0].tensor, optC, wC);
  assert.deepEqual(Array.from(wC.dataSync()), Array.from(wA.dataSync()));
  assert.equal(optC.iterations, 7);
  fs.rmSync(dir, { recursive: true, force: true });
});
