/**
 * MobileNetV2, ported layer for layer from Keras applications (keras/src/applications/mobilenet_v2.py, with the
 * explicit `Conv1_pad` of Keras 2.2.4, the layout of the nsfwjs model; equal to Keras 3's padding='same' at even sizes).
 * Sandler et al., "MobileNetV2: Inverted Residuals and Linear Bottlenecks", CVPR 2018.
 *
 * Names: Conv1_pad, Conv1, bn_Conv1, Conv1_relu; expanded_conv_{depthwise,depthwise_BN,depthwise_relu,project,
 * project_BN}; block_N_{expand,expand_BN,expand_relu,pad,depthwise,depthwise_BN,depthwise_relu,project,project_BN,add};
 * Conv_1, Conv_1_bn, out_relu. BatchNorm epsilon 1e-3, momentum 0.999. Activations: ReLU(6); projections linear.
 */
import * as tf from '@tensorflow/tfjs';
import { bnAct, BnActOptions } from './batch_norm';
import { BackboneBuildOptions, imageInput, kernelInit, resolveBuildOptions, ResolvedBuildOptions, zeroPad } from './common';

export const MOBILENET_V2_ALPHAS: readonly number[] = [0.35, 0.5, 0.75, 1.0, 1.3, 1.4];
const BN: Omit<BnActOptions, 'fuse'> = { epsilon: 1e-3, momentum: 0.999 };

/** [filters, stride, expansion] of the 17 inverted residual blocks (block ids 0..16). */
const BLOCKS: readonly [number, number, number][] = [
  [16, 1, 1],
  [24, 2, 6], [24, 1, 6],
  [32, 2, 6], [32, 1, 6], [32, 1, 6],
  [64, 2, 6], [64, 1, 6], [64, 1, 6], [64, 1, 6],
  [96, 1, 6], [96, 1, 6], [96, 1, 6],
  [160, 2, 6], [160, 1, 6], [160, 1, 6],
  [320, 1, 6],
];

/** Keras's _make_divisible: round to the nearest multiple of `divisor`, never below 90% of v. */
export function makeDivisible(v: number, divisor = 8, minValue?: number): number {
  const min = minValue ?? divisor;
  let nv = Math.max(min, Math.trunc(v + divisor / 2) - (Math.trunc(v + divisor / 2) % divisor));
  if (nv < 0.9 * v) nv += divisor;
  return nv;
}

export function checkMobileNetV2Options(o: ResolvedBuildOptions): void {
  if (!MOBILENET_V2_ALPHAS.includes(o.alpha)) {
    throw new Error(`mobilenet_v2: alpha ${o.alpha} is not one of ${MOBILENET_V2_ALPHAS.join(', ')}`);
  }
  if (o.inputSize % 32 !== 0) {
    throw new Error(
      `mobilenet_v2: inputSize ${o.inputSize} is not a multiple of 32 (five stride-2 stages with Keras's (0,1) padding); ` +
        `try ${Math.max(32, Math.round(o.inputSize / 32) * 32)}`,
    );
  }
}

function conv1x1(x: tf.SymbolicTensor, filters: number, name: string, seed: number | undefined): tf.SymbolicTensor {
  return tf.layers
    .conv2d({ filters, kernelSize: 1, padding: 'same', useBias: false, name, kernelInitializer: kernelInit(seed, name) })
    .apply(x) as tf.SymbolicTensor;
}

function invertedResBlock(
  inputs: tf.SymbolicTensor, expansion: number, stride: number, alpha: number, filters: number, blockId: number, o: ResolvedBuildOptions,
): tf.SymbolicTensor {
  const bn: BnActOptions = { ...BN, fuse: o.fuse };
  const inChannels = inputs.shape[3] as number;
  const pointwiseFilters = makeDivisible(Math.trunc(filters * alpha), 8);
  let x = inputs;
  let prefix = `block_${blockId}_`;
  if (blockId) {
    x = conv1x1(x, expansion * inChannels, `${prefix}expand`, o.seed);
    x = bnAct(x, `${prefix}expand_BN`, `${prefix}expand_relu`, 'relu6', bn);
  } else {
    prefix = 'expanded_conv_';
  }
  if (stride === 2) x = zeroPad(x, [[0, 1], [0, 1]], `${prefix}pad`); // correct_pad at even sizes
  x = tf.layers
    .depthwiseConv2d({
      kernelSize: 3, strides: stride, useBias: false, padding: stride === 1 ? 'same' : 'valid',
      name: `${prefix}depthwise`, depthwiseInitializer: kernelInit(o.seed, `${prefix}depthwise`),
    })
    .apply(x) as tf.SymbolicTensor;
  x = bnAct(x, `${prefix}depthwise_BN`, `${prefix}depthwise_relu`, 'relu6', bn);
  x = conv1x1(x, pointwiseFilters, `${prefix}project`, o.seed);
  x = bnAct(x, `${prefix}project_BN`, null, 'linear', bn);
  if (inChannels === pointwiseFilters && stride === 1) {
    return tf.layers.add({ name: `${prefix}add` }).apply([inputs, x]) as tf.SymbolicTensor;
  }
  return x;
}

/** The MobileNetV2 graph on `input`: returns out_relu [batch, s/32, s/32, 1280] (or the top). */
export function mobileNetV2Graph(input: tf.SymbolicTensor, o: ResolvedBuildOptions): tf.SymbolicTensor {
  checkMobileNetV2Options(o);
  const bn: BnActOptions = { ...BN, fuse: o.fuse };
  const firstBlockFilters = makeDivisible(32 * o.alpha, 8);
  let x = zeroPad(input, [[0, 1], [0, 1]], 'Conv1_pad');
  x = tf.layers
    .conv2d({ filters: firstBlockFilters, kernelSize: 3, strides: 2, padding: 'valid', useBias: false, name: 'Conv1', kernelInitializer: kernelInit(o.seed, 'Conv1') })
    .apply(x) as tf.SymbolicTensor;
  x = bnAct(x, 'bn_Conv1', 'Conv1_relu', 'relu6', bn);
  BLOCKS.forEach(([filters, stride, expansion], id) => {
    x = invertedResBlock(x, expansion, stride, o.alpha, filters, id, o);
  });
  const lastBlockFilters = o.alpha > 1.0 ? makeDivisible(1280 * o.alpha, 8) : 1280;
  x = conv1x1(x, lastBlockFilters, 'Conv_1', o.seed);
  x = bnAct(x, 'Conv_1_bn', 'out_relu', 'relu6', bn);
  if (!o.includeTop) return x;
  x = tf.layers.globalAveragePooling2d({ name: 'global_average_pooling2d' }).apply(x) as tf.SymbolicTensor;
  return tf.layers
    .dense({ units: o.classes, activation: 'softmax', name: 'predictions', kernelInitializer: kernelInit(o.seed, 'predictions') })
    .apply(x) as tf.SymbolicTensor;
}

/** Keras's `MobileNetV2(weights=None, include_top, alpha, input_shape=(s, s, 3))`, randomly initialised. */
export function mobileNetV2(opts: BackboneBuildOptions = {}): tf.LayersModel {
  const o = resolveBuildOptions(opts);
  checkMobileNetV2Options(o);
  const input = imageInput(o.inputSize);
  return tf.model({ inputs: input, outputs: mobileNetV2Graph(input, o), name: `mobilenetv2_${o.alpha.toFixed(2)}_${o.inputSize}` });
}
