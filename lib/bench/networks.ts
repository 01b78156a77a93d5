/**
 * The networks `fer-au bench` measures, behind one interface: lib/models' AU models of the four backbones (what
 * training uses: backbone + pooling + BatchNorm-ReLU-Dropout-Dense head, built by buildAuModel), the stock-tfjs-layers
 * MobileNet-v1 trained with model.trainOnBatch, the op-level MobileNet-v1 (explicit variables, this project's
 * BatchNorm op) and the stage-1 head on pooled features.
 */
import * as tf from '@tensorflow/tfjs';
import { buildAuModel } from '../models/au_model';
import { BackboneName } from '../models/types';
import { optimizerStep } from '../train/fit';
import { resolveMicroBatch } from '../train/micro_batch';
import { headBenchNet } from './head_net';
import { layersMobileNetV1 } from './layers_mobilenet_v1';
import { BenchNet, mobilenetV1BenchNet } from './ops_mobilenet_v1';

/** AU models by backbone, then the stock-layers and op-level MobileNet-v1s. */
export const BENCH_NETWORKS = ['mobilenet_v1', 'mobilenet_v2', 'densenet121', 'densenet201', 'layers-mobilenet_v1', 'ops-mobilenet_v1'] as const;
export type BenchNetwork = (typeof BENCH_NETWORKS)[number];
const AU_BACKBONES: readonly string[] = ['mobilenet_v1', 'mobilenet_v2', 'densenet121', 'densenet201'];

/** A network ready to time: inference forward, one training step (Adam 1e-4, sigmoid cross-entropy), cleanup. */
export interface Runnable {
  /** Inference-mode logits. */
  forward(x: tf.Tensor): tf.Tensor;
  /** One training step on (x, y); resolves once the loss is read back (the step has finished). */
  trainStep(x: tf.Tensor, y: tf.Tensor): Promise<void>;
  /** Moving statistics := statistics of batch x (keeps a random network's inference out of denormal floats). */
  calibrate(x: tf.Tensor): void;
  dispose(): void;
  /** AU models: the micro-batch a training step accumulates over (null: the whole batch in one pass). */
  microBatch?: number | null;
}

/** The training batch of a case and its micro-batch (undefined/null: on wasm chosen from the heap, lib/train/micro_batch). */
export interface BuildOptions {
  batch?: number;
  microBatch?: number | null;
}

/** Every layer of a model, nested models included. */
function allLayers(model: tf.LayersModel): tf.layers.Layer[] {
  const out: tf.layers.Layer[] = [];
  const walk = (ls: tf.layers.Layer[]): void => ls.forEach((l) => (out.push(l), walk((l as unknown as { layers?: tf.layers.Layer[] }).layers ?? [])));
  walk(model.layers);
  return out;
}

/** BatchNorm moving statistics := those of batch x: one training-mode forward with every momentum at 0. */
function calibrateLayers(model: tf.LayersModel, x: tf.Tensor): void {
  const bns = allLayers(model).filter((l) => typeof (l as unknown as { momentum?: unknown }).momentum === 'number') as unknown as { momentum: number }[];
  const saved = bns.map((l) => l.momentum);
  bns.forEach((l) => ((l as { momentum: number }).momentum = 0));
  try {
    tf.tidy(() => {
      model.apply(x, { training: true });
    });
  } finally {
    bns.forEach((l, i) => ((l as { momentum: number }).momentum = saved[i]));
  }
}

/**
 * A graph model trained as lib/train does: optimizer.minimize over its trainable weights, or with `microBatch`
 * lib/train's accumulated step (sigmoid cross-entropy is a per-sample mean).
 */
function minimizing(model: tf.LayersModel, alsoDispose: tf.LayersModel[] = [], microBatch: number | null = null): Runnable {
  const opt = tf.train.adam(1e-4);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  return {
    microBatch,
    forward: (x) => model.apply(x, { training: false }) as tf.Tensor,
    trainStep: async (x, y) => {
      await optimizerStep({
        optimizer: opt, vars, x, y: y as tf.Tensor2D, microBatch, sampleMean: true,
        loss: (labels, logits) => tf.losses.sigmoidCrossEntropy(labels, logits) as tf.Scalar,
        forward: (t) => model.apply(t, { training: true }) as tf.Tensor2D,
      });
    },
    calibrate: (x) => calibrateLayers(model, x),
    dispose: () => {
      opt.dispose();
      model.dispose();
      // Models sharing layers with `model` hold a second reference to those layers (as lib/train's disposeAuModel).
      alsoDispose.forEach((m) => m.dispose());
    },
  };
}

/** A network of explicit variables (ops-mobilenet_v1, the head). */
function fromBenchNet(net: BenchNet): Runnable {
  const opt = tf.train.adam(1e-4);
  return {
    forward: (x) => net.forward(x as tf.Tensor4D, false),
    trainStep: async (x, y) => {
      const loss = opt.minimize(() => tf.losses.sigmoidCrossEntropy(y, net.forward(x as tf.Tensor4D, true)) as tf.Scalar, true, net.trainable);
      await loss!.data();
      loss!.dispose();
    },
    calibrate: (x) => net.calibrate(x as tf.Tensor4D),
    dispose: () => {
      opt.dispose();
      net.dispose();
    },
  };
}

/**
 * Builds `network` at `inputSize` (for 'head': the feature dimension), randomly initialised with seed 1. The AU
 * models' training step accumulates over micro-batches when `opts.microBatch` is set or, on wasm, when the batch
 * would not fit in the heap.
 */
export async function buildNetwork(network: BenchNetwork | 'head', inputSize: number, opts: BuildOptions = {}): Promise<Runnable> {
  if (network === 'head') return fromBenchNet(headBenchNet({ featureDim: inputSize, classes: 8, dropout: 0.5, seed: 1 }));
  if (network === 'ops-mobilenet_v1') return fromBenchNet(mobilenetV1BenchNet({ inputSize, classes: 8, seed: 1 }));
  if (network === 'layers-mobilenet_v1') {
    const model = layersMobileNetV1({ inputSize, classes: 8, seed: 1 });
    return {
      forward: (x) => model.predict(x, { batchSize: x.shape[0] }) as tf.Tensor,
      trainStep: async (x, y) => {
        await model.trainOnBatch(x, y);
      },
      calibrate: (x) => calibrateLayers(model, x),
      dispose: () => {
        model.optimizer?.dispose();
        model.dispose();
      },
    };
  }
  if (!AU_BACKBONES.includes(network)) throw new Error(`unknown bench network '${String(network)}' (valid: ${BENCH_NETWORKS.join(', ')})`);
  const m = await buildAuModel({ backbone: network as BackboneName, inputSize, weights: null, seed: 1 });
  const mb = opts.batch === undefined ? (opts.microBatch ?? null) : resolveMicroBatch(opts.microBatch, m.model, opts.batch, inputSize, network);
  return minimizing(m.model, [m.head], mb);
}
