/**
 * Loads csrc/kernels.wasm (or kernels-shared.wasm for the threaded build) into the wasm backend's own memory, so
 * its SIMD loops work on tensors in place. Returns null when the module is missing or does not fit (the callers
 * then use their JS loops). See csrc/kernels.c for the functions and csrc/build.sh for how the files are built.
 *
 * On the threaded build the same module also runs on helper threads (native_pool.ts; as many as the backend has
 * threads, minus the main one; FER_NATIVE_THREADS overrides the total, 1 turns the helpers off), and `split` runs one
 * call as parts on every thread. The single-threaded build never starts a helper.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MAX_CHUNKS, NativePool } from './native_pool';
import { coreCount } from '../../util/cores';

export interface NativeExports {
  row_sums(x: number, n: number, c: number, acc: number): void;
  sq_dev_sums(x: number, n: number, c: number, mean: number, acc: number): void;
  bn_apply(x: number, z: number, n: number, c: number, scale: number, shift: number, act: number): void;
  bn_grad_sums(x: number, z: number, dz: number, mean: number, n: number, c: number, k0: number, k1: number, act: number, acc: number): void;
  bn_grad_dx(x: number, z: number, dz: number, mean: number, a: number, b: number, e: number, n: number, c: number, act: number, dx: number): void;
  dw_filter_grad(x: number, dy: number, nb: number, h: number, w: number, c: number, k0: number, k1: number, ho: number, wo: number, kh: number, kw: number,
    sh: number, sw: number, dh: number, dw: number, top: number, left: number, row: number, acc: number): void;
  transpose_swap_outer_inner(x: number, out: number, p: number, a: number, b: number, c: number, alo: number, ahi: number): void;
  transpose_swap_outer_middle(x: number, out: number, p: number, a: number, b: number, c: number, alo: number, ahi: number): void;
  fill_rows(v: number, n: number, c: number, div: number, out: number): void;
  relu_grad(x: number, dy: number, n: number, out: number): void;
  clip_grad(x: number, dy: number, n: number, lo: number, hi: number, out: number): void;
  square_grad(x: number, dy: number, n: number, out: number): void;
  adam_update(x: number, m: number, v: number, g: number, n: number, b1: number, omb1: number, b2: number, omb2: number,
    c1: number, c2: number, eps: number, neglr: number, xo: number, mo: number, vo: number): void;
  im2col_t(x: number, nb: number, b0: number, b1: number, h: number, w: number, c: number, ho: number, wo: number, kh: number, kw: number, sh: number, sw: number,
    dh: number, dw: number, top: number, left: number, cols: number): void;
  col2im(cols: number, b0: number, b1: number, h: number, w: number, c: number, ho: number, wo: number, kh: number, kw: number, sh: number,
    sw: number, dh: number, dw: number, top: number, left: number, dx: number): void;
  im2col_rows(x: number, b0: number, b1: number, h: number, w: number, c: number, ho: number, wo: number, kh: number, kw: number, sh: number,
    sw: number, dh: number, dw: number, top: number, left: number, cols: number): void;
  matmul_tn(a: number, b: number, m: number, ca: number, cb: number, c0: number, c1: number, out: number): void;
}

export interface Native {
  fn: NativeExports;
  /**
   * Scratch bytes from the backend's allocator, 64-byte aligned (a cache line: threads accumulating into
   * neighbouring parts of one buffer never share a line when their parts start at multiples of 16 floats or 8
   * doubles); pair with free.
   */
  malloc(bytes: number): number;
  free(ptr: number): void;
  memory: WebAssembly.Memory;
  /**
   * Runs export `name` over the range [0, total) of some axis: as one call, or, with helper threads and when
   * `total * unitWork` (elements touched) is at least `splitMinimum()`, as CHUNKS_PER_THREAD chunks per thread (cut at
   * multiples of `align`) that the threads claim as they go. `args(lo, hi)` gives the arguments of the part [lo, hi).
   * The kernels compute each output element the same way in a part as in the whole call, so the result does not
   * depend on the split.
   */
  split(name: keyof NativeExports, total: number, align: number, unitWork: number, args: (lo: number, hi: number) => number[]): void;
  /**
   * Runs export `name` once per chunk, chunks[i] being chunk i's arguments (fixed by the caller, whatever the thread
   * count): on every thread when the call touches at least `splitMinimum()` elements (`work`), else in order on this one.
   */
  chunks(name: keyof NativeExports, work: number, chunks: number[][]): void;
  /** Threads `split` uses now (1 until the helpers have started, and on the single-threaded build). */
  threads(): number;
  /** Resolves with threads() once every helper has started (they start in the background on first use). */
  started(): Promise<number>;
  /** Calls `split` and `chunks` have divided between threads so far. */
  splitCalls(): number;
}

