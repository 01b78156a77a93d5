import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { STOCK_GRADIENT_OVERRIDES } from '../../lib/backend/kernels/stock_grads';
import { Rng } from '../../lib/util/rng';
import { randomValues as values, relError, startWasm } from './helpers';

/** Gradients of `f` w.r.t. every input on `backend`, as plain arrays (inputs given as [values, shape]). */
function gradsOn(backend: string, f: (...xs: tf.Tensor[]) => tf.Scalar, inputs: [Float32Array, number[]][]): Float32Array[] {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const xs = inputs.map(([v, s]) => tf.tensor(v, s));
    return tf.grads(f)(xs).map((g) => g.dataSync() as Float32Array);
  });
}

/** Asserts wasm's gradients of `f` match the cpu backend's to a relative error below 1e-4, input by input. */
function compareGrads(what: string, f: (...xs: tf.Tensor[]) => tf.Scalar, inputs: [Float32Array, number[]][]): void {
  const ref = gradsOn('cpu', f, inputs);
  const got = gradsOn('wasm', f, inputs);
  ref.forEach((r, i) => {
    const err = relError(got[i], r);
    assert.ok(err < 1e-4, `${what}: input ${i} relative error ${err}`);
    assert.ok(r.some((v) => v !== 0), `${what}: input ${i} has an all-zero reference gradient (the check would be vacuous)`);
  });
}

/** A weighted sum, so every output element gets a different upstream gradient. */
const weighted = (y: tf.Tensor, w: tf.Tensor): tf.Scalar => tf.sum(tf.mul(y, w));

const SHAPES = [[2, 5, 5, 3], [3, 4, 4, 8], [1, 3, 3, 5], [4, 7], [2, 6, 6, 16], [5, 1, 1, 9]];

