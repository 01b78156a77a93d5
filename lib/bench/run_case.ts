/**
 * One measurement of `fer-au bench`: forward or training-step images/s of a network on the current backend (median
 * of timed steps after warm-up), with the process's peak resident memory. `fer-au bench` runs every case in a fresh
 * child process, so `peakRssBytes` (getrusage's maxrss) is that case's own peak: the wasm heap never shrinks, and a
 * process that ran a bigger case before would report that one's.
 */
import * as tf from '@tensorflow/tfjs';
import { KernelProfile, profileKernels } from './kernel_profile';
import { explainOutOfMemory } from '../train/micro_batch';
import { BenchNetwork, buildNetwork, Runnable } from './networks';
import { paperStepNet } from './paper_step';

export interface BenchCase {
  network: BenchNetwork | 'head';
  /** 'paper-step': one stage-2 optimizer step of PRESETS.paper (lib/bench/paper_step.ts; network mobilenet_v1). */
  mode: 'forward' | 'train' | 'paper-step';
  /** Square input side in pixels ('head': the feature dimension). */
  inputSize: number;
  batch: number;
  warmup: number;
  steps: number;
  /** Also profile one extra step per kernel (lib/bench/kernel_profile.ts); not part of the timed steps. */
  profileStep?: boolean;
  /** AU models' training steps: images per micro-batch; absent/null: on wasm chosen from the heap ceiling. */
  microBatch?: number | null;
}

export interface BenchResult extends BenchCase {
  /** Median seconds per step. */
  medianS: number;
  /** Every timed step, seconds. */
  stepS: number[];
  imagesPerS: number;
  msPerImage: number;
  /** Bytes the backend held after the last step (tf.memory().numBytes). */
  tensorBytes: number;
  /** Peak resident set size of the process up to the end of the case (getrusage maxrss), bytes. */
  peakRssBytes: number;
  /** Resident set size once the network was built, before the first step, bytes. */
  rssBeforeBytes: number;
  /** wasm only: size of the wasm heap at the end (it grows, never shrinks), bytes. */
  wasmHeapBytes?: number;
  /** Training steps of AU models: the micro-batch used (null: the whole batch in one pass). */
  microBatchUsed?: number | null;
  /** With `profileStep`: calls, wall and CPU time per kernel of one more step. */
  profile?: KernelProfile;
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

/** The wasm backend's heap size, or undefined on other backends. */
function wasmHeapBytes(): number | undefined {
  if (tf.getBackend() !== 'wasm') return undefined;
  const mod = (tf.backend() as unknown as { wasm?: { wasmMemory?: WebAssembly.Memory; HEAPU8?: Uint8Array } }).wasm;
  return mod?.wasmMemory?.buffer.byteLength ?? mod?.HEAPU8?.byteLength;
}

/** process.resourceUsage().maxRSS is in kilobytes. */
const peakRss = (): number => process.resourceUsage().maxRSS * 1024;

/** One inference forward pass, read back and freed. */
async function forwardStep(n: Runnable, x: tf.Tensor): Promise<void> {
  const out = tf.tidy(() => n.forward(x));
  await out.data();
  out.dispose();
}

/** Runs one forward or training case on the current backend; errors are returned in `error`, never thrown. */
export async function runCase(c: BenchCase): Promise<BenchResult> {
  let net: Runnable | null = null;
  const base: BenchResult = { ...c, medianS: NaN, stepS: [], imagesPerS: NaN, msPerImage: NaN, tensorBytes: 0, peakRssBytes: 0, rssBeforeBytes: 0 };
  const shape = c.network === 'head' ? [c.batch, c.inputSize] : [c.batch, c.inputSize, c.inputSize, 3];
  const x = tf.randomUniform(shape, -1, 1, 'float32', 7);
  const y = tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([c.batch, 8], 0, 1, 'float32', 8), 0.5), 'float32'));
  try {
    net = c.mode === 'paper-step'
      ? await paperStepNet(c.inputSize, c.batch, c.microBatch)
      : await buildNetwork(c.network, c.inputSize, c.mode === 'train' ? { batch: c.batch, microBatch: c.microBatch } : {});
    const n = net;
    let ts: number[];
    base.rssBeforeBytes = process.memoryUsage.rss();
    if (c.mode === 'forward') {
      n.calibrate(x);
      ts = await timeSteps(c.warmup, c.steps, () => forwardStep(n, x));
    } else {
      ts = await timeSteps(c.warmup, c.steps, () => n.trainStep(x, y));
    }
    const med = median(ts);
    const profile = c.profileStep ? await profileKernels(() => (c.mode === 'forward' ? forwardStep(n, x) : n.trainStep(x, y))) : undefined;
    return {
      ...base, medianS: med, stepS: ts, imagesPerS: c.batch / med, msPerImage: (1000 * med) / c.batch,
      tensorBytes: tf.memory().numBytes, peakRssBytes: peakRss(), wasmHeapBytes: wasmHeapBytes(), profile, microBatchUsed: n.microBatch,
    };
  } catch (caught) {
    const err = explainOutOfMemory(caught, { what: String(c.network), inputSize: c.inputSize, batch: c.batch, microBatch: net?.microBatch ?? null, setting: 'a smaller --train-batch' });
    return { ...base, peakRssBytes: peakRss(), wasmHeapBytes: wasmHeapBytes(), error: (err instanceof Error ? err.message : String(err)).split('\n')[0] };
  } finally {
    net?.dispose();
    tf.dispose([x, y]);
  }
}
