import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { backendInfo, initBackend } from '../../lib/backend';

const ROOT = path.join(__dirname, '..', '..');

/** Runs a snippet in a fresh node (the backend is per process) and returns its exit code, stdout and stderr lines. */
function node(code: string, env: Record<string, string>): { status: number | null; out: string; errLines: string[] } {
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', code], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'), ...env }, timeout: 120_000,
  });
  return { status: r.status, out: r.stdout, errLines: r.stderr.split('\n').filter((l) => l.trim() && !/^=+$|looks like you are running TensorFlow\.js in Node/.test(l)) };
}

const INIT = `require('./lib/backend').initBackend().then((i) => console.log(JSON.stringify(i)), (e) => { console.error(e.message); process.exit(3); })`;

function tfjsNodeLoads(): boolean {
  for (const p of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    const r = spawnSync(process.execPath, ['-e', `require('${p}')`], { cwd: ROOT, stdio: 'ignore' });
    if (r.status === 0) return true;
  }
  return false;
}

describe('initBackend', () => {
  test('wasm reports its name, tfjs version, threads and SIMD, and backendInfo() returns the same', async () => {
    process.env.FER_WASM_THREADS = '1';
    const info = await initBackend('wasm');
    assert.equal(info.name, 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
    assert.equal(info.tfjsVersion, tf.version_core);
    assert.equal(info.threads, 1);
    assert.equal(typeof info.simd, 'boolean');
    assert.ok(info.kernels.includes('Conv2DBackpropFilter') && info.kernels.includes('DepthwiseConv2dNativeBackpropInput'));
    assert.deepEqual(backendInfo(), info);
  });

  test('an unknown backend name is rejected with the valid names', async () => {
    await assert.rejects(initBackend('gpu' as 'cpu'), /must be one of tensorflow, wasm, cpu, got 'gpu'/);
  });

  test('FER_BACKEND=nonsense fails in one line naming the valid values', async () => {
    process.env.FER_BACKEND = 'nonsense';
    try {
      await assert.rejects(initBackend(), (e: Error) => e.message === "FER_BACKEND must be one of tensorflow, wasm, cpu, got 'nonsense'");
    } finally {
      delete process.env.FER_BACKEND;
    }
  });

  test('FER_BACKEND=nonsense makes `fer-au bench` exit 2 with one line', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'fer-au.js'), 'bench', '--quick', '--no-peer', '--no-save'], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, FER_BACKEND: 'nonsense' },
    });
    assert.equal(r.status, 2);
    assert.equal(r.stderr.trim(), "fer-au bench: FER_BACKEND must be one of tensorflow, wasm, cpu, got 'nonsense'");
  });

  test('FER_BACKEND=tensorflow fails in one line when neither tfjs-node-gpu nor tfjs-node loads', { skip: tfjsNodeLoads() && 'tfjs-node loads here' }, async () => {
    process.env.FER_BACKEND = 'tensorflow';
    try {
      await assert.rejects(initBackend(), (e: Error) =>
        !e.message.includes('\n') &&
        /^backend 'tensorflow' is unavailable \(@tensorflow\/tfjs-node-gpu: .+; @tensorflow\/tfjs-node: not installed\)$/.test(e.message));
    } finally {
      delete process.env.FER_BACKEND;
    }
    assert.equal(tf.getBackend(), 'wasm', 'a failed forced choice leaves the current backend in place');
  });

  test('FER_BACKEND=cpu forces the cpu backend', async () => {
    process.env.FER_BACKEND = 'cpu';
    try {
      assert.equal((await initBackend()).name, 'cpu');
      assert.equal(tf.getBackend(), 'cpu');
    } finally {
      delete process.env.FER_BACKEND;
    }
    assert.equal((await initBackend('wasm')).name, 'wasm');
  });

  test('the threaded wasm build runs in Node with 2 threads, computes correctly and lets the process exit', () => {
    // A 96x96 matmul (large enough for XNNPACK to split across threads) checked against a plain JS product.
    const code = INIT.replace('console.log(JSON.stringify(i))', `{
      const tf = require('@tensorflow/tfjs'); const n = 96;
      const a = Array.from({ length: n * n }, (_, k) => ((k * 7) % 13) - 6);
      const got = tf.matMul(tf.tensor2d(a, [n, n]), tf.tensor2d(a, [n, n])).dataSync();
      let maxErr = 0;
      for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) {
        let s = 0; for (let k = 0; k < n; k++) s += a[r * n + k] * a[k * n + c];
        maxErr = Math.max(maxErr, Math.abs(s - got[r * n + c]));
      }
      console.log(JSON.stringify({ ...i, maxErr }));
    }`);
    const r = node(code, { FER_BACKEND: 'wasm', FER_WASM_THREADS: '2' });
    assert.equal(r.status, 0, r.errLines.join('\n'));
    const info = JSON.parse(r.out.trim().split('\n').pop()!);
    assert.equal(info.name, 'wasm');
    assert.equal(info.threads, 2);
    assert.equal(info.simd, true);
    assert.equal(info.maxErr, 0);
  });
});
