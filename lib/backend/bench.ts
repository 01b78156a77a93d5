/**
 * Throughput measurements for `fer-au bench`: forward and training-step images/s of a network on the current
 * backend (median of timed steps after warm-up), and the stage-1 head on pooled features.
 */
import * as tf from '@tensorflow/tfjs';
import { BenchNet, headBenchNet, mobilenetV1BenchNet } from './bench_net';

/** 'ops-mobilenet_v1' is this module's op-level network; the others are lib/models' Keras-exact AU models. */
export const BENCH_NETWORKS = ['ops-mobilenet_v1', 'mobilenet_v1', 'mobilenet_v2', 'densenet121', 'densenet201'] as const;
export type BenchNetwork = (typeof BENCH_NETWORKS)[number];

export interface BenchCase {
  network: BenchNetwork | 'head';
  mode: 'forward' | 'train';
  inputSize: number;
  batch: number;
  warmup: number;
  steps: number;
}

export interface BenchResult extends BenchCase {
  /** Median seconds per step. */
  medianS: number;
  /** Every timed step, seconds. */
  stepS: number[];
  imagesPerS: number;
  msPerImage: number;
  /** Bytes the backend held after the last step (tf.memory().numBytes; wasm: the heap in use by tensors). */
  tensorBytes: number;
  error?: string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function timeSteps(warmup: number, steps: number, fn: () => Promise<void>): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const ts: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    await fn();
    ts.push((performance.now() - t0) / 1000);
  }
  return ts;
}

interface Runnable {
  forward(x: tf.Tensor, training: boolean): tf.Tensor;
  /** Moving statistics := statistics of batch x (see BenchNet.calibrate: keeps inference out of denormals). */
  calibrate(x: tf.Tensor): void;
  trainable?: tf.Variable[];
  dispose(): void;
}

async function buildNetwork(network: BenchNetwork, inputSize: number): Promise<Runnable> {
  if (network === 'ops-mobilenet_v1') return mobilenetV1BenchNet({ inputSize, classes: 8, seed: 1 }) as unknown as Runnable;
  // Lazy: lib/models is only needed for the Keras-exact backbones.
  const models = require('../models') as typeof import('../models');
  const m = await models.buildAuModel({ backbone: network, inputSize, weights: null, seed: 1 });
  return {
    forward: (x, training) => m.model.apply(x, { training }) as tf.Tensor,
    calibrate: (x) => {
      // lib/models' BatchNormalization updates moving = moving * momentum + batch * (1 - momentum).
      const all: tf.layers.Layer[] = [];
      const walk = (ls: tf.layers.Layer[]): void => ls.forEach((l) => (all.push(l), walk((l as unknown as { layers?: tf.layers.Layer[] }).layers ?? [])));
      walk(m.model.layers);
      const bns = all.filter((l) => typeof (l as unknown as { momentum?: unknown }).momentum === 'number') as unknown as { momentum: number }[];
      const saved = bns.map((l) => l.momentum);
      bns.forEach((l) => (l.momentum = 0));
      try {
        tf.tidy(() => {
          m.model.apply(x, { training: true });
        });
      } finally {
        bns.forEach((l, i) => (l.momentum = saved[i]));
      }
    },
    dispose: () => m.model.dispose(),
  };
}

/** Runs one forward or training case on the current backend. */
export async function runCase(c: BenchCase): Promise<BenchResult> {
  let net: Runnable | BenchNet | null = null;
  const base = { ...c, medianS: NaN, stepS: [] as number[], imagesPerS: NaN, msPerImage: NaN, tensorBytes: 0 };
  try {
    if (c.network === 'head') net = headBenchNet({ featureDim: c.inputSize, classes: 8, dropout: 0.5, seed: 1 });
    else net = await buildNetwork(c.network, c.inputSize);
    const n = net;
    const shape = c.network === 'head' ? [c.batch, c.inputSize] : [c.batch, c.inputSize, c.inputSize, 3];
    const x = tf.randomUniform(shape, -1, 1, 'float32', 7);
    const y = tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([c.batch, 8], 0, 1, 'float32', 8), 0.5), 'float32'));
    const opt = tf.train.adam(1e-4);
    let ts: number[];
    if (c.mode === 'forward') {
      n.calibrate(x as tf.Tensor4D);
      ts = await timeSteps(c.warmup, c.steps, async () => {
        const out = tf.tidy(() => n.forward(x as tf.Tensor4D, false));
        await out.data();
        out.dispose();
      });
    } else {
      const vars = (n as { trainable?: tf.Variable[] }).trainable;
      ts = await timeSteps(c.warmup, c.steps, async () => {
        const loss = opt.minimize(() => tf.losses.sigmoidCrossEntropy(y, n.forward(x as tf.Tensor4D, true)) as tf.Scalar, true, vars);
        await loss!.data();
        loss!.dispose();
      });
    }
    const bytes = tf.memory().numBytes;
    opt.dispose();
    tf.dispose([x, y]);
    const med = median(ts);
    return { ...base, medianS: med, stepS: ts, imagesPerS: c.batch / med, msPerImage: (1000 * med) / c.batch, tensorBytes: bytes };
  } catch (err) {
    return { ...base, error: (err instanceof Error ? err.message : String(err)).split('\n')[0] };
  } finally {
    net?.dispose();
  }
}
