/** Options and small helpers shared by the backbone family modules. */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../util/rng';

export interface BackboneBuildOptions {
  /** Square input side in pixels (default 224). */
  inputSize?: number;
  /** Width multiplier (MobileNets only; default 1.0). */
  alpha?: number;
  /** Add Keras's ImageNet classifier (default false). */
  includeTop?: boolean;
  /** Classes of the top (default 1000). */
  classes?: number;
  /** Fuse each activation into the BatchNorm before it, keeping a Keras-named marker layer (default true). */
  fuseActivations?: boolean;
  /** Seed of the random initialisation (default: unseeded, like Keras). */
  seed?: number;
}

export interface ResolvedBuildOptions {
  inputSize: number;
  alpha: number;
  includeTop: boolean;
  classes: number;
  fuse: boolean;
  seed: number | undefined;
}

export function resolveBuildOptions(opts: BackboneBuildOptions = {}): ResolvedBuildOptions {
  const inputSize = opts.inputSize ?? 224;
  if (!Number.isInteger(inputSize) || inputSize < 32) {
    throw new Error(`inputSize must be an integer >= 32 (Keras's minimum), got ${String(opts.inputSize)}`);
  }
  const classes = opts.classes ?? 1000;
  if (!Number.isInteger(classes) || classes < 1) throw new Error(`classes must be a positive integer, got ${String(opts.classes)}`);
  return {
    inputSize,
    alpha: opts.alpha ?? 1.0,
    includeTop: opts.includeTop ?? false,
    classes,
    fuse: opts.fuseActivations ?? true,
    seed: opts.seed,
  };
}

/**
 * Keras's default kernel initialiser (glorot_uniform), seeded per layer name when a seed is given so a random
 * backbone is reproducible.
 */
export function kernelInit(seed: number | undefined, layerName: string): ReturnType<typeof tf.initializers.glorotUniform> {
  return seed === undefined ? tf.initializers.glorotUniform({}) : tf.initializers.glorotUniform({ seed: deriveSeed(seed, layerName) });
}

/** Keras's ZeroPadding2D(((top, bottom), (left, right)), name). */
export function zeroPad(x: tf.SymbolicTensor, pad: [[number, number], [number, number]], name: string): tf.SymbolicTensor {
  return tf.layers.zeroPadding2d({ padding: pad, name }).apply(x) as tf.SymbolicTensor;
}

/** The image input layer: [batch, size, size, 3]. */
export function imageInput(size: number, name = 'input_1'): tf.SymbolicTensor {
  return tf.input({ shape: [size, size, 3], name, dtype: 'float32' });
}
