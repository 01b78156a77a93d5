/**
 * FusedBatchNorm (tf.batchNorm's forward: what tfjs-layers' batchNormalization runs in training and inference) for
 * the wasm backend, channels last with per-channel statistics: z = x * s + t with s = scale / sqrt(variance + eps)
 * and t = offset - mean * s, one SIMD pass over x on every thread (csrc bn_apply, split by rows). Stock wasm runs a
 * scalar loop on one thread (117 ms of a 973 ms training step of the stock-layers MobileNet-v1 at 128 px, batch 16,
 * 2 threads: results/bench/2026-12-02-55544a8-paired.json). Other shapes, dtypes, or a backend without the native
 * module use the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { nativeKernels } from './native';
import { stockKernel, WasmBackendLike } from './wasm_ops';

type Args = {
  inputs: { x: tf.TensorInfo; mean: tf.TensorInfo; variance: tf.TensorInfo; offset?: tf.TensorInfo; scale?: tf.TensorInfo };
  backend: WasmBackendLike;
  attrs: { varianceEpsilon: number };
};

const size = (shape: number[]): number => shape.reduce((a, v) => a * v, 1);

export function fusedBatchNorm(args: Args): tf.TensorInfo {
  const { x, mean, variance, offset, scale } = args.inputs;
  const b = args.backend;
  const c = x.shape[x.shape.length - 1];
  const stats = [mean, variance, offset, scale].filter((t): t is tf.TensorInfo => t != null);
  const nat = nativeKernels(b as unknown as { wasm: unknown });
  if (!nat || x.dtype !== 'float32' || size(x.shape) === 0 || stats.some((t) => t.dtype !== 'float32' || t.shape.length !== 1 || t.shape[0] !== c)) {
    return stockKernel('FusedBatchNorm')(args as never) as tf.TensorInfo;
  }
  const out = b.makeOutput(x.shape, 'float32');
  const st = nat.malloc(8 * c); // s then t, [c] floats each
  try {
    const view = (t: tf.TensorInfo | undefined) => (t ? (b.typedArrayFromHeap(t) as Float32Array) : null);
    const [mv, vv, ov, sv] = [mean, variance, offset, scale].map(view);
    const s = new Float32Array(nat.memory.buffer, st, c);
    const t = new Float32Array(nat.memory.buffer, st + 4 * c, c);
    for (let k = 0; k < c; k++) {
      s[k] = (sv ? sv[k] : 1) / Math.sqrt(vv![k] + args.attrs.varianceEpsilon);
      t[k] = (ov ? ov[k] : 0) - mv![k] * s[k];
    }
    const off = (u: tf.TensorInfo): number => b.dataIdMap.get(u.dataId)!.memoryOffset;
    const [xo, oo] = [off(x), off(out)];
    nat.split('bn_apply', size(x.shape) / c, 1, c, (r0, r1) => [xo + 4 * r0 * c, oo + 4 * r0 * c, r1 - r0, c, st, st + 4 * c, 0]);
  } finally {
    nat.free(st);
  }
  return out;
}
