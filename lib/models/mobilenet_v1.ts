/**
 * MobileNet (v1), ported layer for layer from Keras applications (keras/src/applications/mobilenet.py; the
 * explicit `conv1_pad` of Keras 2.x is kept: at even input sizes it equals Keras 3's padding='same').
 * Howard et al., "MobileNets: Efficient Convolutional Neural Networks for Mobile Vision Applications", 2017.
 *
 * Layer names are Keras's: conv1_pad, conv1, conv1_bn, conv1_relu, then for block i = 1..13:
 * [conv_pad_i,] conv_dw_i, conv_dw_i_bn, conv_dw_i_relu, conv_pw_i, conv_pw_i_bn, conv_pw_i_relu.
 * BatchNorm: Keras defaults (epsilon 1e-3, momentum 0.99). Activations: ReLU(6).
 */
import * as tf from '@tensorflow/tfjs';
import { bnAct, BnActOptions } from './batch_norm';
import { BackboneBuildOptions, imageInput, kernelInit, resolveBuildOptions, ResolvedBuildOptions, zeroPad } from './common';

export const MOBILENET_V1_ALPHAS: readonly number[] = [0.25, 0.5, 0.75, 1.0];
const BN: Omit<BnActOptions, 'fuse'> = { epsilon: 1e-3, momentum: 0.99 };

/** [pointwise filters, depthwise stride] of the 13 depthwise-separable blocks (Keras MobileNet, alpha 1). */
export const MOBILENET_V1_BLOCKS: readonly [number, number][] = [
  [64, 1], [128, 2], [128, 1], [256, 2], [256, 1], [512, 2],
  [512, 1], [512, 1], [512, 1], [512, 1], [512, 1], [1024, 2], [1024, 1],
];

/**
 * [spatial size, in channels, out channels] of the 13 pointwise convolutions conv_pw_1..13 at `inputSize` px and
 * alpha 1: conv1 (3x3/2, 32 filters) halves the size, then each block's depthwise stride divides it.
 * For kernel tests and benchmarks of the 1x1 convolutions.
 */
export function mobilenetV1PointwiseShapes(inputSize: number): [number, number, number][] {
  let size = inputSize / 2;
  let channels = 32;
  return MOBILENET_V1_BLOCKS.map(([filters, stride]) => {
    size /= stride;
    const shape: [number, number, number] = [size, channels, filters];
    channels = filters;
    return shape;
  });
}

/** Validates MobileNet-v1 options before anything is built. */
export function checkMobileNetV1Options(o: ResolvedBuildOptions): void {
  if (!MOBILENET_V1_ALPHAS.includes(o.alpha)) {
    throw new Error(`mobilenet_v1: alpha ${o.alpha} is not one of ${MOBILENET_V1_ALPHAS.join(', ')}`);
  }
  if (o.inputSize % 32 !== 0) {
    throw new Error(
      `mobilenet_v1: inputSize ${o.inputSize} is not a multiple of 32 (five stride-2 stages; Keras's (0,1) padding equals the ` +
        `'same' padding of the pretrained weights only at even sizes); try ${Math.max(32, Math.round(o.inputSize / 32) * 32)}`,
    );
  }
}

/** The MobileNet-v1 graph on `input`: returns conv_pw_13_relu [batch, s/32, s/32, 1024 alpha] (or the top). */
export function mobileNetV1Graph(input: tf.SymbolicTensor, o: ResolvedBuildOptions): tf.SymbolicTensor {
  checkMobileNetV1Options(o);
  const bn: BnActOptions = { ...BN, fuse: o.fuse };
  // _conv_block: 3x3/2 convolution, 32 alpha filters.
  let x = zeroPad(input, [[0, 1], [0, 1]], 'conv1_pad');
  x = tf.layers
    .conv2d({ filters: Math.trunc(32 * o.alpha), kernelSize: 3, strides: 2, padding: 'valid', useBias: false, name: 'conv1', kernelInitializer: kernelInit(o.seed, 'conv1') })
    .apply(x) as tf.SymbolicTensor;
  x = bnAct(x, 'conv1_bn', 'conv1_relu', 'relu6', bn);
  // _depthwise_conv_block x 13.
  MOBILENET_V1_BLOCKS.forEach(([filters, stride], i) => {
    const id = i + 1;
    if (stride === 2) x = zeroPad(x, [[0, 1], [0, 1]], `conv_pad_${id}`);
    x = tf.layers
      .depthwiseConv2d({
        kernelSize: 3,
        strides: stride,
        padding: stride === 1 ? 'same' : 'valid',
        depthMultiplier: 1,
        useBias: false,
        name: `conv_dw_${id}`,
        depthwiseInitializer: kernelInit(o.seed, `conv_dw_${id}`),
      })
      .apply(x) as tf.SymbolicTensor;
    x = bnAct(x, `conv_dw_${id}_bn`, `conv_dw_${id}_relu`, 'relu6', bn);
    x = tf.layers
      .conv2d({ filters: Math.trunc(filters * o.alpha), kernelSize: 1, padding: 'same', useBias: false, name: `conv_pw_${id}`, kernelInitializer: kernelInit(o.seed, `conv_pw_${id}`) })
      .apply(x) as tf.SymbolicTensor;
    x = bnAct(x, `conv_pw_${id}_bn`, `conv_pw_${id}_relu`, 'relu6', bn);
  });
  if (!o.includeTop) return x;
  // Keras 2 top: GAP, Reshape (1, 1, C), Dropout, 1x1 conv_preds, Reshape (classes), softmax.
  const channels = Math.trunc(1024 * o.alpha);
  x = tf.layers.globalAveragePooling2d({ name: 'global_average_pooling2d' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reshape({ targetShape: [1, 1, channels], name: 'reshape_1' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dropout({ rate: 1e-3, name: 'dropout' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers
    .conv2d({ filters: o.classes, kernelSize: 1, padding: 'same', name: 'conv_preds', kernelInitializer: kernelInit(o.seed, 'conv_preds') })
    .apply(x) as tf.SymbolicTensor;
  x = tf.layers.reshape({ targetShape: [o.classes], name: 'reshape_2' }).apply(x) as tf.SymbolicTensor;
  return tf.layers.activation({ activation: 'softmax', name: 'predictions' }).apply(x) as tf.SymbolicTensor;
}

/** Keras's `MobileNet(weights=None, include_top, alpha, input_shape=(s, s, 3))`, randomly initialised. */
export function mobileNetV1(opts: BackboneBuildOptions = {}): tf.LayersModel {
  const o = resolveBuildOptions(opts);
  checkMobileNetV1Options(o);
  const input = imageInput(o.inputSize);
  return tf.model({ inputs: input, outputs: mobileNetV1Graph(input, o), name: `mobilenet_${o.alpha.toFixed(2)}_${o.inputSize}` });
}
