import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../lib/util/rng';
import { simplifyPermutation } from '../../lib/backend/kernels/transpose';
import { randomTensor, relError, startWasm } from './helpers';

/** Runs kernel `name` on `backend` and returns its output values and shape. */
function runOn(backend: string, name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown>): { shape: number[]; values: Float32Array } {
  tf.setBackend(backend);
  const out = tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  const r = { shape: out.shape, values: out.dataSync() as Float32Array };
  out.dispose();
  return r;
}

function compare(name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown>): void {
  const ref = runOn('cpu', name, inputs, attrs);
  const got = runOn('wasm', name, inputs, attrs);
  assert.deepEqual(got.shape, ref.shape);
  const err = relError(got.values, ref.values);
  assert.ok(err < 1e-4, `${name} ${JSON.stringify(attrs)}: relative error ${err}`);
}

interface Case { n: number; h: number; w: number; c: number; k: number; s: number; pad: 'same' | 'valid'; out?: number; mult?: number }
const CASES: Case[] = [
  { n: 2, h: 9, w: 9, c: 3, k: 3, s: 1, pad: 'same', out: 4, mult: 1 },
  { n: 2, h: 9, w: 8, c: 4, k: 3, s: 2, pad: 'same', out: 5, mult: 2 },
  { n: 3, h: 10, w: 10, c: 5, k: 3, s: 2, pad: 'valid', out: 6, mult: 1 },
  { n: 2, h: 7, w: 11, c: 3, k: 3, s: 1, pad: 'valid', out: 2, mult: 3 },
  { n: 2, h: 8, w: 8, c: 6, k: 1, s: 1, pad: 'same', out: 7, mult: 1 },
  { n: 2, h: 8, w: 8, c: 8, k: 1, s: 1, pad: 'valid', out: 3, mult: 2 },
  { n: 1, h: 12, w: 12, c: 4, k: 5, s: 2, pad: 'same', out: 3, mult: 1 },
  { n: 2, h: 8, w: 8, c: 4, k: 1, s: 2, pad: 'valid', out: 5, mult: 1 },
  { n: 1, h: 13, w: 9, c: 2, k: 4, s: 2, pad: 'same', out: 3, mult: 2 },
];

function outSize(h: number, k: number, s: number, pad: 'same' | 'valid'): number {
  return pad === 'same' ? Math.ceil(h / s) : Math.ceil((h - k + 1) / s);
}

