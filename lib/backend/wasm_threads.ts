/**
 * Lets the threaded SIMD build of tfjs-backend-wasm run under Node.
 *
 * tfjs-backend-wasm 4.22 reports `WASM_HAS_MULTITHREAD_SUPPORT = false` under Node (tfjs issue #3830) and, when
 * threads are on, hands Emscripten a Blob URL for the pthread worker script and a Blob for the glue JS the worker
 * imports. Node's `worker_threads` cannot start a worker from a Blob URL, and Emscripten's Node worker imports the
 * glue with `fs.readFileSync(path)`. The glue exists as a file in `tfjs-backend-wasm/wasm-out/` and the worker source
 * is run by `wasm_pthread_worker.js` next to this file, so while the backend
 * initialises we intercept the two assignments tfjs makes on its Emscripten config object (`locateFile`,
 * `mainScriptUrlOrBlob`) and point them at those files.
 *
 * The XNNPACK thread pool sizes itself at half of `os.cpus().length` (it assumes SMT siblings), which is 1 on a
 * 2-core machine; asking for a count with tfjs's `setThreadsCount` left the process unable to exit in our tests.
 * So during initialisation `os.cpus()` reports `2 * threads` entries, which gives a pool of `threads`.
 */
import * as path from 'node:path';
import * as fs from 'node:fs';

const WORKER = 'tfjs-backend-wasm-threaded-simd.worker.js'; // exports the worker source as a string
/** The file Node's worker_threads starts for each pthread: runs tfjs's worker source (see that file). */
const WORKER_SHIM = path.join(__dirname, 'wasm_pthread_worker.js');
const GLUE = 'tfjs-backend-wasm-threaded-simd.js';

/** Directory holding the Emscripten outputs of tfjs-backend-wasm (glue JS, worker JS, .wasm binaries). */
export function wasmOutDir(): string {
  const pkg = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return path.join(path.dirname(pkg), 'wasm-out');
}

/** True if the files the threaded build needs in Node are present. */
export function threadedFilesPresent(): boolean {
  const dir = wasmOutDir();
  return fs.existsSync(path.join(dir, WORKER)) && fs.existsSync(path.join(dir, GLUE)) && fs.existsSync(WORKER_SHIM);
}

type LocateFile = (p: string, prefix: string) => string;

/**
 * Runs `init` (which must call `tf.setBackend('wasm')`) with the Emscripten config patched for Node threads and a
 * pool of `threads` threads.
 * The interception lives only for the duration of `init` and only touches properties named `locateFile` and
 * `mainScriptUrlOrBlob` assigned on objects that do not already own them.
 */
export async function withNodeThreadPatch<T>(threads: number, init: () => Promise<T>): Promise<T> {
  const dir = wasmOutDir();
  const workerPath = WORKER_SHIM;
  const gluePath = path.join(dir, GLUE);
  const proto = Object.prototype as Record<string, unknown>;
  const define = (obj: object, key: string, value: unknown): void => {
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  };
  Object.defineProperty(proto, 'locateFile', {
    configurable: true,
    set(this: object, fn: LocateFile) {
      define(this, 'locateFile', (p: string, prefix: string) => (p.endsWith('.worker.js') ? workerPath : fn(p, prefix)));
    },
    get: () => undefined,
  });
  Object.defineProperty(proto, 'mainScriptUrlOrBlob', {
    configurable: true,
    set(this: object) {
      define(this, 'mainScriptUrlOrBlob', gluePath);
    },
    get: () => undefined,
  });
  // The module object itself (an `import * as` namespace would be a copy): Emscripten calls require("os").cpus().
  const mutableOs = require('node:os') as { cpus: () => unknown[] };
  const cpus = mutableOs.cpus;
  mutableOs.cpus = () => {
    const real = cpus();
    return Array.from({ length: 2 * threads }, (_, i) => real[i % real.length]);
  };
  // Emscripten starts its pthread pool (8 workers) with `new Worker(file)`, and Node workers inherit the parent's
  // execArgv: under `-r ts-node/register` every worker would load the TypeScript compiler (seconds each). The shim
  // is plain JS, so the workers start without the parent's flags. (The glue reads worker_threads.Worker at init.)
  const wt = require('node:worker_threads') as { Worker: typeof import('node:worker_threads').Worker };
  const NodeWorker = wt.Worker;
  wt.Worker = class extends NodeWorker {
    constructor(file: string | URL, options: import('node:worker_threads').WorkerOptions = {}) {
      super(file, { execArgv: [], ...options });
    }
  };
  try {
    return await init();
  } finally {
    wt.Worker = NodeWorker;
    mutableOs.cpus = cpus;
    delete proto.locateFile;
    delete proto.mainScriptUrlOrBlob;
  }
}
