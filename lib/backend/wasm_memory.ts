/**
 * The wasm backend's memory ceiling, made loud.
 *
 * tfjs-backend-wasm 4.22's Emscripten builds grow one WebAssembly.Memory up to a fixed maximum of 4 GiB (the glue's
 * `"maximum": 4294967296/65536`). Built with memory growth, Emscripten's malloc returns 0 when the heap cannot grow
 * any more, and tfjs's `BackendWasm.move` registers the new tensor at offset 0 without checking: every later kernel
 * then reads and writes over the start of the heap, and a step that does not fit in 4 GiB hangs or returns garbage
 * instead of failing (issue 11: MobileNet-v1, 224 px, batch 64 sat at 4.3 GB RSS for 9 minutes).
 * `guardWasmMalloc` wraps the module's `_malloc` so that a failed allocation throws a one-line
 * `WasmOutOfMemoryError` instead; lib/train and lib/bench add what the user should change.
 *
 * `setWasmHeapLimit` lowers the ceiling that the guard enforces (live tensor bytes + the request), so tests can
 * exercise the out-of-memory path and the automatic micro-batch at small sizes in a few megabytes.
 */
import * as tf from '@tensorflow/tfjs';

/** The maximum of tfjs-backend-wasm 4.22's WebAssembly.Memory (all three builds), bytes. */
export const WASM_HEAP_MAX_BYTES = 4 * 2 ** 30;

/** A wasm allocation failed: the heap is at its ceiling. The message is one line. */
export class WasmOutOfMemoryError extends Error {
  /** Bytes requested by the failed allocation. */
  readonly requestedBytes: number;
  constructor(message: string, requestedBytes: number) {
    super(message);
    this.name = 'WasmOutOfMemoryError';
    this.requestedBytes = requestedBytes;
  }
}

interface MallocModule {
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  HEAPU8?: Uint8Array;
  wasmMemory?: WebAssembly.Memory;
}

let testLimit: number | null = null;
const guarded = new WeakSet<object>();

/** Sets (bytes) or clears (null) a lower heap ceiling for tests; allocations beyond it fail as at 4 GiB. */
export function setWasmHeapLimit(bytes: number | null): void {
  testLimit = bytes;
}

/** The ceiling in force: the test limit when set, else 4 GiB. */
export function wasmHeapLimitBytes(): number {
  return testLimit ?? WASM_HEAP_MAX_BYTES;
}

const mib = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MiB`;
/** Sizes of a request: KiB below 1 MiB (a failing request is often small: the heap is full). */
const size = (b: number): string => (b < 2 ** 20 ? `${(b / 2 ** 10).toFixed(1)} KiB` : mib(b));

/**
 * Makes a failed malloc of `backend`'s Emscripten module throw WasmOutOfMemoryError (idempotent). Emscripten's
 * `Module._malloc` replaces itself with the raw export on its first call, so it is called once before wrapping.
 */
export function guardWasmMalloc(backend: { wasm?: unknown }): void {
  const mod = backend.wasm as MallocModule | undefined;
  if (!mod || typeof mod._malloc !== 'function' || guarded.has(mod)) return;
  mod._free(mod._malloc(8));
  const raw = mod._malloc.bind(mod);
  mod._malloc = (bytes: number): number => {
    const live = tf.memory().numBytes;
    const overTest = testLimit !== null && live + bytes > testLimit;
    const ptr = overTest ? 0 : raw(bytes);
    if (ptr === 0 && bytes > 0) {
      const heap = mod.wasmMemory?.buffer.byteLength ?? mod.HEAPU8?.byteLength ?? 0;
      throw new WasmOutOfMemoryError(
        `out of wasm memory: could not allocate ${size(bytes)} (heap ${mib(heap)} of its ${mib(wasmHeapLimitBytes())} ceiling, ${mib(live)} in live tensors)`,
        bytes,
      );
    }
    return ptr;
  };
  guarded.add(mod);
}
