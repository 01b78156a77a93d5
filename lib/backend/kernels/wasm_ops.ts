/**
 * Helpers to compose tfjs-backend-wasm kernels inside a kernel function: each call runs the registered wasm
 * kernel directly on TensorInfos (no engine, no tape), and a `Scope` disposes the intermediates.
 */
import * as tf from '@tensorflow/tfjs';

/** The parts of tfjs-backend-wasm's BackendWasm these kernels use. */
export interface WasmBackendLike {
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number; shape: number[]; dtype: string; refCount: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
  incRef(dataId: object): void;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  wasm: { HEAPF32: Float32Array };
}

export type Attrs = Record<string, unknown>;
type KernelFn = (args: { inputs: Record<string, tf.TensorInfo>; backend: WasmBackendLike; attrs: Attrs }) => tf.TensorInfo | tf.TensorInfo[];

/** Stock wasm kernels captured before this project replaced any of them (so a replacement can delegate). */
const stock = new Map<string, KernelFn>();

/** The stock wasm kernel function for `name` (captured once, before any override). */
export function stockKernel(name: string): KernelFn {
  let fn = stock.get(name);
  if (!fn) {
    const k = tf.getKernel(name, 'wasm');
    if (!k) throw new Error(`wasm backend has no kernel '${name}'`);
    fn = k.kernelFunc as unknown as KernelFn;
    stock.set(name, fn);
  }
  return fn;
}

/** Remembers stock kernels before overriding; call for every name before registering a replacement. */
export function captureStock(names: string[]): void {
  for (const n of names) if (tf.getKernel(n, 'wasm')) stockKernel(n);
}

/** Runs wasm kernels and frees their outputs when `dispose` is called (except those `keep`-ed). */
export class Scope {
  private readonly made: tf.TensorInfo[] = [];
  constructor(readonly backend: WasmBackendLike) {}

  run(name: string, inputs: Record<string, tf.TensorInfo>, attrs: Attrs = {}): tf.TensorInfo {
    const out = stockKernel(name)({ inputs, backend: this.backend, attrs });
    const t = Array.isArray(out) ? out[0] : out;
    this.made.push(t);
    return t;
  }

  /** A new float32 tensor for a native kernel to fill; freed with the scope unless kept. */
  output(shape: number[]): tf.TensorInfo {
    const t = this.backend.makeOutput(shape, 'float32');
    this.made.push(t);
    return t;
  }

  /** Heap byte offset of a tensor. */
  offset(t: tf.TensorInfo): number {
    return this.backend.dataIdMap.get(t.dataId)!.memoryOffset;
  }

  reshape(x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  /** Uses the Transpose registered for wasm (this project's tiled one once registered). */
  transpose(x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
    const k = tf.getKernel('Transpose', 'wasm')!;
    const t = k.kernelFunc({ inputs: { x }, backend: this.backend as unknown as tf.KernelBackend, attrs: { perm } }) as tf.TensorInfo;
    this.made.push(t);
    return t;
  }

  /** Zero padding; `paddings` per axis as [before, after], all >= 0. */
  pad(x: tf.TensorInfo, paddings: [number, number][]): tf.TensorInfo {
    if (paddings.every(([a, b]) => a === 0 && b === 0)) return x;
    return this.run('PadV2', { x }, { paddings, constantValue: 0 });
  }

  /** Uses the Slice registered for wasm (this project's in-place one once registered). */
  slice(x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
    if (begin.every((b) => b === 0) && size.every((s, i) => s === x.shape[i])) return x;
    const k = tf.getKernel('Slice', 'wasm')!;
    const t = k.kernelFunc({ inputs: { x }, backend: this.backend as unknown as tf.KernelBackend, attrs: { begin, size } }) as tf.TensorInfo;
    this.made.push(t);
    return t;
  }

  /** Pads (positive) or crops (negative) each axis at both ends. */
  padOrCrop(x: tf.TensorInfo, amounts: [number, number][]): tf.TensorInfo {
    const begin = amounts.map(([a]) => Math.max(0, -a));
    const size = amounts.map(([a, b], i) => x.shape[i] - Math.max(0, -a) - Math.max(0, -b));
    const cropped = this.slice(x, begin, size);
    return this.pad(cropped, amounts.map(([a, b]) => [Math.max(0, a), Math.max(0, b)] as [number, number]));
  }

  matMul(a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
    return this.run('BatchMatMul', { a, b }, { transposeA: false, transposeB: false });
  }

  /** Marks `t` as the result: it survives `dispose`. */
  keep(t: tf.TensorInfo): tf.TensorInfo {
    const i = this.made.indexOf(t);
    if (i >= 0) this.made.splice(i, 1);
    else this.backend.incRef(t.dataId); // an input passed through unchanged: the caller owns a new reference
    return t;
  }

  dispose(): void {
    for (const t of this.made) this.backend.disposeData(t.dataId);
    this.made.length = 0;
  }
}

/** Runs `body` in a scope; the TensorInfo it returns is kept, everything else made inside is freed. */
export function composed(backend: WasmBackendLike, body: (s: Scope) => tf.TensorInfo): tf.TensorInfo {
  const s = new Scope(backend);
  try {
    return s.keep(body(s));
  } finally {
    s.dispose();
  }
}
