import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/backend';
import { bceLoss, posWeightFromLabels } from '../../lib/losses';
import { buildAuModel } from '../../lib/models';
import { validateConfig } from '../../lib/train/config';
import { lossComparisonExperiments, backboneSurveyExperiments, transferStagesExperiments, initialisationExperiments } from '../../lib/experiments';
import { PRESETS } from '../../lib/train/presets';
import { scoreShift, shiftOutputBias, withShiftedOutput } from '../../lib/train/score_correction';
import { expandSweep } from '../../lib/train/sweep';

test('weighted BCE is minimised at logit(p) + log(w), and tau = 1 maps that back to the posterior p', () => {
  // 1 positive in 4 (p = 0.25), weight w = 3: the minimiser is x* = log(w p / (1 - p)) = log(1) = 0
  const w = 3, p = 0.25;
  const xStar = Math.log((w * p) / (1 - p));
  const labels = tf.tensor2d([[1], [0], [0], [0]]);
  const grad = tf.grad((x: tf.Tensor) => bceLoss(labels, tf.tile(x.reshape([1, 1]), [4, 1]), { posWeight: [w] }))(tf.scalar(xStar));
  assert.ok(Math.abs(grad.dataSync()[0]) < 1e-7, `gradient at x* = ${grad.dataSync()[0]}`);
  const shift = scoreShift({ loss: 'bce-weighted', posWeightCorrection: 1, aus: ['AU01'] }, posWeightFromLabels(new Float32Array([1, 0, 0, 0]), 1))!;
  assert.ok(Math.abs(shift[0] + Math.log(3)) < 1e-12);
  assert.ok(Math.abs(1 / (1 + Math.exp(-(xStar + shift[0]))) - p) < 1e-12);
  tf.dispose([labels, grad]);
});

test('scoreShift: -tau log(w_k) of the positive weights of the training labels; none without the key; other losses refused', () => {
  // 2 AUs over 5 rows: AU a 1 positive (w 4), AU b 2 positives (w 1.5)
  const posWeight = posWeightFromLabels(new Float32Array([1, 1, 0, 1, 0, 0, 0, 0, 0, 0]), 2);
  const s = scoreShift({ loss: 'bce-weighted', posWeightCorrection: 0.5, aus: ['AU01', 'AU02'] }, posWeight)!;
  assert.ok(Math.abs(s[0] + 0.5 * Math.log(4)) < 1e-12 && Math.abs(s[1] + 0.5 * Math.log(1.5)) < 1e-12, String(s));
  assert.equal(scoreShift({ loss: 'bce-weighted', aus: ['AU01', 'AU02'] }, posWeight), null);
  assert.equal(scoreShift({ loss: 'bce-weighted', posWeightCorrection: 0, aus: ['AU01', 'AU02'] }, posWeight), null);
  assert.throws(() => scoreShift({ loss: 'lsep', posWeightCorrection: 0.5, aus: ['AU01', 'AU02'] }, posWeight), /needs loss 'bce-weighted'/);
});

test('shiftOutputBias moves every logit by its shift; withShiftedOutput puts back the exact bias', async () => {
  await initBackend();
  const m = await buildAuModel({ backbone: 'mobilenet_v1', inputSize: 32, numAus: 3, weights: null, alpha: 0.25, seed: 7 });
  const x = tf.randomNormal([4, m.featureDim], 0, 1, 'float32', 3);
  const before = (m.head.predict(x) as tf.Tensor).arraySync() as number[][];
  const bias = () => m.head.layers.find((l) => l.name === 'head_logits')!.getWeights()[1].dataSync().slice();
  const b0 = bias();
  const shift = [-1.5, 0, 0.25];
  const inside = await withShiftedOutput(m, shift, async () => (m.head.predict(x) as tf.Tensor).arraySync() as number[][]);
  inside.forEach((row, i) => row.forEach((v, k) => assert.ok(Math.abs(v - before[i][k] - shift[k]) < 1e-5, `row ${i} AU ${k}: ${v} vs ${before[i][k]}`)));
  assert.deepEqual(Array.from(bias()), Array.from(b0), 'bias restored bit for bit');
  const image = tf.zeros([1, 32, 32, 3]);
  const ref = (m.model.predict(image) as tf.Tensor).dataSync();
  shiftOutputBias(m, shift);
  const full = (m.model.predict(image) as tf.Tensor).dataSync();
  full.forEach((v, k) => assert.ok(Math.abs(v - ref[k] - shift[k]) < 1e-5, `full model AU ${k}: ${v} vs ${ref[k]}`));
  assert.ok(Math.abs(bias()[0] - (b0[0] - 1.5)) < 1e-6, 'the full model shares the shifted layer');
  assert.throws(() => shiftOutputBias(m, [1, 2]), /2 shifts for 3 outputs/);
  x.dispose();
});

test('the quick preset carries the correction to its own runs only: loss comparison, survey and other-loss sweeps drop it', () => {
  assert.equal(PRESETS.quick.posWeightCorrection, 0.75);
  assert.equal(PRESETS.tiny.posWeightCorrection, undefined);
  for (const c of transferStagesExperiments(PRESETS.quick, { folds: [1, 2] })) assert.equal(c.posWeightCorrection, 0.75);
  for (const c of initialisationExperiments(PRESETS.quick, { folds: [1] })) assert.equal(c.posWeightCorrection, 0.75);
  for (const c of [...lossComparisonExperiments(PRESETS.quick), ...backboneSurveyExperiments(PRESETS.quick)]) {
    assert.equal('posWeightCorrection' in c, false, `${c.task} ${c.loss}`);
    validateConfig(c);
  }
  const swept = expandSweep(PRESETS.quick, { losses: ['bce-weighted', 'lsep', 'pr'] });
  assert.deepEqual(swept.map((c) => c.posWeightCorrection), [0.75, undefined, undefined]);
  assert.throws(() => validateConfig({ ...PRESETS.quick, loss: 'lsep' }, 'x.json'), /posWeightCorrection.*only applies to loss 'bce-weighted'/);
  assert.throws(() => validateConfig({ ...PRESETS.quick, posWeightCorrection: 1.5 }, 'x.json'), /posWeightCorrection/);
});
