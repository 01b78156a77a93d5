/**
 * The stage-1 head as the bench trains it on pooled features: BatchNorm -> ReLU -> Dropout -> Dense(classes), with
 * explicit variables and this project's fused BatchNorm op (the same math as lib/models' AU head).
 */
import * as tf from '@tensorflow/tfjs';
import { batchNormActInference, batchNormActTraining } from '../backend/ops/batch_norm_act';
import { BenchNet } from './ops_mobilenet_v1';

/** The stage-1 head on pooled features: BatchNorm -> ReLU -> Dropout -> Dense(classes). */
export function headBenchNet(opts: { featureDim: number; classes?: number; dropout?: number; seed?: number }): BenchNet {
  const classes = opts.classes ?? 8;
  const rate = opts.dropout ?? 0.5;
  const [gamma, beta, mm, mv, w, b] = tf.tidy(() => [
    tf.variable(tf.ones([opts.featureDim])), tf.variable(tf.zeros([opts.featureDim])),
    tf.variable(tf.zeros([opts.featureDim]), false), tf.variable(tf.ones([opts.featureDim]), false),
    tf.variable(tf.randomNormal([opts.featureDim, classes], 0, Math.sqrt(1 / opts.featureDim), 'float32', opts.seed ?? 1)),
    tf.variable(tf.zeros([classes])),
  ]);
  let step = 0;
  const forward = (x: tf.Tensor4D | tf.Tensor2D, training: boolean): tf.Tensor2D => {
    let h: tf.Tensor;
    if (training) {
      const r = batchNormActTraining(x, gamma as tf.Tensor1D, beta as tf.Tensor1D, 1e-3, 'relu');
      tf.tidy(() => {
        mm.assign(tf.add(tf.mul(mm, 0.99), tf.mul(r.mean, 0.01)));
        mv.assign(tf.add(tf.mul(mv, 0.99), tf.mul(r.variance, 0.01)));
      });
      h = tf.dropout(r.y, rate, undefined, (opts.seed ?? 1) * 100003 + step++);
    } else {
      h = batchNormActInference(x, mm as tf.Tensor1D, mv as tf.Tensor1D, gamma as tf.Tensor1D, beta as tf.Tensor1D, 1e-3, 'relu');
    }
    return tf.add(tf.matMul(h as tf.Tensor2D, w as tf.Tensor2D), b) as tf.Tensor2D;
  };
  const all = [gamma, beta, mm, mv, w, b];
  return {
    name: 'head', inputSize: opts.featureDim, classes, trainable: [gamma, beta, w, b],
    paramCount: all.reduce((a, v) => a + v.size, 0),
    forward: forward as BenchNet['forward'], calibrate: () => undefined, dispose: () => all.forEach((v) => v.dispose()),
  };
}
