/**
 * Per-kernel profile of a piece of work on the current backend: wraps every registered kernel function of the active
 * backend with a timer and counts, per kernel name, calls, wall time and process CPU time (all threads: a kernel whose
 * CPU time is about twice its wall time at 2 threads used both cores; one near 1x ran on one). Only top-level kernel
 * calls are counted (a kernel that composes others is timed as a whole). What is left of the step's wall time is JS
 * between kernels (tape, tidy, layers, optimizer bookkeeping). On Linux the main thread's own CPU time is counted too
 * (/proc/thread-self/schedstat, ns): CPU time beyond it was spent by other threads (XNNPACK's pool, fer-au's helper),
 * so a kernel whose `mainCpuMs` is all of its `cpuMs` ran on one core. The kernel updates that counter at scheduler
 * ticks and context switches: exact over a whole step, only approximate per kernel (short calls are undercounted).
 */
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';

export interface KernelStat {
  kernel: string;
  calls: number;
  wallMs: number;
  /** User + system CPU time of the whole process during the calls, ms. */
  cpuMs: number;
  /** CPU time of the main thread alone during the calls, ms (NaN where /proc/thread-self/schedstat is missing). */
  mainCpuMs: number;
}

export interface KernelProfile {
  wallMs: number;
  /** Wall time inside kernels. */
  kernelMs: number;
  cpuMs: number;
  mainCpuMs: number;
  kernels: KernelStat[];
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

let schedstat: number | null | undefined;
/** The calling thread's CPU time, ms (first field of /proc/thread-self/schedstat, ns); NaN when unavailable. */
const threadCpuMs = (): number => {
  if (schedstat === undefined) {
    try {
      schedstat = fs.openSync('/proc/thread-self/schedstat', 'r');
    } catch {
      schedstat = null;
    }
  }
  if (schedstat === null) return NaN;
  const buf = Buffer.alloc(64);
  const n = fs.readSync(schedstat, buf, 0, 64, 0);
  return Number(buf.toString('latin1', 0, n).split(' ')[0]) / 1e6;
};

/** Runs `fn` with every kernel of the active backend timed; restores the kernels afterwards. */
export async function profileKernels(fn: () => Promise<void>): Promise<KernelProfile> {
  const backendName = tf.getBackend();
  const configs = tf.getKernelsForBackend(backendName);
  const stats = new Map<string, KernelStat>();
  let depth = 0;
  let kernelMs = 0;
  for (const k of configs) {
    const inner = k.kernelFunc;
    const timed = ((args: Parameters<tf.KernelFunc>[0]) => {
      if (depth > 0) return inner(args);
      depth++;
      const w0 = performance.now();
      const c0 = cpuMs();
      const t0 = threadCpuMs();
      try {
        return inner(args);
      } finally {
        const wall = performance.now() - w0;
        const s = stats.get(k.kernelName) ?? { kernel: k.kernelName, calls: 0, wallMs: 0, cpuMs: 0, mainCpuMs: 0 };
        s.calls++;
        s.wallMs += wall;
        s.mainCpuMs += threadCpuMs() - t0;
        s.cpuMs += cpuMs() - c0;
        stats.set(k.kernelName, s);
        kernelMs += wall;
        depth--;
      }
    }) as tf.KernelFunc;
    tf.unregisterKernel(k.kernelName, backendName);
    tf.registerKernel({ ...k, kernelFunc: timed });
  }
  const w0 = performance.now();
  const c0 = cpuMs();
  const t0 = threadCpuMs();
  try {
    await fn();
  } finally {
    for (const k of configs) {
      tf.unregisterKernel(k.kernelName, backendName);
      tf.registerKernel(k);
    }
  }
  const kernels = [...stats.values()].sort((a, b) => b.wallMs - a.wallMs);
  return { wallMs: performance.now() - w0, kernelMs, cpuMs: cpuMs() - c0, mainCpuMs: threadCpuMs() - t0, kernels };
}

/** A fixed-width table of the `top` slowest kernels and the JS remainder. */
export function formatProfile(p: KernelProfile, top = 25, sortBy: 'wall' | 'cpu' = 'wall'): string {
  const rows = sortBy === 'cpu' ? [...p.kernels].sort((a, b) => b.cpuMs - a.cpuMs) : p.kernels;
  const inKernels = p.kernels.reduce((a, s) => a + s.mainCpuMs, 0);
  const lines = [`wall ${p.wallMs.toFixed(0)} ms, in kernels ${p.kernelMs.toFixed(0)} ms, JS between kernels ${(p.wallMs - p.kernelMs).toFixed(0)} ms, ` +
    `CPU ${p.cpuMs.toFixed(0)} ms (main thread ${p.mainCpuMs.toFixed(0)} ms, of which between kernels ${(p.mainCpuMs - inKernels).toFixed(0)} ms)`];
  lines.push(`${'kernel'.padEnd(36)} ${'calls'.padStart(6)} ${'wall ms'.padStart(8)} ${'share'.padStart(6)} ${'cpu ms'.padStart(8)} ${'share'.padStart(6)} ${'cpu/wall'.padStart(8)} ${'main ms'.padStart(8)} ${'other'.padStart(6)}`);
  const pct = (a: number, b: number): string => `${((100 * a) / Math.max(b, 1e-9)).toFixed(1).padStart(5)}%`;
  for (const s of rows.slice(0, top)) {
    lines.push(`${s.kernel.padEnd(36)} ${String(s.calls).padStart(6)} ${s.wallMs.toFixed(1).padStart(8)} ${pct(s.wallMs, p.wallMs)} ${s.cpuMs.toFixed(1).padStart(8)} ${pct(s.cpuMs, p.cpuMs)} ${(s.cpuMs / Math.max(s.wallMs, 1e-9)).toFixed(2).padStart(8)} ${s.mainCpuMs.toFixed(1).padStart(8)} ${pct(s.cpuMs - s.mainCpuMs, s.cpuMs)}`);
  }
  return lines.join('\n');
}
