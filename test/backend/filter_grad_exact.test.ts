/**
 * Conv2DBackpropFilter of a 1x1 convolution by csrc's matmul_tn gives exactly the bits of the composition it replaced
 * (transpose of the thinner operand + XNNPACK's BatchMatMul), element for element, on every pointwise convolution of
 * the MobileNet-v1 AU model at 128 px, batch 16 and 32, and so does conv1's strided one by im2col_rows + matmul_tn
 * (against im2col_t + BatchMatMul): the default training path stays bit-identical. Runs on the
 * threaded build (FER_WASM_THREADS=2 unless set) so the split between threads is covered too.
 */
import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setPointwiseFilterGradNative } from '../../lib/backend/kernels/conv_grads';
import { nativeKernels, setSplitMinimum } from '../../lib/backend/kernels/native';
import { mobilenetV1PointwiseShapes } from '../../lib/models/mobilenet_v1';
import { Rng } from '../../lib/util/rng';
import { randomTensor, relError, startWasm } from './helpers';

/** Conv2DBackpropFilter on the path `native` selects; default attrs: a 1x1 stride-1 convolution. */
const filterGrad = (
  x: tf.Tensor, dy: tf.Tensor, native: boolean,
  attrs: Record<string, unknown> = { strides: 1, pad: 'same', filterShape: [1, 1, x.shape[3]!, dy.shape[3]!] },
): Float32Array => {
  const prev = setPointwiseFilterGradNative(native);
  try {
    const out = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { dataFormat: 'NHWC', ...attrs } as tf.NamedAttrMap) as tf.Tensor;
    const v = out.dataSync() as Float32Array;
    out.dispose();
    return v;
  } finally {
    setPointwiseFilterGradNative(prev);
  }
};

/** Index of the first element where a and b differ as float32 bits (NaN never equals), or -1. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  const ia = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ib = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < a.length; i++) if (ia[i] !== ib[i]) return i;
  return a.length === b.length ? -1 : a.length;
}

describe('1x1 filter gradient: matmul_tn equals the transpose + XNNPACK composition bit for bit', () => {
  before(async () => {
    await startWasm(2);
    tf.setBackend('wasm');
    assert.ok(nativeKernels(tf.backend() as unknown as { wasm: unknown }), 'native kernels did not load');
  });

  for (const batch of [16, 32]) {
    test(`every pointwise conv of MobileNet-v1 at 128 px, batch ${batch}`, () => {
      const rng = new Rng(batch);
      for (const [hw, ci, co] of mobilenetV1PointwiseShapes(128)) {
        tf.tidy(() => {
          const x = randomTensor(rng, [batch, hw, hw, ci], -2, 6); // ReLU6-range activations, some negative
          const dy = randomTensor(rng, [batch, hw, hw, co]).mul(1e-3);
          const want = filterGrad(x, dy, false);
          const got = filterGrad(x, dy, true);
          const i = firstDifference(got, want);
          assert.equal(i, -1, `${hw}px ${ci}->${co}: element ${i} is ${got[i]}, the composition gives ${want[i]}`);
        });
      }
    });
  }

  for (const batch of [16, 32]) {
    test(`conv1 of MobileNet-v1 (3x3, stride 2, 129 px padded input) at 128 px, batch ${batch}: im2col_rows + matmul_tn`, () => {
      const rng = new Rng(100 + batch);
      tf.tidy(() => {
        const x = randomTensor(rng, [batch, 129, 129, 3]);
        const dy = randomTensor(rng, [batch, 64, 64, 32]).mul(1e-3);
        const conv1 = { strides: 2, pad: 'valid', filterShape: [3, 3, 3, 32] };
        const want = filterGrad(x, dy, false, conv1);
        const got = filterGrad(x, dy, true, conv1);
        const i = firstDifference(got, want);
        assert.equal(i, -1, `element ${i} is ${got[i]}, the composition gives ${want[i]}`);
      });
    });
  }

  test('odd channel counts, both operand orders, split into many chunks: same bits', () => {
    const prev = setSplitMinimum(1);
    try {
      const rng = new Rng(5);
      for (const [n, hw, ci, co] of [[2, 5, 3, 7], [3, 4, 13, 6], [1, 7, 9, 17], [2, 3, 40, 12], [4, 9, 5, 70]]) {
        tf.tidy(() => {
          const x = randomTensor(rng, [n, hw, hw, ci]);
          const dy = randomTensor(rng, [n, hw, hw, co]);
          const want = filterGrad(x, dy, false);
          const got = filterGrad(x, dy, true);
          assert.equal(firstDifference(got, want), -1, `[${n},${hw},${hw},${ci}] -> ${co}`);
          // and against the cpu backend
          tf.setBackend('cpu');
          const ref = (tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
            strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [1, 1, ci, co],
          }) as tf.Tensor).dataSync();
          tf.setBackend('wasm');
          const err = relError(got, ref);
          assert.ok(err < 1e-4, `relative error ${err} against cpu`);
        });
      }
    } finally {
      setSplitMinimum(prev);
    }
  });
});
