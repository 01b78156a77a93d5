/**
 * Loads csrc/kernels.wasm (or kernels-shared.wasm for the threaded build) into the wasm backend's own memory, so
 * its SIMD loops work on tensors in place. Returns null when the module is missing or does not fit (the callers
 * then use their JS loops). See csrc/kernels.c for the functions and csrc/build.sh for how the files are built.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface NativeExports {
  bn_moments(x: number, n: number, c: number, acc: number, mean: number, variance: number): void;
  bn_apply(x: number, z: number, n: number, c: number, scale: number, shift: number, act: number): void;
  bn_grad_sums(x: number, z: number, dz: number, mean: number, n: number, c: number, act: number, acc: number): void;
  bn_grad_dx(x: number, z: number, dz: number, mean: number, a: number, b: number, e: number, n: number, c: number, act: number, dx: number): void;
  dw_filter_grad(x: number, dy: number, nb: number, h: number, w: number, c: number, ho: number, wo: number, kh: number, kw: number,
    sh: number, sw: number, dh: number, dw: number, top: number, left: number, row: number, acc: number, out: number): void;
  transpose_swap_outer_inner(x: number, out: number, p: number, a: number, b: number, c: number): void;
  transpose_swap_outer_middle(x: number, out: number, p: number, a: number, b: number, c: number): void;
  col_sums(x: number, n: number, c: number, acc: number, out: number, scale: number): void;
  fill_rows(v: number, n: number, c: number, div: number, out: number): void;
  relu_grad(x: number, dy: number, n: number, out: number): void;
  clip_grad(x: number, dy: number, n: number, lo: number, hi: number, out: number): void;
  square_grad(x: number, dy: number, n: number, out: number): void;
  adam_update(x: number, m: number, v: number, g: number, n: number, b1: number, omb1: number, b2: number, omb2: number,
    c1: number, c2: number, eps: number, neglr: number, xo: number, mo: number, vo: number): void;
  im2col_t(x: number, nb: number, h: number, w: number, c: number, ho: number, wo: number, kh: number, kw: number, sh: number, sw: number,
    dh: number, dw: number, top: number, left: number, cols: number): void;
  col2im(cols: number, b0: number, b1: number, h: number, w: number, c: number, ho: number, wo: number, kh: number, kw: number, sh: number,
    sw: number, dh: number, dw: number, top: number, left: number, dx: number): void;
}

export interface Native {
  fn: NativeExports;
  /** Scratch bytes from the backend's allocator (8-byte aligned); pair with free. */
  malloc(bytes: number): number;
  free(ptr: number): void;
  memory: WebAssembly.Memory;
}

interface EmscriptenModule {
  wasmMemory?: WebAssembly.Memory;
  asm?: { memory?: WebAssembly.Memory };
  _malloc(bytes: number): number;
  _free(ptr: number): void;
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
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    // `>>> 0`: _malloc returns a signed i32, negative above 2 GiB (as tfjs-backend-wasm notes in makeOutput).
    native = { fn: instance.exports as unknown as NativeExports, malloc: (n) => mod._malloc(n) >>> 0, free: (p) => mod._free(p), memory };
  } catch {
    native = null;
  }
  cache.set(mod, native);
  return native;
}
