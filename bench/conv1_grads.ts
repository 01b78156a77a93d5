/**
 * CPU milliseconds (process.cpuUsage, mean of 3 after one warm-up) of MobileNet-v1's conv1 and first pointwise
 * convolution, forward and both gradients, on wasm at 128 px, batch 16: a paired check of one kernel change.
 * Usage: FER_WASM_THREADS=1 node -r ts-node/register/transpile-only bench/conv1_grads.ts
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../lib/backend';
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
(async () => {
  await initBackend('wasm');
  const dy = tf.randomNormal([16, 64, 64, 32]);
  const w = tf.randomNormal([3, 3, 3, 32]);
  const x = tf.randomNormal([16, 129, 129, 3]);
  const run = (name: string, f: () => tf.Tensor) => { f().dispose(); const c0 = cpu(); for (let i = 0; i < 3; i++) f().dispose(); console.log(name, ((cpu() - c0) / 3).toFixed(1), 'ms cpu'); };
  run('conv1 backprop input', () => tf.conv2dTranspose(dy as tf.Tensor4D, w as tf.Tensor4D, [16, 129, 129, 3], 2, 'valid'));
  run('conv1 backprop filter', () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 2, pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 3, 32] }) as tf.Tensor);
  run('conv1 forward', () => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'valid'));
  const a = tf.randomNormal([16, 64, 64, 32]); const wp = tf.randomNormal([1, 1, 32, 64]);
  run('pw1 forward', () => tf.conv2d(a as tf.Tensor4D, wp as tf.Tensor4D, 1, 'same'));
  const dy2 = tf.randomNormal([16, 64, 64, 64]);
  run('pw1 backprop input', () => tf.engine().runKernel('Conv2DBackpropInput', { dy: dy2, filter: wp }, { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: [16, 64, 64, 32] }) as tf.Tensor);
  run('pw1 backprop filter', () => tf.engine().runKernel('Conv2DBackpropFilter', { x: a, dy: dy2 }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [1, 1, 32, 64] }) as tf.Tensor);
  run('transpose [65536,32]', () => tf.transpose(tf.reshape(a, [65536, 32])));
  run('matmul [32,65536]x[65536,64]', () => tf.matMul(tf.reshape(tf.transpose(tf.reshape(a, [65536, 32])), [32, 65536]), tf.reshape(dy2, [65536, 64])));
})();
