import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/backend';
import { Native, nativeKernels, setSplitExports, setSplitMinimum, splitBounds } from '../../lib/backend/kernels/native';
import { Rng } from '../../lib/util/rng';

// The threaded build with one helper thread for the native kernels (lib/backend/kernels/native_pool.ts).
process.env.FER_WASM_THREADS = '2';
delete process.env.FER_NATIVE_THREADS;

function rand(rng: Rng, shape: number[], lo = -1, hi = 1): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => lo + (hi - lo) * rng.next()), shape);
}

/** max |a - b| / max |b| (as test/backend/kernels.test.ts) */
function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / (den || 1);
}

const read = (out: tf.Tensor | tf.Tensor[]): Float32Array[] => {
  const ts = Array.isArray(out) ? out : [out];
  const v = ts.map((t) => t.dataSync() as Float32Array);
  tf.dispose(ts);
  return v;
};

let nat: Native;

/**
 * Runs `f` on wasm whole and split between the two threads (split threshold 1 element) and asserts the outputs are
 * the same bits and that a split happened; returns the split outputs.
 */
function splitEqualsWhole(what: string, f: () => tf.Tensor | tf.Tensor[]): Float32Array[] {
  tf.setBackend('wasm');
  const prev = setSplitMinimum(Number.POSITIVE_INFINITY);
  try {
    const whole = read(f());
    setSplitMinimum(1);
    const before = nat.splitCalls();
    const split = read(f());
    assert.ok(nat.splitCalls() > before, `${what}: no call was split`);
    whole.forEach((w, i) => assert.deepEqual(split[i], w, `${what}: output ${i} differs between one and two threads`));
    return split;
  } finally {
    setSplitMinimum(prev);
  }
}

/** splitEqualsWhole, then each output against the cpu backend's (same kernel or a reference), rel. error < 1e-4. */
function checkKernel(what: string, f: () => tf.Tensor | tf.Tensor[], reference: () => tf.Tensor | tf.Tensor[] = f): void {
  const got = splitEqualsWhole(what, f);
  tf.setBackend('cpu');
  const ref = read(reference());
  ref.forEach((r, i) => {
    const err = relError(got[i], r);
    assert.ok(err < 1e-4, `${what}: output ${i} relative error ${err} against cpu`);
  });
}

const run = (name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown> = {}) => () =>
  tf.engine().runKernel(name, inputs as tf.NamedTensorMap, attrs as tf.NamedAttrMap) as tf.Tensor | tf.Tensor[];

