/**
 * MobileNet-v1 (Keras layout, alpha 1) built from stock tfjs-layers only — `tf.layers.conv2d`, `depthwiseConv2d`,
 * `batchNormalization`, `reLU({maxValue: 6})`, `zeroPadding2d`, `globalAveragePooling2d`, `dense` — and trained with
 * `model.trainOnBatch`: the network a notebook user would write. It measures how fast an unchanged tfjs model trains
 * on this project's backends (none of lib/models' fused layers are involved). Randomly initialised.
 */
import * as tf from '@tensorflow/tfjs';
import { MOBILENET_V1_BLOCKS } from './ops_mobilenet_v1';

const BN_EPS = 1e-3; // Keras MobileNet's BatchNormalization epsilon (also tfjs's default)

/** Keras's ZeroPadding2D(((0, 1), (0, 1))) before every stride-2 convolution. */
const pad01 = (name: string) => tf.layers.zeroPadding2d({ padding: [[0, 1], [0, 1]], name });

function bnRelu6(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
  const y = tf.layers.batchNormalization({ axis: -1, epsilon: BN_EPS, momentum: 0.99, name: `${name}_bn` }).apply(x);
  return tf.layers.reLU({ maxValue: 6, name: `${name}_relu` }).apply(y) as tf.SymbolicTensor;
}

/** The stock-layers MobileNet-v1 with a Dense(classes) logits head, compiled with Adam and sigmoid cross-entropy. */
export function layersMobileNetV1(opts: { inputSize: number; classes?: number; learningRate?: number; seed?: number }): tf.LayersModel {
  const classes = opts.classes ?? 8;
  let seed = opts.seed ?? 1;
  const init = (): ReturnType<typeof tf.initializers.heNormal> => tf.initializers.heNormal({ seed: seed++ });
  const input = tf.input({ shape: [opts.inputSize, opts.inputSize, 3], name: 'input' });
  let h = pad01('conv1_pad').apply(input) as tf.SymbolicTensor;
  h = tf.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'valid', useBias: false, kernelInitializer: init(), name: 'conv1' }).apply(h) as tf.SymbolicTensor;
  h = bnRelu6(h, 'conv1');
  MOBILENET_V1_BLOCKS.forEach(([filters, stride], i) => {
    const id = i + 1;
    if (stride === 2) h = pad01(`conv_pad_${id}`).apply(h) as tf.SymbolicTensor;
    h = tf.layers.depthwiseConv2d({
      kernelSize: 3, strides: stride, padding: stride === 2 ? 'valid' : 'same', useBias: false, depthwiseInitializer: init(), name: `conv_dw_${id}`,
    }).apply(h) as tf.SymbolicTensor;
    h = bnRelu6(h, `conv_dw_${id}`);
    h = tf.layers.conv2d({ filters, kernelSize: 1, padding: 'same', useBias: false, kernelInitializer: init(), name: `conv_pw_${id}` }).apply(h) as tf.SymbolicTensor;
    h = bnRelu6(h, `conv_pw_${id}`);
  });
  h = tf.layers.globalAveragePooling2d({ name: 'avg_pool' }).apply(h) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: classes, kernelInitializer: init(), name: 'logits' }).apply(h) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: logits, name: 'layers_mobilenet_v1' });
  model.compile({
    optimizer: tf.train.adam(opts.learningRate ?? 1e-4),
    loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.losses.sigmoidCrossEntropy(yTrue, yPred),
  });
  return model;
}
