import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import {
  bceLoss,
  getLoss,
  LOSS_NAMES,
  lsepLoss,
  posWeightFromCounts,
  posWeightFromLabels,
  precisionRecallLoss,
  type LossName,
} from '../../lib/losses';

before(async () => {
  await tf.setBackend('cpu');
});

const scalar = (t: tf.Scalar): number => {
  const v = t.dataSync()[0];
  t.dispose();
  return v;
};

test('lsep reproduces the worked value 0.24131129665715703 for f=[2,-1,0.5], y=[1,0,1]', () => {
  // Positives u: f=2 and f=0.5; the one negative v: f=-1. Pairs (v,u): -1-2 = -3 and -1-0.5 = -1.5, so
  // l = log(1 + e^-3 + e^-1.5) = log(1.2729167...) = 0.2413112966...
  const derived = Math.log(1 + Math.exp(-3) + Math.exp(-1.5));
  assert.ok(Math.abs(derived - 0.24131129665715703) < 1e-15, `hand derivation ${derived}`);
  const got = scalar(lsepLoss(tf.tensor2d([[1, 0, 1]]), tf.tensor2d([[2, -1, 0.5]])));
  assert.ok(Math.abs(got - 0.24131129665715703) < 1e-6, `lsepLoss ${got}`);
});

test('lsep is ln 5 for f=[0,0,0,0], y=[1,0,0,1] (four pairs, each exp(0) = 1)', () => {
  const got = scalar(lsepLoss(tf.tensor2d([[1, 0, 0, 1]]), tf.tensor2d([[0, 0, 0, 0]])));
  assert.ok(Math.abs(got - Math.log(5)) < 1e-6, `lsepLoss ${got}`);
});

test('lsep is 0 for a row with no positive label and for a row with no negative label, and they count in the mean', () => {
  assert.equal(scalar(lsepLoss(tf.tensor2d([[0, 0, 0]]), tf.tensor2d([[5, -3, 50]]))), 0);
  assert.equal(scalar(lsepLoss(tf.tensor2d([[1, 1, 1]]), tf.tensor2d([[-50, 3, 1]]))), 0);
  const mixed = scalar(lsepLoss(tf.tensor2d([[1, 0, 0, 1], [0, 0, 0, 0]]), tf.tensor2d([[0, 0, 0, 0], [9, 9, 9, 9]])));
  assert.ok(Math.abs(mixed - Math.log(5) / 2) < 1e-6, `mean over both rows ${mixed}`);
  const g = tf.grad((x: tf.Tensor) => lsepLoss(tf.tensor2d([[0, 0, 0]]), x as tf.Tensor2D))(tf.tensor2d([[5, -3, 50]]));
  assert.deepEqual(Array.from(g.dataSync()), [0, 0, 0]);
});

test('bce is ln 2 at logit 0 for either label, and its gradient there is (sigmoid(0) - y) / n = (0.5 - y) / n', () => {
  const y = tf.tensor2d([[1, 0]]);
  const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => bceLoss(y, x as tf.Tensor2D))(tf.tensor2d([[0, 0]]));
  assert.ok(Math.abs(scalar(value) - Math.LN2) < 1e-6);
  assert.deepEqual(Array.from(grad.dataSync()), [-0.25, 0.25]);
});

test('bce with posWeight w multiplies only the positive term: w ln 2 + ln 2 over 2 at logit 0', () => {
  const got = scalar(bceLoss(tf.tensor2d([[1, 0]]), tf.tensor2d([[0, 0]]), { posWeight: [3, 7] }));
  assert.ok(Math.abs(got - (3 * Math.LN2 + Math.LN2) / 2) < 1e-6, `${got}`);
});

test('bce stays finite at |logit| = 50: a confident wrong answer costs 50, a right one ~0', () => {
  const got = scalar(bceLoss(tf.tensor2d([[1, 0, 1, 0]]), tf.tensor2d([[-50, 50, 50, -50]])));
  assert.ok(Math.abs(got - 25) < 1e-5, `${got}`);
});