describe('native kernels split between two threads give the one-thread bits', () => {
  before(async () => {
    const info = await initBackend('wasm');
    assert.equal(info.threads, 2);
    nat = nativeKernels(tf.backend() as unknown as { wasm: unknown })!;
    assert.ok(nat, 'native kernels loaded');
    assert.equal(await nat.started(), 2, 'the helper thread started');
    setSplitExports('all'); // every kernel that can split does (by default only those measured faster split)
  });
  after(() => {
    tf.setBackend('wasm');
  });

  test('splitBounds: aligned, ordered, covering', () => {
    assert.deepEqual(splitBounds(48, 2, 16), [0, 32, 48]);
    assert.deepEqual(splitBounds(100, 2, 4), [0, 52, 100]);
    assert.deepEqual(splitBounds(5, 3, 16), [0, 5]);
  });

  // 5*7*3 = 105 rows of 48 channels (three 16-channel blocks: an uneven split) and 20 (a 4-wide SIMD tail).
  for (const c of [48, 20]) {
    for (const act of [0, 1, 2]) {
      test(`FerBatchNormActForward / Grad, ${c} channels, act ${act}`, () => {
        const rng = new Rng(c + act);
        const [x, gamma, beta, dz] = [rand(rng, [3, 5, 7, c], -2, 3), rand(rng, [c], 0.5, 1.5), rand(rng, [c]), rand(rng, [3, 5, 7, c])];
        checkKernel('forward', run('FerBatchNormActForward', { x, gamma, beta }, { epsilon: 1e-3, act }));
        tf.setBackend('wasm');
        const [z, mean, , rstd] = run('FerBatchNormActForward', { x, gamma, beta }, { epsilon: 1e-3, act })() as tf.Tensor[];
        const saved = [z, mean, rstd].map((t) => t.dataSync());
        const grad = () => {
          const [zz, mm, rr] = saved.map((v, i) => tf.tensor(v, [z, mean, rstd][i].shape));
          return run('FerBatchNormActGrad', { x, z: zz, dz, mean: mm, rstd: rr, gamma }, { act })();
        };
        checkKernel('grad', grad);
      });
    }
  }

  for (const [s, pad] of [[1, 'same'], [2, 'valid']] as const) {
    test(`DepthwiseConv2dNativeBackpropFilter, 48 channels, stride ${s} ${pad}`, () => {
      const rng = new Rng(10 + s);
      const x = rand(rng, [2, 9, 9, 48]);
      const ho = s === 1 ? 9 : 4;
      const dy = rand(rng, [2, ho, ho, 48]);
      checkKernel('dw filter grad', run('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { strides: [s, s], dilations: [1, 1], pad, filterShape: [3, 3, 48, 1] }));
    });
  }

  test('strided Conv2D gradients (im2col / col2im, split by batch)', () => {
    const rng = new Rng(20);
    const x = rand(rng, [3, 9, 9, 3]);
    const dy = rand(rng, [3, 4, 4, 8]);
    const filter = rand(rng, [3, 3, 3, 8]);
    checkKernel('filter', run('Conv2DBackpropFilter', { x, dy }, { strides: [2, 2], pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 3, 8] }));
    checkKernel('input', run('Conv2DBackpropInput', { dy, filter }, { inputShape: [3, 9, 9, 3], strides: [2, 2], pad: 'valid', dataFormat: 'NHWC' }));
  });

  for (const [shape, perm] of [[[37, 48], [1, 0]], [[40, 5, 7, 6], [3, 1, 2, 0]], [[3, 17, 5, 8], [1, 2, 0, 3]], [[4, 37, 6], [0, 2, 1]]] as const) {
    test(`Transpose ${JSON.stringify(shape)} by ${JSON.stringify(perm)}`, () => {
      const x = rand(new Rng(30), [...shape]);
      checkKernel('transpose', () => tf.transpose(x, [...perm]));
    });
  }

  test('Sum and Mean over leading axes (column sums)', () => {
    const x = rand(new Rng(40), [5, 7, 48]);
    checkKernel('sum', () => tf.sum(x, [0, 1]));
    checkKernel('mean', () => tf.mean(x, [0], true));
  });

  test('element-wise gradient kernels, fill and scale rows, BatchNorm sums', () => {
    const rng = new Rng(50);
    const [x, dy] = [rand(rng, [6, 7, 41], -2, 8), rand(rng, [6, 7, 41])];
    checkKernel('relu grad', run('FerReluGrad', { x, dy }), () => tf.mul(dy, tf.step(x)));
    checkKernel('clip grad', run('FerClipGrad', { x, dy }, { lo: 0, hi: 6 }), () => tf.where(tf.logicalAnd(tf.greaterEqual(x, 0), tf.lessEqual(x, 6)), dy, tf.zerosLike(dy)));
    checkKernel('square grad', run('FerSquareGrad', { x, dy }), () => tf.mul(dy, tf.mul(x, 2)));
    const v = rand(rng, [41]);
    checkKernel('fill rows', run('FerFillRows', { v }, { shape: [6, 7, 41], div: 42 }), () => tf.div(tf.mul(tf.ones([6, 7, 41]), v), 42));
    checkKernel('scale rows', run('FerScaleRows', { x, s: v }), () => tf.mul(x, v));
    const mean = rand(rng, [41]);
    checkKernel('bn sums', run('FerBnSums', { x, dy, mean }), () => tf.stack([tf.sum(dy, [0, 1]), tf.sum(tf.mul(dy, tf.sub(x, mean)), [0, 1])]));
  });

  test('FerAdamUpdate', () => {
    const rng = new Rng(60);
    const [x, m, v, g] = [rand(rng, [1003]), rand(rng, [1003]), rand(rng, [1003], 0, 1), rand(rng, [1003])];
    const attrs = { b1: 0.9, omb1: 1 - 0.9, b2: 0.999, omb2: 1 - 0.999, c1: 0.19, c2: 0.002, eps: 1e-7, neglr: -1e-3 };
    splitEqualsWhole('adam', run('FerAdamUpdate', { x, m, v, g }, attrs));
  });
});
