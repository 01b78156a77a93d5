import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/backend';
import { runCase } from '../../lib/backend/bench';
import { mobilenetV1BenchNet, MOBILENET_V1_BLOCKS } from '../../lib/backend/bench_net';

process.env.FER_WASM_THREADS = process.env.FER_WASM_THREADS ?? '1';
const ROOT = path.join(__dirname, '..', '..');

describe('bench', () => {
  before(async () => {
    await initBackend('wasm');
  });

  test('the op-level MobileNet-v1 has Keras MobileNet(alpha=1)\'s 3,228,864 backbone parameters plus a Dense(8) head', () => {
    // Keras: MobileNet(include_top=False, alpha=1.0) has 3,228,864 parameters (incl. BatchNorm moving statistics).
    const net = mobilenetV1BenchNet({ inputSize: 32 });
    assert.equal(MOBILENET_V1_BLOCKS.length, 13);
    assert.equal(net.paramCount, 3228864 + 1024 * 8 + 8);
    net.dispose();
  });

  test('runCase times forward and training steps and leaves no tensors behind', async () => {
    const before0 = tf.memory().numTensors;
    for (const mode of ['forward', 'train'] as const) {
      const r = await runCase({ network: 'ops-mobilenet_v1', mode, inputSize: 32, batch: 1, warmup: 0, steps: 2 });
      assert.equal(r.error, undefined, r.error);
      assert.equal(r.stepS.length, 2);
      assert.ok(Number.isFinite(r.imagesPerS) && r.imagesPerS > 0);
      assert.ok(Math.abs(r.msPerImage - 1000 / r.imagesPerS) < 1e-9);
    }
    const h = await runCase({ network: 'head', mode: 'train', inputSize: 1024, batch: 8, warmup: 0, steps: 1 });
    assert.equal(h.error, undefined, h.error);
    assert.equal(tf.memory().numTensors, before0);
  });

  test('bad options exit 2 with a one-line reason', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'fer-au.js'), 'bench', '--backbones', 'resnet50'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr.trim(), /^fer-au bench: --backbones: unknown 'resnet50' \(valid: ops-mobilenet_v1, mobilenet_v1, /);
  });
});