/** Chunks per thread of a split call: a late or slowed thread takes fewer (native_pool.ts). */
const CHUNKS_PER_THREAD = 4;

/** Elements a call must touch before `split` divides it (below, a helper's wake-up costs more than it saves). */
let SPLIT_MINIMUM = 1 << 16;
export const splitMinimum = (): number => SPLIT_MINIMUM;
/** Sets the split threshold (tests split tiny tensors with 1); returns the previous value. */
export function setSplitMinimum(elements: number): number {
  const prev = SPLIT_MINIMUM;
  SPLIT_MINIMUM = elements;
  return prev;
}

/**
 * Exports `split` and `chunks` divide between threads. Measured on the 2-core machine (MobileNet-v1 AU model, 128 px,
 * batch 16, 2 threads, bench/profile_step.ts): the transposes and im2col/col2im gain; the BatchNorm passes and the
 * depthwise filter gradient ran slower split by channels (the helper shares its core with XNNPACK's pool thread,
 * which spins after each XNNPACK operator, and both threads read every cache line). They, and the column sums, now
 * split by rows or batches (row_partials.ts): each thread reads its own rows.
 */
let SPLIT_EXPORTS: Set<string> | 'all' = new Set([
  'transpose_swap_outer_inner', 'transpose_swap_outer_middle', 'im2col_t', 'col2im', 'adam_update',
  'row_sums', 'sq_dev_sums', 'bn_grad_sums', 'bn_apply', 'bn_grad_dx', 'dw_filter_grad', 'matmul_tn', 'im2col_rows',
]);
const splitsExport = (name: string): boolean => SPLIT_EXPORTS === 'all' || SPLIT_EXPORTS.has(name);
/** Which exports `split` may divide ('all': every one, as the tests do); returns the previous setting. */
export function setSplitExports(names: string[] | 'all'): string[] | 'all' {
  const prev = SPLIT_EXPORTS === 'all' ? 'all' : [...SPLIT_EXPORTS];
  SPLIT_EXPORTS = names === 'all' ? 'all' : new Set(names);
  return prev;
}

/** Part boundaries of [0, total) for `parts` parts at multiples of `align` (the last part takes the remainder). */
export function splitBounds(total: number, parts: number, align: number): number[] {
  const b = [0];
  for (let i = 1; i < parts; i++) b.push(Math.min(total, Math.round((total * i) / parts / align) * align));
  b.push(total);
  return b.filter((v, i) => i === 0 || v > b[i - 1]);
}

interface EmscriptenModule {
  wasmMemory?: WebAssembly.Memory;
  asm?: { memory?: WebAssembly.Memory };
  _malloc(bytes: number): number;
  _free(ptr: number): void;
}

/** Threads for the native kernels: FER_NATIVE_THREADS, else the backend's (XNNPACK pool of FER_WASM_THREADS or every core). */
function nativeThreadCount(): number {
  const env = process.env.FER_NATIVE_THREADS ?? process.env.FER_WASM_THREADS;
  if (env !== undefined && /^\d+$/.test(env) && Number(env) >= 1) return Number(env);
  return coreCount();
}

