import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { readJson } from '../../lib/util/fs';
import { bceLoss, lsepLoss, precisionRecallLoss } from '../../lib/losses';

// Reference values and gradients: PyTorch, float64, independent implementations (scripts/fixtures/losses.py).
// tfjs computes in float32, so the tolerance is absolute 1e-5 on values and 1e-4 on gradients.
interface Ref { value: number; grad: number[][] }
interface Case {
  name: string; labels: number[][]; logits: number[][]; posWeight: number[];
  bce: Ref; bceWeighted: Ref; lsep: Ref; prMacro: Ref; prMicro: Ref;
}
const FIXTURE = readJson<{ cases: Case[]; torch: string }>(path.join(__dirname, '..', 'fixtures', 'losses', 'losses.json'));

before(async () => {
  await tf.setBackend('cpu');
});
const BACKENDS = ['cpu', 'wasm'];

type Loss = (y: tf.Tensor2D, x: tf.Tensor2D) => tf.Scalar;
const LOSSES: [keyof Case & ('bce' | 'bceWeighted' | 'lsep' | 'prMacro' | 'prMicro'), (c: Case) => Loss][] = [
  ['bce', () => (y, x) => bceLoss(y, x)],
  ['bceWeighted', (c) => (y, x) => bceLoss(y, x, { posWeight: c.posWeight })],
  ['lsep', () => (y, x) => lsepLoss(y, x)],
  ['prMacro', () => (y, x) => precisionRecallLoss(y, x, { average: 'macro' })],
  ['prMicro', () => (y, x) => precisionRecallLoss(y, x, { average: 'micro' })],
];

function valueAndGrad(loss: Loss, c: Case): { value: number; grad: number[][] } {
  return tf.tidy(() => {
    const y = tf.tensor2d(c.labels);
    const x = tf.tensor2d(c.logits);
    const { value, grad } = tf.valueAndGrad((xx: tf.Tensor) => loss(y, xx as tf.Tensor2D))(x);
    return { value: value.dataSync()[0], grad: grad.arraySync() as number[][] };
  });
}

function checkCase(backend: string, key: (typeof LOSSES)[number][0], loss: Loss, c: Case): void {
  const got = valueAndGrad(loss, c);
  const want = c[key];
  const at = `${backend}, ${c.name}`;
  assert.ok(Number.isFinite(got.value), `${at}: value ${got.value}`);
  assert.ok(Math.abs(got.value - want.value) <= 1e-5, `${at}: ${key} = ${got.value}, PyTorch ${want.value}`);
  got.grad.forEach((row, i) =>
    row.forEach((g, j) => {
      assert.ok(Number.isFinite(g), `${at}: grad[${i}][${j}] = ${g}`);
      assert.ok(Math.abs(g - want.grad[i][j]) <= 1e-4, `${at}: d${key}/dx[${i}][${j}] = ${g}, PyTorch ${want.grad[i][j]}`);
    }),
  );
}

for (const [key, make] of LOSSES) {
  test(`${key} matches PyTorch float64 values (1e-5) and gradients (1e-4) on every fixture case, cpu and wasm`, async () => {
    assert.ok(FIXTURE.cases.length >= 8);
    try {
      for (const backend of BACKENDS) {
        await tf.setBackend(backend);
        for (const c of FIXTURE.cases) checkCase(backend, key, make(c), c);
      }
    } finally {
      await tf.setBackend('cpu');
    }
  });
}

test('fixture covers extreme logits and rows with all or no positive labels', () => {
  assert.ok(FIXTURE.cases.some((c) => c.logits.some((r) => r.some((v) => Math.abs(v) === 50))));
  assert.ok(FIXTURE.cases.some((c) => c.labels.some((r) => r.every((v) => v === 1))));
  assert.ok(FIXTURE.cases.some((c) => c.labels.some((r) => r.every((v) => v === 0))));
});

test('losses leave no tensors behind', () => {
  const c = FIXTURE.cases[3];
  const y = tf.tensor2d(c.labels);
  const x = tf.tensor2d(c.logits);
  const before = tf.memory().numTensors;
  for (const [, make] of LOSSES) make(c)(y, x).dispose();
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([y, x]);
});