describe('gradient overrides of stock ops on wasm match the cpu backend', () => {
  const rng = new Rng(12);
  before(async () => {
    await startWasm();
  });

  test('the overrides are installed for the kernels the module documents', () => {
    assert.deepEqual(Object.keys(STOCK_GRADIENT_OVERRIDES).sort(), ['ClipByValue', 'FusedBatchNorm', 'Mean', 'Relu', 'Square']);
  });

  test('tf.batchNorm on tf.moments (tfjs-layers BatchNormalization in training) over a shape matrix', () => {
    for (const shape of SHAPES) {
      const c = shape[shape.length - 1];
      const axes = shape.slice(0, -1).map((_, i) => i);
      const f = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, w: tf.Tensor): tf.Scalar => {
        const m = tf.moments(x, axes);
        return weighted(tf.batchNorm(x, m.mean, m.variance, beta, gamma, 1e-3), w);
      };
      compareGrads(`batchNorm ${shape}`, f as never, [[values(rng, shape, -2, 3), shape], [values(rng, [c], 0.5, 1.5), [c]], [values(rng, [c]), [c]], [values(rng, shape), shape]]);
    }
  });

  test('tf.batchNorm with given statistics, per-channel [C] shapes', () => {
    // (tfjs-core's own gradient handles rank-1 statistics only, and its tape no undefined scale or offset.)
    const shape = [2, 4, 3, 6];
    const f = (x: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor, beta: tf.Tensor, gamma: tf.Tensor, w: tf.Tensor): tf.Scalar =>
      weighted(tf.batchNorm(x, mean, variance, beta, gamma, 1e-5), w);
    for (const s of [[6]]) {
      compareGrads(`batchNorm given stats ${s}`, f as never, [[values(rng, shape), shape], [values(rng, [6]), s], [values(rng, [6], 0.2, 2), s],
        [values(rng, [6]), s], [values(rng, [6]), s], [values(rng, shape), shape]]);
    }
  });

  test('relu, clipByValue (ReLU6) and square, including inputs exactly at the bounds', () => {
    for (const shape of [[2, 5, 5, 3], [7], [3, 33]]) {
      const x = values(rng, shape, -3, 9);
      x[0] = 0;
      if (x.length > 2) {
        x[1] = 6;
        x[2] = 6.5;
      }
      const w: [Float32Array, number[]] = [values(rng, shape), shape];
      compareGrads(`relu ${shape}`, ((a: tf.Tensor, b: tf.Tensor) => weighted(tf.relu(a), b)) as never, [[x, shape], w]);
      compareGrads(`clipByValue ${shape}`, ((a: tf.Tensor, b: tf.Tensor) => weighted(tf.clipByValue(a, 0, 6), b)) as never, [[x, shape], w]);
      compareGrads(`relu6 via relu+clip ${shape}`, ((a: tf.Tensor, b: tf.Tensor) => weighted(tf.clipByValue(tf.relu(a), 0, 6), b)) as never, [[x, shape], w]);
      compareGrads(`square ${shape}`, ((a: tf.Tensor, b: tf.Tensor) => weighted(tf.square(a), b)) as never, [[x, shape], w]);
    }
  });

  test('mean and sum over leading axes (fast path) and over other axes (stock), with and without keepDims', () => {
    const shape = [3, 4, 5, 6];
    const cases: [number[], boolean][] = [[[0, 1, 2], false], [[0, 1, 2], true], [[0], false], [[1, 0], true], [[3], false], [[1, 2], false], [[0, 2], true]];
    for (const [axis, keepDims] of cases) {
      const outShape = tf.tidy(() => tf.mean(tf.zeros(shape), axis, keepDims).shape);
      const w: [Float32Array, number[]] = [values(rng, outShape), outShape];
      compareGrads(`mean ${axis} ${keepDims}`, ((a: tf.Tensor, b: tf.Tensor) => weighted(tf.mean(a, axis, keepDims), b)) as never, [[values(rng, shape), shape], w]);
      compareGrads(`sum ${axis} ${keepDims}`, ((a: tf.Tensor, b: tf.Tensor) => weighted(tf.sum(a, axis, keepDims), b)) as never, [[values(rng, shape), shape], w]);
    }
  });

  test('a stock tfjs-layers Conv2D-BatchNormalization-ReLU(6)-Dense model has the cpu backend\'s gradients', () => {
    const build = (): tf.LayersModel => {
      const input = tf.input({ shape: [6, 6, 3] });
      let h = tf.layers.conv2d({ filters: 5, kernelSize: 3, strides: 2, padding: 'same', useBias: false, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }).apply(input) as tf.SymbolicTensor;
      h = tf.layers.batchNormalization({ epsilon: 1e-3 }).apply(h) as tf.SymbolicTensor;
      h = tf.layers.reLU({ maxValue: 6 }).apply(h) as tf.SymbolicTensor;
      h = tf.layers.globalAveragePooling2d({}).apply(h) as tf.SymbolicTensor;
      const out = tf.layers.dense({ units: 4, kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }).apply(h) as tf.SymbolicTensor;
      return tf.model({ inputs: input, outputs: out });
    };
    const x = values(rng, [4, 6, 6, 3], -2, 2);
    const grads = (backend: string): Float32Array[] => {
      tf.setBackend(backend);
      const model = build();
      const r = tf.tidy(() => {
        const xt = tf.tensor(x, [4, 6, 6, 3]);
        const { grads: g } = tf.variableGrads(() => tf.sum(tf.square(model.apply(xt, { training: true }) as tf.Tensor)) as tf.Scalar,
          model.trainableWeights.map((w) => w.read() as tf.Variable));
        return model.trainableWeights.map((w) => g[(w.read() as tf.Variable).name].dataSync() as Float32Array);
      });
      model.dispose();
      return r;
    };
    const ref = grads('cpu');
    const got = grads('wasm');
    ref.forEach((r, i) => assert.ok(relError(got[i], r) < 1e-4, `weight ${i}: relative error ${relError(got[i], r)}`));
  });
});