/** 64-byte aligned malloc/free over the backend's allocator. */
function alignedAlloc(mod: EmscriptenModule): Pick<Native, 'malloc' | 'free'> {
  const base = new Map<number, number>();
  return {
    malloc(bytes) {
      // `>>> 0`: _malloc returns a signed i32, negative above 2 GiB (as tfjs-backend-wasm notes in makeOutput).
      const p = mod._malloc(bytes + 64) >>> 0;
      const a = (p + 63) & ~63;
      base.set(a >>> 0, p);
      return a >>> 0;
    },
    free(ptr) {
      const p = base.get(ptr);
      if (p === undefined) throw new Error(`native free: ${ptr} was not allocated here`);
      base.delete(ptr);
      mod._free(p);
    },
  };
}

/** `fn` with `split` over a pool of helpers (none when `pool` is null). */
function withSplit(fn: NativeExports, pool: NativePool | null): Pick<Native, 'split' | 'chunks' | 'threads' | 'started' | 'splitCalls'> {
  const threads = (): number => (pool ? pool.parts() : 1);
  let splitCount = 0;
  return {
    threads,
    started: async () => (pool ? pool.started() : 1),
    splitCalls: () => splitCount,
    split(name, total, align, unitWork, args) {
      const f = fn[name] as unknown as (...a: number[]) => void;
      const t = total * unitWork >= SPLIT_MINIMUM && splitsExport(name) ? threads() : 1;
      const parts = Math.min(t * CHUNKS_PER_THREAD, Math.ceil(total / align), MAX_CHUNKS);
      if (t <= 1 || parts <= 1 || !pool) return f(...args(0, total));
      const b = splitBounds(total, parts, align);
      splitCount++;
      pool.run(name, f, b.slice(1).map((hi, i) => args(b[i], hi)));
    },
    chunks(name, work, list) {
      const f = fn[name] as unknown as (...a: number[]) => void;
      if (list.length <= 1 || !pool || work < SPLIT_MINIMUM || !splitsExport(name) || threads() <= 1) {
        list.forEach((a) => f(...a));
        return;
      }
      splitCount++;
      pool.run(name, f, list);
    },
  };
}

/** Section ids of a wasm binary (to refuse data or start sections, which would write into the shared heap). */
function sectionIds(bytes: Uint8Array): number[] {
  const ids: number[] = [];
  let i = 8;
  while (i < bytes.length) {
    const id = bytes[i++];
    let size = 0;
    let shift = 0;
    let b: number;
    do {
      b = bytes[i++];
      size += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    ids.push(id);
    i += size;
  }
  return ids;
}

const cache = new WeakMap<object, Native | null>();

/** The native kernels bound to `backend`'s memory, or null when unavailable (FER_NATIVE_KERNELS=0 turns them off). */
export function nativeKernels(backend: { wasm: unknown }): Native | null {
  const mod = backend.wasm as EmscriptenModule;
  if (cache.has(mod)) return cache.get(mod) ?? null;
  let native: Native | null = null;
  try {
    if (process.env.FER_NATIVE_KERNELS === '0') throw new Error('disabled');
    const memory = mod.wasmMemory ?? mod.asm?.memory;
    if (!memory) throw new Error('backend memory not found');
    const shared = typeof SharedArrayBuffer === 'function' && memory.buffer instanceof SharedArrayBuffer;
    const file = path.join(__dirname, '..', 'csrc', shared ? 'kernels-shared.wasm' : 'kernels.wasm');
    const bytes = new Uint8Array(fs.readFileSync(file));
    const ids = sectionIds(bytes);
    if (ids.includes(11) || ids.includes(8)) throw new Error(`${file} has a data or start section`);
    const module = new WebAssembly.Module(bytes);
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    const fn = { ...instance.exports } as unknown as NativeExports;
    const helpers = shared ? nativeThreadCount() - 1 : 0;
    const names = Object.keys(fn).filter((k) => typeof (fn as unknown as Record<string, unknown>)[k] === 'function');
    const pool = helpers > 0 ? new NativePool(module, memory, names, helpers) : null;
    // `>>> 0`: _malloc returns a signed i32, negative above 2 GiB (as tfjs-backend-wasm notes in makeOutput).
    native = { fn, ...alignedAlloc(mod), memory, ...withSplit(fn, pool) };
  } catch {
    native = null;
  }
  cache.set(mod, native);
  return native;
}
