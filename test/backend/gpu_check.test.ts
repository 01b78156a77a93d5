import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/backend';
import { gpuProbe } from '../../lib/backend/gpu_check';

// What tfjs-node-gpu's binding throws on a machine whose CUDA is not the 11.2 its libtensorflow 2.9.1 needs.
const CUDA_ERROR = 'libcudart.so.11.0: cannot open shared object file: No such file or directory';
const real = { ...gpuProbe };

/** Runs `fn` with a fake package loader (tfjs-node-gpu fails as above, tfjs-node is not installed) and nvidia-smi. */
async function withFakeGpu<T>(smi: boolean, env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  gpuProbe.require = (pkg) => {
    throw new Error(pkg.endsWith('-gpu') ? CUDA_ERROR : `Cannot find module '${pkg}'`);
  };
  gpuProbe.nvidiaSmi = () => smi;
  const saved = Object.fromEntries(['FER_BACKEND', 'FER_TFJS_NODE', 'FER_WASM_THREADS'].map((k) => [k, process.env[k]]));
  Object.assign(process.env, { FER_WASM_THREADS: '1', ...env });
  try {
    return await fn();
  } finally {
    Object.assign(gpuProbe, real);
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  }
}

const NEEDS = /tfjs-node-gpu 4\.22 runs libtensorflow 2\.9\.1, which needs CUDA 11\.2 and cuDNN 8\.1 .*; to train on the CPU instead, choose it explicitly: FER_BACKEND=wasm$/;

// The tests share one process: the first ones fail before any backend is chosen, so none is cached.
test('FER_TFJS_NODE=gpu and a tfjs-node-gpu that does not load: one line naming CUDA 11.2 / cuDNN 8.1 and FER_BACKEND=wasm, no fallback', async () => {
  await withFakeGpu(false, { FER_TFJS_NODE: 'gpu' }, async () => {
    await assert.rejects(initBackend(), (e: Error) => {
      assert.ok(!e.message.includes('\n'), e.message);
      assert.ok(e.message.startsWith(`FER_TFJS_NODE=gpu, but the tensorflow backend did not load (@tensorflow/tfjs-node-gpu: ${CUDA_ERROR}; @tensorflow/tfjs-node: not installed): `), e.message);
      assert.match(e.message, NEEDS);
      return true;
    });
  });
  assert.notEqual(tf.getBackend(), 'wasm', 'no fallback to wasm happened');
});

test('FER_BACKEND=tensorflow on a machine where nvidia-smi finds a GPU: the same one line', async () => {
  await withFakeGpu(true, { FER_BACKEND: 'tensorflow' }, async () => {
    await assert.rejects(initBackend(), (e: Error) => e.message.startsWith('FER_BACKEND=tensorflow, but the tensorflow backend did not load (') && NEEDS.test(e.message));
  });
});

test('nothing asked and no GPU: the quiet fallback to wasm, with no gpuProblem', async () => {
  const info = await withFakeGpu(false, {}, () => initBackend());
  assert.equal(info.name, 'wasm');
  assert.equal(info.gpuProblem, undefined);
});

test('nothing asked but nvidia-smi finds a GPU: wasm, saying so in one stderr line and in gpuProblem', async () => {
  await tf.setBackend('cpu'); // so initBackend chooses again
  const lines: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => (lines.push(String(chunk)), true)) as typeof process.stderr.write;
  let info;
  try {
    info = await withFakeGpu(true, {}, () => initBackend());
  } finally {
    process.stderr.write = write;
  }
  assert.equal(info.name, 'wasm');
  assert.ok(info.gpuProblem?.startsWith('nvidia-smi finds a GPU, but the tensorflow backend did not load ('), info.gpuProblem);
  assert.match(info.gpuProblem!, NEEDS);
  const said = lines.filter((l) => l.includes('nvidia-smi finds a GPU'));
  assert.equal(said.length, 1);
  assert.equal(said[0], `fer-au: ${info.gpuProblem}\n`);
});
