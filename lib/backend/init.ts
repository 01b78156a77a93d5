/**
 * Backend choice: tfjs-node-gpu, then tfjs-node, when they load; otherwise wasm with this project's gradient
 * kernels; cpu last. `FER_BACKEND=tensorflow|wasm|cpu` (or the `name` argument) forces one and fails with a
 * one-line reason when it cannot load. What was chosen is returned and kept for `backendInfo()` so every run can
 * record it.
 */
import * as tf from '@tensorflow/tfjs';
import { gpuAskedByInstall, gpuLoadMessage, gpuProbe } from './gpu_check';
import { registerWasmKernels } from './kernels';
import { guardWasmMalloc } from './wasm_memory';
import { threadedFilesPresent, withNodeThreadPatch } from './wasm_threads';
import { coreCount } from '../util/cores';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_NAMES: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

/** What `initBackend` chose; recorded in every results file (meta.backend, meta.tfjsVersion). */
export interface BackendInfo {
  /** 'tensorflow' (tfjs-node or tfjs-node-gpu), 'wasm' or 'cpu'. */
  name: BackendName;
  /** Version of @tensorflow/tfjs-core. */
  tfjsVersion: string;
  /** Threads the backend computes with (wasm: XNNPACK pool size; tensorflow: libtensorflow's intra-op pool). */
  threads: number;
  /** wasm only: true if the SIMD binary runs. */
  simd: boolean;
  /** tensorflow only: the npm package that loaded ('@tensorflow/tfjs-node-gpu' or '@tensorflow/tfjs-node'). */
  package?: string;
  /** tensorflow only: true when libtensorflow runs on a GPU. */
  gpu?: boolean;
  /** Project kernels registered on top of the stock backend (wasm). */
  kernels: string[];
  /** Set when nvidia-smi finds a GPU but the tensorflow backend did not load, so this is a fallback (gpu_check.ts). */
  gpuProblem?: string;
}

/** Error raised when a forced backend cannot be used; its message is one line. */
export class BackendUnavailableError extends Error {
  /** The tensorflow backend: each package's reason, '; '-separated. */
  readonly reasons?: string;
  constructor(message: string, reasons?: string) {
    super(message);
    this.name = 'BackendUnavailableError';
    this.reasons = reasons;
  }
}

let current: BackendInfo | null = null;
let pending: Promise<BackendInfo> | null = null;

/** The backend chosen by the last successful `initBackend`, or null before it ran. */
export function backendInfo(): BackendInfo | null {
  return current;
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n').map((s) => s.trim()).filter(Boolean)[0] ?? 'unknown error';
}

/** Threads to ask of the wasm backend: FER_WASM_THREADS if set, else every core Node reports. */
function wantedWasmThreads(): number {
  const env = process.env.FER_WASM_THREADS;
  if (env !== undefined && env !== '') {
    if (!/^\d+$/.test(env) || Number(env) < 1) {
      throw new BackendUnavailableError(`FER_WASM_THREADS must be a positive integer, got '${env}'`);
    }
    return Number(env);
  }
  return coreCount();
}

async function tryTensorflow(): Promise<BackendInfo> {
  const reasons: string[] = [];
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      // tfjs-node registers the 'tensorflow' backend on the shared tfjs-core when required.
      gpuProbe.require(pkg);
      if (!(await tf.setBackend('tensorflow'))) throw new Error(`${pkg} loaded but the 'tensorflow' backend failed to initialise`);
      await tf.ready();
      const threads = Number(process.env.TF_NUM_INTRAOP_THREADS) || coreCount();
      // tfjs-node's backend knows whether it found a GPU (the -gpu package may carry a CPU libtensorflow).
      const be = tf.backend() as unknown as { isUsingGpuDevice?: boolean };
      const gpu = typeof be.isUsingGpuDevice === 'boolean' ? be.isUsingGpuDevice : pkg.endsWith('-gpu');
      return { name: 'tensorflow', tfjsVersion: tf.version_core, threads, simd: false, package: pkg, gpu, kernels: [] };
    } catch (err) {
      const msg = firstLine(err);
      reasons.push(`${pkg}: ${/Cannot find module '@tensorflow\/tfjs-node'/.test(msg) ? 'not installed' : msg}`);
    }
  }
  throw new BackendUnavailableError(`backend 'tensorflow' is unavailable (${reasons.join('; ')})`, reasons.join('; '));
}

/**
 * Emscripten unrefs a pthread worker once it has loaded, but the workers running the XNNPACK pool's threads stay
 * referenced and would keep Node from exiting; they only ever run on behalf of the main thread, so unref them all.
 */
function unrefPthreadWorkers(): void {
  const mod = (tf.backend() as unknown as { wasm?: { PThread?: { runningWorkers?: { unref?: () => void }[]; unusedWorkers?: { unref?: () => void }[] } } }).wasm;
  const pt = mod?.PThread;
  for (const w of [...(pt?.runningWorkers ?? []), ...(pt?.unusedWorkers ?? [])]) w.unref?.();
}

