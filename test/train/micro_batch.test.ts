import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend, setWasmHeapLimit, WasmOutOfMemoryError } from '../../lib/backend';
import { getLoss } from '../../lib/losses';
import { buildAuModel, type AuModel } from '../../lib/models';
import {
  activationsPerImage, disposeAuModel, explainOutOfMemory, freezeHeadBatchNorm, HEAP_PLAN_FRACTION, optimizerStep, planMicroBatch,
  resolveMicroBatch, TAPE_BYTES_PER_ACTIVATION, trainableVariables,
} from '../../lib/train';

const SIZE = 32;

/** A small dense model whose numbers are easy to follow: 10 + 20 + 4 activations per image, 10 inputs. */
function denseModel(): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: [10], units: 20 }));
  m.add(tf.layers.dense({ units: 4 }));
  return m;
}

test('planMicroBatch: the whole batch when it fits, else the largest balanced micro-batch, from the per-image estimate', () => {
  const m = denseModel();
  assert.equal(activationsPerImage(m), 24); // the InputLayer of a sequential model is not in model.layers
  const per = 24 * TAPE_BYTES_PER_ACTIVATION;
  const fixed = 4 * m.countParams() * 4 + 2 * 64 * SIZE * SIZE * 3 * 4;
  const limitFor = (images: number) => (fixed + images * per) / HEAP_PLAN_FRACTION;
  assert.equal(planMicroBatch(m, 64, SIZE, { limitBytes: limitFor(64.5), liveBytes: 0 }).microBatch, null);
  // 11 images fit: six micro-batches of at most 11 (11 x 5 + 9), not five of 12 and a 4
  assert.equal(planMicroBatch(m, 64, SIZE, { limitBytes: limitFor(11.5), liveBytes: 0 }).microBatch, 11);
  assert.equal(planMicroBatch(m, 64, SIZE, { limitBytes: limitFor(8.2), liveBytes: 0 }).microBatch, 8);
  assert.equal(planMicroBatch(m, 64, SIZE, { limitBytes: limitFor(1.1), liveBytes: 0 }).microBatch, 1);
  m.dispose();
});

test('planMicroBatch fails in one line, naming the model and input size, when not one image fits', () => {
  const m = denseModel();
  assert.throws(() => planMicroBatch(m, 64, SIZE, { limitBytes: 1000, liveBytes: 0, what: 'mobilenet_v1' }), (e: Error) => {
    assert.ok(e instanceof WasmOutOfMemoryError);
    assert.match(e.message, /^mobilenet_v1 at 32 px needs about 0 MiB per image for a training step, more than the wasm heap's 0\.0 GiB ceiling leaves \(0 MiB\): use a smaller input size or the tensorflow backend \(FER_BACKEND=tensorflow\)$/);
    return true;
  });
  m.dispose();
});

/** MobileNet-v1 with the embedded weights at 32 px, every layer trainable, every BatchNorm in inference mode (the paper preset's stage 2). */
async function paperLikeModel(): Promise<AuModel> {
  const m = await buildAuModel({ backbone: 'mobilenet_v1', inputSize: SIZE, numAus: 8, weights: 'embedded', dropout: 0, seed: 7, alpha: 1 });
  m.unfreezeAll({ freezeBatchNorm: true });
  freezeHeadBatchNorm(m);
  return m;
}

test('on wasm with no micro-batch set, a batch over the heap ceiling fails in one line, and the automatic micro-batch step fits and equals the whole-batch step', async (t) => {
  const info = await initBackend();
  if (info.name !== 'wasm') return t.skip(`backend ${info.name}: the heap ceiling is wasm's`);
  const n = 48;
  const x = tf.randomUniform([n, SIZE, SIZE, 3], -1, 1, 'float32', 3);
  const y = tf.tensor2d(Array.from({ length: n * 8 }, (_, i) => ((i * 7 + Math.floor(i / 8) * 3) % 5 < 2 ? 1 : 0)), [n, 8]);
  const loss = getLoss('pr'); // the paper's loss: the two-pass accumulation
  const step = async (m: AuModel, microBatch: number | null) => {
    const opt = tf.train.sgd(0.5);
    const before = trainableVariables(m.model).map((v) => (v.dataSync() as Float32Array).slice());
    try {
      await optimizerStep({ optimizer: opt, vars: trainableVariables(m.model), loss, x, y, microBatch, sampleMean: false, forward: (s) => m.model.apply(s, { training: true }) as tf.Tensor2D });
      return trainableVariables(m.model).map((v, i) => (v.dataSync() as Float32Array).map((w, j) => w - before[i][j]));
    } finally {
      opt.dispose();
    }
  };
  const m = await paperLikeModel();
  try {
    // a ceiling where 8 images fit by the estimate and the whole batch of 48 does not
    const per = activationsPerImage(m.model) * TAPE_BYTES_PER_ACTIVATION;
    const fixed = 4 * m.model.countParams() * 4 + 2 * n * SIZE * SIZE * 3 * 4;
    setWasmHeapLimit((tf.memory().numBytes + fixed + 8.5 * per) / HEAP_PLAN_FRACTION);
    const mb = resolveMicroBatch(null, m.model, n, SIZE, 'mobilenet_v1');
    assert.equal(mb, 8);
    const acc = await step(m, mb);
    // the whole batch under the same ceiling: a one-line error, not a hang (a failed step leaves tensors behind:
    // the process is expected to exit)
    const ctx = { what: 'mobilenet_v1', inputSize: SIZE, batch: n, microBatch: null, setting: 'stage2.microBatchSize (config file)' };
    const whole = await step(m, null).then(() => null, (e: unknown) => explainOutOfMemory(e, ctx) as Error);
    assert.ok(whole instanceof WasmOutOfMemoryError, `the whole batch should not fit under the lowered ceiling (${String(whole)})`);
    assert.match(whole.message, /^out of wasm memory: could not allocate \d+(\.\d)? [KM]iB \(heap \d+ MiB of its \d+ MiB ceiling, \d+ MiB in live tensors\) in a training step of mobilenet_v1 at 32 px, batch 48: set stage2\.microBatchSize \(config file\) to 24 or lower, or train on the tensorflow backend \(FER_BACKEND=tensorflow\)$/);
    setWasmHeapLimit(null);
    const ref = await paperLikeModel();
    const full = await step(ref, null);
    disposeAuModel(ref);
    let maxDiff = 0;
    let maxDelta = 0;
    full.forEach((d, i) => d.forEach((v, j) => ((maxDiff = Math.max(maxDiff, Math.abs(v - acc[i][j]))), (maxDelta = Math.max(maxDelta, Math.abs(v))))));
    assert.ok(maxDelta > 0, 'the step moved no weight');
    assert.ok(maxDiff <= 1e-4 * maxDelta + 1e-7, `accumulated vs whole batch: max difference ${maxDiff} (largest change ${maxDelta})`);
  } finally {
    setWasmHeapLimit(null);
    disposeAuModel(m);
    tf.dispose([x, y]);
  }
});
