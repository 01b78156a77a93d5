/**
 * DenseNet, ported layer for layer from Keras applications (keras/src/applications/densenet.py).
 * Huang et al., "Densely Connected Convolutional Networks", CVPR 2017.
 *
 * Names are Keras 3's (conv1_conv, conv1_bn, conv1_relu); Keras 2 .h5 files spell the stem conv1/conv, conv1/bn,
 * which the weight loader maps. Blocks: convB_blockK_{0_bn,0_relu,1_conv,1_bn,1_relu,2_conv,concat};
 * transitions poolB_{bn,relu,conv,pool}; final bn, relu. BatchNorm epsilon 1.001e-5, momentum 0.99.
 */
import * as tf from '@tensorflow/tfjs';
import { bnAct, BnActOptions } from './batch_norm';
import { BackboneBuildOptions, imageInput, kernelInit, resolveBuildOptions, ResolvedBuildOptions, zeroPad } from './common';

const GROWTH_RATE = 32;
const BN: Omit<BnActOptions, 'fuse'> = { epsilon: 1.001e-5, momentum: 0.99 };

function conv(x: tf.SymbolicTensor, filters: number, kernelSize: number, name: string, o: ResolvedBuildOptions, strides = 1, padding: 'same' | 'valid' = 'valid'): tf.SymbolicTensor {
  return tf.layers
    .conv2d({ filters, kernelSize, strides, padding, useBias: false, name, kernelInitializer: kernelInit(o.seed, name) })
    .apply(x) as tf.SymbolicTensor;
}

/** One building block: BN-ReLU-1x1 conv (4k) - BN-ReLU-3x3 conv (k), concatenated to its input. */
function convBlock(x: tf.SymbolicTensor, name: string, o: ResolvedBuildOptions): tf.SymbolicTensor {
  const bn: BnActOptions = { ...BN, fuse: o.fuse };
  let x1 = bnAct(x, `${name}_0_bn`, `${name}_0_relu`, 'relu', bn);
  x1 = conv(x1, 4 * GROWTH_RATE, 1, `${name}_1_conv`, o);
  x1 = bnAct(x1, `${name}_1_bn`, `${name}_1_relu`, 'relu', bn);
  x1 = conv(x1, GROWTH_RATE, 3, `${name}_2_conv`, o, 1, 'same');
  return tf.layers.concatenate({ axis: 3, name: `${name}_concat` }).apply([x, x1]) as tf.SymbolicTensor;
}

function transitionBlock(x: tf.SymbolicTensor, reduction: number, name: string, o: ResolvedBuildOptions): tf.SymbolicTensor {
  const bn: BnActOptions = { ...BN, fuse: o.fuse };
  const channels = x.shape[3] as number;
  let y = bnAct(x, `${name}_bn`, `${name}_relu`, 'relu', bn);
  y = conv(y, Math.trunc(channels * reduction), 1, `${name}_conv`, o);
  return tf.layers.averagePooling2d({ poolSize: 2, strides: 2, name: `${name}_pool` }).apply(y) as tf.SymbolicTensor;
}

/** The DenseNet graph for `blocks` (layers per dense block) on `input`: returns `relu` (or the top). */
export function denseNetGraph(input: tf.SymbolicTensor, blocks: readonly number[], o: ResolvedBuildOptions): tf.SymbolicTensor {
  if (o.alpha !== 1.0) throw new Error(`densenet: alpha must be 1.0 (DenseNet has no width multiplier), got ${o.alpha}`);
  const bn: BnActOptions = { ...BN, fuse: o.fuse };
  let x = zeroPad(input, [[3, 3], [3, 3]], 'zero_padding2d');
  x = conv(x, 64, 7, 'conv1_conv', o, 2);
  x = bnAct(x, 'conv1_bn', 'conv1_relu', 'relu', bn);
  x = zeroPad(x, [[1, 1], [1, 1]], 'zero_padding2d_1');
  x = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, name: 'pool1' }).apply(x) as tf.SymbolicTensor;
  blocks.forEach((n, b) => {
    for (let k = 1; k <= n; k++) x = convBlock(x, `conv${b + 2}_block${k}`, o);
    if (b < blocks.length - 1) x = transitionBlock(x, 0.5, `pool${b + 2}`, o);
  });
  x = bnAct(x, 'bn', 'relu', 'relu', bn);
  if (!o.includeTop) return x;
  x = tf.layers.globalAveragePooling2d({ name: 'avg_pool' }).apply(x) as tf.SymbolicTensor;
  return tf.layers
    .dense({ units: o.classes, activation: 'softmax', name: 'predictions', kernelInitializer: kernelInit(o.seed, 'predictions') })
    .apply(x) as tf.SymbolicTensor;
}

/** Keras's `DenseNet(blocks, weights=None, ...)`, randomly initialised. */
export function denseNet(blocks: readonly number[], name: string, opts: BackboneBuildOptions = {}): tf.LayersModel {
  const o = resolveBuildOptions(opts);
  const input = imageInput(o.inputSize);
  return tf.model({ inputs: input, outputs: denseNetGraph(input, blocks, o), name });
}

export const DENSENET121_BLOCKS: readonly number[] = [6, 12, 24, 16];
export const DENSENET201_BLOCKS: readonly number[] = [6, 12, 48, 32];

/** Keras's DenseNet121: blocks [6, 12, 24, 16]. */
export const denseNet121 = (opts: BackboneBuildOptions = {}): tf.LayersModel => denseNet(DENSENET121_BLOCKS, 'densenet121', opts);
/** Keras's DenseNet201: blocks [6, 12, 48, 32]. */
export const denseNet201 = (opts: BackboneBuildOptions = {}): tf.LayersModel => denseNet(DENSENET201_BLOCKS, 'densenet201', opts);
