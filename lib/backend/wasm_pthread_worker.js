// Emscripten pthread worker for tfjs-backend-wasm's threaded SIMD build under Node (see wasm_threads.ts).
// tfjs ships the worker's source as a string (module.exports.wasmWorkerContents) that browsers load through a Blob
// URL; Node's worker_threads needs a file, so this file runs that string with the module-scoped `require` and
// `__filename` it expects.
'use strict';
const path = require('path');
const pkgDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
const { wasmWorkerContents } = require(path.join(pkgDir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.worker.js'));
// As tfjs does before making its Blob: the template literal turned the escaped newlines of string literals into real ones.
new Function('require', '__filename', wasmWorkerContents.replace(/\n/g, '\\n'))(require, __filename);
