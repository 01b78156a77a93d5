/**
 * A MobileNet-v1-shaped network (Keras layout: conv1 3x3/2 after ZeroPadding2D((0,1),(0,1)), 13 depthwise-separable
 * blocks with explicit stride-2 zero padding, BatchNorm + ReLU6 after every convolution, global average pooling,
 * Dense head) written directly with tf ops and variables, so the benchmark measures the backend and this project's
 * kernels and BatchNorm op, not a layers wrapper. Randomly initialised; not for recognition.
 */
import * as tf from '@tensorflow/tfjs';
import { batchNormActInference, batchNormActTraining } from '../backend/ops/batch_norm_act';
import { MOBILENET_V1_BLOCKS } from '../models/mobilenet_v1';

/** Keras MobileNet's depthwise-separable blocks (lib/models, the AU model's own table). */
export { MOBILENET_V1_BLOCKS };

interface Bn { gamma: tf.Variable; beta: tf.Variable; movingMean: tf.Variable; movingVariance: tf.Variable }

/** A network with explicit variables: `forward(x, training)` -> logits [batch, classes]. */
export interface BenchNet {
  name: string;
  inputSize: number;
  classes: number;
  trainable: tf.Variable[];
  paramCount: number;
  forward(x: tf.Tensor4D, training: boolean): tf.Tensor2D;
  /**
   * Sets every BatchNorm's moving statistics to those of batch `x` (one training-mode forward, momentum 0).
   * A random network with identity moving statistics drives inference activations into denormal floats, which
   * are very slow on x86 (PyTorch's eval forward ran 5-18x slower here); calibrated, inference is realistic.
   */
  calibrate(x: tf.Tensor4D): void;
  dispose(): void;
}

const BN_EPS = 1e-3; // Keras MobileNet's BatchNormalization epsilon
const BN_MOMENTUM = 0.99;

/** Builds the MobileNet-v1-shaped bench network (alpha scales every width, as in Keras). */
export function mobilenetV1BenchNet(opts: { inputSize: number; alpha?: number; classes?: number; seed?: number }): BenchNet {
  const alpha = opts.alpha ?? 1;
  const classes = opts.classes ?? 8;
  let seed = opts.seed ?? 1;
  const vars: tf.Variable[] = [];
  const nonTrainable: tf.Variable[] = [];
  const he = (shape: number[], fanIn: number): tf.Variable => {
    const v = tf.tidy(() => tf.variable(tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', seed++)));
    vars.push(v);
    return v;
  };
  const bn = (c: number): Bn => {
    // tidy: tf.variable shares the initial tensor's buffer, and the initial tensor itself must not outlive it.
    const b = tf.tidy(() => ({
      gamma: tf.variable(tf.ones([c])), beta: tf.variable(tf.zeros([c])),
      movingMean: tf.variable(tf.zeros([c]), false), movingVariance: tf.variable(tf.ones([c]), false),
    }));
    vars.push(b.gamma, b.beta);
    nonTrainable.push(b.movingMean, b.movingVariance);
    return b;
  };
  const c1 = Math.round(32 * alpha);
  const conv1 = he([3, 3, 3, c1], 27);
  const conv1Bn = bn(c1);
  let cin = c1;
  const blocks = MOBILENET_V1_BLOCKS.map(([filters, stride]) => {
    const cout = Math.round(filters * alpha);
    const blk = { stride, dw: he([3, 3, cin, 1], 9), dwBn: bn(cin), pw: he([1, 1, cin, cout], cin), pwBn: bn(cout) };
    cin = cout;
    return blk;
  });
  const dense = he([cin, classes], cin);
  const bias = tf.tidy(() => tf.variable(tf.zeros([classes])));
  vars.push(bias);

  let momentum = BN_MOMENTUM;
  const bnAct = (x: tf.Tensor4D, b: Bn, training: boolean): tf.Tensor4D => {
    if (!training) {
      return batchNormActInference(x, b.movingMean as tf.Tensor1D, b.movingVariance as tf.Tensor1D, b.gamma as tf.Tensor1D, b.beta as tf.Tensor1D, BN_EPS, 'relu6') as tf.Tensor4D;
    }
    const { y, mean, variance } = batchNormActTraining(x, b.gamma as tf.Tensor1D, b.beta as tf.Tensor1D, BN_EPS, 'relu6');
    tf.tidy(() => {
      b.movingMean.assign(tf.add(tf.mul(b.movingMean, momentum), tf.mul(mean, 1 - momentum)));
      b.movingVariance.assign(tf.add(tf.mul(b.movingVariance, momentum), tf.mul(variance, 1 - momentum)));
    });
    return y as tf.Tensor4D;
  };
  const pad01 = (x: tf.Tensor4D): tf.Tensor4D => tf.pad(x, [[0, 0], [0, 1], [0, 1], [0, 0]]);

  const forward = (x: tf.Tensor4D, training: boolean): tf.Tensor2D => {
    let h = bnAct(tf.conv2d(pad01(x), conv1 as tf.Tensor4D, 2, 'valid'), conv1Bn, training);
    for (const b of blocks) {
      const dw = b.stride === 2
        ? tf.depthwiseConv2d(pad01(h), b.dw as tf.Tensor4D, 2, 'valid')
        : tf.depthwiseConv2d(h, b.dw as tf.Tensor4D, 1, 'same');
      h = bnAct(dw, b.dwBn, training);
      h = bnAct(tf.conv2d(h, b.pw as tf.Tensor4D, 1, 'same'), b.pwBn, training);
    }
    const pooled = tf.mean(h, [1, 2]) as tf.Tensor2D; // GlobalAveragePooling2D
    return tf.add(tf.matMul(pooled, dense as tf.Tensor2D), bias) as tf.Tensor2D;
  };
  return {
    name: 'mobilenet_v1',
    inputSize: opts.inputSize,
    classes,
    trainable: vars,
    paramCount: [...vars, ...nonTrainable].reduce((a, v) => a + v.size, 0),
    forward,
    calibrate: (x) => {
      momentum = 0;
      try {
        tf.tidy(() => {
          forward(x, true);
        });
      } finally {
        momentum = BN_MOMENTUM;
      }
    },
    dispose: () => [...vars, ...nonTrainable].forEach((v) => v.dispose()),
  };
}
