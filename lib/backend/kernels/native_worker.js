// Helper thread of native_pool.ts: instantiates csrc/kernels-shared.wasm on the wasm backend's own (shared) memory
// and, each time the main thread publishes a call, claims and runs chunks of it until none are left. Plain JS, so
// that the worker starts without ts-node. The layout of the control block is native_layout.js, which native_pool.ts
// loads too.
'use strict';
const { workerData } = require('node:worker_threads');

const { SEQ, NEXT, FINISHED, FN, NARGS, NCHUNKS, READY, ERROR, ARGS_BYTE_OFFSET, GEN_SHIFT, INDEX_MASK, GEN_MASK } = require('./native_layout.js');

// (`module` would clash with CommonJS's own binding and make Node parse this file as an ES module.)
const { module: wasmModule, memory, control, names } = workerData;
const ctl = new Int32Array(control);
const args = new Float64Array(control, ARGS_BYTE_OFFSET);
const instance = new WebAssembly.Instance(wasmModule, { env: { memory } });
const fns = names.map((n) => instance.exports[n]);
Atomics.add(ctl, READY, 1);
Atomics.notify(ctl, READY);

/** Claims the next chunk of call `gen`: its index, or -1 when the call has no chunk left (or is over). */
function claim(gen, nchunks) {
  for (;;) {
    const v = Atomics.load(ctl, NEXT);
    if (v >>> GEN_SHIFT !== gen || (v & INDEX_MASK) >= nchunks) return -1;
    if (Atomics.compareExchange(ctl, NEXT, v, v + 1) === v) return v & INDEX_MASK;
  }
}

let seen = Atomics.load(ctl, SEQ);
for (;;) {
  Atomics.wait(ctl, SEQ, seen);
  const seq = Atomics.load(ctl, SEQ);
  if (seq === seen) continue;
  seen = seq;
  const gen = seq & GEN_MASK;
  // Read before claiming: a successful claim proves the call (and so these values) is still the current one.
  const f = fns[ctl[FN]];
  const nargs = ctl[NARGS];
  const nchunks = ctl[NCHUNKS];
  for (let i = claim(gen, nchunks); i >= 0; i = claim(gen, nchunks)) {
    try {
      const a = new Array(nargs);
      for (let j = 0; j < nargs; j++) a[j] = args[i * nargs + j];
      f(...a);
    } catch {
      Atomics.store(ctl, ERROR, 1);
    }
    Atomics.add(ctl, FINISHED, 1);
    Atomics.notify(ctl, FINISHED);
  }
}
