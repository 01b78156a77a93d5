/**
 * The micro-batch of a training step on the wasm backend, chosen from its heap ceiling (lib/backend/wasm_memory:
 * 4 GiB), and the one-line error when a step still runs out of memory.
 *
 * A training step keeps every layer's output on the gradient tape and builds the gradients beside them, so its
 * peak grows linearly with the batch: per image about TAPE_BYTES_PER_ACTIVATION bytes per element of the layer
 * outputs (the sum over model.layers of their per-image output sizes), plus the weights' gradients, Adam's two
 * moments and the batch itself. Measured with tf.profile's peakBytes on wasm (2 threads; every layer trainable,
 * BatchNorm in inference mode, as the paper preset's stage 2; the extra bytes of one more image in the batch):
 *   MobileNet-v1 224 px: 17.0 M activations/image, peak 280 / 522 / 1008 MiB at batch 1 / 2 / 4: 3.74 x 4 B;
 *   MobileNet-v1 128 px:  5.6 M, 3.73 x 4 B;  MobileNet-v2 128 / 224 px: 7.2 / 22.0 M, 3.73 x 4 B;
 *   DenseNet-121 128 px: 16.3 M, 3.45 x 4 B
 * (the same for L_pr's two passes and the sample-mean losses). The estimate uses 4.0 x 4 B and plans for 80% of
 * the ceiling, which leaves room for the allocator's fragmentation.
 */
import * as tf from '@tensorflow/tfjs';
import { WasmOutOfMemoryError, wasmHeapLimitBytes } from '../backend/wasm_memory';

/** Bytes of a training step's peak per element of the layer outputs of one image (measured 3.74 x float32). */
export const TAPE_BYTES_PER_ACTIVATION = 4.0 * 4;
/** Share of the heap ceiling a step may plan to use. */
export const HEAP_PLAN_FRACTION = 0.8;

/** Elements of every layer's output for one image (nested models included), the activations a step keeps. */
export function activationsPerImage(model: tf.LayersModel): number {
  let n = 0;
  const walk = (layers: tf.layers.Layer[]): void => {
    for (const l of layers) {
      const nested = (l as unknown as { layers?: tf.layers.Layer[] }).layers;
      if (nested) {
        walk(nested);
        continue;
      }
      const shape = l.outputShape as (number | null)[] | (number | null)[][];
      const shapes = Array.isArray(shape[0]) ? (shape as (number | null)[][]) : [shape as (number | null)[]];
      for (const s of shapes) n += s.slice(1).reduce<number>((a, d) => a * (d ?? 1), 1);
    }
  };
  walk(model.layers);
  return n;
}

export interface MicroBatchPlan {
  /** Images per micro-batch; null: the whole batch in one pass. */
  microBatch: number | null;
  /** Estimated peak bytes per image of the step. */
  perImageBytes: number;
  /** Bytes the step may use (80% of the ceiling less what is live and fixed). */
  budgetBytes: number;
}

/**
 * The largest balanced micro-batch whose estimated step fits in the heap: with m the most images that fit,
 * ceil(batch / ceil(batch / m)) (64 with m = 11 gives six micro-batches of at most 11, not five of 12 and a 4).
 * Throws a one-line error when not even one image fits. `limitBytes` defaults to the ceiling in force,
 * `liveBytes` to tf.memory().numBytes.
 */
export function planMicroBatch(model: tf.LayersModel, batch: number, inputSize: number, opts: { limitBytes?: number; liveBytes?: number; what?: string } = {}): MicroBatchPlan {
  const limit = opts.limitBytes ?? wasmHeapLimitBytes();
  const live = opts.liveBytes ?? tf.memory().numBytes;
  const params = model.countParams();
  const perImageBytes = activationsPerImage(model) * TAPE_BYTES_PER_ACTIVATION;
  // summed gradients, Adam's moments and a temporary per weight; the batch and one slice of it
  const fixed = 4 * params * 4 + 2 * batch * inputSize * inputSize * 3 * 4;
  const budgetBytes = Math.max(0, limit * HEAP_PLAN_FRACTION - live - fixed);
  const fit = Math.floor(budgetBytes / perImageBytes);
  if (fit < 1) {
    throw new WasmOutOfMemoryError(
      `${opts.what ?? 'this model'} at ${inputSize} px needs about ${(perImageBytes / 2 ** 20).toFixed(0)} MiB per image for a training step, more than the wasm heap's ${(limit / 2 ** 30).toFixed(1)} GiB ceiling leaves (${(budgetBytes / 2 ** 20).toFixed(0)} MiB): use a smaller input size or the tensorflow backend (FER_BACKEND=tensorflow)`,
      perImageBytes,
    );
  }
  if (fit >= batch) return { microBatch: null, perImageBytes, budgetBytes };
  return { microBatch: Math.ceil(batch / Math.ceil(batch / fit)), perImageBytes, budgetBytes };
}

/**
 * The micro-batch a step uses: the configured one when set; on wasm with none set, planMicroBatch's; elsewhere
 * (tensorflow, cpu: no fixed ceiling) the whole batch.
 */
export function resolveMicroBatch(configured: number | null | undefined, model: tf.LayersModel, batch: number, inputSize: number, what?: string): number | null {
  if (configured != null) return configured;
  if (tf.getBackend() !== 'wasm') return null;
  return planMicroBatch(model, batch, inputSize, { what }).microBatch;
}

/**
 * Adds to an out-of-memory error what ran and what to set; other errors are returned unchanged. One line:
 * `out of wasm memory: ... in a training step of mobilenet_v1 at 224 px, batch 64 in micro-batches of 11:
 * set stage2.microBatchSize to 5 or lower (...)`.
 */
export function explainOutOfMemory(err: unknown, ctx: { what: string; inputSize: number; batch: number; microBatch: number | null; setting: string }): unknown {
  if (!(err instanceof WasmOutOfMemoryError)) return err;
  const used = ctx.microBatch ?? ctx.batch;
  const next = Math.max(1, Math.floor(used / 2));
  const how = used > 1 ? `set ${ctx.setting} to ${next} or lower` : 'use a smaller input size';
  const mb = ctx.microBatch ? ` in micro-batches of ${ctx.microBatch}` : '';
  return new WasmOutOfMemoryError(
    `${err.message} in a training step of ${ctx.what} at ${ctx.inputSize} px, batch ${ctx.batch}${mb}: ${how}, or train on the tensorflow backend (FER_BACKEND=tensorflow)`,
    err.requestedBytes,
  );
}