async function tryWasm(): Promise<BackendInfo> {
  try {
    const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
    const threads = wantedWasmThreads();
    let useThreads = threads > 1 && threadedFilesPresent() && typeof SharedArrayBuffer === 'function';
    if (useThreads) {
      // tfjs's flag is false under Node (issue #3830); the patch below makes the threaded build load.
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
      const ok = await withNodeThreadPatch(threads, () => tf.setBackend('wasm'));
      if (ok) unrefPthreadWorkers();
      else useThreads = false; // tfjs logged why; fall back to the single-threaded build below
    }
    if (!useThreads) {
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend(\'wasm\') returned false');
    }
    await tf.ready();
    const kernels = registerWasmKernels();
    // a failed allocation at the 4 GiB ceiling throws instead of corrupting the heap (wasm_memory.ts)
    guardWasmMalloc(tf.backend() as { wasm?: unknown });
    const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    return { name: 'wasm', tfjsVersion: tf.version_core, threads: useThreads ? wasm.getThreadsCount() : 1, simd, kernels };
  } catch (err) {
    if (err instanceof BackendUnavailableError) throw err;
    throw new BackendUnavailableError(`backend 'wasm' is unavailable (${firstLine(err)})`);
  }
}

async function tryCpu(): Promise<BackendInfo> {
  if (!(await tf.setBackend('cpu'))) throw new BackendUnavailableError("backend 'cpu' is unavailable");
  await tf.ready();
  return { name: 'cpu', tfjsVersion: tf.version_core, threads: 1, simd: false, kernels: [] };
}

const LOADERS: Record<BackendName, () => Promise<BackendInfo>> = { tensorflow: tryTensorflow, wasm: tryWasm, cpu: tryCpu };

/** wasm, else cpu (after the tensorflow backend failed for `reasons[0]`). */
async function fallback(reasons: string[]): Promise<BackendInfo> {
  for (const n of ['wasm', 'cpu'] as const) {
    try {
      return await LOADERS[n]();
    } catch (err) {
      reasons.push(firstLine(err));
    }
  }
  throw new BackendUnavailableError(`no TensorFlow.js backend could be initialised (${reasons.join('; ')})`);
}

function parseName(value: string, source: string): BackendName {
  const v = value.trim().toLowerCase();
  if ((BACKEND_NAMES as readonly string[]).includes(v)) return v as BackendName;
  throw new BackendUnavailableError(`${source} must be one of ${BACKEND_NAMES.join(', ')}, got '${value}'`);
}

/**
 * Chooses and initialises the TensorFlow.js backend; returns what was chosen (also kept for `backendInfo()`).
 * Order: `name` if given, else `FER_BACKEND` if set, else tensorflow > wasm > cpu (the first that loads).
 * A forced backend that cannot load throws `BackendUnavailableError` with a one-line reason. When the tensorflow
 * backend does not load where the GPU was asked for (forced, or FER_TFJS_NODE=gpu) on a GPU machine, the error
 * names the CUDA/cuDNN that tfjs-node-gpu needs; unasked on a GPU machine, the wasm fallback says so on stderr
 * and in `gpuProblem` (gpu_check.ts).
 * Calling again with the same choice returns the same info; switching backends within a process is allowed.
 */
export async function initBackend(name?: BackendName): Promise<BackendInfo> {
  let forced: BackendName | undefined;
  if (name !== undefined) forced = parseName(name, 'backend name');
  else if (process.env.FER_BACKEND) forced = parseName(process.env.FER_BACKEND, 'FER_BACKEND');
  if (current && (forced === undefined || forced === current.name) && tf.getBackend() === (current.name === 'tensorflow' ? 'tensorflow' : current.name)) {
    return current;
  }
  if (pending) await pending.catch(() => undefined);
  const run = async (): Promise<BackendInfo> => {
    if (forced && forced !== 'tensorflow') return LOADERS[forced]();
    try {
      return await tryTensorflow();
    } catch (err) {
      // never a silent fallback where the GPU was asked for; a loud one where nvidia-smi finds one (gpu_check.ts)
      const tfReasons = (err as BackendUnavailableError).reasons ?? firstLine(err);
      const asked = forced ? (name !== undefined ? "initBackend('tensorflow')" : 'FER_BACKEND=tensorflow') : gpuAskedByInstall();
      const smi = gpuProbe.nvidiaSmi();
      if (asked && (smi || gpuAskedByInstall())) throw new BackendUnavailableError(gpuLoadMessage(asked, tfReasons), tfReasons);
      if (forced) throw err;
      const gpuProblem = smi ? gpuLoadMessage('nvidia-smi finds a GPU', tfReasons) : undefined;
      if (gpuProblem) process.stderr.write(`fer-au: ${gpuProblem}\n`);
      const info = await fallback([firstLine(err)]);
      return gpuProblem ? { ...info, gpuProblem } : info;
    }
  };
  pending = run();
  try {
    current = await pending;
    return current;
  } finally {
    pending = null;
  }
}
