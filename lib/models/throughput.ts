/**
 * Forward and training throughput of an AU model on the current backend: median over `steps` timed steps after
 * one warm-up step. For `fer-au bench` and the backbone survey; numbers depend on the machine and its load.
 */
import * as tf from '@tensorflow/tfjs';
import { buildAuModel } from './au_model';
import { BackboneName } from './types';

export interface ThroughputOptions {
  inputSize?: number;
  /** Batch of the forward pass (default 32). */
  batch?: number;
  /** Batch of a training step (default 16); 0 skips training. */
  trainBatch?: number;
  /** Timed steps (default 3). */
  steps?: number;
}

export interface ThroughputResult {
  backbone: BackboneName;
  backend: string;
  inputSize: number;
  batch: number;
  trainBatch: number;
  /** Images per second, inference mode. */
  forward: number;
  /** Images per second, one Adam step with the whole model trainable (null when skipped). */
  train: number | null;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function measureThroughput(backbone: BackboneName, opts: ThroughputOptions = {}): Promise<ThroughputResult> {
  const inputSize = opts.inputSize ?? 224;
  const batch = opts.batch ?? 32;
  const trainBatch = opts.trainBatch ?? 16;
  const steps = opts.steps ?? 3;
  const m = await buildAuModel({ backbone, inputSize, seed: 1 });
  try {
    const time = async (fn: () => Promise<void>): Promise<number> => {
      await fn(); // warm-up
      const ts: number[] = [];
      for (let i = 0; i < steps; i++) {
        const t0 = performance.now();
        await fn();
        ts.push((performance.now() - t0) / 1000);
      }
      return median(ts);
    };
    const x = tf.randomUniform([batch, inputSize, inputSize, 3], -1, 1, 'float32', 1);
    const fwd = await time(async () => {
      const y = m.model.predict(x) as tf.Tensor;
      await y.data();
      y.dispose();
    });
    x.dispose();
    let train: number | null = null;
    if (trainBatch > 0) {
      const xt = tf.randomUniform([trainBatch, inputSize, inputSize, 3], -1, 1, 'float32', 2);
      const yt = tf.cast(tf.greater(tf.randomUniform([trainBatch, m.numAus], 0, 1, 'float32', 3), 0.5), 'float32');
      const opt = tf.train.adam(1e-4);
      const t = await time(async () => {
        const loss = opt.minimize(() => tf.losses.sigmoidCrossEntropy(yt, m.model.apply(xt, { training: true }) as tf.Tensor) as tf.Scalar, true)!;
        await loss.data();
        loss.dispose();
      });
      train = trainBatch / t;
      opt.dispose();
      tf.dispose([xt, yt]);
    }
    return { backbone, backend: tf.getBackend(), inputSize, batch, trainBatch, forward: batch / fwd, train };
  } finally {
    m.model.dispose();
  }
}
