import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend, setWasmHeapLimit } from '../../lib/backend';
import { BENCH_NETWORKS, layersMobileNetV1, mobilenetV1BenchNet, MOBILENET_V1_BLOCKS, runCase } from '../../lib/bench';

process.env.FER_WASM_THREADS = process.env.FER_WASM_THREADS ?? '1';
const ROOT = path.join(__dirname, '..', '..');
// Keras: MobileNet(include_top=False, alpha=1.0) has 3,228,864 parameters (incl. BatchNorm moving statistics).
const KERAS_MOBILENET_V1 = 3228864;

describe('bench', () => {
  before(async () => {
    await initBackend('wasm');
  });

  test('the op-level MobileNet-v1 has Keras MobileNet(alpha=1)\'s 3,228,864 backbone parameters plus a Dense(8) head', () => {
    const net = mobilenetV1BenchNet({ inputSize: 32 });
    assert.equal(MOBILENET_V1_BLOCKS.length, 13);
    assert.equal(net.paramCount, KERAS_MOBILENET_V1 + 1024 * 8 + 8);
    net.dispose();
  });

  test('the stock-layers MobileNet-v1 has the same parameter count and uses only stock tfjs layer classes', () => {
    const model = layersMobileNetV1({ inputSize: 32 });
    assert.equal(model.countParams(), KERAS_MOBILENET_V1 + 1024 * 8 + 8);
    const classes = new Set(model.layers.map((l) => l.getClassName()));
    assert.deepEqual([...classes].sort(), ['BatchNormalization', 'Conv2D', 'Dense', 'DepthwiseConv2D', 'GlobalAveragePooling2D', 'InputLayer', 'ReLU', 'ZeroPadding2D']);
    model.optimizer.dispose();
    model.dispose();
  });

  test('runCase times forward and training steps of every MobileNet-v1 subject, records peak RSS and leaves no tensors behind', async () => {
    const before0 = tf.memory().numTensors;
    for (const network of ['mobilenet_v1', 'layers-mobilenet_v1', 'ops-mobilenet_v1'] as const) {
      for (const mode of ['forward', 'train'] as const) {
        const r = await runCase({ network, mode, inputSize: 32, batch: 2, warmup: 0, steps: 2 });
        assert.equal(r.error, undefined, `${network} ${mode}: ${r.error}`);
        assert.equal(r.stepS.length, 2);
        assert.ok(Number.isFinite(r.imagesPerS) && r.imagesPerS > 0);
        assert.ok(Math.abs(r.msPerImage - 1000 / r.imagesPerS) < 1e-9);
        // The process's peak RSS is at least what it holds now and at least the wasm heap it has touched.
        assert.ok(r.peakRssBytes >= r.rssBeforeBytes && r.rssBeforeBytes > 0, `${r.peakRssBytes} < ${r.rssBeforeBytes}`);
        assert.ok(r.wasmHeapBytes !== undefined && r.wasmHeapBytes > 0);
      }
    }
    const h = await runCase({ network: 'head', mode: 'train', inputSize: 1024, batch: 8, warmup: 0, steps: 1 });
    assert.equal(h.error, undefined, h.error);
    assert.equal(tf.memory().numTensors, before0);
  });

  test('the paper step and a training case over the heap: micro-batches chosen from the (lowered) wasm ceiling, recorded, no tensors left', async () => {
    const before0 = tf.memory().numTensors;
    const p = await runCase({ network: 'mobilenet_v1', mode: 'paper-step', inputSize: 32, batch: 4, warmup: 0, steps: 1, microBatch: 2 });
    assert.equal(p.error, undefined, p.error);
    assert.equal(p.microBatchUsed, 2);
    // a ceiling that holds the model and a few images of a step, not the 16 of the batch
    setWasmHeapLimit(tf.memory().numBytes + 160 * 2 ** 20);
    try {
      const r = await runCase({ network: 'mobilenet_v1', mode: 'train', inputSize: 32, batch: 16, warmup: 0, steps: 1 });
      assert.equal(r.error, undefined, r.error);
      assert.ok(r.microBatchUsed !== null && r.microBatchUsed! < 16, `micro-batch ${r.microBatchUsed}`);
    } finally {
      setWasmHeapLimit(null);
    }
    assert.equal(tf.memory().numTensors, before0);
  });

  test('a profiled case reports the kernels of one extra step, their time inside the step\'s wall time', async () => {
    const r = await runCase({ network: 'mobilenet_v1', mode: 'train', inputSize: 32, batch: 2, warmup: 0, steps: 1, profileStep: true });
    assert.equal(r.error, undefined, r.error);
    const p = r.profile!;
    const names = p.kernels.map((k) => k.kernel);
    // A MobileNet-v1 training step runs its 14 convolutions forward and both of their gradients.
    for (const k of ['FusedConv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'FerAdamUpdate']) assert.ok(names.includes(k), `${k} missing`);
    assert.equal(p.kernels.find((k) => k.kernel === 'FusedConv2D')!.calls, 14);
    assert.ok(p.kernelMs <= p.wallMs && p.kernelMs > 0);
    assert.ok(Math.abs(p.kernels.reduce((a, k) => a + k.wallMs, 0) - p.kernelMs) < 1e-6);
  });

  test('bad options exit 2 with a one-line reason naming the valid networks', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'fer-au.js'), 'bench', '--backbones', 'resnet50'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.equal(r.stderr.trim(), `fer-au bench: --backbones: unknown 'resnet50' (valid: ${BENCH_NETWORKS.join(', ')})`);
  });
});
