import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Native, nativeKernels, setSplitExports, setSplitMinimum, splitBounds } from '../../lib/backend/kernels/native';
import { rowChunkBounds } from '../../lib/backend/kernels/row_partials';
import { Rng } from '../../lib/util/rng';
import { randomTensor as rand, relError, startWasm } from './helpers';

// The threaded build with one helper thread for the native kernels (lib/backend/kernels/native_pool.ts).
process.env.FER_WASM_THREADS = '2';
delete process.env.FER_NATIVE_THREADS;

const read = (out: tf.Tensor | tf.Tensor[]): Float32Array[] => {
  const ts = Array.isArray(out) ? out : [out];
  const v = ts.map((t) => t.dataSync() as Float32Array);
  tf.dispose(ts);
  return v;
};

let nat: Native;

/**
 * Runs `f` on wasm whole and split between the two threads (split threshold 1 element) and asserts the outputs are
 * the same bits and, unless `oneChunk` (a reduction too small for two row chunks, row_partials.ts), that a split
 * happened; returns the split outputs.
 */
function splitEqualsWhole(what: string, f: () => tf.Tensor | tf.Tensor[], oneChunk = false): Float32Array[] {
  tf.setBackend('wasm');
  const prev = setSplitMinimum(Number.POSITIVE_INFINITY);
  try {
    const whole = read(f());
    setSplitMinimum(1);
    const before = nat.splitCalls();
    const split = read(f());
    if (!oneChunk) assert.ok(nat.splitCalls() > before, `${what}: no call was split`);
    whole.forEach((w, i) => assert.deepEqual(split[i], w, `${what}: output ${i} differs between one and two threads`));
    return split;
  } finally {
    setSplitMinimum(prev);
  }
}

/** splitEqualsWhole, then each output against the cpu backend's (same kernel or a reference), rel. error < 1e-4. */
function checkKernel(what: string, f: () => tf.Tensor | tf.Tensor[], reference: () => tf.Tensor | tf.Tensor[] = f, oneChunk = false): void {
  const got = splitEqualsWhole(what, f, oneChunk);
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
    const info = await startWasm(2);
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

  test('row chunks of a reduction are fixed by its shape (row_partials.ts)', () => {
    assert.deepEqual(rowChunkBounds(105, 48), [0, 105]);
    assert.deepEqual(rowChunkBounds(1024, 48), [0, 341, 683, 1024]);
    assert.equal(rowChunkBounds(65536, 32).length - 1, 8);
    assert.deepEqual(rowChunkBounds(3, 1 << 20), [0, 1, 2, 3]);
  });

  // 3*5*7 = 105 rows of 48 channels (three 16-channel blocks: an uneven split) and 20 (a 4-wide SIMD tail);
  // 4*16*16 = 1024 rows of 48: three row chunks for the sums, claimed by both threads.
  for (const [shape, c] of [[[3, 5, 7], 48], [[3, 5, 7], 20], [[4, 16, 16], 48]] as const) {
    for (const act of [0, 1, 2]) {
      test(`FerBatchNormActForward / Grad, ${shape.join('x')} rows of ${c} channels, act ${act}`, () => {
        const rng = new Rng(c + act + shape[0]);
        const xs = [...shape, c];
        const [x, gamma, beta, dz] = [rand(rng, xs, -2, 3), rand(rng, [c], 0.5, 1.5), rand(rng, [c]), rand(rng, xs)];
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
      // two batch chunks at stride 1; four at stride 2 (row_partials.ts)
      const [nb, hi, ho] = s === 1 ? [2, 9, 9] : [4, 17, 8];
      const x = rand(rng, [nb, hi, hi, 48]);
      const dy = rand(rng, [nb, ho, ho, 48]);
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

  // 35 rows: one row chunk (the whole call); 1200 rows: three
  for (const shape of [[5, 7, 48], [40, 30, 48]]) {
    test(`Sum and Mean over leading axes (column sums), ${shape.join('x')}`, () => {
      const x = rand(new Rng(40), shape);
      checkKernel('sum', () => tf.sum(x, [0, 1]), undefined, shape[0] === 5);
      checkKernel('mean', () => tf.mean(x, [0], true), undefined, shape[0] === 5);
    });
  }

  test('BatchNorm sums over three row chunks', () => {
    const rng = new Rng(45);
    const [x, dy, mean] = [rand(rng, [40, 30, 48], -2, 8), rand(rng, [40, 30, 48]), rand(rng, [48])];
    checkKernel('bn sums', run('FerBnSums', { x, dy, mean }), () => tf.stack([tf.sum(dy, [0, 1]), tf.sum(tf.mul(dy, tf.sub(x, mean)), [0, 1])]));
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
    checkKernel('bn sums', run('FerBnSums', { x, dy, mean }), () => tf.stack([tf.sum(dy, [0, 1]), tf.sum(tf.mul(dy, tf.sub(x, mean)), [0, 1])]), true);
  });

  test('FusedBatchNorm forward (tf.batchNorm): per-channel statistics natively, others through the stock kernel', () => {
    const rng = new Rng(55);
    const [x, mean, variance, offset, scale] = [rand(rng, [6, 7, 9, 41], -2, 8), rand(rng, [41]), rand(rng, [41], 0.1, 3), rand(rng, [41]), rand(rng, [41], 0.5, 1.5)];
    checkKernel('batch norm', () => tf.batchNorm(x, mean, variance, offset, scale, 1e-3));
    checkKernel('batch norm, no offset or scale', () => tf.batchNorm(x, mean, variance, undefined, undefined, 1e-3));
    const x2 = rand(rng, [50, 41]);
    checkKernel('batch norm 2D', () => tf.batchNorm(x2, mean, variance, offset, scale, 1e-3));
    // broadcast statistics ([1, 1, 1, 41]): the stock kernel (no native call to split)
    const r4 = (t: tf.Tensor) => tf.reshape(t, [1, 1, 1, 41]);
    checkKernel('batch norm, rank-4 statistics', () => tf.batchNorm(x, r4(mean), r4(variance), r4(offset), r4(scale), 1e-3), undefined, true);
  });

  test('FerAdamUpdate', () => {
    const rng = new Rng(60);
    const [x, m, v, g] = [rand(rng, [1003]), rand(rng, [1003]), rand(rng, [1003], 0, 1), rand(rng, [1003])];
    const attrs = { b1: 0.9, omb1: 1 - 0.9, b2: 0.999, omb2: 1 - 0.999, c1: 0.19, c2: 0.002, eps: 1e-7, neglr: -1e-3 };
    splitEqualsWhole('adam', run('FerAdamUpdate', { x, m, v, g }, attrs));
  });
});
