import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../lib/util/rng';
import { startWasm } from './helpers';

function values(rng: Rng, n: number, scale: number): Float32Array {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = (rng.next() * 2 - 1) * scale;
  return v;
}

/** Five Adam steps on `backend` with the given gradients; returns the variables and the moments after each step. */
function adamSteps(backend: string, init: Float32Array[], grads: Float32Array[][], opts: [number, number, number, number]): number[][] {
  tf.setBackend(backend);
  const vars = init.map((v, i) => tf.variable(tf.tensor(v), true, `adam_test_${backend}_${i}`));
  const opt = tf.train.adam(...opts);
  const seen: number[][] = [];
  for (const step of grads) {
    tf.tidy(() => opt.applyGradients(Object.fromEntries(vars.map((v, i) => [v.name, tf.tensor(step[i])])) as tf.NamedTensorMap as never));
    seen.push(...vars.map((v) => Array.from(v.dataSync())));
    const moments = (opt as unknown as { accumulatedFirstMoment: { variable: tf.Variable }[]; accumulatedSecondMoment: { variable: tf.Variable }[] });
    for (const m of [...moments.accumulatedFirstMoment, ...moments.accumulatedSecondMoment]) seen.push(Array.from(m.variable.dataSync()));
  }
  opt.dispose();
  vars.forEach((v) => v.dispose());
  return seen;
}

describe('fused Adam on wasm', () => {
  before(async () => {
    await startWasm();
  });

  test('runs one kernel per variable on wasm', () => {
    tf.setBackend('wasm');
    const v = tf.variable(tf.ones([5]), true, 'adam_count');
    const opt = tf.train.adam(0.01);
    let calls = 0;
    const k = tf.getKernel('FerAdamUpdate', 'wasm')!;
    tf.unregisterKernel('FerAdamUpdate', 'wasm');
    tf.registerKernel({ ...k, kernelFunc: (a) => (calls++, k.kernelFunc(a)) });
    try {
      tf.tidy(() => opt.applyGradients({ adam_count: tf.ones([5]) } as never));
    } finally {
      tf.unregisterKernel('FerAdamUpdate', 'wasm');
      tf.registerKernel(k);
    }
    assert.equal(calls, 1);
    opt.dispose();
    v.dispose();
  });

  for (const opts of [[1e-3, 0.9, 0.999, 1e-7], [0.05, 0.8, 0.99, 1e-4]] as [number, number, number, number][]) {
    test(`gives the cpu backend's stock update bit for bit (lr ${opts[0]}, betas ${opts[1]}/${opts[2]}, eps ${opts[3]})`, () => {
      const rng = new Rng(21);
      const sizes = [1, 7, 130];
      const init = sizes.map((n) => values(rng, n, 1));
      const grads = [0, 1, 2, 3, 4].map((s) => sizes.map((n) => values(rng, n, s === 2 ? 1e-3 : 0.5)));
      const ref = adamSteps('cpu', init, grads, opts);
      const got = adamSteps('wasm', init, grads, opts);
      assert.equal(got.length, ref.length);
      got.forEach((g, i) => assert.deepEqual(g, ref[i], `array ${i}`));
    });
  }
});