test('precision-recall loss at p = 0.5 everywhere is 1 - 0.25 / (1 + eps)^2 (macro and micro)', () => {
  // y = [[1],[0]], p = 0.5: TP = FP = FN = 0.5, P = R = 0.5 / (1 + eps)
  const want = 1 - 0.25 / (1 + 1e-7) ** 2;
  for (const average of ['macro', 'micro'] as const) {
    const got = scalar(precisionRecallLoss(tf.tensor2d([[1], [0]]), tf.tensor2d([[0], [0]]), { average }));
    assert.ok(Math.abs(got - want) < 1e-6, `${average}: ${got}`);
  }
});

test('precision-recall loss macro averages per-label 1 - P R while micro pools the batch', () => {
  // label 0 perfectly right (p ~ 1 on the positive, ~ 0 on the negative): 1 - P R ~ 0; label 1 all wrong: ~ 1.
  const y = tf.tensor2d([[1, 1], [0, 0]]);
  const x = tf.tensor2d([[50, -50], [-50, 50]]);
  const macro = scalar(precisionRecallLoss(y, x));
  const micro = scalar(precisionRecallLoss(y, x, { average: 'micro' }));
  assert.ok(Math.abs(macro - 0.5) < 1e-6, `macro ${macro}`);
  assert.ok(Math.abs(micro - 0.75) < 1e-6, `micro ${micro}`); // TP = 1, FP = 1, FN = 1: P = R = 1/2
});

test('losses reject mismatched shapes, rank-1 input and bad options with messages naming the loss', () => {
  const y = tf.tensor2d([[1, 0]]);
  assert.throws(() => bceLoss(y, tf.tensor2d([[1, 0, 0]])), /bceLoss: labels \[1,2\] and logits \[1,3\]/);
  assert.throws(() => lsepLoss(tf.tensor1d([1, 0]), tf.tensor1d([0, 0])), /lsepLoss: .*rank 2/);
  assert.throws(() => bceLoss(y, y, { posWeight: [1] }), /posWeight has 1 values but the logits have 2 labels/);
  assert.throws(() => bceLoss(y, y, { posWeight: [1, NaN] }), /posWeight\[1\]/);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  assert.throws(() => precisionRecallLoss(y, y, { average: 'weighted' as any }), /'macro' or 'micro'/);
});

test('posWeightFromCounts is negatives/positives, clamped, and 1 for a label never or always positive', () => {
  // The paper's Table 1 (DISFA, 130,814 frames): AU1 6506 positives -> (130814 - 6506) / 6506
  const w = posWeightFromCounts([6506, 36247, 0, 130814, 1], 130814);
  assert.equal(w[0], (130814 - 6506) / 6506);
  assert.equal(w[1], (130814 - 36247) / 36247);
  assert.equal(w[2], 1);
  assert.equal(w[3], 1);
  assert.equal(w[4], 100); // 130813 clamped to maxWeight
  assert.deepEqual(posWeightFromCounts([1, 99], 100, { maxWeight: 10 }), [10, 0.1]);
  assert.throws(() => posWeightFromCounts([5], 4), /positives\[0\] = 5/);
  assert.throws(() => posWeightFromCounts([1], 4, { maxWeight: 0.5 }), /maxWeight/);
});

test('posWeightFromLabels counts rows or a flat row-major array the same way', () => {
  const rows = [
    [1, 0, 0],
    [0, 0, 1],
    [1, 0, 1],
    [0, 0, 1],
  ];
  assert.deepEqual(posWeightFromLabels(rows), [1, 1, 1 / 3]);
  assert.deepEqual(posWeightFromLabels(Float32Array.from(rows.flat()), 3), [1, 1, 1 / 3]);
  assert.throws(() => posWeightFromLabels([1, 0, 1]), /needs numLabels/);
  assert.throws(() => posWeightFromLabels([[1, 0], [1]]), /row 1 has 1 values, expected 2/);
});

