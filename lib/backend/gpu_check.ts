/**
 * A loud GPU path. @tensorflow/tfjs-node-gpu 4.22 binds libtensorflow 2.9.1, built for CUDA 11.2 and cuDNN 8.1
 * (TensorFlow's tested build configurations: tensorflow-2.9.0, cuDNN 8.1, CUDA 11.2); on a machine with another
 * CUDA its binding does not load. Falling back to wasm then would run a GPU job for days on the CPU, so:
 * - the GPU was asked for (FER_BACKEND=tensorflow or initBackend('tensorflow'), or FER_TFJS_NODE=gpu, the install
 *   choice of scripts/postinstall.js): initBackend throws one line naming the versions and how to choose wasm;
 * - nothing was asked but `nvidia-smi` works: initBackend falls back, prints that one line on stderr and records
 *   it in BackendInfo.gpuProblem (results files carry it in meta.backend).
 * `gpuProbe` is the seam tests replace (a fake package loader and a fake nvidia-smi).
 */
import { spawnSync } from 'node:child_process';

/** What tfjs-node-gpu 4.22 needs of the machine. */
export const TFJS_NODE_GPU_NEEDS = 'tfjs-node-gpu 4.22 runs libtensorflow 2.9.1, which needs CUDA 11.2 and cuDNN 8.1 (libcudart.so.11.0 and libcudnn.so.8 on LD_LIBRARY_PATH)';

/** How a user chooses the CPU path on purpose. */
export const CHOOSE_WASM = 'to train on the CPU instead, choose it explicitly: FER_BACKEND=wasm';

export interface GpuProbe {
  /** Loads an npm package (tfjs-node-gpu, tfjs-node); throws when its native binding does not load. */
  require(pkg: string): unknown;
  /** True when `nvidia-smi -L` runs and exits 0 (a CUDA driver and a GPU are present). */
  nvidiaSmi(): boolean;
}

let smi: boolean | undefined;

/** The real probe; tests assign fakes to its members and restore them. */
export const gpuProbe: GpuProbe = {
  require: (pkg) => require(pkg) as unknown,
  nvidiaSmi: () => {
    if (smi === undefined) {
      const r = spawnSync('nvidia-smi', ['-L'], { stdio: 'ignore', timeout: 10_000 });
      smi = !r.error && r.status === 0;
    }
    return smi;
  },
};

/** Why the GPU counts as asked for (FER_TFJS_NODE=gpu), or null. FER_BACKEND / a name is the caller's `forced`. */
export function gpuAskedByInstall(env: NodeJS.ProcessEnv = process.env): string | null {
  return (env.FER_TFJS_NODE ?? '').trim().toLowerCase() === 'gpu' ? 'FER_TFJS_NODE=gpu' : null;
}

/**
 * The one line for a tensorflow backend that did not load where a GPU was expected: `why` (what asked for it or
 * that nvidia-smi works), the loaders' reasons, the versions needed and the explicit way to the CPU.
 */
export function gpuLoadMessage(why: string, reasons: string): string {
  return `${why}, but the tensorflow backend did not load (${reasons}): ${TFJS_NODE_GPU_NEEDS}; ${CHOOSE_WASM}`;
}
