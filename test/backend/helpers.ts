/**
 * What the wasm-against-cpu kernel tests of this folder share: starting the wasm backend, random inputs and the
 * relative error every kernel test bounds (< 1e-4 against the cpu backend).
 */
import * as tf from '@tensorflow/tfjs';
import { BackendInfo, initBackend } from '../../lib/backend';
import { Rng } from '../../lib/util/rng';

/**
 * Starts the wasm backend (and makes it current). FER_WASM_THREADS, when unset, becomes `threads`: one thread starts
 * fastest and the kernels give the same results on any number; test/backend/native_threads.test.ts asks for two.
 */
export async function startWasm(threads = 1): Promise<BackendInfo> {
  process.env.FER_WASM_THREADS = process.env.FER_WASM_THREADS ?? String(threads);
  return initBackend('wasm');
}

/** max |a - b| / max |b| (0 / 0 counts as 0). */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / (den || 1);
}

/** relError of two tensors' values. */
export function tensorRelError(a: tf.Tensor, b: tf.Tensor): number {
  return relError(a.dataSync(), b.dataSync());
}

/** prod(shape) values uniform in [lo, hi) drawn from `rng`. */
export function randomValues(rng: Rng, shape: number[], lo = -1, hi = 1): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: n }, () => rng.uniform(lo, hi));
}

/** A tensor of `shape` holding randomValues(rng, shape, lo, hi). */
export function randomTensor(rng: Rng, shape: number[], lo = -1, hi = 1): tf.Tensor {
  return tf.tensor(randomValues(rng, shape, lo, hi), shape);
}