describe('wasm gradient kernels match the cpu backend', () => {
  before(async () => {
    await startWasm();
  });

  for (const cs of CASES) {
    const label = `${cs.n}x${cs.h}x${cs.w}x${cs.c} k${cs.k} s${cs.s} ${cs.pad}`;
    const ho = outSize(cs.h, cs.k, cs.s, cs.pad);
    const wo = outSize(cs.w, cs.k, cs.s, cs.pad);

    test(`Conv2DBackpropFilter ${label} -> ${cs.out}`, () => {
      const rng = new Rng(1);
      const x = randomTensor(rng, [cs.n, cs.h, cs.w, cs.c]);
      const dy = randomTensor(rng, [cs.n, ho, wo, cs.out!]);
      compare('Conv2DBackpropFilter', { x, dy }, { strides: [cs.s, cs.s], pad: cs.pad, dataFormat: 'NHWC', filterShape: [cs.k, cs.k, cs.c, cs.out!] });
    });

    test(`Conv2DBackpropInput ${label} -> ${cs.out}`, () => {
      const rng = new Rng(2);
      const dy = randomTensor(rng, [cs.n, ho, wo, cs.out!]);
      const filter = randomTensor(rng, [cs.k, cs.k, cs.c, cs.out!]);
      compare('Conv2DBackpropInput', { dy, filter }, { inputShape: [cs.n, cs.h, cs.w, cs.c], strides: [cs.s, cs.s], pad: cs.pad, dataFormat: 'NHWC' });
    });

    test(`DepthwiseConv2dNativeBackpropFilter ${label} multiplier ${cs.mult}`, () => {
      const rng = new Rng(3);
      const x = randomTensor(rng, [cs.n, cs.h, cs.w, cs.c]);
      const dy = randomTensor(rng, [cs.n, ho, wo, cs.c * cs.mult!]);
      compare('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { strides: [cs.s, cs.s], dilations: [1, 1], pad: cs.pad, filterShape: [cs.k, cs.k, cs.c, cs.mult!] });
    });

    test(`DepthwiseConv2dNativeBackpropInput ${label} multiplier ${cs.mult}`, () => {
      const rng = new Rng(4);
      const dy = randomTensor(rng, [cs.n, ho, wo, cs.c * cs.mult!]);
      const filter = randomTensor(rng, [cs.k, cs.k, cs.c, cs.mult!]);
      compare('DepthwiseConv2dNativeBackpropInput', { dy, filter }, { strides: [cs.s, cs.s], dilations: [1, 1], pad: cs.pad, inputShape: [cs.n, cs.h, cs.w, cs.c] });
    });
  }

  test('depthwise gradients with dilation 2 are adjoint to the cpu forward pass', () => {
    // The cpu backend's DepthwiseConv2dNativeBackpropFilter ignores dilations (tfjs's gradient rejects them), so the
    // reference is the adjoint identity: <dy, conv(x, f)> = <f, dF(x, dy)> = <x, dX(dy, f)>.
    const rng = new Rng(5);
    const x = randomTensor(rng, [2, 9, 9, 3]);
    const dy = randomTensor(rng, [2, 9, 9, 6]);
    const f = randomTensor(rng, [3, 3, 3, 2]);
    const attrs = { strides: [1, 1], dilations: [2, 2], pad: 'same' };
    tf.setBackend('cpu');
    const lhs = tf.sum(tf.mul(dy, tf.depthwiseConv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, 'same', 'NHWC', 2))).dataSync()[0];
    const df = runOn('wasm', 'DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...attrs, filterShape: [3, 3, 3, 2] });
    const dx = runOn('wasm', 'DepthwiseConv2dNativeBackpropInput', { dy, filter: f }, { ...attrs, inputShape: [2, 9, 9, 3] });
    const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((acc, v, i) => acc + v * b[i], 0);
    assert.ok(Math.abs(dot(df.values, f.dataSync()) - lhs) < 1e-4 * Math.abs(lhs), 'filter gradient');
    assert.ok(Math.abs(dot(dx.values, x.dataSync()) - lhs) < 1e-4 * Math.abs(lhs), 'input gradient');
  });

  test('explicit padding is honoured by the conv gradients', () => {
    const rng = new Rng(6);
    const pad = [[0, 0], [1, 2], [0, 1], [0, 0]];
    const x = randomTensor(rng, [2, 8, 8, 3]);
    const ho = Math.floor((8 + 3 - 3) / 2) + 1;
    const wo = Math.floor((8 + 1 - 3) / 2) + 1;
    const dy = randomTensor(rng, [2, ho, wo, 4]);
    const filter = randomTensor(rng, [3, 3, 3, 4]);
    compare('Conv2DBackpropFilter', { x, dy }, { strides: [2, 2], pad, dataFormat: 'NHWC', filterShape: [3, 3, 3, 4] });
    compare('Conv2DBackpropInput', { dy, filter }, { inputShape: [2, 8, 8, 3], strides: [2, 2], pad, dataFormat: 'NHWC' });
  });

  test('Identity and same-dtype Cast share the buffer yet stay independent values', () => {
    tf.setBackend('wasm');
    const a = tf.tensor([1, 2, 3]);
    const b = tf.clone(a);
    const c = tf.cast(a, 'float32');
    a.dispose();
    assert.deepEqual(Array.from(b.dataSync()), [1, 2, 3]);
    assert.deepEqual(Array.from(c.dataSync()), [1, 2, 3]);
    assert.deepEqual(Array.from(tf.cast(tf.tensor([1.7, -2.2]), 'int32').dataSync()), [1, -2]);
  });
});

describe('wasm Transpose (tiled native kernel) matches the cpu backend', () => {
  before(async () => {
    await startWasm();
  });
  const cases: [number[], number[]][] = [
    [[37, 19], [1, 0]], [[4, 5, 6, 7], [3, 1, 2, 0]], [[4, 5, 6, 7], [1, 2, 0, 3]], [[3, 1, 5, 2], [3, 1, 2, 0]],
    [[2, 3, 4], [0, 2, 1]], [[2, 3, 4, 5], [0, 3, 2, 1]], [[2, 3, 4, 5], [0, 2, 1, 3]], [[2, 3, 4, 5], [2, 0, 3, 1]],
    [[6, 1, 1, 9], [1, 2, 3, 0]],
  ];
  for (const [shape, perm] of cases) {
    test(`${JSON.stringify(shape)} perm ${JSON.stringify(perm)} (float32 and int32)`, () => {
      const rng = new Rng(11);
      const x = randomTensor(rng, shape);
      const xi = tf.cast(tf.mul(x, 1000), 'int32');
      for (const t of [x, xi]) {
        tf.setBackend('cpu');
        const ref = tf.transpose(t, perm);
        const refVals = Array.from(ref.dataSync());
        tf.setBackend('wasm');
        const got = tf.transpose(t, perm);
        assert.deepEqual(got.shape, ref.shape);
        assert.deepEqual(Array.from(got.dataSync()), refVals);
      }
    });
  }
  test('simplifyPermutation drops unit axes and merges axes that stay adjacent', () => {
    assert.deepEqual(simplifyPermutation([16, 64, 64, 32], [3, 1, 2, 0]), { shape: [16, 4096, 32], perm: [2, 1, 0] });
    assert.deepEqual(simplifyPermutation([16, 64, 64, 32], [1, 2, 0, 3]), { shape: [16, 4096, 32], perm: [1, 0, 2] });
    assert.deepEqual(simplifyPermutation([5, 1, 7], [2, 1, 0]), { shape: [5, 7], perm: [1, 0] });
    assert.deepEqual(simplifyPermutation([2, 3, 4], [0, 1, 2]), { shape: [24], perm: [0] });
  });
});

describe('wasm Slice (in-place contiguous runs) matches the cpu backend', () => {
  before(async () => {
    await startWasm();
  });
  const cases: [number[], number[], number[]][] = [
    [[3, 9, 9, 5], [0, 0, 0, 0], [3, 8, 8, 5]], [[3, 9, 9, 5], [1, 1, 0, 2], [2, 7, 9, 3]], [[4, 6], [1, 0], [2, 6]],
    [[4, 6], [0, 2], [4, 3]], [[2, 3, 4, 5, 6], [0, 1, 1, 0, 1], [2, 2, 3, 5, 4]], [[5, 7], [0, 0], [5, 7]], [[6], [2], [3]],
    [[2, 3, 4], [0, 0, 0], [2, 0, 4]],
  ];
  for (const [shape, begin, size] of cases) {
    test(`${JSON.stringify(shape)} begin ${JSON.stringify(begin)} size ${JSON.stringify(size)} (float32 and int32)`, () => {
      const rng = new Rng(13);
      const x = randomTensor(rng, shape);
      for (const t of [x, tf.cast(tf.mul(x, 1000), 'int32')]) {
        tf.setBackend('cpu');
        const ref = tf.slice(t, begin, size);
        const refVals = Array.from(ref.dataSync());
        tf.setBackend('wasm');
        const got = tf.slice(t, begin, size);
        assert.deepEqual(got.shape, ref.shape);
        assert.deepEqual(Array.from(got.dataSync()), refVals);
      }
    });
  }
});
