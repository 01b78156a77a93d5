/**
 * Helper threads for csrc/kernels.c on the threaded wasm build, so this project's own kernels (BatchNorm,
 * depthwise filter gradient, transposes, column sums, im2col/col2im, Adam) use every core as XNNPACK's do.
 *
 * Each helper is a Node worker_thread (native_worker.js) holding its own instance of kernels-shared.wasm on the
 * backend's shared WebAssembly.Memory. A call is cut into chunks (fixed by the caller, so the result never depends
 * on which thread ran what); the main thread publishes the chunks' arguments in a small SharedArrayBuffer, wakes the
 * helpers with Atomics.notify, and then every thread, the main one included, claims chunks from a shared counter
 * until none are left (a helper that wakes late, or shares its core with XNNPACK's spinning pool thread, simply
 * takes fewer). The main thread then waits for the chunks the helpers took (a short spin, then Atomics.wait). No
 * postMessage per call: that costs tens of microseconds and an event-loop turn. Helpers block in Atomics.wait between
 * calls (never spin: on a 2-core machine a spinning helper would take the core from XNNPACK's pool thread).
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ARGS_BYTE_OFFSET, ERROR, FINISHED, FN, GEN_MASK, GEN_SHIFT, INDEX_MASK, NARGS, NCHUNKS, NEXT, READY, SEQ } from './native_layout';

/** Chunks a call may have (the index field of NEXT). */
export const MAX_CHUNKS = INDEX_MASK;
/** Float64 argument slots: chunks * arguments per chunk. */
const ARG_SLOTS = 1024;
/** The main thread spins this long (ms) on FINISHED before it blocks in Atomics.wait. */
const SPIN_MS = 0.05;
/** Helpers silent for this long (ms) are taken for dead. */
const HELPER_TIMEOUT_MS = 120_000;

/** `helpers` helper threads running the exports `names` of `module` on `memory`. */
export class NativePool {
  private readonly ctl: Int32Array;
  private readonly args: Float64Array;
  private readonly workers: Worker[];
  private readonly index: Map<string, number>;
  private seq = 0;
  private failed = false;

  constructor(module: WebAssembly.Module, memory: WebAssembly.Memory, names: string[], helpers: number) {
    const control = new SharedArrayBuffer(ARGS_BYTE_OFFSET + 8 * ARG_SLOTS);
    this.ctl = new Int32Array(control);
    this.args = new Float64Array(control, ARGS_BYTE_OFFSET);
    this.index = new Map(names.map((n, i) => [n, i]));
    this.workers = Array.from({ length: helpers }, () => {
      // execArgv []: the worker is plain JS and must not load ts-node (seconds) from the parent's -r flags.
      const w = new Worker(path.join(__dirname, 'native_worker.js'), { workerData: { module, memory, control, names }, execArgv: [] });
      w.on('error', () => (this.failed = true));
      w.on('exit', () => (this.failed = true));
      w.unref(); // it only ever works for the main thread: never keeps the process alive
      return w;
    });
  }

  /** Threads a call runs on: the main thread plus the helpers, once they have all started. */
  parts(): number {
    return !this.failed && Atomics.load(this.ctl, READY) === this.workers.length ? this.workers.length + 1 : 1;
  }

  /** Resolves once every helper has started (or after `timeoutMs`); returns parts(). */
  async started(timeoutMs = 10_000): Promise<number> {
    const t0 = performance.now();
    while (this.parts() === 1 && !this.failed && performance.now() - t0 < timeoutMs) await new Promise((r) => setTimeout(r, 2));
    return this.parts();
  }

  /** Claims the next chunk of the current call: its index, or -1 when none is left. */
  private claim(gen: number, nchunks: number): number {
    for (;;) {
      const v = Atomics.load(this.ctl, NEXT);
      if (v >>> GEN_SHIFT !== gen || (v & INDEX_MASK) >= nchunks) return -1;
      if (Atomics.compareExchange(this.ctl, NEXT, v, v + 1) === v) return v & INDEX_MASK;
    }
  }

  /**
   * Runs export `name` once per chunk, `fn` being the main thread's binding of it and chunks[i] the arguments of
   * chunk i (every chunk the same number of arguments); returns when every chunk has run.
   */
  run(name: string, fn: (...a: number[]) => void, chunks: number[][]): void {
    const id = this.index.get(name);
    if (id === undefined) throw new Error(`native pool: unknown export '${name}'`);
    const n = chunks.length;
    const nargs = chunks[0].length;
    if (n > MAX_CHUNKS || n * nargs > ARG_SLOTS) throw new Error(`native pool: ${n} chunks of ${nargs} arguments do not fit`);
    chunks.forEach((c, i) => this.args.set(c, i * nargs));
    const ctl = this.ctl;
    ctl[FN] = id;
    ctl[NARGS] = nargs;
    ctl[NCHUNKS] = n;
    Atomics.store(ctl, FINISHED, 0);
    Atomics.store(ctl, ERROR, 0);
    this.seq = (this.seq + 1) & GEN_MASK;
    Atomics.store(ctl, NEXT, this.seq << GEN_SHIFT); // publishes the call (after its arguments)
    Atomics.store(ctl, SEQ, this.seq);
    Atomics.notify(ctl, SEQ);
    let mine = 0;
    try {
      for (let i = this.claim(this.seq, n); i >= 0; i = this.claim(this.seq, n)) {
        mine++;
        fn(...chunks[i]);
      }
    } finally {
      // Even after an exception: the helpers must be done with the memory before anyone reuses it.
      Atomics.add(ctl, FINISHED, mine);
      this.waitFinished(n);
    }
    if (Atomics.load(ctl, ERROR) !== 0) throw new Error(`native pool: ${name} failed on a helper thread`);
  }

  private waitFinished(n: number): void {
    const t0 = performance.now();
    for (let done = Atomics.load(this.ctl, FINISHED); done < n; done = Atomics.load(this.ctl, FINISHED)) {
      const waited = performance.now() - t0;
      if (waited > HELPER_TIMEOUT_MS) throw new Error('native pool: a helper thread stopped answering');
      if (waited > SPIN_MS) Atomics.wait(this.ctl, FINISHED, done, 1000);
    }
  }

  async terminate(): Promise<void> {
    this.failed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
