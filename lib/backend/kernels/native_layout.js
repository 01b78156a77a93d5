// The layout of the control block that native_pool.ts (main thread) and native_worker.js (helper threads) share: a
// SharedArrayBuffer of Int32 slots, then Float64 call arguments from ARGS_BYTE_OFFSET. Plain CommonJS so that the
// worker, which starts without ts-node, can load it; native_layout.d.ts gives its types to TypeScript.
'use strict';

module.exports = Object.freeze({
  // Int32 slots
  SEQ: 0, // call number (generation); helpers Atomics.wait on it
  NEXT: 1, // generation << GEN_SHIFT | index of the next unclaimed chunk
  FINISHED: 2, // chunks run so far in the current call
  FN: 3, // index of the export to run
  NARGS: 4, // arguments per chunk
  NCHUNKS: 5, // chunks in the current call
  READY: 6, // helpers started
  ERROR: 7, // 1 once a chunk threw on a helper
  ARGS_BYTE_OFFSET: 64,
  GEN_SHIFT: 6,
  INDEX_MASK: 0x3f, // at most 63 chunks a call
  GEN_MASK: 0x3ffffff,
});
