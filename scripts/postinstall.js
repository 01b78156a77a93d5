#!/usr/bin/env node
// fer-au postinstall: decides whether to fetch libtensorflow for the optional @tensorflow/tfjs-node-gpu.
//
// package.json denies tfjs-node-gpu's own install script (allowScripts), because it downloads libtensorflow
// and fails where only the npm registry is reachable. This script runs that download only when it can help:
//   - a CUDA machine (nvidia-smi on PATH) or FER_TFJS_NODE=gpu  -> the GPU build of libtensorflow
//   - FER_TFJS_NODE=cpu                                          -> the CPU build (a fast native backend)
//   - otherwise, or FER_TFJS_NODE=off                            -> nothing; training runs on the wasm backend
// A failed download is reported in one line and never fails `npm install`: lib/backend falls back to wasm.
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

function hasNvidiaSmi() {
  const r = spawnSync('nvidia-smi', ['-L'], { stdio: 'ignore' });
  return r.status === 0;
}

function main() {
  const pkgDir = path.join(__dirname, '..', 'node_modules', '@tensorflow', 'tfjs-node-gpu');
  const want = (process.env.FER_TFJS_NODE || '').toLowerCase();
  if (want === 'off' || !fs.existsSync(pkgDir)) return;
  const flavour = want === 'cpu' || want === 'gpu' ? want : hasNvidiaSmi() ? 'gpu' : '';
  if (!flavour) {
    console.log('fer-au: no CUDA GPU found; TensorFlow.js will use the wasm backend (FER_TFJS_NODE=gpu|cpu to fetch libtensorflow)');
    return;
  }
  if (fs.existsSync(path.join(pkgDir, 'lib', 'napi-v8', 'tfjs_binding.node'))) return; // already fetched
  console.log(`fer-au: fetching libtensorflow (${flavour}) for @tensorflow/tfjs-node-gpu ...`);
  // install.js runs node-pre-gyp through the shell: put the project's node_modules/.bin on PATH (npm does that only
  // for scripts it runs itself), and judge success by the binding loading, not by install.js's exit status.
  const binDir = path.join(__dirname, '..', 'node_modules', '.bin');
  const env = { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH || ''}` };
  const r = spawnSync(process.execPath, [path.join('scripts', 'install.js'), flavour, 'download'], {
    cwd: pkgDir,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  const load = spawnSync(process.execPath, ['-e', "require('@tensorflow/tfjs-node-gpu')"], {
    cwd: path.join(__dirname, '..'),
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  if (load.status !== 0) {
    const lines = ((r.stderr || '') + (load.stderr || '')).split('\n').map((l) => l.trim()).filter(Boolean);
    const why = lines.find((l) => /^\w*Error\b/.test(l)) || lines.find((l) => /error/i.test(l)) || `exit ${r.status}`;
    console.log(`fer-au: tfjs-node-gpu not usable (${why.slice(0, 160)}); using the wasm backend`);
  } else {
    console.log(`fer-au: tfjs-node-gpu ready (${flavour} libtensorflow)`);
  }
}

try {
  main();
} catch (err) {
  console.log(`fer-au: postinstall skipped (${err && err.message})`);
}
