/**
 * The page's tfjs backend: which one (webgl on a real GPU, wasm where WebGL is software) and, on wasm, how many
 * threads. tfjs-backend-wasm loads its threaded-simd build when the page is cross-origin isolated (fer-au serve
 * sends COOP/COEP; the worker script is inlined in tf-backend-wasm.min.js, so only the .wasm files are copied).
 */
import * as tf from '@tensorflow/tfjs';

interface WasmApi {
  setWasmPaths(p: string): void;
  setThreadsCount(n: number): void;
  getThreadsCount(): number;
}

/** tfjs-backend-wasm's namespace (tf.wasm, set by vendor/tf-backend-wasm.min.js), if loaded. */
function wasmApi(): WasmApi | undefined {
  return (tf as unknown as { wasm?: WasmApi }).wasm ?? (globalThis as unknown as { tf?: { wasm?: WasmApi } }).tf?.wasm;
}

/** Threads of the wasm backend's XNNPACK pool, or 0 when the page runs on another backend. */
export function wasmThreads(): number {
  if (tf.getBackend() !== 'wasm') return 0;
  return wasmApi()?.getThreadsCount() ?? 0;
}

/**
 * The WebGL renderer when it is a software one (SwiftShader, llvmpipe, ...: a machine without a GPU, such as headless
 * Chromium here), else null. tfjs's webgl backend on a software renderer is far slower than wasm with SIMD.
 */
export function softwareWebgl(): string | null {
  const gl = document.createElement('canvas').getContext('webgl2') ?? document.createElement('canvas').getContext('webgl');
  if (!gl) return 'no WebGL';
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return /swiftshader|llvmpipe|softpipe|software|basic render/i.test(renderer) ? renderer : null;
}

/**
 * Runs `init` with navigator.hardwareConcurrency reading `n`, then restores it. Why: tfjs-backend-wasm 4.x caps its
 * pool at hardwareConcurrency / 2 whatever setThreadsCount asks (tfjs-backend-wasm/src/cc/backend.cc:
 * min(count, 8, emscripten_num_logical_cores() / 2), assuming two hardware threads per core), so on this 2-core
 * machine it ran 1 thread. The count is read once, when the wasm module starts.
 */
async function withHardwareConcurrency<T>(n: number, init: () => Promise<T>): Promise<T> {
  const own = Object.getOwnPropertyDescriptor(navigator, 'hardwareConcurrency');
  Object.defineProperty(navigator, 'hardwareConcurrency', { configurable: true, get: () => n });
  try {
    return await init();
  } finally {
    if (own) Object.defineProperty(navigator, 'hardwareConcurrency', own);
    else delete (navigator as unknown as Record<string, unknown>).hardwareConcurrency; // back to Navigator.prototype's getter
  }
}

/**
 * Default wasm threads: every logical core, up to 4 (the cap the older tfjs-backend-wasm backend.cc applied; only 1 and
 * 2 threads were measured here: 2 took the AU model from 14.4 to 10.5 ms per frame on this 2-core machine).
 */
export const MAX_DEFAULT_THREADS = 4;

/**
 * Picks the backend: `wanted` if given, else webgl, then wasm, then cpu, except that wasm comes first when the WebGL
 * renderer is a software one (softwareWebgl). On wasm in a cross-origin isolated page, `threads` threads (default:
 * every logical core, at most MAX_DEFAULT_THREADS). Returns the backend in use.
 */
export async function initPageBackend(wanted: string | null, wasmDir: string, threads?: number): Promise<string> {
  const wasm = wasmApi();
  wasm?.setWasmPaths(wasmDir);
  const cores = Math.max(1, navigator.hardwareConcurrency || 1);
  const want = Math.max(1, Math.floor(threads ?? Math.min(cores, MAX_DEFAULT_THREADS)));
  wasm?.setThreadsCount(want);
  // Shapes as uniforms: one compiled webgl program per op instead of one per op and shape, which cuts the first
  // load from minutes to seconds where WebGL runs in software (SwiftShader) and costs nothing on a GPU.
  tf.env().set('WEBGL_USE_SHAPES_UNIFORMS', true);
  const order = wanted ? [wanted] : softwareWebgl() ? ['wasm', 'webgl', 'cpu'] : ['webgl', 'wasm', 'cpu'];
  for (const name of order) {
    try {
      const start = async () => (await tf.setBackend(name)) && (await tf.ready(), true);
      const ok = name === 'wasm' && globalThis.crossOriginIsolated ? await withHardwareConcurrency(Math.max(cores, 2 * want), start) : await start();
      if (ok) return tf.getBackend();
    } catch {
      // try the next one
    }
  }
  throw new Error(`no tfjs backend of ${order.join(', ')} initialised`);
}