test('getLoss returns each named loss, and bce-weighted demands posWeight', () => {
  const y = tf.tensor2d([[1, 0, 1], [0, 0, 1]]);
  const x = tf.tensor2d([[0.3, -1, 2], [1.5, 0.2, -0.7]]);
  assert.equal(scalar(getLoss('bce')(y, x)), scalar(bceLoss(y, x)));
  assert.equal(scalar(getLoss('bce-weighted', { posWeight: [2, 3, 4] })(y, x)), scalar(bceLoss(y, x, { posWeight: [2, 3, 4] })));
  assert.equal(scalar(getLoss('lsep')(y, x)), scalar(lsepLoss(y, x)));
  assert.equal(scalar(getLoss('pr', { average: 'micro' })(y, x)), scalar(precisionRecallLoss(y, x, { average: 'micro' })));
  assert.throws(() => getLoss('bce-weighted'), /needs opts.posWeight.*posWeightFromLabels/);
  assert.throws(() => getLoss('bce', { posWeight: [1, 1, 1] }), /only used by 'bce-weighted'/);
  assert.throws(() => getLoss('focal' as LossName), /unknown loss "focal"; valid: bce, bce-weighted, lsep, pr/);
});

test('every loss trains a Keras-style model through model.compile/fit and lowers its own value', async () => {
  // 4 inputs -> 3 labels, a learnable rule: label k is on when input k > 0.
  const xs = tf.tensor2d([
    [1, -1, -1, 0.5], [-1, 1, -1, 0.2], [-1, -1, 1, -0.3], [1, 1, -1, 0.1],
    [1, -1, 1, -0.6], [-1, 1, 1, 0.9], [1, 1, 1, 0.0], [-1, -1, -1, 0.4],
  ]);
  const ys = tf.tensor2d(xs.arraySync().map((r) => r.slice(0, 3).map((v) => (v > 0 ? 1 : 0))));
  for (const name of LOSS_NAMES) {
    const loss = getLoss(name, name === 'bce-weighted' ? { posWeight: posWeightFromLabels(ys.arraySync() as number[][]) } : {});
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4], kernelInitializer: 'zeros' })] });
    model.compile({ optimizer: tf.train.adam(0.1), loss });
    const h = await model.fit(xs, ys, { epochs: 15, batchSize: 8, verbose: 0, shuffle: false });
    const losses = h.history.loss as number[];
    assert.ok(losses.every(Number.isFinite), `${name}: ${losses}`);
    assert.ok(losses[losses.length - 1] < 0.8 * losses[0], `${name}: ${losses[0]} -> ${losses[losses.length - 1]}`);
    model.dispose();
  }
});

test('tf.variableGrads through each loss equals the chain rule X^T dL/dlogits', () => {
  const x = tf.tensor2d([[1, 2], [-1, 0.5], [0.3, -2]]);
  const y = tf.tensor2d([[1, 0, 1], [0, 1, 0], [1, 1, 0]]);
  const w = tf.variable(tf.tensor2d([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]]));
  for (const name of LOSS_NAMES) {
    const loss = getLoss(name, name === 'bce-weighted' ? { posWeight: [2, 0.5, 3] } : {});
    const { grads } = tf.variableGrads(() => loss(y, tf.matMul(x, w)));
    const dLogits = tf.grad((z: tf.Tensor) => loss(y, z))(tf.matMul(x, w));
    const want = tf.matMul(x, dLogits, true, false).arraySync() as number[][];
    const got = grads[w.name].arraySync() as number[][];
    assert.ok(got.flat().some((v) => v !== 0), `${name}: zero gradient`);
    got.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - want[i][j]) < 1e-6, `${name}: dW[${i}][${j}]`)));
  }
});
