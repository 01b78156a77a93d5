/**
 * Input preprocessing modes, named as in keras/src/applications/imagenet_utils.py (`mode='tf'`, `mode='torch'`),
 * plus `unit` (x / 255) for weights trained on [0, 1] inputs (nsfwjs's MobileNetV2).
 * Every function takes RGB in 0..255, NHWC, and returns float32.
 */
import * as tf from '@tensorflow/tfjs';

export type PreprocessMode = 'tf' | 'torch' | 'unit';
export const PREPROCESS_MODES: readonly PreprocessMode[] = ['tf', 'torch', 'unit'];

/** ImageNet channel statistics used by Keras's 'torch' mode (DenseNet). */
export const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
export const IMAGENET_STD = [0.229, 0.224, 0.225] as const;

/** What each mode computes, for reports and docs. */
export const PREPROCESS_DESCRIPTIONS: Record<PreprocessMode, string> = {
  tf: 'x / 127.5 - 1 (Keras mode "tf": MobileNet, MobileNetV2)',
  torch: '(x / 255 - mean) / std with ImageNet mean [0.485, 0.456, 0.406], std [0.229, 0.224, 0.225] (Keras mode "torch": DenseNet)',
  unit: 'x / 255 (inputs in [0, 1], as nsfwjs feeds its MobileNetV2)',
};

/** x / 127.5 - 1: [0, 255] -> [-1, 1]. */
export function preprocessTf(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.sub(tf.div(tf.cast(x, 'float32'), 127.5), 1));
}

/** (x / 255 - mean) / std per RGB channel. */
export function preprocessTorch(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const mean = tf.tensor1d(IMAGENET_MEAN.map((m) => m * 255));
    const std = tf.tensor1d(IMAGENET_STD.map((s) => s * 255));
    return tf.div(tf.sub(tf.cast(x, 'float32'), mean), std);
  });
}

/** x / 255: [0, 255] -> [0, 1]. */
export function preprocessUnit(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.div(tf.cast(x, 'float32'), 255));
}

/** The preprocessing function of a mode; throws on an unknown mode, listing the valid ones. */
export function preprocessFn(mode: PreprocessMode): (x: tf.Tensor4D) => tf.Tensor4D {
  switch (mode) {
    case 'tf':
      return preprocessTf;
    case 'torch':
      return preprocessTorch;
    case 'unit':
      return preprocessUnit;
    default:
      throw new Error(`unknown preprocessing mode '${String(mode)}'; valid: ${PREPROCESS_MODES.join(', ')}`);
  }
}
