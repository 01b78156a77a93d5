/**
 * FerMovingMoments: Keras BatchNormalization's moving-statistics update in one kernel per layer, for the wasm and cpu
 * backends (it replaced four multiplies, two adds and four scalar uploads per layer and training step).
 *
 * inputs {movingMean, movingVariance, mean, variance} (each [channels]), attrs {momentum} -> [movingMean', movingVariance']
 *   moving' = moving * momentum + batch * (1 - momentum)          (keras/src/layers/normalization/batch_normalization.py)
 *
 * Each product and the sum are rounded to float32 as tf.add(tf.mul(moving, m), tf.mul(batch, 1 - m)) rounds them
 * on either backend (a product of two float32 is exact in double; the double sum rounds to the same float32), so
 * the result has the same bits as that composition.
 */
import * as tf from '@tensorflow/tfjs';
import { storageFor } from './batch_norm_act_kernels';

export const MOVING_MOMENTS = 'FerMovingMoments';

function movingMoments(backendName: 'wasm' | 'cpu') {
  return (args: { inputs: Record<string, tf.TensorInfo>; backend: unknown; attrs: Record<string, unknown> }): tf.TensorInfo[] => {
    const { movingMean, movingVariance, mean, variance } = args.inputs;
    const m = Math.fround(args.attrs.momentum as number);
    const om = Math.fround(1 - (args.attrs.momentum as number));
    const st = storageFor(backendName, args.backend);
    const outs = [st.alloc(movingMean.shape), st.alloc(movingVariance.shape)];
    // Views only after the last allocation (a wasm heap growth replaces the buffer).
    const pairs: [Float32Array, Float32Array][] = [[st.read(movingMean), st.read(mean)], [st.read(movingVariance), st.read(variance)]];
    pairs.forEach(([moving, batch], i) => {
      const out = outs[i].view();
      for (let k = 0; k < out.length; k++) out[k] = Math.fround(moving[k] * m) + Math.fround(batch[k] * om);
    });
    return outs.map((o) => o.info);
  };
}

let registered = false;

/** Registers FerMovingMoments for 'wasm' and 'cpu' (idempotent). */
export function registerMovingMomentsKernel(): void {
  if (registered) return;
  for (const backendName of ['wasm', 'cpu'] as const) {
    if (tf.getKernel(MOVING_MOMENTS, backendName)) tf.unregisterKernel(MOVING_MOMENTS, backendName);
    tf.registerKernel({ kernelName: MOVING_MOMENTS, backendName, kernelFunc: movingMoments(backendName) as unknown as tf.KernelFunc });
  }
  registered = true;
}
